import type { z } from 'zod';
import { formatCalendarDay, formatDate, formatShortDate, formatTime, formatWhen } from '@/lib/platform/uk-time';
import { professionalWeekWords, readingsCsv } from '@/lib/blood-pressure/public';
import { staffPage, type StaffPageRequest } from '@/lib/identity/public';
import { csvResponse } from '@/lib/platform/csv';
import { getDb } from '@/lib/platform/db';
import { HttpError } from '@/lib/platform/errors';
import { errorFields, log } from '@/lib/platform/log';
import { formatNhsNumber } from '@/lib/platform/nhs-number';
import { formPage, renderPage, routeParam } from '@/lib/platform/page';
import { pagination } from '@/lib/platform/pagination';
import { redirect } from '@/lib/platform/render';
import { emergencyAccesses, pageLink, requestedPage } from './access-log';
import { CATEGORIES, STAFF_SECTION_NAMES } from './categories';
import { emergencyAccessSchema, EMERGENCY_REASONS } from './emergency-access';
import { findByNameAndBirthDate, findByNhsNumber, nameAndDateSchema, nhsNumberSchema, type FoundCitizen } from './find-citizen';
import {
  accessTo,
  declareEmergencyAccess,
  endEmergencyAccess,
  EMERGENCY_ACCESS_MINUTES,
  exportReadings,
  recordDenial,
  recordSearch,
  registeredCitizen,
  viewContributions,
  type Access,
  type RegisteredCitizen,
} from './professional-view';
import { paths } from '@/lib/platform/paths';

/**
 * The care professional's side: find a citizen, see what they share (read-only), emergency
 * access, a download of blood pressure readings; and the programme team's emergency access report.
 */

const professionalPage = (handler: (page: StaffPageRequest) => Response | Promise<Response>) => staffPage('care-professional', handler);

function render(page: StaffPageRequest, view: string, context: Record<string, unknown> = {}, status = 200): Response {
  return renderPage(page, view, { staffSignedIn: true, ...context }, { status });
}

/** A care professional's form: the platform's formPage (422 with the error summary, or the work done), on staff pages. */
function staffForm<T>(spec: {
  view: string;
  schema: () => z.ZodType<T>;
  context?: (page: StaffPageRequest) => Promise<Record<string, unknown> | Response>;
  onValid: (data: T, page: StaffPageRequest, context: Record<string, unknown>) => Promise<Response>;
}) {
  return formPage<T, Record<string, unknown>, StaffPageRequest>({
    view: spec.view,
    route: professionalPage,
    load: async (page: StaffPageRequest) => (spec.context ? spec.context(page) : {}),
    schema: () => spec.schema(),
    context: (_page, loaded) => ({ staffSignedIn: true, ...loaded }),
    onValid: (data, page, loaded) => spec.onValid(data, page, loaded),
  });
}

function foundRows(citizens: FoundCitizen[]) {
  return citizens.map((citizen) => ({
    ...citizen,
    birthDateText: new Intl.DateTimeFormat('en-GB', { timeZone: 'UTC', day: 'numeric', month: 'long', year: 'numeric' }).format(
      new Date(`${citizen.birthDate}T00:00:00Z`),
    ),
  }));
}

export const findByNhsNumberPage = staffForm({
  view: 'sharing/staff/find.njk',
  schema: () => nhsNumberSchema,
  // After ending emergency access, the search page says it has ended.
  context: async (page) => ({ emergencyAccessEnded: page.url.searchParams.get('emergency-access') === 'ended' }),
  onValid: async ({ nhsNumber }, page) => {
    const found = await findByNhsNumber(getDb(), nhsNumber);
    await recordSearch(
      getDb(),
      page.staff,
      'nhs-number',
      found.map((citizen) => citizen.id),
    );
    return render(page, 'sharing/staff/results.njk', { searchedFor: `NHS number ${formatNhsNumber(nhsNumber)}`, results: foundRows(found) });
  },
});

export const findByNamePage = staffForm({
  view: 'sharing/staff/find-by-name.njk',
  schema: () => nameAndDateSchema(),
  onValid: async (person, page) => {
    const found = await findByNameAndBirthDate(getDb(), person);
    await recordSearch(
      getDb(),
      page.staff,
      'name-and-date-of-birth',
      found.map((citizen) => citizen.id),
    );
    return render(page, 'sharing/staff/results.njk', {
      searchedFor: `${person.givenName} ${person.familyName}, born ${person.birthDate.split('-').reverse().join('/')}`,
      results: foundRows(found),
    });
  },
});

/** The citizen named in /staff/citizens/<id>/…: a registered citizen, or a 404. */
async function citizenOf(page: StaffPageRequest): Promise<RegisteredCitizen> {
  const citizen = await registeredCitizen(getDb(), routeParam(page, 'id'));
  if (!citizen) throw new HttpError(404, 'no-such-citizen');
  return citizen;
}

function citizenSummary(citizen: RegisteredCitizen) {
  return {
    id: citizen.id,
    name: `${citizen.givenName} ${citizen.familyName}`,
    nhsNumber: citizen.nhsNumber && formatNhsNumber(citizen.nhsNumber),
    birthDate: new Intl.DateTimeFormat('en-GB', { timeZone: 'UTC', day: 'numeric', month: 'long', year: 'numeric' }).format(
      new Date(`${citizen.birthDate}T00:00:00Z`),
    ),
  };
}

/**
 * Checks the professional may see this citizen. When not, the refusal is recorded and the
 * refusal page (with the emergency access offer) is the answer.
 */
async function checkedAccess(page: StaffPageRequest, citizen: RegisteredCitizen, what: string): Promise<Extract<Access, { allowed: true }> | Response> {
  const db = getDb();
  const access = await accessTo(db, page.staff, citizen);
  if (access.allowed) return access;
  await recordDenial(db, page.staff, citizen.id, access.relationship, what);
  log.warn('professional-access-refused', { requestId: page.requestId, relationship: access.relationship });
  return render(
    page,
    'sharing/staff/refused.njk',
    { citizen: citizenSummary(citizen), relationship: access.relationship, minutes: EMERGENCY_ACCESS_MINUTES },
    403,
  );
}

/** The data is never shown without its audit entries: when they cannot be written, this page says so instead. */
function notRecorded(page: StaffPageRequest, error: unknown): Response {
  log.error('professional-view-not-recorded', { requestId: page.requestId, ...errorFields(error) });
  return render(page, 'sharing/staff/not-recorded.njk', {}, 503);
}

/** "30 Nov 2026, 6:45pm": short enough for a table on a small screen. */
const shortWhen = (at: Date) => `${formatShortDate(at)}, ${formatTime(at)}`;

export const citizenViewPage = professionalPage(async (page) => {
  const citizen = await citizenOf(page);
  const access = await checkedAccess(page, citizen, 'view');
  if (access instanceof Response) return access;
  let view;
  try {
    view = await viewContributions(getDb(), page.staff, citizen.id, access);
  } catch (error) {
    return notRecorded(page, error);
  }
  const { contributions } = view;
  const bloodPressure = contributions['blood-pressure'];
  const enteredBySomeoneElse = bloodPressure?.latest.some((reading) => reading.enteredBy !== null) ?? false;
  return render(page, 'sharing/staff/citizen.njk', {
    citizen: citizenSummary(citizen),
    access: access.kind === 'emergency' ? { ...access, untilText: formatWhen(access.until) } : access,
    shown: Object.fromEntries(CATEGORIES.map((category) => [category, view.shown.includes(category)])),
    sharesNothing: view.shown.length === 0,
    sectionNames: STAFF_SECTION_NAMES,
    communication: contributions.communication && {
      ...contributions.communication,
      carerText: [contributions.communication.carerName, contributions.communication.carerContact].filter(Boolean).join(', '),
      dateText: formatDate(contributions.communication.updatedAt),
    },
    topThree: contributions['top-three'] && { ...contributions['top-three'], dateText: formatDate(contributions['top-three'].savedAt) },
    conditions: contributions.conditions?.map((condition) => ({ ...condition, dateText: formatDate(condition.addedAt) })),
    bloodPressure: bloodPressure && {
      ...bloodPressure,
      rows: bloodPressure.latest.map((reading) => [
        { text: shortWhen(reading.measuredAt) },
        // Numbers only in this HTML: a very high reading is flagged in words, not by colour alone.
        reading.veryHigh
          ? { html: `<strong>${reading.systolic}/${reading.diastolic} very high</strong>`, format: 'numeric' }
          : { text: `${reading.systolic}/${reading.diastolic}`, format: 'numeric' },
        { text: reading.pulse === null ? '–' : String(reading.pulse), format: 'numeric' },
        // Who typed it in, when someone acting for them did (lib/proxy).
        ...(enteredBySomeoneElse ? [{ text: reading.enteredBy ?? 'Themselves' }] : []),
      ]),
      enteredBySomeoneElse,
      allSitting: bloodPressure.latest.every((reading) => reading.sitting),
      veryHighRecently: bloodPressure.veryHighRecently.map((reading) => `${reading.systolic}/${reading.diastolic} mmHg on ${formatWhen(reading.measuredAt)}`),
      weeks: bloodPressure.weeks.map((week) => ({
        dates: `${formatCalendarDay(week.startedOn)} to ${formatCalendarDay(week.endsOn)}`,
        summary: [
          week.average
            ? `${week.average.systolic}/${week.average.diastolic} mmHg: ${professionalWeekWords(week.result ?? 'not-enough-readings')}.`
            : `${professionalWeekWords('not-enough-readings')}.`,
          week.average ? `Average of ${week.average.readingCount} seated readings, first day left out.` : '',
          week.endedEarly ? 'Ended early by the citizen.' : '',
          week.recalculatedAt ? `Worked out again on ${formatWhen(week.recalculatedAt)}, after a reading in it changed.` : '',
        ]
          .filter(Boolean)
          .join(' '),
      })),
    },
  });
});

export const readingsDownload = professionalPage(async (page) => {
  const citizen = await citizenOf(page);
  const access = await checkedAccess(page, citizen, 'export');
  if (access instanceof Response) return access;
  let readings;
  try {
    readings = await exportReadings(getDb(), page.staff, citizen.id, access);
  } catch (error) {
    return notRecorded(page, error);
  }
  // Not shared: the same answer as for a citizen who does not exist here.
  if (readings === null) throw new HttpError(404, 'not-shared');
  return csvResponse(readingsCsv(readings), 'blood-pressure-readings.csv');
});

export const emergencyAccessPage = staffForm({
  view: 'sharing/staff/emergency-access.njk',
  schema: () => emergencyAccessSchema,
  context: async (page) => {
    const citizen = await citizenOf(page);
    const access = await accessTo(getDb(), page.staff, citizen);
    // Nothing to declare for someone they already care for, or already have access to.
    if (access.allowed) return redirect(paths.staff.citizen(citizen.id));
    return { citizen: citizenSummary(citizen), relationship: access.relationship, reasons: EMERGENCY_REASONS, minutes: EMERGENCY_ACCESS_MINUTES };
  },
  onValid: async (answers, page, context) => {
    const citizen = context.citizen as { id: string };
    const label = EMERGENCY_REASONS.find((reason) => reason.value === answers.reason)!.text;
    await declareEmergencyAccess(getDb(), page.staff, citizen.id, `${label}: ${answers.details}`, String(context.relationship));
    return redirect(paths.staff.citizen(citizen.id));
  },
});

/** Ends the professional's emergency access now (a refusal for anyone without access, as for the view). */
export const endEmergencyAccessPage = professionalPage(async (page) => {
  // A button with nothing to fill in: still a form, so the pipeline checked its token and origin.
  const citizen = await citizenOf(page);
  const access = await checkedAccess(page, citizen, 'end-emergency-access');
  if (access instanceof Response) return access;
  // A professional who cares for them has no emergency access to end.
  if (access.kind !== 'emergency') return redirect(paths.staff.citizen(citizen.id));
  await endEmergencyAccess(getDb(), page.staff, citizen.id);
  return redirect(`${paths.staff.findACitizen}?emergency-access=ended`);
});

export const emergencyReportPage = staffPage('programme-admin', async (page) => {
  const number = requestedPage(page.url);
  if (number === null) throw new HttpError(404, 'bad-page-number');
  const report = await emergencyAccesses(getDb(), number);
  if (number > report.pages) throw new HttpError(404, 'page-out-of-range');
  return render(page, 'sharing/staff/emergency-report.njk', {
    report,
    rows: report.rows,
    pagination: pagination(report.page, report.pages, pageLink(paths.staff.emergencyAccessReport)),
  });
});
