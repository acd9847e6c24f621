import { timingSafeEqual } from 'node:crypto';
import { cookieName, expiredCookie, readCookies, serialiseCookie } from '@/lib/platform/cookies';
import { sealValue, unsealValue } from '@/lib/platform/kept-answers';
import { safeReturnTo } from './return-to';
import { appSecretMac } from '@/lib/platform/app-secret-mac';

/**
 * What the person told us before going to their identity provider (shared computer or
 * not) and where to bring them back: kept in a short-lived, signed, HttpOnly cookie, as
 * nothing is stored server-side before the sign-in completes.
 */

export type PendingSignIn = { sharedDevice: boolean; returnTo: string; link?: LinkIntent };

/**
 * A signed-in citizen adding another way of signing in (lib/identity/sign-in-methods-pages.ts):
 * which session and account asked, for which provider, until when. Sealed, so the session id is
 * never readable in the cookie; the callback acts on it only for that same, still-live session.
 */
export type LinkIntent = { sessionId: string; userId: string; provider: string; expiresAt: number };

const LIFETIME_SECONDS = 30 * 60;
/** Long enough to sign in at the provider; a link intent left lying about is soon of no use. */
export const LINK_LIFETIME_SECONDS = 10 * 60;
const LINK_PURPOSE = 'sign-in-link';

function name() {
  return cookieName('phr_signin');
}

function signature(payload: string): string {
  return appSecretMac('signin', payload);
}

export function pendingSignInCookie(pending: PendingSignIn, now = new Date()): string {
  const payload = Buffer.from(
    JSON.stringify({
      s: pending.sharedDevice,
      r: pending.returnTo,
      e: Math.floor(now.getTime() / 1000) + LIFETIME_SECONDS,
      ...(pending.link ? { l: sealValue(LINK_PURPOSE, pending.link) } : {}),
    }),
  ).toString('base64url');
  return serialiseCookie(name(), `${payload}.${signature(payload)}`, { maxAgeSeconds: LIFETIME_SECONDS });
}

export function clearPendingSignInCookie(): string {
  return expiredCookie(name());
}

export function readPendingSignIn(req: Request, now = new Date()): PendingSignIn | null {
  const value = readCookies(req).get(name());
  const [payload, given] = value?.split('.') ?? [];
  if (!payload || !given) return null;
  const expected = Buffer.from(signature(payload));
  if (expected.length !== Buffer.from(given).length || !timingSafeEqual(expected, Buffer.from(given))) return null;
  try {
    const data = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { s?: unknown; r?: unknown; e?: unknown; l?: unknown };
    if (typeof data.e !== 'number' || data.e * 1000 < now.getTime()) return null;
    const link = typeof data.l === 'string' ? linkIntent(unsealValue(LINK_PURPOSE, data.l), now) : undefined;
    return { sharedDevice: data.s === true, returnTo: safeReturnTo(data.r), ...(link ? { link } : {}) };
  } catch {
    return null;
  }
}

/** A sealed link intent that is whole and still in time, or undefined. */
function linkIntent(value: unknown, now: Date): LinkIntent | undefined {
  const intent = value as Partial<LinkIntent> | null;
  if (!intent || typeof intent.sessionId !== 'string' || typeof intent.userId !== 'string' || typeof intent.provider !== 'string') return undefined;
  if (typeof intent.expiresAt !== 'number' || intent.expiresAt < now.getTime()) return undefined;
  return { sessionId: intent.sessionId, userId: intent.userId, provider: intent.provider, expiresAt: intent.expiresAt };
}
