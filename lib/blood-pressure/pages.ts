import { formatWhen } from '@/lib/identity/account-pages';
import { citizenPage, type CitizenPageRequest } from '@/lib/identity/citizen-page';
import { getDb } from '@/lib/platform/db';
import { readForm, shownValue, validateForm, type FormErrors, type FormValues } from '@/lib/platform/forms';
import { log } from '@/lib/platform/log';
import { errorPage, renderPage } from '@/lib/platform/page';
import { redirect } from '@/lib/platform/render';
import { bloodPressureChartDescription, bloodPressureChartSvg, bloodPressureChartTable, chartRanges, type ChartRange } from './chart';
import { readingsCsv } from './csv';
import { homeAverageGuidance, homeMonitoringGuidance, readingCategory, readingGuidance, type ReadingCategory } from './guidance';
import { homeMonitoringWeek } from './home-monitoring';
import { londonDay, londonHour } from './london-time';
import { clearNewReadingCookie, newReadingCookie, takeNewReading } from './new-reading';
import { armOptions, readingFields, readingFormSchema, type BloodPressureReading } from './reading';
import {
  addReadings,
  allReadingsInBatches,
  changeReading,
  chartData,
  deleteReading,
  findOwnReading,
  homeMonitoringReadings,
  latestReading,
  readingsPage,
  type StoredReading,
} from './store';

/**
 * The citizen's blood pressure pages. Every one is for the signed-in,
 * registered citizen only (citizenPage), and only ever shows their own readings:
 * another citizen's reading id is "Page not found".
 */

const ADD = '/blood-pressure/add';
const CHECK = '/blood-pressure/add/check';
const READINGS = '/blood-pressure/readings';

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

// --- Overview ---

export const overviewPage = citizenPage(async (page) => {
  const db = getDb();
  const now = new Date();
  const userId = page.citizen.userId;
  const [latest, week] = await Promise.all([latestReading(db, userId, now), homeMonitoringReadings(db, userId, now)]);
  const monitoring = homeMonitoringWeek(week, { now });
  return renderPage(page, 'blood-pressure/overview.njk', {
    latest: latest ? shownReading(latest) : null,
    latestGuidance: latest ? readingGuidance(latest) : null,
    monitoring,
    monitoringGuidance: homeMonitoringGuidance(monitoring),
    average: monitoring.average ? { pressure: pressure(monitoring.average), readingCount: monitoring.average.readingCount } : null,
    averageGuidance: monitoring.average ? homeAverageGuidance(monitoring.average) : null,
    days: monitoring.days.map((day) => ({
      label: new Intl.DateTimeFormat('en-GB', { timeZone: 'UTC', weekday: 'long', day: 'numeric', month: 'long' }).format(new Date(`${day.date}T12:00:00Z`)),
      dayNumber: day.dayNumber,
      status: day.leftOut
        ? 'Practice day'
        : day.counts
          ? 'Done'
          : day.later
            ? 'To do'
            : `${day.morningReadings} morning, ${day.eveningReadings} evening`,
      done: day.counts,
    })),
  });
});

// --- Adding a reading: the form, check your answers, confirmation ---

/** The form's values as its boxes show them (one string each). */
function shownValues(values: FormValues): Record<string, string> {
  return Object.fromEntries(Object.values(readingFields).map((field) => [field, shownValue(values, field)]));
}

function renderReadingForm(page: CitizenPageRequest, view: string, context: Record<string, unknown>, values: FormValues, errors?: FormErrors) {
  return renderPage(page, view, { ...context, values: shownValues(values), errors, armOptions: armOptions() }, { status: errors ? 422 : 200 });
}

export const addPage = {
  GET: citizenPage((page) => {
    const kept = takeNewReading(page.req, page.citizen.userId);
    return renderReadingForm(page, 'blood-pressure/add.njk', {}, kept?.values ?? {});
  }),
  POST: citizenPage(async (page) => {
    const values = await readForm(page.req);
    const answeredAt = new Date();
    const result = validateForm(readingFormSchema(() => answeredAt), values);
    if (!result.ok) return renderReadingForm(page, 'blood-pressure/add.njk', {}, values, result.errors);
    return redirect(CHECK, { cookies: [newReadingCookie(page.citizen.userId, values, answeredAt)] });
  }),
};

export const checkPage = {
  GET: citizenPage((page) => {
    const kept = takeNewReading(page.req, page.citizen.userId);
    if (!kept?.readings) return redirect(ADD);
    const [first, second] = kept.readings;
    return renderPage(page, 'blood-pressure/check.njk', {
      first: shownReading(first),
      second: second ? shownReading(second) : null,
    });
  }),
  POST: citizenPage(async (page) => {
    await readForm(page.req);
    const kept = takeNewReading(page.req, page.citizen.userId);
    // Answers that expired, or no longer pass the rules (a date now too old): asked again.
    if (!kept?.readings) return redirect(ADD);
    const saved = await addReadings(getDb(), page.citizen.userId, kept.readings);
    log.info('blood-pressure-reading-added', { readings: saved.length });
    const ids = saved.map((reading) => `id=${encodeURIComponent(reading.id)}`).join('&');
    return redirect(`/blood-pressure/add/saved?${ids}`, { cookies: [clearNewReadingCookie()] });
  }),
};

export const savedPage = citizenPage(async (page) => {
  const ids = page.url.searchParams.getAll('id').slice(0, 2);
  const found = await Promise.all(ids.map((id) => findOwnReading(getDb(), page.citizen.userId, id)));
  const readings = found.filter((reading) => reading !== null);
  if (readings.length === 0) return errorPage(404);
  return renderPage(page, 'blood-pressure/saved.njk', {
    readings: readings.map(shownReading),
    guidance: guidanceFor(readings),
  });
});

// --- History, chart and download ---

export const readingsListPage = citizenPage(async (page) => {
  const db = getDb();
  const now = new Date();
  const range = rangeOf(page.url);
  const userId = page.citizen.userId;
  const [list, chart] = await Promise.all([readingsPage(db, userId, { range, page: pageNumberOf(page.url), now }), chartData(db, userId, range, now)]);
  const link = (n: number) => `${READINGS}?range=${range}&page=${n}`;
  const pageItems = Array.from({ length: list.pageCount }, (_, i) => i + 1)
    // GOV.UK pagination: first, last, and the pages next to the current one; gaps are ellipses.
    .filter((n) => n === 1 || n === list.pageCount || Math.abs(n - list.page) <= 1)
    .flatMap((n, i, shown) => [
      ...(i > 0 && n - shown[i - 1]! > 1 ? [{ ellipsis: true }] : []),
      { number: String(n), href: link(n), current: n === list.page },
    ]);
  return renderPage(page, 'blood-pressure/readings.njk', {
    range,
    rangeName: rangeNames[range],
    ranges: chartRanges.map((r) => ({ range: r, name: rangeNames[r], href: `${READINGS}?range=${r}`, current: r === range })),
    readings: list.readings.map(shownReading),
    total: list.total,
    pageNumber: list.page,
    pageCount: list.pageCount,
    pagination:
      list.pageCount > 1
        ? {
            items: pageItems,
            ...(list.page > 1 ? { previous: { href: link(list.page - 1) } } : {}),
            ...(list.page < list.pageCount ? { next: { href: link(list.page + 1) } } : {}),
          }
        : null,
    // Our own SVG from numbers only, its text escaped by chart.ts: never user input.
    chartSvg: bloodPressureChartSvg(chart),
    chartDescription: bloodPressureChartDescription(chart),
    chartTable: bloodPressureChartTable(chart),
    changed: page.url.searchParams.get('changed') === '1',
    deleted: page.url.searchParams.get('deleted') === '1',
  });
});

export const csvDownload = citizenPage(async (page) => {
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
  return new Response(body, {
    headers: {
      'content-type': 'text/csv; charset=utf-8',
      'content-disposition': `attachment; filename="blood-pressure-readings-${londonDay(new Date())}.csv"`,
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
    },
  });
});

// --- Changing and deleting one reading ---

/** The reading id from /blood-pressure/readings/<id>/...: only the shape of our ids is accepted. */
function readingIdOf(url: URL): string | null {
  const id = url.pathname.split('/')[3] ?? '';
  return /^[A-Za-z0-9_-]{1,100}$/.test(id) ? id : null;
}

async function ownReadingOf(page: CitizenPageRequest): Promise<StoredReading | null> {
  const id = readingIdOf(page.url);
  return id ? findOwnReading(getDb(), page.citizen.userId, id) : null;
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

export const changePage = {
  GET: citizenPage(async (page) => {
    const reading = await ownReadingOf(page);
    if (!reading) return errorPage(404);
    return renderReadingForm(page, 'blood-pressure/change.njk', { reading: shownReading(reading) }, formValuesOf(reading));
  }),
  POST: citizenPage(async (page) => {
    const values = withoutSecondReading(await readForm(page.req));
    const reading = await ownReadingOf(page);
    if (!reading) return errorPage(404);
    const result = validateForm(readingFormSchema(), values);
    if (!result.ok) return renderReadingForm(page, 'blood-pressure/change.njk', { reading: shownReading(reading) }, values, result.errors);
    const changed = await changeReading(getDb(), page.citizen.userId, reading.id, result.data[0]);
    if (!changed) return errorPage(404);
    log.info('blood-pressure-reading-changed', {});
    return redirect(`${READINGS}?changed=1`);
  }),
};

export const deletePage = {
  GET: citizenPage(async (page) => {
    const reading = await ownReadingOf(page);
    if (!reading) return errorPage(404);
    return renderPage(page, 'blood-pressure/delete.njk', { reading: shownReading(reading) });
  }),
  POST: citizenPage(async (page) => {
    await readForm(page.req);
    const reading = await ownReadingOf(page);
    if (!reading || !(await deleteReading(getDb(), page.citizen.userId, reading.id))) return errorPage(404);
    log.info('blood-pressure-reading-deleted', {});
    return redirect(`${READINGS}?deleted=1`);
  }),
};
