import { appendAuditEntry, auditedTransaction, citizenActor } from '@/lib/audit/public';
import { removeAppAccessOf } from '@/lib/open-platform/public';
import type { Db } from '@/lib/platform/db';
import { anonymiseActivity } from '@/lib/reporting/public';

/**
 * Closing an account (the citizen's own choice, at /account/close): one transaction, so a
 * failure at any point leaves the account exactly as it was.
 *
 * Deleted: the User row, and with it (foreign keys with ON DELETE CASCADE) everything the
 * citizen added or chose: readings, weeks, top three things, conditions, communication needs,
 * sharing choices, the care record link, drafts, contact preferences, "fewer letters" choices,
 * addresses, the references organisations gave us for them (the council's, for its letters), Open Citizen preferences, responses (and their answers) and invitations, downloads
 * of their data, their ways of signing in (UserIdentity: the provider's account is unlinked, so
 * signing in with it again makes a new account), the link history, sign-in history, sessions
 * (signed out everywhere). Tables without a foreign key to User
 * are cleared here: the history of each reading (it holds the readings' numbers), outbox
 * messages (what is not sent yet is cancelled; our copies of what was sent go too: the
 * organisations have theirs) and every app's access (its grants and tokens stop working at once).
 *
 * Kept: the audit log (append-only, hash-chained, kept 8 years as NHS records guidance asks),
 * with an entry that the account was closed; PostToDigitalSwitch (a count for benefits
 * reporting, which holds no details about the person); and the days and months the person was
 * active, moved to a new random id so that past active-user counts do not change. What was already sent to the shared
 * care record and to the organisations stays with them: it is part of their records.
 */

/** What closing ended, for the log (counts only). */
export type ClosedAccount = { appConnections: number; messagesCancelled: number; sessions: number };

/** Closes the account; null when there is none (already closed: a second click). */
export async function closeAccount(db: Db, userId: string, now = new Date()): Promise<ClosedAccount | null> {
  return auditedTransaction(db, async (tx): Promise<ClosedAccount | null> => {
    const user = await tx.user.findUnique({ where: { id: userId } });
    if (!user) return null;
    const identities = await tx.userIdentity.findMany({ where: { userId }, select: { provider: true }, orderBy: { provider: 'asc' } });

    const appConnections = await removeAppAccessOf(tx, userId);
    const messagesCancelled = await tx.outboxMessage.count({ where: { userId, status: 'pending' } });
    await tx.outboxMessage.deleteMany({ where: { userId } });
    await tx.bloodPressureReadingChange.deleteMany({ where: { userId } });
    // The cascade would remove them too: said here, as signing out everywhere is part of closing.
    const { count: sessions } = await tx.session.deleteMany({ where: { userId } });
    // The active-user counts keep this person's days, under an id that is no longer theirs.
    await anonymiseActivity(tx, userId);
    await tx.user.delete({ where: { id: userId } });

    await appendAuditEntry(
      tx,
      {
        ...citizenActor(user),
        citizenId: userId,
        action: 'account-closed',
        detail: { signInMethods: identities.map((identity) => identity.provider).join(','), appConnections, messagesCancelled },
      },
      now,
    );
    return { appConnections, messagesCancelled, sessions };
  });
}
