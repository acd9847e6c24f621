import { queueContribution } from '@/lib/care-record/public';
import { Prisma, type BloodPressureReading as ReadingModel } from '@/lib/generated/sqlite/client';
import type { Db, Tx } from '@/lib/platform/db';
import { directReads, rowOf, selectList, type Columns } from '@/lib/platform/direct-reads';
import { type ChartData, type ChartRange, type MonthAverage, bloodPressureChartData, monthlyChartData } from './chart';
import { VERY_HIGH } from './guidance';
import { fromLondonWallClock, londonDay } from '@/lib/platform/london-time';
import type { Arm, BloodPressureReading, NewReadings } from './reading';
import { workOutAgain, type Week } from './weeks';

/**
 * Readings in the database. Every query names the citizen (userId) and leaves
 * deleted readings out, so one citizen can never reach another's readings, and
 * uses the (userId, deletedAt, measuredAt) index. Nothing loads all of a
 * citizen's readings at once: pages, the chart and the CSV are all bounded.
 */

export type StoredReading = BloodPressureReading & { id: string; pairId?: string };

export const PAGE_SIZE = 20;

/** Above this many readings in a chart range, the database averages each month instead of sending rows. */
export const CHART_ROW_LIMIT = 2_000;

const readingColumns = {
  id: true,
  measuredAt: true,
  systolic: true,
  diastolic: true,
  pulse: true,
  arm: true,
  sitting: true,
  pairId: true,
} as const;

type Row = Pick<ReadingModel, keyof typeof readingColumns>;

/** The same columns, for reading directly (lib/platform/direct-reads.ts). */
const readingKinds: Columns<Row> = {
  id: 'text',
  measuredAt: 'date',
  systolic: 'int',
  diastolic: 'int',
  pulse: 'int?',
  arm: 'text',
  sitting: 'bool',
  pairId: 'text?',
};

function toReading(row: Row): StoredReading {
  return {
    id: row.id,
    measuredAt: row.measuredAt,
    systolic: row.systolic,
    diastolic: row.diastolic,
    ...(row.pulse === null ? {} : { pulse: row.pulse }),
    arm: row.arm === 'right' ? 'right' : ('left' satisfies Arm),
    sitting: row.sitting,
    ...(row.pairId ? { pairId: row.pairId } : {}),
  };
}

/** What the change history keeps of a reading: numbers and choices, never free text. */
function snapshot(reading: BloodPressureReading): string {
  return JSON.stringify({
    measuredAt: reading.measuredAt.toISOString(),
    systolic: reading.systolic,
    diastolic: reading.diastolic,
    pulse: reading.pulse ?? null,
    arm: reading.arm,
    sitting: reading.sitting,
  });
}

const mine = (userId: string) => ({ userId, deletedAt: null });

/** What a reading's change did to finished home-monitoring weeks: those worked out again (the citizen is told). */
export type WeeksWorkedOutAgain = { workedOutAgain: Week[] };

type AddedReadings = { readings: StoredReading[] } & WeeksWorkedOutAgain;

/**
 * Saves one reading, or two taken a minute apart (they share a pairId). Returns the saved readings.
 * With `takeAnswers` (taking the citizen's kept answers, in the same transaction), nothing is
 * saved and the answer is null when the answers were already used: a form sent twice saves once.
 */
export function addReadings(db: Db, userId: string, readings: NewReadings, now?: Date): Promise<AddedReadings>;
export function addReadings(
  db: Db,
  userId: string,
  readings: NewReadings,
  now: Date,
  takeAnswers: (tx: Tx) => Promise<boolean>,
  source?: ReadingSource,
): Promise<AddedReadings | null>;
export async function addReadings(
  db: Db,
  userId: string,
  readings: NewReadings,
  now = new Date(),
  takeAnswers?: (tx: Tx) => Promise<boolean>,
  source: ReadingSource = {},
): Promise<AddedReadings | null> {
  return db.$transaction(async (tx) => {
    if (takeAnswers && !(await takeAnswers(tx))) return null;
    return addReadingsInTransaction(tx, userId, readings, now, source);
  });
}

/**
 * Who added readings when the citizen did not type them in themselves: an app they connected
 * (its App.id), or someone acting for them (lib/proxy: their name and how they are related),
 * which their care team sees beside the reading.
 */
export type ReadingSource = { appId?: string; enteredBy?: { name: string; relationship: string } };

/**
 * addReadings inside the caller's transaction, for a caller that writes more in the same
 * transaction (the open platform API records the app in the audit log too), from `source`.
 */
export async function addReadingsInTransaction(tx: Tx, userId: string, readings: NewReadings, now: Date, source: ReadingSource = {}): Promise<AddedReadings> {
  const saved: StoredReading[] = [];
  let pairId: string | null = null;
  for (const reading of readings) {
    const row: Row = await tx.bloodPressureReading.create({
      data: {
        userId,
        measuredAt: reading.measuredAt,
        systolic: reading.systolic,
        diastolic: reading.diastolic,
        pulse: reading.pulse ?? null,
        arm: reading.arm,
        sitting: reading.sitting,
        pairId,
        addedByAppId: source.appId ?? null,
        enteredByName: source.enteredBy?.name ?? null,
        enteredByRelationship: source.enteredBy?.relationship ?? null,
      },
      select: readingColumns,
    });
    if (readings.length === 2 && pairId === null) {
      // The first reading's id names the pair.
      pairId = row.id;
      await tx.bloodPressureReading.update({ where: { id: row.id }, data: { pairId } });
      row.pairId = pairId;
    }
    await tx.bloodPressureReadingChange.create({ data: { readingId: row.id, userId, action: 'added', after: snapshot(reading) } });
    await queueContribution(tx, userId, 'blood-pressure-reading', row.id, now);
    saved.push(toReading(row));
  }
  return {
    readings: saved,
    workedOutAgain: await workOutAgain(
      tx,
      userId,
      readings.map((reading) => reading.measuredAt),
      now,
    ),
  };
}

/** One of this citizen's own readings, or null: another citizen's reading is "not found", never shown. */
export async function findOwnReading(db: Db, userId: string, id: string): Promise<StoredReading | null> {
  const row = await db.bloodPressureReading.findFirst({ where: { id, ...mine(userId) }, select: readingColumns });
  return row ? toReading(row) : null;
}

/** Changes one of the citizen's own readings; null when there is no such reading of theirs. */
export async function changeReading(db: Db, userId: string, id: string, reading: BloodPressureReading, now = new Date()): Promise<WeeksWorkedOutAgain | null> {
  return db.$transaction(async (tx) => {
    const before = await tx.bloodPressureReading.findFirst({ where: { id, ...mine(userId) }, select: readingColumns });
    if (!before) return null;
    // updateMany with the owner and "not deleted" in the condition: a delete that wins a race is not undone.
    const { count } = await tx.bloodPressureReading.updateMany({
      where: { id, ...mine(userId) },
      data: {
        measuredAt: reading.measuredAt,
        systolic: reading.systolic,
        diastolic: reading.diastolic,
        pulse: reading.pulse ?? null,
        arm: reading.arm,
        sitting: reading.sitting,
      },
    });
    if (count === 0) return null;
    await tx.bloodPressureReadingChange.create({
      data: { readingId: id, userId, action: 'changed', before: snapshot(toReading(before)), after: snapshot(reading) },
    });
    await queueContribution(tx, userId, 'blood-pressure-reading', id, now);
    // The week it was in, and the week it moved to.
    return { workedOutAgain: await workOutAgain(tx, userId, [before.measuredAt, reading.measuredAt], now) };
  });
}

/** Deletes one of the citizen's own readings (kept, marked deleted, for the history); null when there is no such reading. */
export async function deleteReading(db: Db, userId: string, id: string, now = new Date()): Promise<WeeksWorkedOutAgain | null> {
  return db.$transaction(async (tx) => {
    const before = await tx.bloodPressureReading.findFirst({ where: { id, ...mine(userId) }, select: readingColumns });
    if (!before) return null;
    const { count } = await tx.bloodPressureReading.updateMany({ where: { id, ...mine(userId) }, data: { deletedAt: now } });
    if (count === 0) return null;
    await tx.bloodPressureReadingChange.create({ data: { readingId: id, userId, action: 'deleted', before: snapshot(toReading(before)) } });
    // Withdrawn from the care record (entered-in-error) when the message is sent.
    await queueContribution(tx, userId, 'blood-pressure-reading', id, now);
    return { workedOutAgain: await workOutAgain(tx, userId, [before.measuredAt], now) };
  });
}

export type ReadingChange = { action: string; at: Date; before?: BloodPressureReading; after?: BloodPressureReading };

/** The history of one of the citizen's readings (deleted ones too), oldest first. */
export async function readingHistory(db: Db, userId: string, readingId: string): Promise<ReadingChange[]> {
  const rows = await db.bloodPressureReadingChange.findMany({ where: { userId, readingId }, orderBy: [{ at: 'asc' }, { id: 'asc' }] });
  const parse = (text: string | null): BloodPressureReading | undefined => {
    if (!text) return undefined;
    const value = JSON.parse(text) as Omit<BloodPressureReading, 'measuredAt' | 'pulse'> & { measuredAt: string; pulse: number | null };
    const { pulse, ...rest } = value;
    return { ...rest, measuredAt: new Date(value.measuredAt), ...(pulse === null ? {} : { pulse }) };
  };
  return rows.map((row) => ({
    action: row.action,
    at: row.at,
    ...(row.before ? { before: parse(row.before) } : {}),
    ...(row.after ? { after: parse(row.after) } : {}),
  }));
}

/** Where a range starts, or undefined for all readings. */
export function rangeStart(range: ChartRange, now: Date): Date | undefined {
  if (range === 'all') return undefined;
  return new Date(now.getTime() - (range === '30-days' ? 30 : 90) * 86_400_000);
}

function inRange(userId: string, range: ChartRange, now: Date) {
  const since = rangeStart(range, now);
  return { ...mine(userId), measuredAt: { ...(since ? { gt: since } : {}), lte: now } };
}

/** The page asked for, brought within 1 to the last page (1 when there are no readings). */
function pageOf(asked: number, total: number, pageSize: number): { page: number; pageCount: number } {
  const pageCount = Math.max(1, Math.ceil(total / pageSize));
  return { page: Math.min(Math.max(1, Math.floor(asked) || 1), pageCount), pageCount };
}

export type ReadingsPage = {
  readings: StoredReading[];
  /** 1-based; a page past the end is brought back to the last page. */
  page: number;
  pageCount: number;
  total: number;
};

/** One page of the citizen's readings in a range, newest first (`total`: how many the range holds, when already counted). */
export async function readingsPage(
  db: Db,
  userId: string,
  options: { range: ChartRange; page: number; now: Date; pageSize?: number; total?: number },
): Promise<ReadingsPage> {
  const pageSize = options.pageSize ?? PAGE_SIZE;
  const where = inRange(userId, options.range, options.now);
  const total = options.total ?? (await db.bloodPressureReading.count({ where }));
  const { page, pageCount } = pageOf(options.page, total, pageSize);
  const rows = await db.bloodPressureReading.findMany({
    where,
    select: readingColumns,
    orderBy: [{ measuredAt: 'desc' }, { id: 'desc' }],
    skip: (page - 1) * pageSize,
    take: pageSize,
  });
  return { readings: rows.map(toReading), page, pageCount, total };
}

/** When readings were measured, for a search: from (inclusive) and before (exclusive), either or both. */
export type MeasuredBetween = { from?: Date; before?: Date };

/**
 * A page of the citizen's readings measured in a window, newest first, with how many there are
 * in all (the open platform API's search). Future readings are not left out: a search finds
 * what is stored.
 */
export async function findReadings(
  db: Db,
  userId: string,
  query: MeasuredBetween & { skip: number; take: number },
): Promise<{ readings: StoredReading[]; total: number }> {
  const where = {
    ...mine(userId),
    ...(query.from || query.before ? { measuredAt: { ...(query.from ? { gte: query.from } : {}), ...(query.before ? { lt: query.before } : {}) } } : {}),
  };
  const total = await db.bloodPressureReading.count({ where });
  const rows =
    query.take > 0 && query.skip < total
      ? await db.bloodPressureReading.findMany({
          where,
          select: readingColumns,
          orderBy: [{ measuredAt: 'desc' }, { id: 'desc' }],
          skip: query.skip,
          take: query.take,
        })
      : [];
  return { readings: rows.map(toReading), total };
}

const LATEST_READING = `SELECT ${selectList('r', readingKinds)} FROM "BloodPressureReading" r
  WHERE r."userId" = ? AND r."deletedAt" IS NULL AND r."measuredAt" <= ?
  ORDER BY r."measuredAt" DESC, r."id" DESC LIMIT 1`;
const LATEST_VERY_HIGH_READING = `SELECT ${selectList('r', readingKinds)} FROM "BloodPressureReading" r
  WHERE r."userId" = ? AND r."deletedAt" IS NULL AND r."measuredAt" >= ? AND r."measuredAt" <= ?
    AND (r."systolic" >= ${VERY_HIGH.systolic} OR r."diastolic" >= ${VERY_HIGH.diastolic})
  ORDER BY r."measuredAt" DESC, r."id" DESC LIMIT 1`;

/** The citizen's most recent reading, if any: read directly, as the overview reads it on every view. */
export async function latestReading(db: Db, userId: string, now = new Date()): Promise<StoredReading | null> {
  const [row] = await directReads(db).rows(LATEST_READING, [userId, now]);
  return row ? toReading(rowOf(readingKinds, row)) : null;
}

/**
 * The most recent very high reading (180 or more, or 120 or more) taken since `since`,
 * if any: the overview keeps its urgent advice up while one is from the last 24 hours.
 * Read directly, as the overview reads it on every view.
 */
export async function latestVeryHighReading(db: Db, userId: string, since: Date, now: Date): Promise<StoredReading | null> {
  const [row] = await directReads(db).rows(LATEST_VERY_HIGH_READING, [userId, since, now]);
  return row ? toReading(rowOf(readingKinds, row)) : null;
}

/**
 * The chart for a range. Up to CHART_ROW_LIMIT readings (over 2 years of
 * twice-daily readings) come as rows of three numbers and chart.ts groups
 * them; beyond that the database averages each calendar month (monthlyAverages),
 * so years of readings never travel.
 */
export async function chartData(db: Db, userId: string, range: ChartRange, now: Date, knownTotal?: number): Promise<ChartData> {
  const where = inRange(userId, range, now);
  const total = knownTotal ?? (await db.bloodPressureReading.count({ where }));
  if (total <= CHART_ROW_LIMIT) {
    const rows = await db.bloodPressureReading.findMany({
      where,
      select: { systolic: true, diastolic: true, measuredAt: true },
      // The id breaks ties, as readingsWithChart orders them: the same points in the same order.
      orderBy: [{ measuredAt: 'asc' }, { id: 'asc' }],
      take: CHART_ROW_LIMIT,
    });
    return bloodPressureChartData(rows, range, now);
  }
  return monthlyChartData(await monthlyAverages(db, userId, range, now), range, now);
}

/**
 * The range's readings averaged by UK calendar month (GMT or BST), oldest month first, months
 * without readings left out: one query for the oldest reading, then one that averages every month
 * at once. The month is a CASE over the months' ends (as the benefits report counts by month), so
 * the same query serves SQLite and PostgreSQL; it was one aggregate query a month (60 for five years).
 */
async function monthlyAverages(db: Db, userId: string, range: ChartRange, now: Date): Promise<MonthAverage[]> {
  const where = inRange(userId, range, now);
  const oldest = await db.bloodPressureReading.findFirst({ where, select: { measuredAt: true }, orderBy: { measuredAt: 'asc' } });
  const months = monthsBetween(oldest?.measuredAt ?? now, now);
  const since = rangeStart(range, now);
  const month = Prisma.join(
    months.map((candidate) => Prisma.sql`WHEN "measuredAt" < ${candidate.end} THEN CAST(${candidate.month} AS TEXT)`),
    ' ',
  );
  // AVG is a float on SQLite and a numeric (a Decimal here) on PostgreSQL, COUNT a bigint there: all made numbers.
  // Only months with readings come back, so neither average is ever null.
  const rows = await db.$queryRaw<{ month: string; systolic: unknown; diastolic: unknown; readingCount: number | bigint }[]>`
    SELECT CASE ${month} END AS "month", AVG("systolic") AS "systolic", AVG("diastolic") AS "diastolic", COUNT(*) AS "readingCount"
    FROM "BloodPressureReading"
    WHERE "userId" = ${userId} AND "deletedAt" IS NULL
      AND "measuredAt" >= ${months[0]!.start} AND "measuredAt" <= ${now}
      AND ${since ? Prisma.sql`"measuredAt" > ${since}` : Prisma.sql`1 = 1`}
    GROUP BY 1`;
  const byMonth = new Map(rows.map((row) => [row.month, row]));
  return months.flatMap(({ month: key }) => {
    const row = byMonth.get(key);
    if (!row) return [];
    return [{ month: key, systolic: Number(row.systolic), diastolic: Number(row.diastolic), readingCount: Number(row.readingCount) }];
  });
}

/**
 * A page of the readings in a range and the range's chart (the readings pages): the same as
 * readingsPage and chartData, in one query when the chart draws every reading. The range's
 * readings, oldest first with the id breaking ties, are then both the chart's points and, the
 * other way round, the list (newest first, then the id from the highest). Only above
 * CHART_ROW_LIMIT readings are they counted, listed and averaged by month as those functions do.
 */
export async function readingsWithChart(
  db: Db,
  userId: string,
  options: { range: ChartRange; page: number; now: Date },
): Promise<{ list: ReadingsPage; chart: ChartData }> {
  const where = inRange(userId, options.range, options.now);
  const rows = await chartRangeRows(db, userId, options.range, options.now);
  if (rows.length <= CHART_ROW_LIMIT) {
    const total = rows.length;
    const { page, pageCount } = pageOf(options.page, total, PAGE_SIZE);
    const newestFirst = rows.slice(Math.max(0, total - page * PAGE_SIZE), total - (page - 1) * PAGE_SIZE).reverse();
    return {
      list: { readings: newestFirst.map(toReading), page, pageCount, total },
      chart: bloodPressureChartData(rows, options.range, options.now),
    };
  }
  const total = await db.bloodPressureReading.count({ where });
  const [list, chart] = await Promise.all([readingsPage(db, userId, { ...options, total }), chartData(db, userId, options.range, options.now, total)]);
  return { list, chart };
}

const CHART_RANGE_FROM = `SELECT ${selectList('r', readingKinds)} FROM "BloodPressureReading" r
  WHERE r."userId" = ? AND r."deletedAt" IS NULL AND r."measuredAt" > ? AND r."measuredAt" <= ?
  ORDER BY r."measuredAt", r."id" LIMIT ${CHART_ROW_LIMIT + 1}`;
const CHART_RANGE_ALL = `SELECT ${selectList('r', readingKinds)} FROM "BloodPressureReading" r
  WHERE r."userId" = ? AND r."deletedAt" IS NULL AND r."measuredAt" <= ?
  ORDER BY r."measuredAt", r."id" LIMIT ${CHART_ROW_LIMIT + 1}`;

/**
 * The readings of a chart range, oldest first, up to one more than CHART_ROW_LIMIT: what
 * findMany({ where: inRange(...), select: readingColumns, orderBy: measuredAt then id, take })
 * gives, read directly (lib/platform/direct-reads.ts), as the readings page reads it on every view.
 */
export async function chartRangeRows(db: Db, userId: string, range: ChartRange, now: Date): Promise<Row[]> {
  const since = rangeStart(range, now);
  const rows = await directReads(db).rows(since ? CHART_RANGE_FROM : CHART_RANGE_ALL, since ? [userId, since, now] : [userId, now]);
  return rows.map((row) => rowOf(readingKinds, row));
}

/** Calendar months on UK clocks from the one holding `from` to the one holding `to`, with their start and end instants. */
export function monthsBetween(from: Date, to: Date): { month: string; start: Date; end: Date }[] {
  const startOf = (year: number, month: number) => fromLondonWallClock({ year, month, day: 1, hour: 0, minute: 0 });
  const [lastYear, lastMonth] = londonDay(to).split('-').map(Number) as [number, number];
  let [year, month] = londonDay(from).split('-').map(Number) as [number, number];
  const months: { month: string; start: Date; end: Date }[] = [];
  while (year < lastYear || (year === lastYear && month <= lastMonth)) {
    const next = month === 12 ? { year: year + 1, month: 1 } : { year, month: month + 1 };
    months.push({ month: `${year}-${String(month).padStart(2, '0')}`, start: startOf(year, month), end: startOf(next.year, next.month) });
    ({ year, month } = next);
  }
  return months;
}

/**
 * All of a citizen's readings, oldest first, in batches (keyset pagination on
 * measuredAt and id), for the CSV download: memory stays bounded however many there are.
 */
export async function* allReadingsInBatches(db: Db, userId: string, batchSize = 500): AsyncGenerator<StoredReading[]> {
  let after: { measuredAt: Date; id: string } | undefined;
  for (;;) {
    const rows = await db.bloodPressureReading.findMany({
      where: {
        ...mine(userId),
        ...(after ? { OR: [{ measuredAt: { gt: after.measuredAt } }, { measuredAt: after.measuredAt, id: { gt: after.id } }] } : {}),
      },
      select: readingColumns,
      orderBy: [{ measuredAt: 'asc' }, { id: 'asc' }],
      take: batchSize,
    });
    if (rows.length === 0) return;
    yield rows.map(toReading);
    const last = rows.at(-1)!;
    after = { measuredAt: last.measuredAt, id: last.id };
    if (rows.length < batchSize) return;
  }
}
