import { addDays, daysBetween, londonDay, londonHour, type LondonDay } from '@/lib/platform/london-time';

/**
 * A home-monitoring week as NICE NG136 (1.2.6) describes it: for each
 * recording, two seated measurements at least a minute apart; twice a day,
 * ideally morning and evening; for at least 4 days, ideally 7; the first
 * day's measurements are left out and the rest averaged.
 *
 * How we read that here:
 * - The week is 7 calendar days on UK clocks, from the day the citizen started it
 *   (or fewer, when they end it early: from day 4). Readings after its last day
 *   belong to no week. lib/blood-pressure/weeks.ts keeps each week and its result.
 * - Morning is before 12:00, evening is 12:00 or later.
 * - A day counts when it has at least 2 morning and 2 evening readings.
 * - "At least 4 days" includes the first day, which is left out; so the average
 *   is shown once days 2 to 7 have at least 3 days that count. Day 1 needs no
 *   readings: it is left out either way.
 * - Every seated reading from days 2 to 7 is averaged, even on days that do not
 *   count (NICE averages "all the remaining measurements"). Readings taken
 *   standing or lying down are not part of the protocol and are left out.
 * - The average is rounded to the nearest whole mmHg (halves up), the precision
 *   of the readings; its meaning is judged on the rounded numbers, so the words
 *   always match the numbers shown.
 */

export const DAYS_IN_WEEK = 7;
export const DAYS_THAT_COUNT_NEEDED = 3;
const READINGS_PER_SESSION = 2;
const EVENING_STARTS_AT_HOUR = 12;

export type MonitoringReading = { systolic: number; diastolic: number; measuredAt: Date; sitting?: boolean };

/** The earliest day a citizen may end their week: by then days 2 and 3 may count, and day 4 can. */
export const EARLIEST_END_DAY = 4;

export type MonitoringDay = {
  date: LondonDay;
  /** 1 to 7. */
  dayNumber: number;
  /** Day 1: its readings are left out of the average. */
  leftOut: boolean;
  morningReadings: number;
  eveningReadings: number;
  /** Readings still to take for the day to count (0 on the practice day). */
  morningStillNeeded: number;
  eveningStillNeeded: number;
  /** Two morning and two evening readings. */
  counts: boolean;
  /** Still to come (after today). */
  later: boolean;
};

export type HomeAverage = {
  systolic: number;
  diastolic: number;
  /** How many readings were averaged. */
  readingCount: number;
  from: Date;
  to: Date;
};

export type MonitoringStatus =
  /** No readings yet. */
  | 'not-started'
  /** Not enough days yet, and still time to get them. */
  | 'in-progress'
  /** Enough days for an average; the week can go on to 7 days. */
  | 'average-ready'
  /** All of days 2 to 7 count. */
  | 'complete'
  /** Too few days left in the week to get enough. */
  | 'not-enough-time';

/** Ways the readings so far differ from the protocol, for gentle reminders. */
export type ProtocolReminder = 'only-mornings' | 'only-evenings' | 'single-readings' | 'not-sitting';

export type HomeMonitoringWeek<R extends MonitoringReading = MonitoringReading> = {
  status: MonitoringStatus;
  startedOn: LondonDay;
  /** The last day: day 7, or the day the citizen ended the week. */
  endsOn: LondonDay;
  days: MonitoringDay[];
  daysThatCount: number;
  /** More days that count needed before an average can be shown. */
  daysStillNeeded: number;
  /** Days left in the week, today included. */
  daysLeft: number;
  average?: HomeAverage;
  /** The readings the average is made of (seated, days 2 to the last), even before there are enough. */
  averaged: R[];
  reminders: ProtocolReminder[];
};

function averageOf(readings: MonitoringReading[]): HomeAverage {
  const total = readings.reduce((sum, reading) => ({ systolic: sum.systolic + reading.systolic, diastolic: sum.diastolic + reading.diastolic }), {
    systolic: 0,
    diastolic: 0,
  });
  const times = readings.map((reading) => reading.measuredAt.getTime());
  return {
    systolic: Math.round(total.systolic / readings.length),
    diastolic: Math.round(total.diastolic / readings.length),
    readingCount: readings.length,
    from: new Date(Math.min(...times)),
    to: new Date(Math.max(...times)),
  };
}

/**
 * Progress through a home-monitoring week. `startedOn` is the day the citizen
 * started; when not given, the day of the earliest reading. `endsOn` is its last
 * day when ended early (day 7 otherwise). Readings outside the week are ignored,
 * so callers may pass a wider window.
 */
export function homeMonitoringWeek<R extends MonitoringReading>(
  readings: readonly R[],
  options: { now: Date; startedOn?: LondonDay; endsOn?: LondonDay },
): HomeMonitoringWeek<R> {
  const earliest = readings.reduce<Date | undefined>(
    (soFar, reading) => (soFar === undefined || reading.measuredAt < soFar ? reading.measuredAt : soFar),
    undefined,
  );
  const startedOn = options.startedOn ?? londonDay(earliest ?? options.now);
  const length = Math.min(DAYS_IN_WEEK, Math.max(1, options.endsOn ? daysBetween(startedOn, options.endsOn) + 1 : DAYS_IN_WEEK));
  const endsOn = addDays(startedOn, length - 1);
  const today = londonDay(options.now);

  const inWeek = readings
    .map((reading) => ({ reading, dayNumber: daysBetween(startedOn, londonDay(reading.measuredAt)) + 1 }))
    .filter(({ dayNumber }) => dayNumber >= 1 && dayNumber <= length);
  const seated = inWeek.filter(({ reading }) => reading.sitting !== false);

  const days: MonitoringDay[] = Array.from({ length }, (_, index) => {
    const dayNumber = index + 1;
    const date = addDays(startedOn, index);
    const onDay = seated.filter((entry) => entry.dayNumber === dayNumber);
    const eveningReadings = onDay.filter(({ reading }) => londonHour(reading.measuredAt) >= EVENING_STARTS_AT_HOUR).length;
    const morningReadings = onDay.length - eveningReadings;
    const leftOut = dayNumber === 1;
    return {
      date,
      dayNumber,
      leftOut,
      morningReadings,
      eveningReadings,
      morningStillNeeded: leftOut ? 0 : Math.max(0, READINGS_PER_SESSION - morningReadings),
      eveningStillNeeded: leftOut ? 0 : Math.max(0, READINGS_PER_SESSION - eveningReadings),
      counts: !leftOut && morningReadings >= READINGS_PER_SESSION && eveningReadings >= READINGS_PER_SESSION,
      later: date > today,
    };
  });

  const daysThatCount = days.filter((day) => day.counts).length;
  const daysStillNeeded = Math.max(0, DAYS_THAT_COUNT_NEEDED - daysThatCount);
  const daysLeft = Math.max(0, Math.min(length, length - daysBetween(startedOn, today)));
  // Days that already count keep counting; only days not yet counted can still be added.
  const daysStillPossible = days.filter((day) => !day.counts && !day.leftOut && day.date >= today).length;

  const averaged = seated.filter(({ dayNumber }) => dayNumber > 1).map(({ reading }) => reading);
  const average = daysStillNeeded === 0 && averaged.length > 0 ? averageOf(averaged) : undefined;

  const status: MonitoringStatus =
    inWeek.length === 0 && daysLeft > 0
      ? 'not-started'
      : daysThatCount === length - 1
        ? 'complete'
        : daysStillNeeded === 0
          ? 'average-ready'
          : daysStillPossible < daysStillNeeded
            ? 'not-enough-time'
            : 'in-progress';

  return {
    status,
    startedOn,
    endsOn,
    days,
    daysThatCount,
    daysStillNeeded,
    daysLeft,
    ...(average ? { average } : {}),
    averaged,
    reminders: protocolReminders(
      days,
      inWeek.map(({ reading }) => reading),
    ),
  };
}

function protocolReminders(days: MonitoringDay[], readings: MonitoringReading[]): ProtocolReminder[] {
  const counted = days.filter((day) => !day.leftOut);
  const mornings = counted.reduce((sum, day) => sum + day.morningReadings, 0);
  const evenings = counted.reduce((sum, day) => sum + day.eveningReadings, 0);
  const reminders: ProtocolReminder[] = [];
  if (mornings > 0 && evenings === 0) reminders.push('only-mornings');
  if (evenings > 0 && mornings === 0) reminders.push('only-evenings');
  const singleSession = counted.some((day) => day.morningReadings === 1 || day.eveningReadings === 1);
  if (singleSession) reminders.push('single-readings');
  if (readings.some((reading) => reading.sitting === false)) reminders.push('not-sitting');
  return reminders;
}
