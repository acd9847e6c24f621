/**
 * The programme's business case, against which active users are reported.
 * Break-even: 1,150 active users. Target: 7,500 active users (about 1% of the city).
 */
export const BUSINESS_CASE = { breakEven: 1150, target: 7500 } as const;

/**
 * An active user: a registered citizen who signed in at least once in the period.
 * The headline figure is the last 30 days; the trend counts each calendar month (UK time).
 */
export const ACTIVE_WINDOW_DAYS = 30;

export type Progress = 'below-break-even' | 'break-even' | 'target';

export function progressAgainstBusinessCase(active: number, businessCase = BUSINESS_CASE): Progress {
  if (active >= businessCase.target) return 'target';
  if (active >= businessCase.breakEven) return 'break-even';
  return 'below-break-even';
}

/** Whole per cent, rounded down so a figure never claims more than was reached. */
export function percentOf(value: number, of: number): number {
  if (of <= 0) return 0;
  return Math.floor((value / of) * 100);
}

/** The first instant of each of the last `count` calendar months in UK time, oldest first, plus the next month's start. */
export function monthStarts(now: Date, count: number): { start: Date; end: Date; key: string; label: string }[] {
  const uk = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', year: 'numeric', month: 'numeric' }).formatToParts(now);
  const year = Number(uk.find((part) => part.type === 'year')!.value);
  const month = Number(uk.find((part) => part.type === 'month')!.value) - 1;
  const months = [];
  for (let back = count - 1; back >= 0; back -= 1) {
    const startYear = year + Math.floor((month - back) / 12);
    const startMonth = (((month - back) % 12) + 12) % 12;
    const start = ukMidnight(startYear, startMonth);
    const end = ukMidnight(startYear + (startMonth === 11 ? 1 : 0), (startMonth + 1) % 12);
    const key = `${startYear}-${String(startMonth + 1).padStart(2, '0')}`;
    const label = new Intl.DateTimeFormat('en-GB', { timeZone: 'UTC', month: 'long', year: 'numeric' }).format(Date.UTC(startYear, startMonth, 15));
    months.push({ start, end, key, label });
  }
  return months;
}

/** 00:00 on the first of the month in Europe/London, as an instant (GMT or BST). */
function ukMidnight(year: number, monthIndex: number): Date {
  const utcGuess = Date.UTC(year, monthIndex, 1);
  const hourThere = Number(new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', hour: 'numeric', hourCycle: 'h23' }).format(utcGuess));
  // At UTC midnight on the 1st, London shows 00:00 (GMT) or 01:00 (BST).
  return new Date(utcGuess - hourThere * 3_600_000);
}
