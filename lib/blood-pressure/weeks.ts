import { queueContribution } from '@/lib/care-record/public';
import type { HomeMonitoringWeek as WeekModel } from '@/lib/generated/sqlite/client';
import { isPostgres, type Db, type Tx } from '@/lib/platform/db';
import { directReads, rowOf, selectList, type Columns } from '@/lib/platform/direct-reads';
import { homeAverageRange, type AverageRange } from './guidance';
import { DAYS_IN_WEEK, EARLIEST_END_DAY, homeMonitoringWeek, type HomeMonitoringWeek, type MonitoringReading } from './home-monitoring';
import { addDays, daysBetween, londonDay, startOfLondonDay, type LondonDay } from '@/lib/platform/london-time';

/**
 * Home-monitoring weeks the citizen starts and keeps.
 *
 * - A week is started on purpose (today, or a day up to 7 days ago, for readings taken
 *   on paper) and never overlaps another.
 * - It ends after day 7, or when the citizen ends it from day 4. Its result is then worked
 *   out once, by the NICE rule (home-monitoring.ts), and stored with the readings it used:
 *   readings taken later, changes outside the week and the passing of time never change it.
 * - Adding, changing or deleting a reading inside a finished week works that week out
 *   again, and the citizen is told so.
 * - Readings outside every week are kept, listed and charted, never averaged into a result.
 *
 * Weeks are finished when someone next looks (a page, the professional's view), not by a
 * timer: the result is the same either way, because it depends only on the readings in it.
 * Every write that can change a week locks the citizen first, so two at once (a reading
 * saved while the week is being finished) cannot leave a stale result on PostgreSQL.
 */

export type WeekResult = AverageRange | 'not-enough-readings';

export type AveragedReading = { id: string; measuredAt: Date; systolic: number; diastolic: number };

export type Week = {
  id: string;
  startedOn: LondonDay;
  endsOn: LondonDay;
  endedEarly: boolean;
  /** Null while the week runs. */
  finishedAt: Date | null;
  recalculatedAt: Date | null;
  result: WeekResult | null;
  average: { systolic: number; diastolic: number; readingCount: number } | null;
  daysThatCount: number | null;
  readings: AveragedReading[];
};

export type WeekProblem = 'future' | 'too-long-ago' | 'overlaps' | 'too-early-to-end' | 'finished';

/** How far back a week may start: a week of readings taken on paper can still be entered. */
export const LATEST_START_DAYS_AGO = 7;

type Row = Omit<WeekModel, 'userId' | 'createdAt'>;

/** A week's columns, for reading directly (lib/platform/direct-reads.ts). */
const weekColumns: Columns<Row> = {
  id: 'text',
  startedOn: 'text',
  endsOn: 'text',
  endedEarly: 'bool',
  finishedAt: 'date?',
  result: 'text?',
  systolic: 'int?',
  diastolic: 'int?',
  readingCount: 'int?',
  daysThatCount: 'int?',
  readings: 'text?',
  recalculatedAt: 'date?',
};

const RESULTS: readonly WeekResult[] = ['below-135-85', 'stage-1-range', 'stage-2-range', 'very-high', 'not-enough-readings'];

function storedReadings(text: string | null): AveragedReading[] {
  if (!text) return [];
  const parsed = JSON.parse(text) as { id: string; measuredAt: string; systolic: number; diastolic: number }[];
  return parsed.map((reading) => ({ ...reading, measuredAt: new Date(reading.measuredAt) }));
}

function toWeek(row: Row): Week {
  const result = RESULTS.find((known) => known === row.result) ?? null;
  return {
    id: row.id,
    startedOn: row.startedOn,
    endsOn: row.endsOn,
    endedEarly: row.endedEarly,
    finishedAt: row.finishedAt,
    recalculatedAt: row.recalculatedAt,
    result,
    average: row.systolic !== null && row.diastolic !== null ? { systolic: row.systolic, diastolic: row.diastolic, readingCount: row.readingCount ?? 0 } : null,
    daysThatCount: row.daysThatCount,
    readings: storedReadings(row.readings),
  };
}

/** What day of its week `today` is (1 on the first day). */
export const dayOfWeek = (week: Pick<Week, 'startedOn'>, today: LondonDay) => daysBetween(week.startedOn, today) + 1;

/** Serialises every write that can change a citizen's weeks (SQLite has one writer already). */
async function lockCitizen(tx: Tx, userId: string): Promise<void> {
  if (isPostgres()) await tx.$queryRawUnsafe('SELECT id FROM "User" WHERE id = $1 FOR UPDATE', userId);
}

type ReadingRow = MonitoringReading & { id: string };

/** The citizen's readings on a week's days. A week is a few readings a day; the cap guards against thousands. */
async function readingsOn(tx: Tx, userId: string, startedOn: LondonDay, endsOn: LondonDay): Promise<ReadingRow[]> {
  return tx.bloodPressureReading.findMany({
    where: { userId, deletedAt: null, measuredAt: { gte: startOfLondonDay(startedOn), lt: startOfLondonDay(addDays(endsOn, 1)) } },
    select: { id: true, systolic: true, diastolic: true, measuredAt: true, sitting: true },
    orderBy: [{ measuredAt: 'asc' }, { id: 'asc' }],
    take: 500,
  });
}

/** A week's progress from its readings: what the overview shows while it runs. */
async function progressOf(tx: Tx, userId: string, week: Pick<Week, 'startedOn' | 'endsOn'>, now: Date): Promise<HomeMonitoringWeek<ReadingRow>> {
  return homeMonitoringWeek(await readingsOn(tx, userId, week.startedOn, week.endsOn), { now, startedOn: week.startedOn, endsOn: week.endsOn });
}

/** Works a week's result out from its readings now, and stores it. */
async function workOut(
  tx: Tx,
  userId: string,
  week: Pick<Week, 'id' | 'startedOn' | 'endsOn'>,
  changes: { finishedAt?: Date; recalculatedAt?: Date; endsOn?: LondonDay; endedEarly?: boolean },
) {
  const endsOn = changes.endsOn ?? week.endsOn;
  // Judged as after its last day, so no day is "still to come".
  const progress = await progressOf(tx, userId, { startedOn: week.startedOn, endsOn }, startOfLondonDay(addDays(endsOn, 1)));
  const average = progress.average;
  const row = await tx.homeMonitoringWeek.update({
    where: { id: week.id },
    data: {
      ...changes,
      result: average ? homeAverageRange(average) : 'not-enough-readings',
      systolic: average?.systolic ?? null,
      diastolic: average?.diastolic ?? null,
      readingCount: average?.readingCount ?? null,
      daysThatCount: progress.daysThatCount,
      readings: JSON.stringify(
        average
          ? progress.averaged.map((reading) => ({
              id: reading.id,
              measuredAt: reading.measuredAt.toISOString(),
              systolic: reading.systolic,
              diastolic: reading.diastolic,
            }))
          : [],
      ),
    },
  });
  // Its result is new (finished) or changed (worked out again): the care record gets it.
  await queueContribution(tx, userId, 'home-monitoring-week', week.id, changes.finishedAt ?? changes.recalculatedAt ?? new Date());
  return toWeek(row);
}

/** Finishes every week of the citizen's whose last day has passed. Safe to run twice: a finished week is never finished again. */
export async function finishEndedWeeks(tx: Tx, userId: string, now: Date): Promise<void> {
  const today = londonDay(now);
  const due = await tx.homeMonitoringWeek.findMany({ where: { userId, finishedAt: null, endsOn: { lt: today } } });
  if (due.length === 0) return;
  await lockCitizen(tx, userId);
  for (const week of due) {
    const still = await tx.homeMonitoringWeek.findFirst({ where: { id: week.id, finishedAt: null } });
    if (still) await workOut(tx, userId, still, { finishedAt: now });
  }
}

export type WeeksNow = {
  /** The week that is running today, with its progress. */
  current: (Week & { progress: HomeMonitoringWeek<ReadingRow> }) | null;
  /** Finished weeks, newest first. */
  finished: Week[];
};

// The overview reads these on every view, directly (lib/platform/direct-reads.ts).
const ENDED_UNFINISHED_WEEK = `SELECT w."id" FROM "HomeMonitoringWeek" w WHERE w."userId" = ? AND w."finishedAt" IS NULL AND w."endsOn" < ? LIMIT 1`;
const NEWEST_WEEKS = `SELECT ${selectList('w', weekColumns)} FROM "HomeMonitoringWeek" w
  WHERE w."userId" = ? ORDER BY w."startedOn" DESC, w."id" DESC LIMIT ?`;

/**
 * The citizen's running week and their finished ones, after finishing any that have ended.
 * Finishing writes, so only then is there a transaction; most views find none to finish, and read
 * the weeks in one query: a running week is always the newest (weeks never overlap and none starts
 * in the future), so the newest `finishedToShow + 1` hold it and the finished ones to show.
 */
export async function weeksNow(db: Db, userId: string, now: Date, finishedToShow = 10): Promise<WeeksNow> {
  const reads = directReads(db);
  const [ended] = await reads.rows(ENDED_UNFINISHED_WEEK, [userId, londonDay(now)]);
  if (ended) await db.$transaction((tx) => finishEndedWeeks(tx, userId, now));
  const newest = (await reads.rows(NEWEST_WEEKS, [userId, finishedToShow + 1])).map((row) => rowOf(weekColumns, row));
  const running = newest.find((week) => week.finishedAt === null);
  const current = running ? toWeek(running) : null;
  return {
    current: current && { ...current, progress: await progressOf(db, userId, current, now) },
    finished: newest
      .filter((week) => week.finishedAt !== null)
      .slice(0, finishedToShow)
      .map(toWeek),
  };
}

/** Finished weeks for the professional's view, read inside its audited transaction. */
export async function finishedWeeksFor(tx: Tx, userId: string, now: Date, take = 5): Promise<Week[]> {
  await finishEndedWeeks(tx, userId, now);
  const rows = await tx.homeMonitoringWeek.findMany({ where: { userId, finishedAt: { not: null } }, orderBy: { startedOn: 'desc' }, take });
  return rows.map(toWeek);
}

/** One of the citizen's own weeks (finished first if it has ended), or null. */
export async function ownWeek(db: Db, userId: string, id: string, now: Date): Promise<(Week & { progress: HomeMonitoringWeek<ReadingRow> }) | null> {
  return db.$transaction(async (tx) => {
    await finishEndedWeeks(tx, userId, now);
    const row = await tx.homeMonitoringWeek.findFirst({ where: { id, userId } });
    if (!row) return null;
    const week = toWeek(row);
    return { ...week, progress: await progressOf(tx, userId, week, now) };
  });
}

/** Whether a week may start on this day, before looking at the citizen's other weeks. */
export function startDayProblem(startedOn: LondonDay, now: Date): WeekProblem | null {
  const daysAgo = daysBetween(startedOn, londonDay(now));
  if (daysAgo < 0) return 'future';
  if (daysAgo > LATEST_START_DAYS_AGO) return 'too-long-ago';
  return null;
}

/** Starts a 7-day week on `startedOn`; refused when the day is out of bounds or it would overlap another week. */
export async function startWeek(
  db: Db,
  userId: string,
  startedOn: LondonDay,
  now: Date,
): Promise<{ ok: true; week: Week } | { ok: false; problem: WeekProblem }> {
  const problem = startDayProblem(startedOn, now);
  if (problem) return { ok: false, problem };
  const endsOn = addDays(startedOn, DAYS_IN_WEEK - 1);
  return db.$transaction(async (tx) => {
    await lockCitizen(tx, userId);
    const overlapping = await tx.homeMonitoringWeek.findFirst({ where: { userId, startedOn: { lte: endsOn }, endsOn: { gte: startedOn } } });
    if (overlapping) return { ok: false as const, problem: 'overlaps' as const };
    const row = await tx.homeMonitoringWeek.create({ data: { userId, startedOn, endsOn } });
    // A week started 7 days ago has already ended: its result is worked out at once.
    await finishEndedWeeks(tx, userId, now);
    const week = await tx.homeMonitoringWeek.findUniqueOrThrow({ where: { id: row.id } });
    return { ok: true as const, week: toWeek(week) };
  });
}

/** The first day a week may be ended early: day 4. */
export const earliestEndDay = (week: Pick<Week, 'startedOn'>): LondonDay => addDays(week.startedOn, EARLIEST_END_DAY - 1);

/** Whether the running week may be ended today. */
export function endProblem(week: Pick<Week, 'startedOn' | 'finishedAt'>, now: Date): WeekProblem | null {
  if (week.finishedAt) return 'finished';
  return londonDay(now) < earliestEndDay(week) ? 'too-early-to-end' : null;
}

/** Ends the citizen's running week today (from day 4) and works out its result. */
export async function endWeek(db: Db, userId: string, id: string, now: Date): Promise<{ ok: true; week: Week } | { ok: false; problem: WeekProblem } | null> {
  return db.$transaction(async (tx) => {
    await lockCitizen(tx, userId);
    await finishEndedWeeks(tx, userId, now);
    const row = await tx.homeMonitoringWeek.findFirst({ where: { id, userId } });
    if (!row) return null;
    const problem = endProblem(row, now);
    if (problem) return { ok: false as const, problem };
    const today = londonDay(now);
    const early = today < row.endsOn;
    const week = await workOut(tx, userId, row, { finishedAt: now, ...(early ? { endsOn: today, endedEarly: true } : {}) });
    return { ok: true as const, week };
  });
}

/**
 * After a reading was added, changed or deleted (inside the same transaction): works out
 * again every finished week that holds one of the days it touched. Returns those weeks.
 */
export async function workOutAgain(tx: Tx, userId: string, instants: readonly Date[], now: Date): Promise<Week[]> {
  const days = [...new Set(instants.map((instant) => londonDay(instant)))];
  if (days.length === 0) return [];
  await lockCitizen(tx, userId);
  const touched = await tx.homeMonitoringWeek.findMany({
    where: { userId, finishedAt: { not: null }, OR: days.map((day) => ({ startedOn: { lte: day }, endsOn: { gte: day } })) },
  });
  const again: Week[] = [];
  for (const week of touched) again.push(await workOut(tx, userId, week, { recalculatedAt: now }));
  return again;
}
