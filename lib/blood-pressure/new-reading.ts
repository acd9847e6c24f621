import { seal, unseal } from '@/lib/platform/kept-answers';
import { cookieName, expiredCookie, readCookies, serialiseCookie } from '@/lib/platform/cookies';
import type { FormValues } from '@/lib/platform/forms';
import { readingFormSchema, readingFields, type NewReadings } from './reading';

/**
 * The "Add a reading" answers between the form and "Check your answers":
 * nothing is saved until the citizen confirms. They are kept sealed
 * (AES-256-GCM, lib/identity/kept-answers) in a short-lived cookie, bound to
 * the citizen, so they cannot be read or changed at the computer, and they are
 * checked again with the form's own rules each time they are used.
 *
 * "Now" means when the form was sent, so that instant is kept with the answers
 * and the rules are run again with that clock: the reading keeps its time.
 */

const KEEP_SECONDS = 30 * 60;
const PATH = '/blood-pressure/add';
const ANSWERED_AT = '_answeredAt';

function name() {
  return cookieName('phr_bp_new_reading');
}

/** Only the form's own fields are kept. */
function formFieldsOnly(values: FormValues): FormValues {
  const kept: FormValues = {};
  for (const field of Object.values(readingFields)) {
    const value = values[field];
    if (typeof value === 'string') kept[field] = value;
  }
  return kept;
}

export function newReadingCookie(userId: string, values: FormValues, answeredAt: Date, now = Date.now()): string {
  const sealed = seal({ userId, path: PATH, values: { ...formFieldsOnly(values), [ANSWERED_AT]: answeredAt.toISOString() }, expiresAt: now + KEEP_SECONDS * 1000 });
  return serialiseCookie(name(), sealed, { maxAgeSeconds: KEEP_SECONDS });
}

export function clearNewReadingCookie(): string {
  return expiredCookie(name());
}

export type NewReadingAnswers = { values: FormValues; readings: NewReadings | null };

/**
 * The answers this citizen gave, if any are kept and not expired; `readings`
 * is null when they no longer pass the form's rules.
 */
export function takeNewReading(req: Request, userId: string, now = Date.now()): NewReadingAnswers | null {
  const sealed = readCookies(req).get(name());
  const kept = sealed ? unseal(sealed) : null;
  if (!kept || kept.userId !== userId || kept.path !== PATH || kept.expiresAt <= now) return null;
  const answeredAt = new Date(String(kept.values[ANSWERED_AT]));
  if (Number.isNaN(answeredAt.getTime())) return null;
  const values = formFieldsOnly(kept.values);
  const result = readingFormSchema(() => answeredAt).safeParse(values);
  return { values, readings: result.success ? result.data : null };
}
