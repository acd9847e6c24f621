import { notYetInCareRecord } from '@/lib/care-record/public';
import { citizenRoute, type CitizenPageRequest } from '@/lib/identity/public';
import { csvResponse } from '@/lib/platform/csv';
import { getDb } from '@/lib/platform/db';
import { validateForm, type FormErrors, type FormValues } from '@/lib/platform/forms';
import { log } from '@/lib/platform/log';
import { deliverSoon } from '@/lib/platform/outbox';
import { pagination } from '@/lib/platform/pagination';
import { notFound } from '@/lib/platform/errors';
import { formPage, renderPage, type FormCheck } from '@/lib/platform/page';
import { redirect } from '@/lib/platform/render';
import { formatCalendarDay, formatWhen } from '@/lib/platform/uk-time';
import { bloodPressureChart, chartRanges, type ChartRange } from './chart';
import { readingsCsv } from './csv';
import { RELATIONSHIP_TEXT } from '@/lib/proxy/public';
import type { ReadingSource } from './store';
import {
  homeAverageGuidance,
  homeMonitoringGuidance,
  readingCategory,
  readingGuidance,
  urgentAdviceFor,
  veryHighReadingGuidance,
  weekResultGuidance,
  type ReadingCategory,
} from './guidance';
import type { MonitoringDay } from './home-monitoring';
import { londonDay, londonHour } from '@/lib/platform/london-time';
import { keepNewReadingAnswers, keptNewReadingAnswers, takeNewReadingAnswers } from './new-reading';
import { bloodPressurePaths as paths, isOwnId } from './paths';
import { armOptions, readingFields, readingFormSchema, type BloodPressureReading } from './reading';
import {
  addReadings,
  allReadingsInBatches,
  changeReading,
  readingsWithChart,
  deleteReading,
  findOwnReading,
  latestReading,
  latestVeryHighReading,
  type StoredReading,
} from './store';
import { endWeekSchema, startWeekSchema, weekProblemMessage, weekFields } from './week-forms';
import { dayOfWeek, earliestEndDay, endProblem, endWeek, ownWeek, startWeek, weeksNow, type Week } from './weeks';

/** Its pages are for the citizen, and for someone acting for them with permission to (lib/proxy). */
const bloodPressurePage = citizenRoute('citizen-or-proxy:blood-pressure');

/** Someone acting for the citizen (lib/proxy) who types readings in: named beside them for the care team. */
function enteredBy(page: CitizenPageRequest): ReadingSource {
  const { actor } = page.citizen;
  if (!actor) return {};
  return { enteredBy: { name: `${actor.user.givenName} ${actor.user.familyName}`, relationship: RELATIONSHIP_TEXT[actor.basis] ?? actor.basis } };
}

/**
 * The citizen's blood pressure pages. Every one is for the signed-in,
 * registered citizen only (bloodPressurePage), and only ever shows their own readings
 * and weeks: another citizen's id is "Page not found". "Now" is the request's
 * time (page.now), so every page judges today the same way.
 */

const rangeNames: Record<ChartRange, string> = { '30-days': 'Last 30 days', '90-days': 'Last 90 days', all: 'All readings' };

function rangeOf(url: URL): ChartRange {
  const asked = url.searchParams.get('range');
  return chartRanges.find((range) => range === asked) ?? '30-days';
}

function pageNumberOf(url: URL): number {
  const asked = url.searchParams.get('page') ?? '1';
  return /^\d{1,6}$/.test(asked) ? Number(asked) : 1;
}

const pressure = (reading: { systolic: number; diastolic: number }) => `${reading.systolic}/${reading.diastolic}`;

/** A reading as the pages show it. */
function shownReading(reading: StoredReading | BloodPressureReading) {
  return {
    ...('id' in reading ? { id: reading.id } : {}),
    when: formatWhen(reading.measuredAt),
    pressure: pressure(reading),
    systolic: reading.systolic,
    diastolic: reading.diastolic,
    pulse: reading.pulse === undefined ? 'Not given' : String(reading.pulse),
    arm: reading.arm === 'left' ? 'Left arm' : 'Right arm',
    sitting: reading.sitting ? 'Yes' : 'No',
  };
}

const categoryOrder: ReadingCategory[] = ['very-high', 'above-home-target', 'low', 'expected'];

/** The guidance for readings taken together: the one that needs the most care, so a very high reading is never hidden. */
function guidanceFor(readings: readonly BloodPressureReading[]) {
  const ranked = readings.toSorted((a, b) => categoryOrder.indexOf(readingCategory(a)) - categoryOrder.indexOf(readingCategory(b)));
  return ranked[0] ? readingGuidance(ranked[0]) : undefined;
}

// --- Days and weeks in words ---

/** "Wednesday 25 November" for a UK calendar day. */
const dayText = (day: string) => formatCalendarDay(day, { weekday: true });
/** "25 November 2026" for a UK calendar day. */
const dateText = (day: string) => formatCalendarDay(day);

const plural = (count: number, one: string, many: string) => `${count} ${count === 1 ? one : many}`;

/** What a day of a week has, and (while the week runs) what it still needs, in words. */
function dayStatus(day: MonitoringDay, finished: boolean): string {
  if (day.leftOut) return 'Practice day: not used for your average';
  if (day.counts) return 'Done';
  const counts = `Morning: ${day.morningReadings} of 2. Evening: ${day.eveningReadings} of 2.`;
  if (finished) return `${counts} Not complete.`;
  if (day.later) return 'To do: 2 morning and 2 evening readings';
  const missing = [
    day.morningStillNeeded ? plural(day.morningStillNeeded, 'morning reading', 'morning readings') : '',
    day.eveningStillNeeded ? plural(day.eveningStillNeeded, 'evening reading', 'evening readings') : '',
  ].filter(Boolean);
  return `${counts} Still needed: ${missing.join(' and ')}.`;
}

function shownDays(days: readonly MonitoringDay[], finished = false) {
  return days.map((day) => ({ label: `Day ${day.dayNumber}: ${dayText(day.date)}`, status: dayStatus(day, finished), done: day.counts }));
}

/** A finished week as the pages show it. */
function shownWeek(week: Week) {
  return {
    id: week.id,
    href: paths.week(week.id),
    dates: `${dateText(week.startedOn)} to ${dateText(week.endsOn)}`,
    endedEarly: week.endedEarly,
    average: week.average && { pressure: pressure(week.average), readingCount: week.average.readingCount },
    resultText: week.average ? `${pressure(week.average)} mmHg` : 'No average: not enough readings',
    guidance: weekResultGuidance(week),
    workedOutAgain: week.recalculatedAt ? formatWhen(week.recalculatedAt) : null,
  };
}

/** "We worked out your week again" notes for weeks a reading's change touched (ids from the redirect). */
async function workedOutAgainNotes(page: CitizenPageRequest) {
  const ids = page.url.searchParams.getAll('again').filter(isOwnId).slice(0, 2);
  const weeks = await Promise.all(ids.map((id) => ownWeek(getDb(), page.citizen.userId, id, page.now)));
  return weeks.filter((week) => week !== null && week.finishedAt !== null).map((week) => shownWeek(week!));
}

const againQuery = (weeks: readonly Week[]) => weeks.map((week) => `again=${encodeURIComponent(week.id)}`);

// --- Overview ---

/** A very high reading keeps its urgent advice on the overview for this long. */
const URGENT_FOR_MS = 24 * 60 * 60 * 1000;

export const overviewPage = bloodPressurePage(async (page) => {
  const db = getDb();
  const { now } = page;
  const userId = page.citizen.userId;
  const [latest, veryHigh, weeks] = await Promise.all([
    latestReading(db, userId, now),
    latestVeryHighReading(db, userId, new Date(now.getTime() - URGENT_FOR_MS), now),
    weeksNow(db, userId, now, 1),
  ]);
  const current = weeks.current;
  const today = londonDay(now);
  const lastWeek = weeks.finished[0];
  return renderPage(page, 'blood-pressure/overview.njk', {
    urgent: veryHigh ? veryHighReadingGuidance(veryHigh) : null,
    latest: latest ? shownReading(latest) : null,
    latestGuidance: latest && !veryHigh ? readingGuidance(latest) : null,
    week: current && {
      startedOn: dayText(current.startedOn),
      endsOn: dayText(current.endsOn),
      dayNumber: dayOfWeek(current, today),
      guidance: homeMonitoringGuidance(current.progress),
      days: shownDays(current.progress.days),
      canEnd: endProblem(current, now) === null,
      earliestEnd: dayText(earliestEndDay(current)),
    },
    lastWeek: lastWeek ? shownWeek(lastWeek) : null,
    started: page.url.searchParams.get('started') === '1',
  });
});

// --- Adding a reading: the form, check your answers, confirmation ---

/** The reading form's rules, judged at the time the form was sent; the answers are kept as sent for check answers. */
const readingRules = (values: FormValues, answeredAt: Date) => {
  const result = validateForm(
    readingFormSchema(() => answeredAt),
    values,
  );
  return result.ok ? { ok: true as const, data: { readings: result.data, values } } : result;
};

export const addPage = formPage({
  view: 'blood-pressure/add.njk',
  route: bloodPressurePage,
  context: () => ({ armOptions: armOptions() }),
  values: async (page: CitizenPageRequest) => (await keptNewReadingAnswers(getDb(), page.citizen.userId, page.now))?.values ?? {},
  validate: (values, page) => readingRules(values, page.now),
  onValid: async ({ values }, page) => {
    await keepNewReadingAnswers(getDb(), page.citizen.userId, values, page.now);
    return paths.check;
  },
});

export const checkPage = {
  GET: bloodPressurePage(async (page) => {
    const kept = await keptNewReadingAnswers(getDb(), page.citizen.userId, page.now);
    if (!kept?.readings) return redirect(paths.add);
    const [first, second] = kept.readings;
    return renderPage(page, 'blood-pressure/check.njk', {
      first: shownReading(first),
      second: second ? shownReading(second) : null,
    });
  }),
  POST: bloodPressurePage(async (page) => {
    const userId = page.citizen.userId;
    const kept = await keptNewReadingAnswers(getDb(), userId, page.now);
    // Answers that expired, or no longer pass the rules (a date now too old): asked again.
    if (!kept?.readings) return redirect(paths.add);
    const saved = await addReadings(getDb(), userId, kept.readings, page.now, (tx) => takeNewReadingAnswers(tx, userId, page.now), enteredBy(page));
    // Null: the same answers were sent twice and saved by the other request: the overview shows the reading.
    if (!saved) return redirect(paths.overview);
    log.info('blood-pressure-reading-added', { readings: saved.readings.length, weeksWorkedOutAgain: saved.workedOutAgain.length });
    // Most readings reach the care record before the next page is shown.
    await deliverSoon(page.citizen.userId);
    const query = [...saved.readings.map((reading) => `id=${encodeURIComponent(reading.id)}`), ...againQuery(saved.workedOutAgain)];
    return redirect(`${paths.saved}?${query.join('&')}`);
  }),
};

export const savedPage = bloodPressurePage(async (page) => {
  const ids = page.url.searchParams.getAll('id').filter(isOwnId).slice(0, 2);
  const found = await Promise.all(ids.map((id) => findOwnReading(getDb(), page.citizen.userId, id)));
  const readings = found.filter((reading) => reading !== null);
  if (readings.length === 0) return notFound();
  return renderPage(page, 'blood-pressure/saved.njk', {
    readings: readings.map(shownReading),
    guidance: guidanceFor(readings),
    workedOutAgain: await workedOutAgainNotes(page),
  });
});

// --- History, chart and download ---

export const readingsListPage = bloodPressurePage(async (page) => {
  const db = getDb();
  const { now } = page;
  const range = rangeOf(page.url);
  const userId = page.citizen.userId;
  const { list, chart } = await readingsWithChart(db, userId, { range, page: pageNumberOf(page.url), now });
  const shownChart = bloodPressureChart(chart);
  const notReceived = await notYetInCareRecord(
    db,
    userId,
    'blood-pressure-reading',
    list.readings.map((reading) => reading.id),
  );
  return renderPage(page, 'blood-pressure/readings.njk', {
    range,
    rangeName: rangeNames[range],
    ranges: chartRanges.map((r) => ({ range: r, name: rangeNames[r], href: paths.readingsRange(r), current: r === range })),
    readings: list.readings.map((reading) => ({ ...shownReading(reading), notReceived: notReceived.has(reading.id) })),
    anyNotReceived: notReceived.size > 0,
    total: list.total,
    pageNumber: list.page,
    pageCount: list.pageCount,
    pagination: pagination(list.page, list.pageCount, (n) => paths.readingsPage(range, n)),
    // Our own SVG from numbers only, its text escaped by chart.ts: never user input.
    chartSvg: shownChart.svg,
    chartDescription: shownChart.description,
    chartTable: shownChart.table,
    deleted: page.url.searchParams.get('deleted') === '1',
    workedOutAgain: await workedOutAgainNotes(page),
  });
});

export const csvDownload = bloodPressurePage(async (page) => {
  const db = getDb();
  const userId = page.citizen.userId;
  const encoder = new TextEncoder();
  const batches = allReadingsInBatches(db, userId);
  let headerSent = false;
  // Streamed a batch at a time: years of readings never sit in memory at once.
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      const next = await batches.next();
      if (next.done) {
        if (!headerSent) controller.enqueue(encoder.encode(readingsCsv([])));
        controller.close();
        return;
      }
      const csv = readingsCsv(next.value);
      controller.enqueue(encoder.encode(headerSent ? csv.slice(csv.indexOf('\r\n') + 2) : csv));
      headerSent = true;
    },
  });
  log.info('blood-pressure-downloaded', {});
  return csvResponse(body, `blood-pressure-readings-${londonDay(page.now)}.csv`);
});

// --- Changing and deleting one reading ---

async function ownReadingOf(page: CitizenPageRequest): Promise<StoredReading | null> {
  const id = page.params.id;
  return isOwnId(id) ? findOwnReading(getDb(), page.citizen.userId, id) : null;
}

/** A stored reading as the form's boxes show it. */
function formValuesOf(reading: StoredReading): FormValues {
  const [year, month, day] = londonDay(reading.measuredAt).split('-');
  const minute = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', minute: '2-digit' }).format(reading.measuredAt).padStart(2, '0');
  return {
    [readingFields.systolic]: String(reading.systolic),
    [readingFields.diastolic]: String(reading.diastolic),
    [readingFields.pulse]: reading.pulse === undefined ? '' : String(reading.pulse),
    [readingFields.measuredWhen]: 'earlier',
    [readingFields.day]: String(Number(day)),
    [readingFields.month]: String(Number(month)),
    [readingFields.year]: year!,
    [readingFields.hour]: String(londonHour(reading.measuredAt)),
    [readingFields.minute]: minute,
    [readingFields.arm]: reading.arm,
    [readingFields.sitting]: reading.sitting ? 'yes' : 'no',
  };
}

/** Changing is one reading at a time: any second-reading boxes sent are ignored. */
function withoutSecondReading(values: FormValues): FormValues {
  const { secondSystolic: _s, secondDiastolic: _d, secondPulse: _p, ...rest } = values;
  return rest;
}

export const changePage = formPage({
  view: 'blood-pressure/change.njk',
  route: bloodPressurePage,
  load: async (page: CitizenPageRequest) => (await ownReadingOf(page)) ?? notFound(),
  context: (_page, reading) => ({ reading: shownReading(reading), armOptions: armOptions() }),
  values: (_page, reading) => formValuesOf(reading),
  validate: (values, page) => readingRules(withoutSecondReading(values), page.now),
  onValid: async ({ readings }, page, reading) => {
    const changed = await changeReading(getDb(), page.citizen.userId, reading.id, readings[0], page.now);
    if (!changed) return notFound();
    log.info('blood-pressure-reading-changed', { weeksWorkedOutAgain: changed.workedOutAgain.length });
    await deliverSoon(page.citizen.userId);
    const query = againQuery(changed.workedOutAgain);
    return `${paths.changed(reading.id)}${query.length ? `?${query.join('&')}` : ''}`;
  },
});

/** After a change: what it is now, with the same advice as a new reading (urgent when very high). */
export const changedPage = bloodPressurePage(async (page) => {
  const reading = await ownReadingOf(page);
  if (!reading) return notFound();
  return renderPage(page, 'blood-pressure/changed.njk', {
    reading: shownReading(reading),
    guidance: readingGuidance(reading),
    urgent: urgentAdviceFor([reading]) !== undefined,
    workedOutAgain: await workedOutAgainNotes(page),
  });
});

export const deletePage = {
  GET: bloodPressurePage(async (page) => {
    const reading = await ownReadingOf(page);
    if (!reading) return notFound();
    return renderPage(page, 'blood-pressure/delete.njk', { reading: shownReading(reading) });
  }),
  POST: bloodPressurePage(async (page) => {
    const reading = await ownReadingOf(page);
    const deleted = reading && (await deleteReading(getDb(), page.citizen.userId, reading.id, page.now));
    if (!deleted) return notFound();
    log.info('blood-pressure-reading-deleted', { weeksWorkedOutAgain: deleted.workedOutAgain.length });
    await deliverSoon(page.citizen.userId);
    return redirect(`${paths.readings}?${['deleted=1', ...againQuery(deleted.workedOutAgain)].join('&')}`);
  }),
};

// --- Home-monitoring weeks: start, end, and the finished ones ---

/** A refusal found while doing the work (another week in the way), shown like any other error. */
const oneError = (field: string, text: string): FormErrors => ({ summary: [{ text, href: `#${field}` }], fields: { [field]: { text } } });

/** The week's running now, or the overview instead (there is nothing to end). */
const runningWeek = async (page: CitizenPageRequest) => (await weeksNow(getDb(), page.citizen.userId, page.now, 0)).current ?? redirect(paths.overview);

export const startWeekPage = formPage({
  view: 'blood-pressure/start-week.njk',
  route: bloodPressurePage,
  load: async (page: CitizenPageRequest) => {
    const { current } = await weeksNow(getDb(), page.citizen.userId, page.now, 0);
    // One week at a time: a running week is shown, not a second one started.
    return current ? redirect(paths.overview) : null;
  },
  context: (page) => ({ today: dateText(londonDay(page.now)) }),
  validate: async (values, page) => {
    const result = validateForm(startWeekSchema(page.now), values);
    if (!result.ok) return result;
    // Another week in the way is found as the week is started, and shown like any other error.
    const started = await startWeek(getDb(), page.citizen.userId, result.data.startedOn, page.now);
    if (started.ok) return { ok: true as const, data: started.week };
    const field = result.data.chosen === 'today' ? weekFields.start.when : weekFields.start.day;
    return { ok: false as const, errors: oneError(field, weekProblemMessage(started.problem)) };
  },
  onValid: async (week, page) => {
    log.info('blood-pressure-week-started', { daysAgo: dayOfWeek(week, londonDay(page.now)) - 1 });
    if (week.finishedAt) await deliverSoon(page.citizen.userId);
    return week.finishedAt ? paths.week(week.id) : `${paths.overview}?started=1`;
  },
});

export const endWeekPage = formPage({
  view: 'blood-pressure/end-week.njk',
  route: bloodPressurePage,
  load: runningWeek,
  context: (page, current) => ({
    startedOn: dayText(current.startedOn),
    endsOn: dayText(current.endsOn),
    dayNumber: dayOfWeek(current, londonDay(page.now)),
    canEnd: endProblem(current, page.now) === null,
    earliestEnd: dayText(earliestEndDay(current)),
    daysThatCount: current.progress.daysThatCount,
  }),
  // "Yes" ends the week as the answer is checked: a week that cannot end yet is refused like
  // any other error. The answer is the ended week, or null for "No".
  validate: async (values, page, current): Promise<FormCheck<Week | null>> => {
    const result = validateForm(endWeekSchema, values);
    if (!result.ok) return result;
    if (result.data.confirm === 'no') return { ok: true, data: null };
    const ended = await endWeek(getDb(), page.citizen.userId, current.id, page.now);
    if (!ended) return notFound();
    if (ended.ok) return { ok: true, data: ended.week };
    return { ok: false, errors: oneError(weekFields.end.confirm, weekProblemMessage(ended.problem, dayText(earliestEndDay(current)))) };
  },
  onValid: async (ended, page, current) => {
    if (!ended) return paths.overview;
    log.info('blood-pressure-week-ended-early', { days: dayOfWeek(current, londonDay(page.now)) });
    await deliverSoon(page.citizen.userId);
    return paths.week(ended.id);
  },
});

export const weeksPage = bloodPressurePage(async (page) => {
  const weeks = await weeksNow(getDb(), page.citizen.userId, page.now, 52);
  return renderPage(page, 'blood-pressure/weeks.njk', { weeks: weeks.finished.map(shownWeek), running: Boolean(weeks.current) });
});

export const weekPage = bloodPressurePage(async (page) => {
  const id = page.params.id;
  const week = isOwnId(id) ? await ownWeek(getDb(), page.citizen.userId, id, page.now) : null;
  // A running week is shown on the overview.
  if (!week) return notFound();
  if (!week.finishedAt) return redirect(paths.overview);
  return renderPage(page, 'blood-pressure/week.njk', {
    week: shownWeek(week),
    averageGuidance: week.average ? homeAverageGuidance(week.average) : null,
    days: shownDays(week.progress.days, true),
    readings: week.readings.map((reading) => ({ when: formatWhen(reading.measuredAt), pressure: pressure(reading) })),
  });
});
