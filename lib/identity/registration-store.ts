import type { Db } from '@/lib/platform/db';
import { readyToConfirm, type RegistrationProgress } from './registration';

/**
 * The registration journey in the database. Answers are kept on the session until the
 * person confirms; only then does the user become registered, in one update.
 */

export function registrationProgress(session: { registrationTermsVersion: string | null; registrationDetailsConfirmedAt: Date | null }): RegistrationProgress {
  return { termsVersion: session.registrationTermsVersion, detailsConfirmedAt: session.registrationDetailsConfirmedAt };
}

export async function saveTermsAgreed(db: Db, sessionId: string, version: string): Promise<void> {
  await db.session.update({ where: { id: sessionId }, data: { registrationTermsVersion: version } });
}

export async function saveDetailsConfirmed(db: Db, sessionId: string, now = new Date()): Promise<void> {
  await db.session.update({ where: { id: sessionId }, data: { registrationDetailsConfirmedAt: now } });
}

/**
 * Creates the account from the session's answers, if they are all in. Returns false when
 * they are not, or when the user was already registered (say, in another browser).
 */
export async function completeRegistration(db: Db, sessionId: string, now = new Date()): Promise<boolean> {
  return db.$transaction(async (tx) => {
    const session = await tx.session.findUnique({ where: { id: sessionId } });
    if (!session) return false;
    const progress = registrationProgress(session);
    if (!readyToConfirm(progress)) return false;
    const { count } = await tx.user.updateMany({
      where: { id: session.userId, registeredAt: null },
      data: { registeredAt: now, consentVersion: progress.termsVersion, consentedAt: now },
    });
    return count === 1;
  });
}
