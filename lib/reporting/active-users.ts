import { postToDigitalSwitchCount } from '@/lib/contact-details/public';
import { toCsv } from '@/lib/platform/csv';
import type { Db } from '@/lib/platform/db';
import { ACTIVE_WINDOW_DAYS, BUSINESS_CASE, monthStarts, percentOf, progressAgainstBusinessCase, type Progress } from './business-case';

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

/** Registered citizens who signed in within [from, to): counted in the database, never loaded one by one. */
async function activeBetween(db: Db, from: Date, to: Date): Promise<number> {
  const groups = await db.signInEvent.groupBy({
    by: ['userId'],
    where: { at: { gte: from, lt: to }, outcome: 'signed-in', user: { registeredAt: { not: null } } },
  });
  return groups.length;
}

/** Aggregates only: no citizen is named or identifiable in the report. */
export async function activeUsersReport(db: Db, now = new Date(), monthsBack = 12): Promise<ActiveUsersReport> {
  const end = new Date(now.getTime() + 1);
  const [registered, active, activeLast7Days, switchedFromPost] = await Promise.all([
    db.user.count({ where: { registeredAt: { not: null } } }),
    activeBetween(db, new Date(now.getTime() - ACTIVE_WINDOW_DAYS * DAY), end),
    activeBetween(db, new Date(now.getTime() - 7 * DAY), end),
    postToDigitalSwitchCount(db, undefined, end),
  ]);
  const months: MonthFigures[] = [];
  for (const month of monthStarts(now, monthsBack)) {
    months.push({
      key: month.key,
      label: month.label,
      active: await activeBetween(db, month.start, month.end),
      registered: await db.user.count({ where: { registeredAt: { gte: month.start, lt: month.end } } }),
    });
  }
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
