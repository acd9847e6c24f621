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

// --- Drawing ---

/**
 * How the chart fits the screen, with no JavaScript: it is drawn twice from
 * the same data, and the stylesheet (frontend/_chart.scss) shows one. An SVG
 * scales with its box, text and all, so each is drawn for the narrowest box
 * it is shown in: a text of font-size f in a viewBox w wide is f × box ÷ w CSS
 * px tall, at least f wherever the box is at least w wide.
 *
 * The box is the page's main column (govuk-frontend's layout): the viewport
 * less the scrollbar less 2 × 15 px below 641 px (tablet); from there two
 * thirds of a row, (viewport − scrollbar − 30) × 2/3 − 30, at most 630 px.
 * So the column narrows at 641 px, and each variant is shown in two bands:
 *
 * - narrow, from 320 to 499 px and from 641 to 768 px. Narrowest: at 320 px
 *   with a 17 px scrollbar (phones have none; a desktop browser's is 15 to 17),
 *   320 − 17 − 30 = 273. At 641 px, (641 − 17 − 30) × 2/3 − 30 = 366.
 * - wide, from 500 to 640 px and from 769 px (desktop). Narrowest: at 769 px,
 *   (769 − 17 − 30) × 2/3 − 30 = 451.3; at 500 px, 500 − 17 − 30 = 453.
 *
 * Both use font-size 14 with a viewBox no wider than that narrowest box (272
 * and 450), so text is 14 px or more everywhere, and at most about 24 px (the
 * narrow variant in a 469 px column) or 19.6 px (the wide one in the 630 px
 * desktop column).
 */
export type ChartVariant = {
  name: 'narrow' | 'wide';
  /** Of the viewBox; its height follows from the layout. */
  width: number;
  /** The narrowest box it is shown in, CSS px (see above). */
  narrowestContainer: number;
  /** Of every text (the "No readings" message is a little larger). */
  fontSize: number;
  plotHeight: number;
  /** Whether the 135 and 85 lines are labelled "135 systolic" or, with no room for words, "135". */
  guideWords: boolean;
};

export const chartVariants: readonly ChartVariant[] = [
  { name: 'narrow', width: 272, narrowestContainer: 273, fontSize: 14, plotHeight: 180, guideWords: false },
  { name: 'wide', width: 450, narrowestContainer: 450, fontSize: 14, plotHeight: 200, guideWords: true },
];

/** From which viewport width (CSS px) frontend/_chart.scss shows each variant, until the next. */
export const chartBreakpoints: readonly { from: number; variant: ChartVariant['name'] }[] = [
  { from: 0, variant: 'narrow' },
  { from: 500, variant: 'wide' },
  { from: 641, variant: 'narrow' },
  { from: 769, variant: 'wide' },
];

/** Arial's advance widths (Liberation Sans has the same), thousandths of an em, for ASCII 32 (space) to 126 (~). */
// prettier-ignore
const ARIAL_WIDTHS = [
  278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278, // space ! " # $ % & ' ( ) * + , - . /
  556, 556, 556, 556, 556, 556, 556, 556, 556, 556, 278, 278, 584, 584, 584, 556, 1015, // 0-9 : ; < = > ? @
  667, 667, 722, 722, 667, 611, 778, 722, 278, 500, 667, 556, 833, 722, 778, 667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, // A-Z
  278, 278, 278, 469, 556, 333, // [ \ ] ^ _ `
  556, 556, 500, 556, 556, 278, 556, 556, 222, 222, 500, 222, 833, 556, 556, 556, 556, 333, 500, 278, 556, 500, 722, 500, 500, 500, // a-z
  334, 260, 334, 584, // { | } ~
];

/**
 * A browser without Arial draws in another sans-serif: DejaVu Sans, the widest
 * common one, is 8 to 16% wider than Arial on this chart's texts.
 */
const OTHER_FONT_ALLOWANCE = 1.2;

/** How wide `text` may be drawn at `fontSize`, erring wide. A character outside ASCII counts as an em. */
export function textWidth(text: string, fontSize: number): number {
  let thousandths = 0;
  for (const character of text) thousandths += ARIAL_WIDTHS[character.codePointAt(0)! - 32] ?? 1000;
  return (thousandths / 1000) * fontSize * OTHER_FONT_ALLOWANCE;
}

/** A text's box reaches this far above its baseline and below it, in ems (Arial: 0.905 and 0.212; DejaVu Sans: 0.928 and 0.236). */
export const TEXT_ASCENT = 0.95;
export const TEXT_DESCENT = 0.25;
/** Baseline below a line's y, in ems, to centre a text (of digits or capitals) on the line. */
const CENTRE_DROP = 0.35;

const SYSTOLIC_COLOUR = '#1d70b8';
const DIASTOLIC_COLOUR = '#0b0c0c';
const GUIDE_COLOUR = '#505a5f';
const GRID_COLOUR = '#b1b4b6';
/** The key's sample of each line, and the space between it and its words. */
const KEY_SAMPLE = 28;
const KEY_GAP = 6;
/** Between a text and the plot (y axis labels, guide line labels) and under the axis (tick marks). */
const LABEL_GAP = 8;
const TICK = 5;
const MAX_X_LABELS = 6;
/** Steps of the y axis labels, the smallest that leaves room between them. */
const Y_STEPS = [20, 40, 60, 100];

const round1 = (n: number) => Math.round(n * 10) / 10;

/**
 * A number already rounded to tenths (round1), written as String() writes it ("12.3", "-0.5",
 * "7"), from its whole tenths: about a third of the time of writing a fraction, and a chart
 * writes some 800 of them.
 */
export function tenths(n: number): string {
  const whole = Math.round(n * 10);
  const size = whole < 0 ? -whole : whole;
  const fraction = size % 10;
  const units = String((size - fraction) / 10);
  return (whole < 0 ? '-' : '') + (fraction === 0 ? units : `${units}.${fraction}`);
}

type XLabel = { tick: number; x: number; text: string };

/** An axis label's date: a month is named, not its first day ("Nov 2026"); otherwise a day ("26 Nov 2026"). */
const axisDate = (at: Date, grouping: ChartGrouping) => (grouping === 'month' ? formatShortDate(at).replace(/^\d+ /, '') : formatShortDate(at));

/** The day (or, for monthly points, the month) a time is in, as points are drawn: noon of the day, or of the 1st. */
function snapped(at: Date, grouping: ChartGrouping): Date {
  const day = londonDay(at);
  return dayStart(grouping === 'month' ? `${day.slice(0, 7)}-01` : day);
}

/**
 * Dates along the x axis, evenly spread over the range: as many as fit at
 * `fontSize` without two labels (as wide as textWidth says) coming closer than
 * an em, each centred under its tick but kept inside the viewBox.
 */
function xAxisLabels(data: ChartData, x: (at: Date) => number, fontSize: number, width: number): XLabel[] {
  const { points, grouping } = data;
  if (points.length === 0) return [];
  const place = (at: Date): XLabel & { half: number } => {
    const text = axisDate(at, grouping);
    const half = textWidth(text, fontSize) / 2;
    const tick = x(at);
    // Rounded outwards, so that the rounded position still keeps the label inside.
    const room = round1(half + 0.1);
    return { tick, x: round1(Math.min(width - room, Math.max(room, tick))), text, half };
  };
  const start = data.from.getTime();
  const span = data.to.getTime() - start;
  if (span <= 0) return [place(points[0]!.at)];
  for (let count = MAX_X_LABELS; count >= 2; count--) {
    const labels: ReturnType<typeof place>[] = [];
    for (let index = 0; index < count; index++) {
      const label = place(snapped(new Date(start + (span * index) / (count - 1)), grouping));
      if (labels.at(-1)?.text !== label.text) labels.push(label);
    }
    const apart = labels.every((label, index) => index === 0 || labels[index - 1]!.x + labels[index - 1]!.half + fontSize <= label.x - label.half);
    if (apart) return labels;
  }
  return [place(data.from)];
}

/** The y axis: from a multiple of 20 below the lowest value (and 85) to one above the highest (and 135), labelled as often as there is room. */
function yAxis(values: readonly number[], plotHeight: number, fontSize: number): { min: number; max: number; labels: number[] } {
  const min = Math.max(0, Math.floor((Math.min(HOME_STAGE_1.diastolic, ...values) - 10) / 20) * 20);
  const highest = Math.max(HOME_STAGE_1.systolic, ...values) + 10;
  const maxFor = (step: number) => min + Math.ceil((highest - min) / step) * step;
  // A label's box is (TEXT_ASCENT + TEXT_DESCENT) ems tall; half an em between them.
  const room = fontSize * (TEXT_ASCENT + TEXT_DESCENT + 0.5);
  const step = Y_STEPS.find((s) => (plotHeight * s) / (maxFor(s) - min) >= room) ?? Y_STEPS.at(-1)!;
  const max = maxFor(step);
  return { min, max, labels: Array.from({ length: (max - min) / step + 1 }, (_, index) => min + index * step) };
}

/** The systolic series' circle and the diastolic series' square, centred on a point (in the key, or a chart's one point). */
const circleAt = (x: number, y: number) => `<circle cx="${tenths(round1(x))}" cy="${tenths(round1(y))}" r="4" fill="${SYSTOLIC_COLOUR}"/>`;
const squareAt = (x: number, y: number) =>
  `<rect x="${tenths(round1(x - 3.5))}" y="${tenths(round1(y - 3.5))}" width="7" height="7" fill="${DIASTOLIC_COLOUR}"/>`;

/** One variant of the chart as an SVG string. `id` is unique on the page. */
function chartVariantSvg(data: ChartData, variant: ChartVariant, id: string, title: string, description: string): string {
  const { points } = data;
  const fontSize = variant.fontSize;
  const width = variant.width;
  const text = (x: number, baseline: number, words: string, more = '') =>
    `<text x="${round1(x)}" y="${round1(baseline)}"${more} font-size="${fontSize}">${escapeXml(words)}</text>`;
  // From one line of text to the next: a text's box and 0.4 em between.
  const nextLine = Math.ceil(fontSize * (TEXT_ASCENT + TEXT_DESCENT + 0.4));

  // The key, drawn with the same line and marker as each series: on one line if it fits, or two.
  const key = [
    { words: 'Systolic (top number)', colour: SYSTOLIC_COLOUR, dash: '', square: false },
    { words: 'Diastolic (bottom number)', colour: DIASTOLIC_COLOUR, dash: '6 4', square: true },
  ];
  const keyWidths = key.map((entry) => KEY_SAMPLE + KEY_GAP + textWidth(entry.words, fontSize));
  const oneLine = keyWidths[0]! + fontSize * 1.5 + keyWidths[1]! <= width;
  const keyTop = Math.ceil(fontSize * TEXT_ASCENT) + 2;
  const parts: string[] = [];
  key.forEach((entry, index) => {
    const left = oneLine && index === 1 ? Math.ceil(keyWidths[0]! + fontSize * 1.5) : 0;
    const baseline = oneLine ? keyTop : keyTop + index * nextLine;
    const middle = round1(baseline - fontSize * CENTRE_DROP);
    parts.push(
      `<line x1="${left}" y1="${middle}" x2="${left + KEY_SAMPLE}" y2="${middle}" stroke="${entry.colour}" stroke-width="2"${entry.dash ? ` stroke-dasharray="${entry.dash}"` : ''}/>`,
      entry.square ? squareAt(left + KEY_SAMPLE / 2, middle) : circleAt(left + KEY_SAMPLE / 2, middle),
      text(left + KEY_SAMPLE + KEY_GAP, baseline, entry.words),
    );
  });
  const unitBaseline = keyTop + (oneLine ? 1 : 2) * nextLine;

  // The plot: room on the left for the y axis labels, on the right for the 135 and 85 lines' labels.
  const values = points.flatMap((p) => [p.systolic, p.diastolic]);
  const axis = yAxis(values, variant.plotHeight, fontSize);
  const guides = [
    { value: HOME_STAGE_1.systolic, words: variant.guideWords ? `${HOME_STAGE_1.systolic} systolic` : String(HOME_STAGE_1.systolic) },
    { value: HOME_STAGE_1.diastolic, words: variant.guideWords ? `${HOME_STAGE_1.diastolic} diastolic` : String(HOME_STAGE_1.diastolic) },
  ];
  const top = unitBaseline + Math.ceil(fontSize * (TEXT_DESCENT + 0.4 + (TEXT_ASCENT + TEXT_DESCENT) / 2));
  const plot = {
    left: Math.ceil(Math.max(...axis.labels.map((value) => textWidth(String(value), fontSize))) + LABEL_GAP),
    right: Math.floor(width - 1 - LABEL_GAP - Math.max(...guides.map((guide) => textWidth(guide.words, fontSize)))),
    top,
    bottom: top + variant.plotHeight,
  };
  const y = (value: number) => round1(plot.bottom - ((value - axis.min) / (axis.max - axis.min)) * variant.plotHeight);
  const start = data.from.getTime();
  const span = data.to.getTime() - start;
  // Clamped: a day's or week's point is drawn at its start, which may be just before the range begins.
  const x = (at: Date) =>
    span <= 0 ? (plot.left + plot.right) / 2 : round1(plot.left + Math.min(1, Math.max(0, (at.getTime() - start) / span)) * (plot.right - plot.left));

  parts.push(text(0, unitBaseline, 'mmHg'));
  for (const value of axis.labels) {
    parts.push(
      `<line x1="${plot.left}" y1="${y(value)}" x2="${plot.right}" y2="${y(value)}" stroke="${GRID_COLOUR}" stroke-width="1"/>`,
      text(plot.left - LABEL_GAP, y(value) + fontSize * CENTRE_DROP, String(value), ' text-anchor="end"'),
    );
  }

  // The 135 and 85 lines' labels sit level with their lines, moved apart if they would touch; one is left off if there is no room.
  const labelHeight = fontSize * (TEXT_ASCENT + TEXT_DESCENT) + 4;
  const [upper, lower] = guides.map((guide) => ({ ...guide, at: y(guide.value) })) as [
    { value: number; words: string; at: number },
    { value: number; words: string; at: number },
  ];
  if (lower.at - upper.at < labelHeight) {
    upper.at = Math.max(plot.top, (upper.at + lower.at - labelHeight) / 2);
    lower.at = upper.at + labelHeight;
  }
  for (const guide of [upper, lower]) {
    parts.push(
      `<line x1="${plot.left}" y1="${y(guide.value)}" x2="${plot.right}" y2="${y(guide.value)}" stroke="${GUIDE_COLOUR}" stroke-width="2" stroke-dasharray="2 4"/>`,
    );
    if (guide.at <= plot.bottom) parts.push(text(plot.right + LABEL_GAP, guide.at + fontSize * CENTRE_DROP, guide.words, ` fill="${GUIDE_COLOUR}"`));
  }

  // Below the tick marks, and clear of the lowest y axis label (centred on the plot's bottom edge).
  const xLabelBaseline = plot.bottom + Math.ceil(Math.max(TICK, (fontSize * (TEXT_ASCENT + TEXT_DESCENT)) / 2) + 4 + fontSize * TEXT_ASCENT);
  for (const label of xAxisLabels(data, x, fontSize, width)) {
    parts.push(
      `<line x1="${label.tick}" y1="${plot.bottom}" x2="${label.tick}" y2="${plot.bottom + TICK}" stroke="${GUIDE_COLOUR}" stroke-width="1"/>`,
      text(label.x, xLabelBaseline, label.text, ' text-anchor="middle"'),
    );
  }
  const dateBaseline = xLabelBaseline + nextLine;
  parts.push(text((plot.left + plot.right) / 2, dateBaseline, 'Date', ' text-anchor="middle"'));
  const height = dateBaseline + Math.ceil(fontSize * TEXT_DESCENT) + 2;

  // Each point's place, worked out and written once.
  const placed = points.map((p) => {
    const across = x(p.at);
    const systolic = y(p.systolic);
    const diastolic = y(p.diastolic);
    return { across, systolic, diastolic };
  });
  // Two or more points: each series is a line with its marker (a circle, a square) at every point,
  // drawn by the browser from the marker's one definition rather than written out for each point
  // (about 5 KB less a chart for a month of readings twice a day). One point has no line: its
  // circle and square are drawn as shapes.
  const markerId = (shape: string) => `${id}-${shape}`;
  const line = (value: (p: (typeof placed)[number]) => number, colour: string, dash: string, shape: string) => {
    const marker = `url(#${markerId(shape)})`;
    return `<polyline fill="none" stroke="${colour}" stroke-width="2"${dash ? ` stroke-dasharray="${dash}"` : ''} marker-start="${marker}" marker-mid="${marker}" marker-end="${marker}" points="${placed
      .map((p) => `${tenths(p.across)},${tenths(value(p))}`)
      .join(' ')}"/>`;
  };
  if (placed.length > 1) {
    // In user units (not scaled by the line's width), centred on the point, with room for the edges' anti-aliasing.
    const marker = (shape: string, drawn: string) =>
      `<marker id="${markerId(shape)}" viewBox="-5 -5 10 10" markerWidth="10" markerHeight="10" markerUnits="userSpaceOnUse">${drawn}</marker>`;
    parts.push(
      `<defs>${marker('circle', `<circle r="4" fill="${SYSTOLIC_COLOUR}"/>`)}${marker('square', `<rect x="-3.5" y="-3.5" width="7" height="7" fill="${DIASTOLIC_COLOUR}"/>`)}</defs>`,
      line((p) => p.systolic, SYSTOLIC_COLOUR, '', 'circle'),
      line((p) => p.diastolic, DIASTOLIC_COLOUR, '6 4', 'square'),
    );
  } else {
    for (const p of placed) parts.push(circleAt(p.across, p.systolic), squareAt(p.across, p.diastolic));
  }
  if (points.length === 0) {
    parts.push(
      `<text x="${round1((plot.left + plot.right) / 2)}" y="${round1((plot.top + plot.bottom) / 2)}" text-anchor="middle" font-size="${fontSize + 2}">No readings</text>`,
    );
  }

  return [
    `<svg xmlns="http://www.w3.org/2000/svg" class="app-chart__${variant.name}" viewBox="0 0 ${width} ${height}" width="100%" role="img" aria-labelledby="${id}-title ${id}-desc" font-family="Arial, sans-serif" fill="#0b0c0c">`,
    `<title id="${id}-title">${escapeXml(title)}</title>`,
    `<desc id="${id}-desc">${escapeXml(description)}</desc>`,
    ...parts.filter(Boolean),
    '</svg>',
  ].join('\n');
}

/**
 * The chart as HTML: one SVG for each of chartVariants, of which the
 * stylesheet shows one (frontend/_chart.scss: the others are display: none,
 * so a screen reader meets one). Each has the title and description it is
 * labelled by, with ids made from `id` (which must be unique on the page) and
 * the variant's name (`description`, when the page has it already, is bloodPressureChartDescription's
 * for the same data). No scripts, styles or external references. The lines
 * differ by more than colour: systolic is solid with circles, diastolic
 * dashed with squares.
 */
export function bloodPressureChartSvg(data: ChartData, id = 'blood-pressure-chart', description = bloodPressureChartDescription(data)): string {
  const safeId = id.replace(/[^A-Za-z0-9_-]/g, '');
  const title = `Blood pressure, ${rangeNames[data.range]}`;
  return chartVariants.map((variant) => chartVariantSvg(data, variant, `${safeId}-${variant.name}`, title, description)).join('\n');
}

/**
 * The chart as a page shows it: the SVG, the same points as a table, and the description, worked
 * out once for the SVG's desc and the page's caption. `id` as for bloodPressureChartSvg.
 */
export function bloodPressureChart(data: ChartData, id?: string): { svg: string; table: ChartTable; description: string } {
  const description = bloodPressureChartDescription(data);
  return { svg: bloodPressureChartSvg(data, id, description), table: bloodPressureChartTable(data), description };
}
