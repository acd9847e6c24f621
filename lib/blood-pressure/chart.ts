import { formatDate, formatShortDate, formatTime, formatWhen } from '@/lib/platform/uk-time';
import { HOME_STAGE_1 } from './guidance';
import { addDays, londonDay, type LondonDay } from '@/lib/platform/london-time';

/**
 * A chart of systolic and diastolic readings over time, drawn on the server as
 * SVG so it works without JavaScript, and the same numbers as table rows (the
 * accessible alternative: the page shows both).
 *
 * Long ranges are grouped so the chart never has more than MAX_POINTS points a
 * line: one point a reading when there are few enough, otherwise the average
 * of each day, then of each week (Monday to Sunday), then of each month. Years
 * of twice-daily readings become about one point a month.
 */

export const chartRanges = ['30-days', '90-days', 'all'] as const;
export type ChartRange = (typeof chartRanges)[number];

const rangeDays: Record<Exclude<ChartRange, 'all'>, number> = { '30-days': 30, '90-days': 90 };
const rangeNames: Record<ChartRange, string> = { '30-days': 'last 30 days', '90-days': 'last 90 days', all: 'all your readings' };

export const MAX_POINTS = 120;

export type ChartReading = { systolic: number; diastolic: number; measuredAt: Date };
export type ChartGrouping = 'reading' | 'day' | 'week' | 'month';

export type ChartPoint = {
  /** When the point is drawn: the reading, or the start of its day, week or month. */
  at: Date;
  /** What the point is, in words: a date and time, a day, a week or a month. */
  label: string;
  systolic: number;
  diastolic: number;
  readingCount: number;
};

export type ChartData = {
  range: ChartRange;
  grouping: ChartGrouping;
  /** Oldest first. */
  points: ChartPoint[];
  from: Date;
  to: Date;
};

const monthFormat = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', month: 'long', year: 'numeric' });

const dayStart = (day: LondonDay) => new Date(`${day}T12:00:00Z`);

/** The day, week (its Monday) or month a reading on `day` belongs to. */
function groupKey(grouping: ChartGrouping, day: LondonDay): string {
  if (grouping === 'day') return day;
  if (grouping === 'month') return day.slice(0, 7);
  const weekday = (dayStart(day).getUTCDay() + 6) % 7;
  return addDays(day, -weekday);
}

function groupLabel(grouping: Exclude<ChartGrouping, 'reading'>, key: string): { at: Date; label: string } {
  if (grouping === 'month') {
    const at = dayStart(`${key}-01`);
    return { at, label: monthFormat.format(at) };
  }
  const at = dayStart(key);
  return { at, label: grouping === 'week' ? `Week from ${formatShortDate(at)}` : formatShortDate(at) };
}

function chooseGrouping(days: readonly LondonDay[]): ChartGrouping {
  if (days.length <= MAX_POINTS) return 'reading';
  for (const grouping of ['day', 'week'] as const) {
    if (new Set(days.map((day) => groupKey(grouping, day))).size <= MAX_POINTS) return grouping;
  }
  return 'month';
}

/** The points to chart for a range. Readings may come in any order. */
export function bloodPressureChartData(readings: readonly ChartReading[], range: ChartRange, now: Date): ChartData {
  const since = range === 'all' ? undefined : new Date(now.getTime() - rangeDays[range] * 86_400_000);
  const shown = readings
    .filter((reading) => reading.measuredAt <= now && (since === undefined || reading.measuredAt > since))
    .toSorted((a, b) => a.measuredAt.getTime() - b.measuredAt.getTime());
  // Each reading's day on UK clocks, worked out once (it is the slow part for years of readings).
  const days = shown.map((reading) => londonDay(reading.measuredAt));
  const grouping = chooseGrouping(days);

  let points: ChartPoint[];
  if (grouping === 'reading') {
    points = shown.map((reading) => ({
      at: reading.measuredAt,
      label: `${formatShortDate(reading.measuredAt)}, ${formatTime(reading.measuredAt)}`,
      systolic: reading.systolic,
      diastolic: reading.diastolic,
      readingCount: 1,
    }));
  } else {
    const groups = new Map<string, ChartReading[]>();
    for (const [index, reading] of shown.entries()) {
      const key = groupKey(grouping, days[index]!);
      const group = groups.get(key);
      if (group) group.push(reading);
      else groups.set(key, [reading]);
    }
    points = [...groups].map(([key, group]) => ({
      ...groupLabel(grouping, key),
      systolic: Math.round(group.reduce((sum, r) => sum + r.systolic, 0) / group.length),
      diastolic: Math.round(group.reduce((sum, r) => sum + r.diastolic, 0) / group.length),
      readingCount: group.length,
    }));
  }
  const first = points[0]?.at;
  const last = points.at(-1)?.at;
  return { range, grouping, points, from: since ?? first ?? now, to: since ? now : (last ?? now) };
}

/** A month's average as the database worked it out (see store.ts): `month` is YYYY-MM on UK clocks. */
export type MonthAverage = { month: string; systolic: number; diastolic: number; readingCount: number };

/**
 * The chart from monthly averages, for ranges too long to send every reading.
 * Rounded as bloodPressureChartData rounds, so both ways draw the same points.
 */
export function monthlyChartData(months: readonly MonthAverage[], range: ChartRange, now: Date): ChartData {
  const points = months
    .filter((month) => month.readingCount > 0)
    .toSorted((a, b) => a.month.localeCompare(b.month))
    .map((month) => ({
      ...groupLabel('month', month.month),
      systolic: Math.round(month.systolic),
      diastolic: Math.round(month.diastolic),
      readingCount: month.readingCount,
    }));
  const since = range === 'all' ? undefined : new Date(now.getTime() - rangeDays[range] * 86_400_000);
  return { range, grouping: 'month', points, from: since ?? points[0]?.at ?? now, to: since ? now : (points.at(-1)?.at ?? now) };
}

export type ChartTable = {
  caption: string;
  head: { text: string }[];
  rows: { text: string }[][];
};

const groupingWords: Record<ChartGrouping, string> = {
  reading: 'Date and time',
  day: 'Day',
  week: 'Week',
  month: 'Month',
};

/** The chart's numbers as a GOV.UK table (the macro's caption, head and rows), oldest first like the chart. */
export function bloodPressureChartTable(data: ChartData): ChartTable {
  const grouped = data.grouping !== 'reading';
  return {
    caption: `Blood pressure, ${rangeNames[data.range]}${grouped ? `: average for each ${data.grouping}` : ''}`,
    head: [
      { text: groupingWords[data.grouping] },
      { text: 'Systolic (top number)' },
      { text: 'Diastolic (bottom number)' },
      ...(grouped ? [{ text: 'Number of readings' }] : []),
    ],
    rows: data.points.map((point) => [
      { text: point.label },
      { text: String(point.systolic) },
      { text: String(point.diastolic) },
      ...(grouped ? [{ text: String(point.readingCount) }] : []),
    ]),
  };
}

/** A point's date, short enough for an axis label: a month is named, not its first day. */
const shortDate = (point: ChartPoint, grouping: ChartGrouping) => (grouping === 'month' ? monthFormat.format(point.at) : formatShortDate(point.at));

function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c]!);
}

const noReadings: Record<ChartRange, string> = {
  '30-days': 'You have no readings in the last 30 days.',
  '90-days': 'You have no readings in the last 90 days.',
  all: 'You have no readings yet.',
};

/** Which day, week or month a point is, in words: "2 November 2026", "the week starting 2 November 2026", "November 2026". */
function periodName(point: ChartPoint, grouping: ChartGrouping): string {
  if (grouping === 'month') return monthFormat.format(point.at);
  if (grouping === 'week') return `the week starting ${formatDate(point.at)}`;
  return formatDate(point.at);
}

const periodWords = (point: ChartPoint, grouping: ChartGrouping) =>
  `${grouping === 'week' || grouping === 'month' ? 'in' : 'on'} ${periodName(point, grouping)}`;

/** As periodWords, with the time for a single reading: "on 2 November 2026 at 8am". */
const whenWords = (point: ChartPoint, grouping: ChartGrouping) => (grouping === 'reading' ? `on ${formatWhen(point.at)}` : periodWords(point, grouping));

/** First and latest less than this many mmHg apart read as "about the same": readings vary that much anyway. */
const STEADY_WITHIN = 5;

function directionSentence(name: string, first: number, latest: number): string {
  if (first === latest) return `${name} stayed the same over the period, at ${first}.`;
  if (Math.abs(latest - first) < STEADY_WITHIN) return `${name} stayed about the same over the period: ${first} at the start and ${latest} at the end.`;
  return `${name} went ${latest > first ? 'up' : 'down'} from ${first} to ${latest} over the period.`;
}

const repeats: Record<ChartGrouping, (n: number) => string> = {
  reading: (n) => `${n} times`,
  day: (n) => `on ${n} days`,
  week: (n) => `in ${n} weeks`,
  month: (n) => `in ${n} months`,
};

/** "The highest systolic was 172, on ... The lowest was 138, on ..." */
function extremesSentence(name: string, values: readonly number[], points: readonly ChartPoint[], grouping: ChartGrouping): string {
  const highest = Math.max(...values);
  const lowest = Math.min(...values);
  if (highest === lowest) return `${name.charAt(0).toUpperCase()}${name.slice(1)} was ${highest} every ${grouping === 'reading' ? 'time' : grouping}.`;
  // A date only when it happened once: a list of dates is harder to follow than how many.
  const when = (value: number) => {
    const times = values.filter((v) => v === value).length;
    return times === 1 ? `, ${whenWords(points[values.indexOf(value)]!, grouping)}` : ` (${repeats[grouping](times)})`;
  };
  return `The highest ${name} was ${highest}${when(highest)}. The lowest was ${lowest}${when(lowest)}.`;
}

/**
 * The chart in words, for its <desc> and for anyone who cannot see it: what a
 * person would read off it (first, latest, highest, lowest, which way it went).
 */
export function bloodPressureChartDescription(data: ChartData): string {
  const { points, grouping } = data;
  if (points.length === 0) return noReadings[data.range];
  const first = points[0]!;
  const latest = points.at(-1)!;
  const count = points.reduce((sum, p) => sum + p.readingCount, 0);
  const readings = `${count} ${count === 1 ? 'reading' : 'readings'}`;
  const [firstPeriod, latestPeriod] = [periodName(first, grouping), periodName(latest, grouping)];
  const period = firstPeriod === latestPeriod ? periodWords(first, grouping) : `from ${firstPeriod} to ${latestPeriod}`;
  const each = grouping === 'reading' ? 'Each point is one reading.' : `Each point is the average for a ${grouping}.`;
  const noun = grouping === 'reading' ? 'reading' : 'average';
  const sentences = [`Line chart of ${readings} ${period}.`, each];
  if (points.length === 1) {
    sentences.push(`The ${noun} was ${first.systolic}/${first.diastolic} ${whenWords(first, grouping)}.`);
  } else {
    sentences.push(
      `The first ${noun} was ${first.systolic}/${first.diastolic} ${whenWords(first, grouping)}.`,
      `The latest ${noun} was ${latest.systolic}/${latest.diastolic} ${whenWords(latest, grouping)}.`,
      directionSentence('Systolic (top number)', first.systolic, latest.systolic),
      directionSentence('Diastolic (bottom number)', first.diastolic, latest.diastolic),
      extremesSentence(
        'systolic',
        points.map((p) => p.systolic),
        points,
        grouping,
      ),
      extremesSentence(
        'diastolic',
        points.map((p) => p.diastolic),
        points,
        grouping,
      ),
    );
  }
  sentences.push(`Dotted lines mark ${HOME_STAGE_1.systolic} for systolic and ${HOME_STAGE_1.diastolic} for diastolic.`);
  return sentences.join(' ');
}

const WIDTH = 720;
const HEIGHT = 360;
// The right margin holds the labels of the 135 and 85 lines, clear of the readings.
const PLOT = { left: 56, right: WIDTH - 96, top: 48, bottom: HEIGHT - 48 };
const SYSTOLIC_COLOUR = '#1d70b8';
const DIASTOLIC_COLOUR = '#0b0c0c';
const GUIDE_COLOUR = '#505a5f';

const round1 = (n: number) => Math.round(n * 10) / 10;

/**
 * The chart as an SVG string with no scripts, styles or external references.
 * The lines differ by more than colour: systolic is solid with circles,
 * diastolic dashed with squares. `id` must be unique on the page.
 */
export function bloodPressureChartSvg(data: ChartData, id = 'blood-pressure-chart'): string {
  const safeId = id.replace(/[^A-Za-z0-9_-]/g, '');
  const title = `Blood pressure, ${rangeNames[data.range]}`;
  const { points } = data;

  const values = points.flatMap((p) => [p.systolic, p.diastolic]);
  const yMin = Math.max(0, Math.floor((Math.min(HOME_STAGE_1.diastolic, ...values) - 10) / 20) * 20);
  const yMax = Math.ceil((Math.max(HOME_STAGE_1.systolic, ...values) + 10) / 20) * 20;
  const y = (value: number) => round1(PLOT.bottom - ((value - yMin) / (yMax - yMin)) * (PLOT.bottom - PLOT.top));

  const start = data.from.getTime();
  const span = data.to.getTime() - start;
  // Clamped: a day's or week's point is drawn at its start, which may be just before the range begins.
  const x = (at: Date) =>
    span <= 0 ? (PLOT.left + PLOT.right) / 2 : round1(PLOT.left + Math.min(1, Math.max(0, (at.getTime() - start) / span)) * (PLOT.right - PLOT.left));

  const parts: string[] = [];
  for (let value = yMin; value <= yMax; value += 20) {
    parts.push(
      `<line x1="${PLOT.left}" y1="${y(value)}" x2="${PLOT.right}" y2="${y(value)}" stroke="#b1b4b6" stroke-width="1"/>`,
      `<text x="${PLOT.left - 8}" y="${y(value) + 4}" text-anchor="end" font-size="12">${value}</text>`,
    );
  }
  for (const [value, name] of [
    [HOME_STAGE_1.systolic, 'systolic'],
    [HOME_STAGE_1.diastolic, 'diastolic'],
  ] as const) {
    parts.push(
      `<line x1="${PLOT.left}" y1="${y(value)}" x2="${PLOT.right}" y2="${y(value)}" stroke="${GUIDE_COLOUR}" stroke-width="2" stroke-dasharray="2 4"/>`,
      `<text x="${PLOT.right + 6}" y="${y(value) + 4}" font-size="12" fill="${GUIDE_COLOUR}">${value} ${name}</text>`,
    );
  }

  const ticks = points.length === 0 ? [] : [...new Set([points[0]!, points[Math.floor((points.length - 1) / 2)]!, points.at(-1)!])];
  for (const point of ticks) {
    // Labels at the ends of the axis line up with the plot's edges rather than spilling over them.
    const edge = ticks.length === 1 ? 'middle' : point === ticks[0] ? 'start' : point === ticks.at(-1) ? 'end' : 'middle';
    const label = escapeXml(shortDate(point, data.grouping));
    parts.push(`<text x="${x(point.at)}" y="${PLOT.bottom + 18}" text-anchor="${edge}" font-size="12">${label}</text>`);
  }
  parts.push(
    `<text x="${(PLOT.left + PLOT.right) / 2}" y="${HEIGHT - 8}" text-anchor="middle" font-size="13">Date</text>`,
    `<text x="14" y="${(PLOT.top + PLOT.bottom) / 2}" text-anchor="middle" font-size="13" transform="rotate(-90 14 ${(PLOT.top + PLOT.bottom) / 2})">mmHg</text>`,
  );

  const line = (value: (p: ChartPoint) => number, colour: string, dash: string) =>
    points.length > 1
      ? `<polyline fill="none" stroke="${colour}" stroke-width="2"${dash ? ` stroke-dasharray="${dash}"` : ''} points="${points
          .map((p) => `${x(p.at)},${y(value(p))}`)
          .join(' ')}"/>`
      : '';
  parts.push(
    line((p) => p.systolic, SYSTOLIC_COLOUR, ''),
    line((p) => p.diastolic, DIASTOLIC_COLOUR, '6 4'),
  );
  for (const p of points) {
    parts.push(
      `<circle cx="${x(p.at)}" cy="${y(p.systolic)}" r="4" fill="${SYSTOLIC_COLOUR}"/>`,
      `<rect x="${round1(x(p.at) - 3.5)}" y="${round1(y(p.diastolic) - 3.5)}" width="7" height="7" fill="${DIASTOLIC_COLOUR}"/>`,
    );
  }
  if (points.length === 0) {
    parts.push(`<text x="${(PLOT.left + PLOT.right) / 2}" y="${(PLOT.top + PLOT.bottom) / 2}" text-anchor="middle" font-size="16">No readings</text>`);
  }

  // The key, drawn with the same line and marker as each series.
  parts.push(
    `<line x1="${PLOT.left}" y1="20" x2="${PLOT.left + 28}" y2="20" stroke="${SYSTOLIC_COLOUR}" stroke-width="2"/>`,
    `<circle cx="${PLOT.left + 14}" cy="20" r="4" fill="${SYSTOLIC_COLOUR}"/>`,
    `<text x="${PLOT.left + 36}" y="24" font-size="13">Systolic (top number)</text>`,
    `<line x1="${PLOT.left + 220}" y1="20" x2="${PLOT.left + 248}" y2="20" stroke="${DIASTOLIC_COLOUR}" stroke-width="2" stroke-dasharray="6 4"/>`,
    `<rect x="${PLOT.left + 230.5}" y="16.5" width="7" height="7" fill="${DIASTOLIC_COLOUR}"/>`,
    `<text x="${PLOT.left + 256}" y="24" font-size="13">Diastolic (bottom number)</text>`,
  );

  return [
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${WIDTH} ${HEIGHT}" width="100%" role="img" aria-labelledby="${safeId}-title ${safeId}-desc" font-family="Arial, sans-serif" fill="#0b0c0c">`,
    `<title id="${safeId}-title">${escapeXml(title)}</title>`,
    `<desc id="${safeId}-desc">${escapeXml(bloodPressureChartDescription(data))}</desc>`,
    ...parts.filter(Boolean),
    '</svg>',
  ].join('\n');
}
