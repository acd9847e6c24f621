import { signInsReadFrom } from '@/lib/reporting/public';
import { ORGANISATIONS } from '@/lib/contact-details/public';
import { removeExpiredExports } from '@/lib/your-data/public';
import { lettersSettings, removeOldNonces } from '@/lib/letters/public';
import { Prisma } from '../generated/sqlite/client';
import { config, type RetentionPeriods } from './config';
import type { Db } from './db';
import { DRAFT_TIMES, draftsPastTheirTime } from './drafts';
import { errorFields, log } from './log';

/**
 * Retention (issue 19): what the service keeps only for a while is deleted once its time has
 * passed, by a job the worker runs every WORKER_RETENTION_INTERVAL_MS (lib/platform/worker). How
 * long each kind is kept is configuration (RETENTION_*_DAYS, lib/platform/config.ts), and the
 * privacy notice states it from the same settings (retentionNotice below).
 *
 * The job is a list of rules, one per kind of record. Each removes one bounded batch at a time,
 * chosen by an indexed range where there is one, and is called again while it fills whole
 * batches: a city's backlog (10 million readings, 100,000 citizens) goes in short statements,
 * never one long delete that holds the database. Deleted readings and ended sessions have no
 * index to be found by yet, so each of their batches reads the table through (about a second a
 * run for 3 million readings on PostgreSQL): an index on BloodPressureReading.deletedAt would make
 * it a few milliseconds. Every delete checks the rule's condition again,
 * so a row that changed since it was chosen (a draft saved again) stays. `now` is given, so the
 * tests control the clock.
 *
 * Nothing here touches the audit log (AuditEntry): it is append-only (database triggers refuse
 * deletes) and kept for 8 years. Accounts themselves are closed by lib/identity, not here.
 *
 * To add a rule (a table whose rows expire): one entry in RETENTION_RULES, with its period in
 * RetentionPeriods if it needs one, a test in retention.db.test.ts, and a sentence in
 * retentionNotice and the privacy notice.
 */

const DAY_MS = 86_400_000;

/** Rows removed per statement: small enough to keep each one short on a city-sized database. */
export const RETENTION_BATCH = 1_000;

export type RetentionRule = {
  /** Its name in the counts and the log. */
  name: string;
  /**
   * Removes at most `limit` rows that are past their time at `now` and says how many it removed.
   * The job calls it again while it removes a whole batch.
   */
  removeBatch: (db: Db, now: Date, periods: RetentionPeriods, limit: number) => Promise<number>;
};

const daysBefore = (now: Date, days: number) => new Date(now.getTime() - days * DAY_MS);

/**
 * A session ended when it was revoked, at its absolute limit, or when it had been idle for its
 * idleSeconds (as lib/identity/session-rules.ts sessionState decides), whichever came first; these
 * ended before `cutoff`. Idle times are few (one per setting a session was made with), so each is
 * a condition of its own: portable, with no date arithmetic in SQL.
 */
function sessionsEndedBefore(cutoff: Date, idleTimes: number[]) {
  return {
    OR: [
      { revokedAt: { lt: cutoff } },
      { absoluteExpiresAt: { lt: cutoff } },
      ...idleTimes.map((idleSeconds) => ({ idleSeconds, lastSeenAt: { lt: new Date(cutoff.getTime() - idleSeconds * 1000) } })),
    ],
  };
}

const ids = (rows: { id: string }[]) => rows.map((row) => row.id);

export const RETENTION_RULES: readonly RetentionRule[] = [
  {
    // Answers kept between the pages of a journey (lib/platform/drafts.ts), once past their time.
    name: 'drafts',
    async removeBatch(db, now, periods, limit) {
      const where = draftsPastTheirTime(daysBefore(now, periods.draftsDays));
      const keys = await db.draft.findMany({ where, select: { userId: true, journey: true }, take: limit });
      if (keys.length === 0) return 0;
      return (await db.draft.deleteMany({ where: { AND: [where, { OR: keys }] } })).count;
    },
  },
  {
    // Citizens' signed-in browsers (lib/identity), a while after they ended.
    name: 'sessions',
    async removeBatch(db, now, periods, limit) {
      const idleTimes = (await db.session.groupBy({ by: ['idleSeconds'] })).map((row) => row.idleSeconds);
      const where = sessionsEndedBefore(daysBefore(now, periods.sessionsDays), idleTimes);
      const found = ids(await db.session.findMany({ where, select: { id: true }, take: limit }));
      if (found.length === 0) return 0;
      return (await db.session.deleteMany({ where: { id: { in: found }, ...where } })).count;
    },
  },
  {
    // Staff sessions, the same way.
    name: 'staff-sessions',
    async removeBatch(db, now, periods, limit) {
      const idleTimes = (await db.staffSession.groupBy({ by: ['idleSeconds'] })).map((row) => row.idleSeconds);
      const where = sessionsEndedBefore(daysBefore(now, periods.sessionsDays), idleTimes);
      const found = ids(await db.staffSession.findMany({ where, select: { id: true }, take: limit }));
      if (found.length === 0) return 0;
      return (await db.staffSession.deleteMany({ where: { id: { in: found }, ...where } })).count;
    },
  },
  {
    // The sign-in history: never one the reports still read (lib/reporting), so removing them
    // changes no report; none at all before the active users rollup has first run.
    name: 'sign-in-events',
    async removeBatch(db, now, periods, limit) {
      const needed = await signInsReadFrom(db, now);
      if (!needed) return 0;
      const cutoff = new Date(Math.min(daysBefore(now, periods.signInEventsDays).getTime(), needed.getTime()));
      const found = ids(await db.signInEvent.findMany({ where: { at: { lt: cutoff } }, select: { id: true }, take: limit }));
      if (found.length === 0) return 0;
      return (await db.signInEvent.deleteMany({ where: { id: { in: found }, at: { lt: cutoff } } })).count;
    },
  },
  {
    // Outbox messages that were delivered (lib/platform/outbox.ts); failed and waiting ones stay
    // (staff see failed ones at /staff/deliveries). Two kinds of delivered message stay too, as
    // pages read them: one with a failed or waiting message for the same change (the delivered
    // one shows the failure was overtaken: lib/care-record notYetInCareRecord), and the newest of
    // each citizen's messages of a topic to a destination (their current address or contact
    // preferences shows "Received": lib/contact-details deliveriesOf). deliveredAt is never
    // before createdAt, so the (status, createdAt) index narrows the search.
    name: 'delivered-messages',
    async removeBatch(db, now, periods, limit) {
      const cutoff = daysBefore(now, periods.deliveredMessagesDays);
      const rows = await db.$queryRaw<{ id: string }[]>`
        SELECT m."id" FROM "OutboxMessage" m
        WHERE m."status" = 'delivered' AND m."createdAt" < ${cutoff} AND m."deliveredAt" < ${cutoff}
          AND NOT EXISTS (
            SELECT 1 FROM "OutboxMessage" o
            WHERE o."userId" = m."userId" AND o."subjectId" = m."subjectId" AND o."destination" = m."destination"
              AND o."topic" = m."topic" AND o."status" <> 'delivered')
          AND EXISTS (
            SELECT 1 FROM "OutboxMessage" n
            WHERE n."userId" = m."userId" AND n."destination" = m."destination" AND n."topic" = m."topic"
              AND n."createdAt" > m."createdAt")
        LIMIT ${Prisma.raw(String(Math.trunc(limit)))}`;
      if (rows.length === 0) return 0;
      return (await db.outboxMessage.deleteMany({ where: { id: { in: ids(rows) }, status: 'delivered' } })).count;
    },
  },
  {
    // Blood pressure readings the citizen deleted (kept meanwhile, never shown or shared), with
    // their change history, together. The care record was sent the withdrawal when they were
    // deleted; a message still waiting withdraws a reading that is gone just the same
    // (lib/blood-pressure readingForCareRecord). Weeks keep their own copy of what they averaged.
    name: 'deleted-readings',
    async removeBatch(db, now, periods, limit) {
      const cutoff = daysBefore(now, periods.deletedReadingsDays);
      const found = ids(await db.bloodPressureReading.findMany({ where: { deletedAt: { lt: cutoff } }, select: { id: true }, take: limit }));
      if (found.length === 0) return 0;
      // A deleted reading is never brought back, so these are still past their time.
      const [, removed] = await db.$transaction([
        db.bloodPressureReadingChange.deleteMany({ where: { readingId: { in: found } } }),
        db.bloodPressureReading.deleteMany({ where: { id: { in: found }, deletedAt: { lt: cutoff } } }),
      ]);
      return removed.count;
    },
  },
  {
    // Answers to the feedback form (the privacy notice promises how long).
    name: 'feedback',
    async removeBatch(db, now, periods, limit) {
      const cutoff = daysBefore(now, periods.feedbackDays);
      const found = ids(await db.feedback.findMany({ where: { createdAt: { lt: cutoff } }, select: { id: true }, take: limit }));
      if (found.length === 0) return 0;
      return (await db.feedback.deleteMany({ where: { id: { in: found }, createdAt: { lt: cutoff } } })).count;
    },
  },
  {
    // "Your data" downloads (lib/your-data) whose links have stopped working (DATA_EXPORT_HOURS), content and all.
    name: 'data-exports',
    removeBatch: (db, now, _periods, limit) => removeExpiredExports(db, now, limit),
  },
  {
    // The nonces of signed requests the letters API accepted (lib/letters), once too old to be
    // accepted again anyway (an hour: a signature is valid for 5 minutes either way).
    name: 'used-nonces',
    removeBatch: (db, now, _periods, limit) => removeOldNonces(db, now, limit),
  },
];

export type RetentionResult = {
  /** Rows removed, by rule name. */
  removed: Record<string, number>;
  /** Rules that failed this time (logged; the next run tries again). */
  failed: string[];
};

/**
 * Applies every rule at `now`: each in batches of `batchSize` until it has nothing left. A rule
 * that fails is logged and the others still run. Logs what was removed (counts only).
 */
export async function applyRetention(
  db: Db,
  now: Date,
  periods: RetentionPeriods,
  options: { rules?: readonly RetentionRule[]; batchSize?: number } = {},
): Promise<RetentionResult> {
  const { rules = RETENTION_RULES, batchSize = RETENTION_BATCH } = options;
  const started = Date.now();
  const removed: Record<string, number> = {};
  const failed: string[] = [];
  for (const rule of rules) {
    let total = 0;
    try {
      for (;;) {
        const count = await rule.removeBatch(db, now, periods, batchSize);
        total += count;
        if (count < batchSize) break;
      }
    } catch (error) {
      failed.push(rule.name);
      log.error('retention-rule-failed', { rule: rule.name, removedBeforeFailing: total, ...errorFields(error) });
    }
    removed[rule.name] = total;
  }
  log.info('retention-applied', { ...removed, ...(failed.length > 0 ? { failed: failed.join(',') } : {}), ms: Date.now() - started });
  return { removed, failed };
}

/** "30 days", "1 day", "2 years" (whole years of 365 days), "30 minutes", "1 hour": for the privacy notice. */
export function daysInWords(days: number): string {
  if (days >= 365 && days % 365 === 0) return plural(days / 365, 'year');
  return plural(days, 'day');
}

function durationInWords(ms: number): string {
  if (ms % DAY_MS === 0) return daysInWords(ms / DAY_MS);
  if (ms % 3_600_000 === 0) return plural(ms / 3_600_000, 'hour');
  return plural(Math.round(ms / 60_000), 'minute');
}

const plural = (count: number, unit: string) => `${count} ${unit}${count === 1 ? '' : 's'}`;

/** What the privacy notice says about how long things are kept, in words, from the configuration. */
export function retentionNotice(periods: RetentionPeriods) {
  return {
    draftBloodPressureReading: durationInWords(DRAFT_TIMES.bloodPressureReadingMs),
    draftLongest: durationInWords(DRAFT_TIMES.longestMs),
    /** Null: drafts are deleted as soon as the job runs after their time. */
    draftsAfter: periods.draftsDays === 0 ? null : daysInWords(periods.draftsDays),
    sessions: daysInWords(periods.sessionsDays),
    signIns: daysInWords(periods.signInEventsDays),
    deliveredMessages: daysInWords(periods.deliveredMessagesDays),
    deletedReadings: daysInWords(periods.deletedReadingsDays),
    feedback: daysInWords(periods.feedbackDays),
  };
}

/**
 * The privacy notice's view context (app/privacy/route.ts): how long things are kept, and who
 * receives what, from this process's configuration.
 */
export function privacyNoticeContext() {
  const settings = config();
  return {
    retention: { ...retentionNotice(settings.retention), dataExport: durationInWords(settings.yourData.exportMs) },
    // Every organisation a change of address or contact details is sent to.
    recipients: ORGANISATIONS.map((organisation) => organisation.name),
    // Whether the postcode a citizen types goes to Ordnance Survey (ADDRESS_LOOKUP=os-places) or stays here (demo).
    addressLookup: settings.contactDetails.addressLookup,
    // A letter not opened this long after it arrived is posted by its sender (LETTERS_UNREAD_POST_AFTER_DAYS).
    lettersPostedAfter: daysInWords(lettersSettings().unreadPostAfterDays),
  };
}
