import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { config } from './config';
import { cookieName, expiredCookie, readCookies, serialiseCookie } from './cookies';
import type { FormValues } from './forms';

/**
 * Answers sent just after a session timed out are not lost: they are sealed (AES-256-GCM,
 * so nobody at the computer can read them) into a short-lived cookie, bound to the person
 * and the page, and put back in the form once that same person has signed in again.
 * A cookie holds about 4 KB: longer answers are not kept (the page says to check them).
 */

const KEEP_SECONDS = 30 * 60;
const MAX_SEALED_LENGTH = 3500;

type Kept = { userId: string; path: string; values: FormValues; expiresAt: number };

function name() {
  return cookieName('phr_kept_answers');
}

function key(purpose: string): Buffer {
  return createHash('sha256').update(`${purpose}:${config().appSecret}`).digest();
}

/**
 * Any small value sealed for one purpose (AES-256-GCM, a key of its own per purpose): nobody at the
 * computer can read it or change it, and a value sealed for one purpose is never accepted for another.
 */
export function sealValue(purpose: string, value: unknown): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key(purpose), iv);
  const body = Buffer.concat([cipher.update(JSON.stringify(value), 'utf8'), cipher.final()]);
  return Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64url');
}

/** What `sealValue` sealed for this purpose, or null when it is not that (unchecked: validate its shape). */
export function unsealValue(purpose: string, sealed: string): unknown {
  try {
    const raw = Buffer.from(sealed, 'base64url');
    const decipher = createDecipheriv('aes-256-gcm', key(purpose), raw.subarray(0, 12));
    decipher.setAuthTag(raw.subarray(12, 28));
    return JSON.parse(Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8')) as unknown;
  } catch {
    return null;
  }
}

export function seal(kept: Kept): string {
  return sealValue('kept-answers', kept);
}

export function unseal(sealed: string): Kept | null {
  return unsealValue('kept-answers', sealed) as Kept | null;
}

/** The cookie keeping these answers, or none when they are too long to keep. */
export function keepAnswersCookie(userId: string, path: string, values: FormValues, now = Date.now()): string | null {
  const sealed = seal({ userId, path, values, expiresAt: now + KEEP_SECONDS * 1000 });
  return sealed.length > MAX_SEALED_LENGTH ? null : serialiseCookie(name(), sealed, { maxAgeSeconds: KEEP_SECONDS });
}

/** The answers kept for this person on this page, if any; always with the cookie cleared. */
export function takeKeptAnswers(req: Request, userId: string, path: string, now = Date.now()): { values: FormValues | null; cookies: string[] } {
  const sealed = readCookies(req).get(name());
  if (!sealed) return { values: null, cookies: [] };
  const kept = unseal(sealed);
  const mine = kept && kept.userId === userId && kept.path === path && kept.expiresAt > now;
  // Kept for another page: leave it for that page. Anything else is cleared.
  if (kept && kept.userId === userId && kept.path !== path && kept.expiresAt > now) return { values: null, cookies: [] };
  return { values: mine ? kept.values : null, cookies: [expiredCookie(name())] };
}
