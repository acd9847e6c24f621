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

function key(): Buffer {
  return createHash('sha256').update(`kept-answers:${config().appSecret}`).digest();
}

export function seal(kept: Kept): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key(), iv);
  const body = Buffer.concat([cipher.update(JSON.stringify(kept), 'utf8'), cipher.final()]);
  return Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64url');
}

export function unseal(sealed: string): Kept | null {
  try {
    const raw = Buffer.from(sealed, 'base64url');
    const decipher = createDecipheriv('aes-256-gcm', key(), raw.subarray(0, 12));
    decipher.setAuthTag(raw.subarray(12, 28));
    const text = Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
    return JSON.parse(text) as Kept;
  } catch {
    return null;
  }
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
