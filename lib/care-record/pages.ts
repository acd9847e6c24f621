import { z } from 'zod';
import { citizenGuard, citizenPage, guardedCitizen, type CitizenPageRequest } from '@/lib/identity/public';
import { getDb } from '@/lib/platform/db';
import { HttpError } from '@/lib/platform/errors';
import { log } from '@/lib/platform/log';
import { formPage, renderPage, routeParam, type PageRequest, type ViewContext } from '@/lib/platform/page';
import { normalisePostcode } from '@/lib/platform/postcode';
import { redirect } from '@/lib/platform/render';
import { citizensLink, lookAgain, type CitizenIdentity, type CitizenLinkState } from './citizen-link';
import { CareRecordUnavailable } from './client';
import { formatFileSize } from './format';
import { withGovukClasses } from './letter-html';
import { linkedPatientId } from './link-store';
import * as record from './record';
import {
  shownAllergies,
  shownAppointments,
  shownCarePlans,
  shownCareTeams,
  shownLetter,
  shownMedicines,
  shownProblems,
  shownTestResults,
  shownVaccinations,
  summaryRows,
} from './views';
import { paths } from '@/lib/platform/paths';

/**
 * The citizen's care-record pages. Only /care-record links the citizen to their record (on
 * their first visit); the section pages need the link and send anyone without one there.
 * When the care record cannot answer, every page says so (503) and nothing else is affected.
 */

const FIND_YOUR_RECORD = paths.careRecord.findYourRecord;

function identityOf(page: CitizenPageRequest): CitizenIdentity {
  const { user } = page.citizen;
  return { userId: page.citizen.userId, givenName: user.givenName, familyName: user.familyName, birthDate: user.birthDate, nhsNumber: user.nhsNumber };
}

/**
 * The care record is slow or down: say so plainly. 503 (with Retry-After), because the page
 * the citizen asked for cannot be given now and may be soon; the rest of the service is up.
 */
export function careRecordUnavailablePage(page: PageRequest, reason: string): Response {
  log.warn('care-record.page-unavailable', { path: page.url.pathname, reason });
  return renderPage(page, 'care-record/unavailable.njk', {}, { status: 503, headers: { 'retry-after': '300' } });
}

async function orUnavailable(page: PageRequest, render: () => Promise<Response>): Promise<Response> {
  try {
    return await render();
  } catch (error) {
    if (error instanceof CareRecordUnavailable) return careRecordUnavailablePage(page, error.reason);
    throw error;
  }
}

/** What /care-record shows for each state of the citizen's link. */
async function linkOutcomePage(page: CitizenPageRequest, link: CitizenLinkState): Promise<Response> {
  switch (link.state) {
    case 'linked':
      return orUnavailable(page, async () => {
        const summary = await record.recordSummary(link.patientId);
        return renderPage(page, 'care-record/summary.njk', { rows: summaryRows(summary) });
      });
    case 'needs-postcode':
      return redirect(FIND_YOUR_RECORD);
    case 'no-match':
      return renderPage(page, 'care-record/no-match.njk', { byPostcode: link.method === 'demographics' });
    case 'several-matches':
      return renderPage(page, 'care-record/several-matches.njk', { byPostcode: link.method === 'demographics' });
    case 'too-many-checks':
      return renderPage(page, 'care-record/too-many-checks.njk', {}, { status: 429, headers: { 'retry-after': '86400' } });
    case 'unavailable':
      return careRecordUnavailablePage(page, 'linking');
  }
}

export const summaryPage = {
  GET: citizenPage(async (page) => linkOutcomePage(page, await citizensLink(getDb(), identityOf(page)))),
};

/** "Check again" on the no-match and several-matches pages (for citizens with an NHS number). */
export const checkAgainPage = {
  POST: citizenPage(async (page) => {
    const citizen = identityOf(page);
    if (!citizen.nhsNumber) return redirect(FIND_YOUR_RECORD);
    const link = await lookAgain(getDb(), citizen, undefined);
    return link.state === 'linked' ? redirect(paths.careRecord.summary) : linkOutcomePage(page, link);
  }),
};

export const postcodeSchema = z.object({
  postcode: z
    .string({ error: 'Enter your postcode' })
    .transform((value) => value.replace(/\s+/g, ' ').trim())
    .pipe(z.string().min(1, 'Enter your postcode').max(10, 'Enter a real postcode'))
    .transform((value, ctx) => {
      const postcode = normalisePostcode(value);
      if (!postcode) ctx.addIssue({ code: 'custom', message: 'Enter a real postcode' });
      return postcode ?? z.NEVER;
    }),
});

/** Signed in and registered, with no NHS number from their identity provider: only they need a postcode. */
function postcodeGuard(page: PageRequest): Response | null {
  const refused = citizenGuard(page);
  if (refused) return refused;
  if (guardedCitizen(page).user.nhsNumber) return redirect(paths.careRecord.summary);
  return null;
}

/** One question: the postcode of their home address, to find their record with their verified name and birth date. */
export const findYourRecordPage = formPage({
  view: 'care-record/find-your-record.njk',
  schema: postcodeSchema,
  access: 'citizen',
  guard: postcodeGuard,
  onValid: async ({ postcode }, page) => {
    const citizenPage = { ...page, citizen: guardedCitizen(page) };
    const link = await lookAgain(getDb(), identityOf(citizenPage), postcode);
    return link.state === 'linked' ? paths.careRecord.summary : linkOutcomePage(citizenPage, link);
  },
});

/** A section page: needs the link; anything the care record cannot answer becomes the unavailable page. */
function sectionPage(view: string, load: (patientId: string, page: CitizenPageRequest) => Promise<ViewContext | Response>) {
  return {
    GET: citizenPage(async (page) => {
      const patientId = await linkedPatientId(getDb(), page.citizen.userId);
      if (!patientId) return redirect(paths.careRecord.summary);
      return orUnavailable(page, async () => {
        const context = await load(patientId, page);
        return context instanceof Response ? context : renderPage(page, view, context);
      });
    }),
  };
}

export const healthProblemsPage = sectionPage('care-record/health-problems.njk', async (patientId) => ({
  problems: shownProblems(await record.healthProblems(patientId)),
}));

export const medicinesPage = sectionPage('care-record/medicines.njk', async (patientId) => shownMedicines(await record.medicines(patientId)));

export const allergiesPage = sectionPage('care-record/allergies.njk', async (patientId) => ({
  allergies: shownAllergies(await record.allergies(patientId)),
}));

export const vaccinationsPage = sectionPage('care-record/vaccinations.njk', async (patientId) => ({
  vaccinations: shownVaccinations(await record.vaccinations(patientId)),
}));

export const testResultsPage = sectionPage('care-record/test-results.njk', async (patientId) => ({
  results: shownTestResults(await record.testResults(patientId)),
}));

export const appointmentsPage = sectionPage('care-record/appointments.njk', async (patientId) => shownAppointments(await record.appointments(patientId)));

export const lettersPage = sectionPage('care-record/letters.njk', async (patientId) => ({
  letters: (await record.letters(patientId)).map(shownLetter),
}));

export const careTeamPage = sectionPage('care-record/care-team.njk', async (patientId) => ({
  teams: shownCareTeams(await record.careTeams(patientId)),
}));

export const carePlanPage = sectionPage('care-record/care-plan.njk', async (patientId) => {
  const [plans, teams] = await Promise.all([record.carePlans(patientId), record.careTeams(patientId)]);
  return shownCarePlans(plans, teams);
});

/** FHIR ids: letters, digits, '-' and '.', up to 64. Anything else is not a letter of ours. */
const RESOURCE_ID = /^[A-Za-z0-9\-.]{1,64}$/;

function letterIdFrom(page: PageRequest): string {
  // /care-record/letters/<id>[/pdf]
  const id = routeParam(page, 'id');
  if (!RESOURCE_ID.test(id)) throw new HttpError(404, 'unknown-letter');
  return id;
}

export const letterPage = sectionPage('care-record/letter.njk', async (patientId, page) => {
  const id = letterIdFrom(page);
  const letter = await record.letter(patientId, id);
  if (!letter) throw new HttpError(404, 'unknown-letter');
  const pdf = letter.hasPdf ? await record.letterPdf(patientId, id) : undefined;
  return { letter: shownLetter(letter), html: withGovukClasses(letter.html), pdfSize: pdf ? formatFileSize(pdf.byteLength) : undefined };
});

/** The letter as the PDF the record holds: a download, never kept by the browser or a proxy. */
export const letterPdfPage = sectionPage('care-record/letter.njk', async (patientId, page) => {
  const id = letterIdFrom(page);
  const [letter, pdf] = await Promise.all([record.letter(patientId, id), record.letterPdf(patientId, id)]);
  if (!letter || !pdf) throw new HttpError(404, 'unknown-letter');
  const date = /^\d{4}-\d{2}-\d{2}/.exec(letter.date ?? '')?.[0];
  const filename = `letter${date ? `-${date}` : ''}.pdf`;
  return new Response(pdf as BodyInit, {
    headers: {
      'content-type': 'application/pdf',
      'content-length': String(pdf.byteLength),
      'content-disposition': `attachment; filename="${filename}"`,
      'cache-control': 'no-store',
    },
  });
});
