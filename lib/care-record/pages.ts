import { citizenRoute, type CitizenPageRequest } from '@/lib/identity/public';
import { getDb } from '@/lib/platform/db';
import { HttpError } from '@/lib/platform/errors';
import { log } from '@/lib/platform/log';
import { renderPage, routeParam, type PageRequest, type ViewContext } from '@/lib/platform/page';
import { redirect } from '@/lib/platform/render';
import { citizensLink, confirmedLink, lookAgain, type CitizenIdentity, type CitizenLinkState } from './citizen-link';
import { CareRecordUnavailable } from './client';
import { formatFileSize } from './format';
import { withGovukClasses } from './letter-html';
import type { LinkMethod } from './link-store';
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

/** Its pages are for the citizen, and for someone acting for them with permission to (lib/proxy). */
const careRecordPage = citizenRoute('citizen-or-proxy:care-record');

/**
 * The citizen's care-record pages. Only /care-record links the citizen to their record (on
 * their first visit), with what their identity provider verified and nothing they type; the
 * section pages need a match that still holds and send anyone without one there.
 * When the care record cannot answer, every page says so (503) and nothing else is affected.
 */

function identityOf(page: CitizenPageRequest): CitizenIdentity {
  const { user } = page.citizen;
  return {
    userId: page.citizen.userId,
    givenName: user.givenName,
    familyName: user.familyName,
    birthDate: user.birthDate,
    nhsNumber: user.nhsNumber,
    verifiedPostcode: user.verifiedPostcode,
  };
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
    case 'no-match':
      return renderPage(page, 'care-record/no-match.njk', noMatchContext(page, link.method));
    case 'several-matches':
      return renderPage(page, 'care-record/several-matches.njk', noMatchContext(page, link.method));
    case 'too-many-checks':
      return renderPage(page, 'care-record/too-many-checks.njk', {}, { status: 429, headers: { 'retry-after': '86400' } });
    case 'unavailable':
      return careRecordUnavailablePage(page, 'linking');
  }
}

export const summaryPage = {
  GET: careRecordPage(async (page) => linkOutcomePage(page, await citizensLink(getDb(), identityOf(page)))),
};

/** What the "no match" pages say depends on what the identity provider verified. */
function noMatchContext(page: CitizenPageRequest, method: LinkMethod): ViewContext {
  return {
    byNhsNumber: method === 'nhs-number',
    // One Login gave no current address it had checked: there was nothing to look for.
    noVerifiedAddress: method === 'demographics' && !page.citizen.user.verifiedPostcode,
  };
}

/** "Check again" on the no-match and several-matches pages: the same verified details, a few times a day. */
export const checkAgainPage = {
  POST: careRecordPage(async (page) => {
    const link = await lookAgain(getDb(), identityOf(page));
    return link.state === 'linked' ? redirect(paths.careRecord.summary) : linkOutcomePage(page, link);
  }),
};

/** A section page: needs the link; anything the care record cannot answer becomes the unavailable page. */
function sectionPage(view: string, load: (patientId: string, page: CitizenPageRequest) => Promise<ViewContext | Response>) {
  return {
    GET: careRecordPage(async (page) => {
      const link = await confirmedLink(getDb(), identityOf(page));
      if (!link) return redirect(paths.careRecord.summary);
      if (link.state === 'unavailable') return careRecordUnavailablePage(page, 'linking');
      return orUnavailable(page, async () => {
        const context = await load(link.patientId, page);
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
