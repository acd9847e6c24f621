/**
 * The one way to write dates and times on our pages: GOV.UK style, on UK clocks
 * (Europe/London, so British Summer Time is right).
 *
 * "5:30pm", "9am", "12:15pm", "12:30am", "midday", "midnight". We take 24-hour
 * parts from Intl and do the 12-hour sums ourselves: en-GB's own 12-hour clock
 * writes 12:15pm as "0:15 pm".
 */

import { londonParts } from './london-time';

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
// Fixed rather than Intl's, which changes between ICU versions ("Sep" or "Sept").
const SHORT_MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sept', 'Oct', 'Nov', 'Dec'];

type UkClock = { year: number; month: number; day: number; hour: number; minute: number };

/** The wall clock on UK clocks (lib/platform/london-time.ts works it out, quickly). */
function ukClock(at: Date): UkClock {
  return londonParts(at);
}

/** "5:30pm", "9am", "12:15pm", "12:30am", "midday" or "midnight", on UK clocks. */
export function formatTime(at: Date): string {
  return timeOf(ukClock(at));
}

function timeOf({ hour, minute }: UkClock): string {
  if (minute === 0 && hour === 0) return 'midnight';
  if (minute === 0 && hour === 12) return 'midday';
  const hour12 = hour % 12 === 0 ? 12 : hour % 12;
  const suffix = hour < 12 ? 'am' : 'pm';
  return minute === 0 ? `${hour12}${suffix}` : `${hour12}:${String(minute).padStart(2, '0')}${suffix}`;
}

/** "2 December 2026": the day on UK clocks. */
export function formatDate(at: Date): string {
  return dateOf(ukClock(at));
}

function dateOf({ year, month, day }: UkClock): string {
  return `${day} ${MONTHS[month - 1]} ${year}`;
}

/** "2 Dec 2026": for tables and chart axes, where space is short. */
export function formatShortDate(at: Date): string {
  const { year, month, day } = ukClock(at);
  return `${day} ${SHORT_MONTHS[month - 1]} ${year}`;
}

/** "2 December 2026 at 5:30pm". */
export function formatWhen(at: Date): string {
  const clock = ukClock(at);
  return `${dateOf(clock)} at ${timeOf(clock)}`;
}

const WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

/**
 * A calendar day kept as YYYY-MM-DD (not an instant): "25 November 2026", or with
 * `weekday` "Wednesday 25 November" (the year left out, as in a week's list of days).
 */
export function formatCalendarDay(day: string, options: { weekday?: boolean } = {}): string {
  const [year, month, date] = day.split('-').map(Number) as [number, number, number];
  if (!options.weekday) return `${date} ${MONTHS[month - 1]} ${year}`;
  const weekday = WEEKDAYS[new Date(Date.UTC(year, month - 1, date)).getUTCDay()];
  return `${weekday} ${date} ${MONTHS[month - 1]}`;
}
