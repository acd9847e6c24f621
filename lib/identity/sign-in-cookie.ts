import { createHmac, timingSafeEqual } from 'node:crypto';
import { config } from '@/lib/platform/config';
import { cookieName, expiredCookie, readCookies, serialiseCookie } from '@/lib/platform/cookies';
import { safeReturnTo } from './return-to';

/**
 * What the person told us before going to their identity provider (shared computer or
 * not) and where to bring them back: kept in a short-lived, signed, HttpOnly cookie, as
 * nothing is stored server-side before the sign-in completes.
 */

export type PendingSignIn = { sharedDevice: boolean; returnTo: string };

const LIFETIME_SECONDS = 30 * 60;

function name() {
  return cookieName('phr_signin');
}

function signature(payload: string): string {
  return createHmac('sha256', config().appSecret).update(`signin:${payload}`).digest('base64url');
}

export function pendingSignInCookie(pending: PendingSignIn, now = new Date()): string {
  const payload = Buffer.from(
    JSON.stringify({ s: pending.sharedDevice, r: pending.returnTo, e: Math.floor(now.getTime() / 1000) + LIFETIME_SECONDS }),
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
    const data = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { s?: unknown; r?: unknown; e?: unknown };
    if (typeof data.e !== 'number' || data.e * 1000 < now.getTime()) return null;
    return { sharedDevice: data.s === true, returnTo: safeReturnTo(data.r) };
  } catch {
    return null;
  }
}
