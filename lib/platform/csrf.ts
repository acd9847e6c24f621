import { randomBytes, timingSafeEqual } from 'node:crypto';
import { config } from './config';
import { cookieName, readCookies, serialiseCookie } from './cookies';
import { appSecretMac } from '@/lib/platform/app-secret-mac';

/**
 * CSRF protection, in two layers:
 * - a synchroniser token: each browser gets a random secret in an HttpOnly
 *   cookie, and every form carries a token derived from that secret with the
 *   app's key. A cross-site page can neither read the secret nor compute the
 *   token, and cannot plant a cookie it could compute one for.
 * - an Origin check on every POST (see checkOrigin).
 * Cookies are SameSite=Lax as a third, browser-side line.
 */

export const CSRF_FIELD = '_csrf';
const SECRET_PATTERN = /^[A-Za-z0-9_-]{43}$/;

function secretCookieName() {
  return cookieName('phr_csrf');
}

function tokenFor(secret: string): string {
  return appSecretMac('csrf', secret);
}

export type CsrfState = { token: string; setCookie?: string };

/** The token for this browser's forms, creating the browser's secret on first visit. */
export function csrfState(req: Request): CsrfState {
  const existing = readCookies(req).get(secretCookieName());
  if (existing && SECRET_PATTERN.test(existing)) return { token: tokenFor(existing) };
  const secret = randomBytes(32).toString('base64url');
  return { token: tokenFor(secret), setCookie: serialiseCookie(secretCookieName(), secret) };
}

/**
 * A new secret for this browser, as a Set-Cookie value: given at sign-in, so that a secret
 * planted or seen before someone signed in is worthless afterwards. (Sign-out expires the
 * secret instead: the next page makes a new one.)
 */
export function freshCsrfSecretCookie(): string {
  return serialiseCookie(secretCookieName(), randomBytes(32).toString('base64url'));
}

/** The secret's cookie name, for sign-out to expire it. */
export function csrfSecretCookieName(): string {
  return secretCookieName();
}

export function verifyCsrfToken(req: Request, submitted: unknown): boolean {
  const secret = readCookies(req).get(secretCookieName());
  if (!secret || !SECRET_PATTERN.test(secret) || typeof submitted !== 'string') return false;
  const expected = Buffer.from(tokenFor(secret));
  const given = Buffer.from(submitted);
  return expected.length === given.length && timingSafeEqual(expected, given);
}

/**
 * A POST must come from one of our own pages. Browsers send Origin on form
 * posts; where a privacy tool strips it we fall back to Referer, and where both
 * are missing the synchroniser token alone decides.
 */
export function checkOrigin(req: Request): boolean {
  const allowed = config().allowedOrigins;
  const origin = req.headers.get('origin');
  if (origin) return allowed.includes(origin);
  const referer = req.headers.get('referer');
  if (referer) {
    try {
      return allowed.includes(new URL(referer).origin);
    } catch {
      return false;
    }
  }
  return true;
}
