import { postToDigitalSwitchCount } from '@/lib/contact-details/public';
import { toCsv } from '@/lib/platform/csv';
import { Prisma } from '@/lib/generated/sqlite/client';
import type { Db } from '@/lib/platform/db';
import { addDays, londonDay, startOfLondonDay, type LondonDay } from '@/lib/platform/london-time';
import { ACTIVE_WINDOW_DAYS, BUSINESS_CASE, monthStarts, percentOf, progressAgainstBusinessCase, type Progress } from './business-case';
import { rolledUpBefore } from './rollup';

export type MonthFigures = { key: string; label: string; active: number; registered: number };

export type ActiveUsersReport = {
  generatedAt: Date;
  registered: number;
  active: number;
  activeLast7Days: number;
  /** Benefits: people who moved from letters by post to email, text or the service only (ever). */
  switchedFromPost: number;
  progress: Progress;
  percentOfBreakEven: number;
  percentOfTarget: number;
  breakEven: number;
  target: number;
  months: MonthFigures[];
};

const DAY = 86_400_000;

type Period = { key: string; from: Date; to: Date };

/**
 * Registered citizens who signed in within each period [from, to): one query, counted in the
 * database, never loaded one by one. Whole UK days the rollup has reached come from it; the rest
 * (the part-days at either end of a period, and the time since the rollup's last run) from the
 * sign-ins themselves, so the figures are exact whether or not the worker has caught up.
 */
async function activeIn(db: Db, periods: Period[], rolledUpBefore: LondonDay | null): Promise<Map<string, number>> {
  const people = periods.flatMap((period) => whoSignedIn(period, rolledUpBefore));
  // Whether a person counts is decided now, not when they signed in: someone who finishes
  // registering counts for the days they signed in before that.
  const rows = await db.$queryRaw<{ period: string; people: number | bigint }[]>`
    SELECT p."period", COUNT(DISTINCT p."userId") AS "people"
    FROM (${Prisma.join(people, ' UNION ALL ')}) AS p
    JOIN "User" u ON u."id" = p."userId"
    WHERE u."registeredAt" IS NOT NULL
    GROUP BY p."period"`;
  return new Map(rows.map((row) => [row.period, Number(row.people)]));
}

/**
 * Registered citizens who signed in within each of these calendar months, which the rollup holds
 * whole: a person is in UserActiveMonth once a month, so the rows are counted, with no DISTINCT.
 * The months are consecutive, so one range of the primary key.
 */
async function activeInMonths(db: Db, months: { key: string }[]): Promise<Map<string, number>> {
  if (months.length === 0) return new Map();
  const rows = await db.$queryRaw<{ month: string; people: number | bigint }[]>`
    SELECT m."month", COUNT(*) AS "people"
    FROM "UserActiveMonth" m
    WHERE m."month" >= ${months[0]!.key} AND m."month" <= ${months[months.length - 1]!.key}
      AND EXISTS (SELECT 1 FROM "User" u WHERE u."id" = m."userId" AND u."registeredAt" IS NOT NULL)
    GROUP BY m."month"`;
  return new Map(rows.map((row) => [`month-${row.month}`, Number(row.people)]));
}

/** The sources of one period's people, each an indexed range. */
function whoSignedIn({ key, from, to }: Period, rolledUpBefore: LondonDay | null): Prisma.Sql[] {
  const signIns = (start: Date, end: Date) =>
    Prisma.sql`SELECT CAST(${key} AS TEXT) AS "period", e."userId" FROM "SignInEvent" e WHERE e."outcome" = 'signed-in' AND e."at" >= ${start} AND e."at" < ${end}`;
  const fromDay = londonDay(from);
  const firstWholeDay = startOfLondonDay(fromDay).getTime() === from.getTime() ? fromDay : addDays(fromDay, 1);
  // Days before the one `to` falls in end by `to`; of those, the rollup has the ones before its watermark.
  const toDay = londonDay(to);
  const endDay = rolledUpBefore !== null && rolledUpBefore < toDay ? rolledUpBefore : toDay;
  if (rolledUpBefore === null || firstWholeDay >= endDay) return [signIns(from, to)];
  return [
    signIns(from, startOfLondonDay(firstWholeDay)),
    Prisma.sql`SELECT CAST(${key} AS TEXT) AS "period", d."userId" FROM "UserActiveDay" d WHERE d."day" >= ${firstWholeDay} AND d."day" < ${endDay}`,
    signIns(startOfLondonDay(endDay), to),
  ];
}

/** New registrations in each month: one query over the registeredAt index. */
async function registeredIn(db: Db, months: { key: string; start: Date; end: Date }[]): Promise<Map<string, number>> {
  if (months.length === 0) return new Map();
  // Months are in order, so the first whose end is after the registration is its month.
  const month = Prisma.join(
    months.map((candidate) => Prisma.sql`WHEN u."registeredAt" < ${candidate.end} THEN CAST(${candidate.key} AS TEXT)`),
    ' ',
  );
  const rows = await db.$queryRaw<{ period: string; people: number | bigint }[]>`
    SELECT CASE ${month} END AS "period", COUNT(*) AS "people"
    FROM "User" u
    WHERE u."registeredAt" >= ${months[0]!.start} AND u."registeredAt" < ${months[months.length - 1]!.end}
      AND u."heldForPersonSince" IS NULL
    GROUP BY "period"`;
  return new Map(rows.map((row) => [row.period, Number(row.people)]));
}

/** Aggregates only: no citizen is named or identifiable in the report. */
export async function activeUsersReport(db: Db, now = new Date(), monthsBack = 12): Promise<ActiveUsersReport> {
  const end = new Date(now.getTime() + 1);
  const calendarMonths = monthStarts(now, monthsBack);
  const rolledUp = await rolledUpBefore(db);
  // Months the rollup holds whole are counted from its months; the rest as any other period.
  const wholeMonths = calendarMonths.filter((month) => rolledUp !== null && londonDay(month.end) <= rolledUp);
  const periods: Period[] = [
    { key: 'active', from: new Date(now.getTime() - ACTIVE_WINDOW_DAYS * DAY), to: end },
    { key: 'last-7-days', from: new Date(now.getTime() - 7 * DAY), to: end },
    ...calendarMonths.filter((month) => !wholeMonths.includes(month)).map((month) => ({ key: `month-${month.key}`, from: month.start, to: month.end })),
  ];
  const [registered, activePeople, activeInWholeMonths, registrations, switchedFromPost] = await Promise.all([
    // A record held for someone who has not signed in (a child's, lib/proxy) is nobody's registration.
    db.user.count({ where: { registeredAt: { not: null }, heldForPersonSince: null } }),
    activeIn(db, periods, rolledUp),
    activeInMonths(db, wholeMonths),
    registeredIn(db, calendarMonths),
    postToDigitalSwitchCount(db, undefined, end),
  ]);
  for (const [key, people] of activeInWholeMonths) activePeople.set(key, people);
  const active = activePeople.get('active') ?? 0;
  const activeLast7Days = activePeople.get('last-7-days') ?? 0;
  const months: MonthFigures[] = calendarMonths.map((month) => ({
    key: month.key,
    label: month.label,
    active: activePeople.get(`month-${month.key}`) ?? 0,
    registered: registrations.get(month.key) ?? 0,
  }));
  return {
    generatedAt: now,
    registered,
    active,
    activeLast7Days,
    switchedFromPost,
    progress: progressAgainstBusinessCase(active),
    percentOfBreakEven: percentOf(active, BUSINESS_CASE.breakEven),
    percentOfTarget: percentOf(active, BUSINESS_CASE.target),
    breakEven: BUSINESS_CASE.breakEven,
    target: BUSINESS_CASE.target,
    months: months.reverse(),
  };
}

/** The monthly figures as CSV (numbers and month names only). */
export function activeUsersCsv(report: ActiveUsersReport): string {
  return toCsv([['month', 'active_users', 'new_registrations'], ...report.months.map((month) => [month.key, month.active, month.registered])]);
}
