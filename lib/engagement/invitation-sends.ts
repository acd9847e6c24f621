import { Prisma } from '@/lib/generated/sqlite/client';
import { getDb, isPostgres } from '@/lib/platform/db';
import { HttpError } from '@/lib/platform/errors';
import { errorFields, log } from '@/lib/platform/log';
import { wakeWorker } from '@/lib/platform/outbox';
import { ownActivity, sendInvitations } from './store';

/**
 * Sending an activity's invitations, in the background. Inviting a city (about 45,000 rows, and
 * a notification for each who chose email or text) takes about a second, too long for a request:
 * the coordinator's request only records that sending was asked for (EngagementInvitationSend, one
 * row per activity, the latest send), and the worker sends (sendAskedInvitations, every few
 * seconds, and at once on PostgreSQL when the request's NOTIFY wakes it).
 *
 * - Asking while a send is waiting or running does nothing more: one send, however many presses
 *   or coordinators (a conditional update, or the insert of the first row, which only one wins).
 * - The worker claims a send with a lease (claimedUntil), so several workers never run the same
 *   one; on PostgreSQL in one statement that skips rows another worker is claiming. A send whose
 *   worker died is taken over when its lease runs out, at most MAX_ATTEMPTS times in all.
 * - A send that fails is marked failed, and the page offers to send again. sendInvitations
 *   invites in one transaction, so a failed send invited no one.
 */

export type InvitationSendStatus = 'pending' | 'sending' | 'sent' | 'failed';

export type InvitationSend = { status: InvitationSendStatus; askedAt: Date; finishedAt: Date | null; invited: number | null };

/** Far longer than inviting a city takes (about a second at 100,000 citizens): a worker that died is taken over after it. */
export const SEND_LEASE_MS = 5 * 60_000;

/** Claims in all, the first and those after a worker died; then it is marked failed. */
export const MAX_ATTEMPTS = 3;

/** A send still to be done: asked for, or being sent. */
export const isUnderway = (send: InvitationSend | null) => send?.status === 'pending' || send?.status === 'sending';

/**
 * The coordinator asks for this organisation's published activity's invitations to be sent.
 * 'asked' when this call queued a send, 'already-asked' when one was already waiting or running.
 * Another organisation's activity is "not found" (404); one not published is refused (409).
 */
export async function askToSendInvitations(
  activityId: string,
  organisationCode: string,
  askedBy: string,
  now = new Date(),
): Promise<'asked' | 'already-asked'> {
  const activity = await ownActivity(activityId, organisationCode);
  if (activity.status !== 'published') throw new HttpError(409, 'not-published');
  const db = getDb();
  const asked = { status: 'pending', askedAt: now, askedBy, startedAt: null, finishedAt: null, claimedUntil: null, attempts: 0, invited: null };
  // A send that has finished (sent or failed) is replaced by the new one; one still to be done is left alone.
  const { count } = await db.engagementInvitationSend.updateMany({ where: { activityId: activity.id, status: { in: ['sent', 'failed'] } }, data: asked });
  if (count === 0) {
    try {
      await db.engagementInvitationSend.create({ data: { activityId: activity.id, ...asked } });
    } catch (error) {
      // There is a row: a send still to be done (or one asked for by someone else this instant).
      if ((error as { code?: unknown }).code === 'P2002') return 'already-asked';
      throw error;
    }
  }
  await wakeWorker(db);
  return 'asked';
}

/** The latest send of an activity, for its page; null when none was ever asked for. */
export async function invitationSendOf(activityId: string): Promise<InvitationSend | null> {
  const row = await getDb().engagementInvitationSend.findUnique({
    where: { activityId },
    select: { status: true, askedAt: true, finishedAt: true, invited: true },
  });
  return row ? { ...row, status: row.status as InvitationSendStatus } : null;
}

export type ClaimedSend = { activityId: string; lease: Date };

/** Free to take: asked for, or being sent by a worker whose lease has run out (and tries are left). */
const claimable = (now: Date) => ({
  OR: [{ status: 'pending' }, { status: 'sending', claimedUntil: { lt: now }, attempts: { lt: MAX_ATTEMPTS } }],
});

/**
 * Claims up to `limit` sends, oldest asked first; each is claimed by one caller only. On PostgreSQL
 * in one statement that skips rows another worker is claiming (FOR UPDATE SKIP LOCKED); on SQLite
 * (one writer at a time) with a conditional update each.
 */
export async function claimAskedSends(now: Date, limit: number): Promise<ClaimedSend[]> {
  const db = getDb();
  const lease = new Date(now.getTime() + SEND_LEASE_MS);
  if (isPostgres()) {
    const rows = await db.$queryRaw<{ activityId: string }[]>`
      WITH due AS MATERIALIZED (
        SELECT "activityId" FROM "EngagementInvitationSend"
        WHERE "status" = 'pending' OR ("status" = 'sending' AND "claimedUntil" < ${now} AND "attempts" < ${Prisma.raw(String(MAX_ATTEMPTS))})
        ORDER BY "askedAt"
        LIMIT ${limit}
        FOR UPDATE SKIP LOCKED
      )
      UPDATE "EngagementInvitationSend" AS send
      SET "status" = 'sending', "claimedUntil" = ${lease}, "startedAt" = ${now}, "attempts" = send."attempts" + 1
      FROM due WHERE send."activityId" = due."activityId"
      RETURNING send."activityId"`;
    return rows.map((row) => ({ activityId: row.activityId, lease }));
  }
  const due = await db.engagementInvitationSend.findMany({ where: claimable(now), select: { activityId: true }, orderBy: { askedAt: 'asc' }, take: limit });
  const claimed: ClaimedSend[] = [];
  for (const { activityId } of due) {
    const { count } = await db.engagementInvitationSend.updateMany({
      where: { activityId, ...claimable(now) },
      data: { status: 'sending', claimedUntil: lease, startedAt: now, attempts: { increment: 1 } },
    });
    if (count === 1) claimed.push({ activityId, lease });
  }
  return claimed;
}

/**
 * Runs a claimed send (sendInvitations, deciding everyone at this moment) and records how it went,
 * only while the claim is still this caller's: a send taken over after its lease is recorded by
 * the worker that took it.
 */
export async function runClaimedSend(claimed: ClaimedSend, clock: () => Date = () => new Date()): Promise<InvitationSendStatus> {
  const db = getDb();
  const row = await db.engagementInvitationSend.findUnique({
    where: { activityId: claimed.activityId },
    select: { attempts: true, activity: { select: { organisationCode: true } } },
  });
  // The activity was deleted meanwhile, and its send with it.
  if (!row) return 'failed';
  const ours = { activityId: claimed.activityId, status: 'sending', claimedUntil: claimed.lease };
  try {
    const invited = await sendInvitations(claimed.activityId, row.activity.organisationCode, clock());
    await db.engagementInvitationSend.updateMany({ where: ours, data: { status: 'sent', invited, finishedAt: clock(), claimedUntil: null } });
    log.info('invitations-sent', { activityId: claimed.activityId, invited, attempt: row.attempts });
    return 'sent';
  } catch (error) {
    log.error('invitations-not-sent', { activityId: claimed.activityId, attempt: row.attempts, ...errorFields(error) });
    await db.engagementInvitationSend.updateMany({ where: ours, data: { status: 'failed', finishedAt: clock(), claimedUntil: null } });
    return 'failed';
  }
}

/**
 * The worker's task (every few seconds, and when a page's NOTIFY wakes it on PostgreSQL): marks
 * failed the sends whose worker died on their last try, then claims up to `limit` sends and runs
 * them one after another. Returns how many it ran. `clock` is the time each send is made for.
 */
export async function sendAskedInvitations(clock: () => Date = () => new Date(), limit = 5): Promise<number> {
  const now = clock();
  const { count: abandoned } = await getDb().engagementInvitationSend.updateMany({
    where: { status: 'sending', claimedUntil: { lt: now }, attempts: { gte: MAX_ATTEMPTS } },
    data: { status: 'failed', finishedAt: now, claimedUntil: null },
  });
  if (abandoned > 0) log.error('invitations-not-sent', { reason: 'worker-stopped', sends: abandoned, attempts: MAX_ATTEMPTS });
  const claimed = await claimAskedSends(now, limit);
  for (const send of claimed) await runClaimedSend(send, clock);
  return claimed.length;
}
