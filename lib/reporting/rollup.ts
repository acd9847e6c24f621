// The days and the months each citizen signed in (UserActiveDay, UserActiveMonth), kept up to date
// by the worker, so that the active users report reads a few indexed ranges instead of every
// sign-in in its history, and counts a finished month's people without a DISTINCT.
import { randomBytes } from 'node:crypto';
import { Prisma } from '@/lib/generated/sqlite/client';
import type { Db, Tx } from '@/lib/platform/db';
import { londonDay, startOfLondonDay, type LondonDay } from '@/lib/platform/london-time';
import { ACTIVE_WINDOW_DAYS } from './business-case';

/** The RollupState row of this rollup. */
export const ACTIVE_DAYS_ROLLUP = 'active-days';

/**
 * How far back each run looks again before its watermark. A sign-in's time is taken before its
 * transaction commits, so one can become visible after a later one (a transaction here gives up
 * within half a minute); rows are inserted idempotently, so looking again costs nothing but a read.
 */
export const ROLLUP_OVERLAP_MS = 5 * 60_000;

/** Sign-in events read per batch: the first run on an existing database works through all of history like this. */
const EVENTS_PER_BATCH = 5_000;

/** Day rows per INSERT: two parameters each, well under SQLite's and PostgreSQL's limits. */
const ROWS_PER_INSERT = 500;

/**
 * Adds the UK days on which people signed in since the last run, then moves the watermark on to
 * the newest sign-in counted. Never past `now`: a sign-in stamped in the future by a wrong clock
 * would otherwise carry the watermark ahead and make every real sign-in look too old to count.
 * Every account's days are kept, registered or not: a person counts from the day they first
 * signed in once they finish registering, as they did before the rollup (the report checks).
 */
export async function updateActivityRollup(db: Db, now = new Date(), eventsPerBatch = EVENTS_PER_BATCH): Promise<{ added: number }> {
  const state = await db.rollupState.findUnique({ where: { name: ACTIVE_DAYS_ROLLUP } });
  const since = state ? new Date(state.watermark.getTime() - ROLLUP_OVERLAP_MS) : undefined;
  let after: { at: Date; id: string } | undefined;
  let added = 0;
  for (;;) {
    // Keyset pages in (at, id) order: many sign-ins can share one time.
    const events = await db.signInEvent.findMany({
      where: {
        outcome: 'signed-in',
        at: { lte: now, ...(since ? { gt: since } : {}) },
        ...(after ? { OR: [{ at: { gt: after.at } }, { at: after.at, id: { gt: after.id } }] } : {}),
      },
      select: { id: true, userId: true, at: true },
      orderBy: [{ at: 'asc' }, { id: 'asc' }],
      take: eventsPerBatch,
    });
    if (events.length === 0) break;
    const days = new Map<string, { day: LondonDay; userId: string }>();
    for (const event of events) {
      const day = londonDay(event.at);
      days.set(`${day} ${event.userId}`, { day, userId: event.userId });
    }
    const last = events[events.length - 1]!;
    // The days first, then the watermark, in one transaction: the report trusts the rollup for
    // the days before the watermark, so it must never see a watermark whose days are missing.
    const dayStatements = insertDays(db, [...days.values()]);
    const inserted = await db.$transaction([...dayStatements, ...insertMonths(db, [...days.values()]), advanceWatermark(db, last.at, now)]);
    added += inserted.slice(0, dayStatements.length).reduce((sum, count) => sum + count, 0);
    if (events.length < eventsPerBatch) break;
    after = { at: last.at, id: last.id };
  }
  return { added };
}

/**
 * INSERT ... ON CONFLICT DO NOTHING (SQLite and PostgreSQL alike): a day (or month) already
 * counted is skipped. A person whose account went (deleted, or joined into another) since the
 * events were read is skipped too: a join works the kept account's days out again (moveActiveDays).
 */
function insertActivity(db: Db | Tx, into: 'UserActiveDay' | 'UserActiveMonth', rows: { period: string; userId: string }[]) {
  const target = into === 'UserActiveDay' ? Prisma.raw('"UserActiveDay" ("day", "userId")') : Prisma.raw('"UserActiveMonth" ("month", "userId")');
  const statements = [];
  for (let start = 0; start < rows.length; start += ROWS_PER_INSERT) {
    const values = rows.slice(start, start + ROWS_PER_INSERT).map((row) => Prisma.sql`(CAST(${row.period} AS TEXT), CAST(${row.userId} AS TEXT))`);
    statements.push(db.$executeRaw`
      INSERT INTO ${target}
      SELECT v.column1, v.column2 FROM (VALUES ${Prisma.join(values)}) AS v
      WHERE EXISTS (SELECT 1 FROM "User" u WHERE u."id" = v.column2)
      ON CONFLICT DO NOTHING`);
  }
  return statements;
}

const insertDays = (db: Db | Tx, rows: { day: LondonDay; userId: string }[]) =>
  insertActivity(
    db,
    'UserActiveDay',
    rows.map((row) => ({ period: row.day, userId: row.userId })),
  );

/** The months of those days (YYYY-MM: a day's first seven characters), each person once. */
function insertMonths(db: Db | Tx, rows: { day: LondonDay; userId: string }[]) {
  const months = new Map<string, { period: string; userId: string }>();
  for (const row of rows) months.set(`${row.day.slice(0, 7)} ${row.userId}`, { period: row.day.slice(0, 7), userId: row.userId });
  return insertActivity(db, 'UserActiveMonth', [...months.values()]);
}

function advanceWatermark(db: Db, watermark: Date, now: Date) {
  return db.$executeRaw`
    INSERT INTO "RollupState" ("name", "watermark", "updatedAt") VALUES (${ACTIVE_DAYS_ROLLUP}, ${watermark}, ${now})
    ON CONFLICT ("name") DO UPDATE SET "watermark" = excluded."watermark", "updatedAt" = excluded."updatedAt"
    WHERE "RollupState"."watermark" < excluded."watermark"`;
}

/**
 * The report can trust the rollup for UK days before this one; from its first instant on it
 * reads the sign-ins themselves. Null before the first run: every sign-in is read.
 */
export async function rolledUpBefore(db: Db): Promise<LondonDay | null> {
  const state = await db.rollupState.findUnique({ where: { name: ACTIVE_DAYS_ROLLUP } });
  return state ? londonDay(new Date(state.watermark.getTime() - ROLLUP_OVERLAP_MS)) : null;
}

/**
 * For the retention job (lib/platform/retention.ts): the reports (active-users.ts) still read
 * sign-ins from this time on, so none from it on may be removed: those the rollup has not counted
 * yet (from the first UK day it is not trusted for) and the last ACTIVE_WINDOW_DAYS (whose first,
 * part-day is read from the sign-ins). Null before the rollup's first run: every one is still to count.
 */
export async function signInsReadFrom(db: Db, now: Date): Promise<Date | null> {
  const rolledUp = await rolledUpBefore(db);
  if (rolledUp === null) return null;
  return new Date(Math.min(startOfLondonDay(rolledUp).getTime(), now.getTime() - ACTIVE_WINDOW_DAYS * 86_400_000));
}

/**
 * When two accounts are joined, in the join's transaction and after the sign-ins have moved: the
 * kept account gets the other's days and months, without repeating one both were active. Its days
 * are also worked out again from its sign-ins (a person has few), so a day the worker was adding
 * for the other account while the join ran is not lost with that account.
 */
export async function moveActiveDays(tx: Tx, from: string, to: string): Promise<void> {
  await tx.$executeRaw`
    INSERT INTO "UserActiveDay" ("day", "userId")
    SELECT d."day", CAST(${to} AS TEXT) FROM "UserActiveDay" d WHERE d."userId" = ${from}
    ON CONFLICT DO NOTHING`;
  await tx.userActiveDay.deleteMany({ where: { userId: from } });
  await tx.$executeRaw`
    INSERT INTO "UserActiveMonth" ("month", "userId")
    SELECT m."month", CAST(${to} AS TEXT) FROM "UserActiveMonth" m WHERE m."userId" = ${from}
    ON CONFLICT DO NOTHING`;
  await tx.userActiveMonth.deleteMany({ where: { userId: from } });
  const signIns = await tx.signInEvent.findMany({ where: { userId: to, outcome: 'signed-in' }, select: { at: true } });
  const days = [...new Set(signIns.map((event) => londonDay(event.at)))].map((day) => ({ day, userId: to }));
  for (const statement of [...insertDays(tx, days), ...insertMonths(tx, days)]) await statement;
}

/**
 * When an account is closed, in the closing transaction and before the User row goes: its days
 * and months stay counted, under a new random id that nothing else holds, so months already
 * reported keep their numbers and the rows no longer say whose they were. Its sign-ins the worker
 * has not rolled up yet are added first (they are deleted with the account).
 */
export async function anonymiseActivity(tx: Tx, userId: string): Promise<void> {
  const signIns = await tx.signInEvent.findMany({ where: { userId, outcome: 'signed-in' }, select: { at: true } });
  const days = [...new Set(signIns.map((event) => londonDay(event.at)))].map((day) => ({ day, userId }));
  for (const statement of [...insertDays(tx, days), ...insertMonths(tx, days)]) await statement;
  const anonymous = `closed-${randomBytes(16).toString('hex')}`;
  await tx.userActiveDay.updateMany({ where: { userId }, data: { userId: anonymous } });
  await tx.userActiveMonth.updateMany({ where: { userId }, data: { userId: anonymous } });
}
