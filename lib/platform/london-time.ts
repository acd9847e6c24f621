/**
 * Citizens enter and read times on UK clocks, so days, mornings and evenings
 * are worked out in Europe/London time (GMT in winter, BST in summer), not UTC.
 */

const TIME_ZONE = 'Europe/London';

/** A calendar day on UK clocks, as YYYY-MM-DD. */
export type LondonDay = string;

export type WallClock = { year: number; month: number; day: number; hour: number; minute: number };

const partsFormat = new Intl.DateTimeFormat('en-GB', {
  timeZone: TIME_ZONE,
  hourCycle: 'h23',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
});

/** The wall clock in London at that instant, read by Intl (slow: only to learn an hour's offset). */
function intlParts(instant: Date) {
  const parts: Record<string, number> = {};
  for (const part of partsFormat.formatToParts(instant)) {
    if (part.type !== 'literal') parts[part.type] = Number(part.value);
  }
  return {
    year: parts.year!,
    month: parts.month!,
    day: parts.day!,
    hour: parts.hour!,
    minute: parts.minute!,
    second: parts.second!,
  };
}

const HOUR = 3_600_000;
/** Offsets already worked out (ms), by UTC hour since the epoch (bounded: cleared when full). */
const offsetByHour = new Map<number, number>();
const MAX_KEPT_OFFSETS = 100_000;
/**
 * Before 1848 London kept local mean time, 1 minute 15 seconds behind GMT, and changed to GMT at
 * a time that was not on a UTC hour: those instants are always asked of Intl.
 */
const GMT_SINCE = Date.UTC(1848, 0, 1);

/** Milliseconds UK clocks are ahead of UTC at that instant (ms since the epoch), asked of Intl. */
function offsetFromIntl(time: number): number {
  const p = intlParts(new Date(time));
  return Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second) - Math.floor(time / 1000) * 1000;
}

/**
 * Milliseconds UK clocks are ahead of UTC: 0 in winter, an hour in summer. Since 1848 the clocks
 * have only changed on the hour in UTC (01:00 now), so one answer holds for a whole UTC hour: it
 * is asked of Intl once and kept. Intl's formatToParts was the dearest thing on a page that
 * shows many dates and times (a table of readings), at every request.
 */
function offsetMs(time: number): number {
  if (time < GMT_SINCE) return offsetFromIntl(time);
  const hour = Math.floor(time / HOUR);
  let offset = offsetByHour.get(hour);
  if (offset === undefined) {
    offset = offsetFromIntl(time);
    if (offsetByHour.size >= MAX_KEPT_OFFSETS) offsetByHour.clear();
    offsetByHour.set(hour, offset);
  }
  return offset;
}

/** Minutes UK clocks are ahead of UTC at that instant: 0 in winter, 60 in summer. */
function offsetMinutes(instant: Date): number {
  return Math.round(offsetMs(instant.getTime()) / 60_000);
}

const DAY = 86_400_000;

/**
 * The calendar day and clock in UTC at `time` (ms since the epoch), by sums: the same as a Date's
 * getUTCFullYear() and the rest, without making a Date. Under Next.js every Date made goes
 * through its wrapper of the Date constructor (next/dist/server/node-environment-extensions/date.js),
 * about 1 us each against 0.09 without it: a page of readings made hundreds.
 *
 * Days since 1 March of year 0 are split into 400-year eras (146,097 days each), years of the
 * era and days of the year; counting from March puts the leap day last in the year.
 */
export function utcClock(time: number): WallClock & { second: number } {
  const days = Math.floor(time / DAY);
  const msOfDay = time - days * DAY;
  const fromMarch0 = days + 719_468; // 1970-01-01 is day 719,468 counted from 0000-03-01
  const era = Math.floor(fromMarch0 / 146_097);
  const dayOfEra = fromMarch0 - era * 146_097;
  const yearOfEra = Math.floor((dayOfEra - Math.floor(dayOfEra / 1460) + Math.floor(dayOfEra / 36_524) - Math.floor(dayOfEra / 146_096)) / 365);
  const dayOfYear = dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100));
  const monthFromMarch = Math.floor((5 * dayOfYear + 2) / 153);
  const month = monthFromMarch < 10 ? monthFromMarch + 3 : monthFromMarch - 9;
  return {
    year: era * 400 + yearOfEra + (month <= 2 ? 1 : 0),
    month,
    day: dayOfYear - Math.floor((153 * monthFromMarch + 2) / 5) + 1,
    hour: Math.floor(msOfDay / HOUR),
    minute: Math.floor(msOfDay / 60_000) % 60,
    second: Math.floor(msOfDay / 1000) % 60,
  };
}

/** The wall clock in London at that instant: UTC moved by the hour's offset. */
export function londonParts(instant: Date): WallClock & { second: number } {
  const time = instant.getTime();
  // An invalid date has no offset: Intl throws for it, as it always did.
  if (Number.isNaN(time)) return intlParts(instant);
  return londonClockAt(time);
}

function londonClockAt(time: number): WallClock & { second: number } {
  return utcClock(time + offsetMs(time));
}

/** The same as londonParts, asking Intl every time: for tests that check the two agree. */
export const londonPartsFromIntl = intlParts;

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

export function londonDay(instant: Date): LondonDay {
  const p = londonParts(instant);
  return `${pad(p.year, 4)}-${pad(p.month)}-${pad(p.day)}`;
}

export function londonHour(instant: Date): number {
  return londonParts(instant).hour;
}

/** ISO 8601 with the UK offset, e.g. 2026-07-01T08:30:00+01:00: FHIR dateTimes with a time need an offset. */
export function londonIsoDateTime(instant: Date): string {
  const p = londonParts(instant);
  const offset = offsetMinutes(instant);
  const sign = offset < 0 ? '-' : '+';
  const abs = Math.abs(offset);
  return (
    `${pad(p.year, 4)}-${pad(p.month)}-${pad(p.day)}T${pad(p.hour)}:${pad(p.minute)}:${pad(p.second)}` + `${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`
  );
}

/**
 * The instant a UK clock showed this time. In the hour the clocks go forward
 * (a time that never happened) the result is an hour later; in the hour they go
 * back (a time that happened twice) it is the first of the two.
 */
export function fromLondonWallClock(clock: WallClock): Date {
  const asUtc = Date.UTC(clock.year, clock.month - 1, clock.day, clock.hour, clock.minute);
  // UK clocks are only ever UTC or UTC+1, so the instant is one of these two.
  const shown = [asUtc - 60 * 60_000, asUtc].find((instant) => {
    const p = londonClockAt(instant);
    return p.day === clock.day && p.hour === clock.hour && p.minute === clock.minute;
  });
  return new Date(shown ?? asUtc);
}

/** The first instant of a UK calendar day (midnight on UK clocks). */
export function startOfLondonDay(day: LondonDay): Date {
  const [year, month, date] = day.split('-').map(Number) as [number, number, number];
  return fromLondonWallClock({ year, month, day: date, hour: 0, minute: 0 });
}

export function addDays(day: LondonDay, days: number): LondonDay {
  const [year, month, date] = day.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(year, month - 1, date + days)).toISOString().slice(0, 10);
}

/** Whole days from one calendar day to another (negative when `to` is earlier). */
export function daysBetween(from: LondonDay, to: LondonDay): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}
