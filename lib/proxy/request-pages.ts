import { z } from 'zod';
import { citizenRoute, ownUser as ownUserOf, type CitizenPageRequest } from '@/lib/identity/public';
import { getDb } from '@/lib/platform/db';
import { readDraft, saveDraft } from '@/lib/platform/drafts';
import { validateForm, type FormErrors } from '@/lib/platform/forms';
import { formatNhsNumber } from '@/lib/platform/nhs-number';
import { formPage, renderPage, type FormCheck } from '@/lib/platform/page';
import { paths } from '@/lib/platform/paths';
import { redirect } from '@/lib/platform/render';
import { checkAnswerRows, listedRequest } from './request-views';
import {
  ASKED_PERMISSION_TEXT,
  completeRequest,
  EVIDENCE_OPTIONS,
  evidenceSchema,
  nextStep,
  permissionsSchema,
  EVIDENCE_TEXT,
  parseRequestDetail,
  RELATIONSHIP_OPTIONS,
  relationshipSchema,
  REQUEST_STEPS,
  requestDraftSchema,
  theirDetailsSchema,
  type Person,
  type RequestDraft,
  type RequestStep,
} from './request';
import { alreadyAsked, DRAFT_JOURNEY, isThemselves, recordFor, requestsOf, sendRequest, type Requester } from './request-store';
import { PROXY_PERMISSIONS } from './permissions';

/**
 * A parent or guardian of a child under 16, or an attorney or deputy for an adult who lacks
 * capacity, asks to act for them: one question a page (kept as a draft until check answers),
 * what happens next, and the list of their requests with what staff decided. Everything here is
 * the person asking's own business, so it is found by their own account, never the record of
 * someone they may be acting for at the time.
 */

const P = paths.proxyRequests;

type OwnUser = CitizenPageRequest['citizen']['user'];

/** The requester's own business: open while they act for someone else too (lib/proxy). */
const requesterPage = citizenRoute('citizen-or-proxy');

/** The signed-in person's own account, also while acting for someone else: a request is always their own. */
const ownUser = (page: CitizenPageRequest): OwnUser => ownUserOf(page.citizen);

function requesterOf(page: CitizenPageRequest): Requester {
  const { id, givenName, familyName, nhsNumber } = ownUser(page);
  return { id, givenName, familyName, nhsNumber };
}

const STEP_PATHS: Record<RequestStep, string> = {
  relationship: P.relationship,
  'their-details': P.theirDetails,
  evidence: P.evidence,
  permissions: P.permissions,
  'check-answers': P.checkAnswers,
};

async function draftOf(page: CitizenPageRequest): Promise<RequestDraft> {
  return (await readDraft(getDb(), ownUser(page).id, DRAFT_JOURNEY, requestDraftSchema, page.now)) ?? {};
}

/** Keeps the answers; the next question still to answer (check answers once all are). */
async function keep(page: CitizenPageRequest, draft: RequestDraft): Promise<string> {
  await saveDraft(getDb(), ownUser(page).id, DRAFT_JOURNEY, draft, page.now);
  return STEP_PATHS[nextStep(draft, page.now)];
}

/** The answers so far, for a question: or, while an earlier question is still to answer, that question instead. */
function draftFor(step: RequestStep) {
  return async (page: CitizenPageRequest): Promise<RequestDraft | Response> => {
    const draft = await draftOf(page);
    const next = nextStep(draft, page.now);
    return REQUEST_STEPS.indexOf(next) < REQUEST_STEPS.indexOf(step) ? redirect(STEP_PATHS[next]) : draft;
  };
}

/** One problem with one field, as the error summary and the field show it. */
function fieldError(field: string, text: string): { ok: false; errors: FormErrors } {
  return { ok: false, errors: { summary: [{ text, href: `#${field}` }], fields: { [field]: { text } } } };
}

export const relationshipPage = formPage({
  view: 'proxy/request/relationship.njk',
  route: requesterPage,
  schema: relationshipSchema,
  load: draftFor('relationship'),
  context: (_page, draft) => ({ saved: { relationship: draft.relationship }, options: RELATIONSHIP_OPTIONS }),
  onValid: ({ relationship }, page, draft) =>
    // What they can show depends on the relationship: asked again when it changes.
    keep(page, { ...draft, relationship, evidence: relationship === draft.relationship ? draft.evidence : undefined }),
});

/** Their details as the form's fields show them. */
function personFields(person: Person | undefined): Record<string, string> {
  if (!person) return {};
  const [year, month, day] = person.birthDate.split('-').map(Number);
  return {
    givenName: person.givenName,
    familyName: person.familyName,
    'dateOfBirth-day': String(day),
    'dateOfBirth-month': String(month),
    'dateOfBirth-year': String(year),
    nhsNumber: formatNhsNumber(person.nhsNumber),
  };
}

export const theirDetailsPage = formPage({
  view: 'proxy/request/their-details.njk',
  route: requesterPage,
  load: draftFor('their-details'),
  context: (_page, draft) => ({ saved: personFields(draft.person), relationship: draft.relationship }),
  validate: async (values, page, draft): Promise<FormCheck<Person>> => {
    const checked = validateForm(theirDetailsSchema(draft.relationship!, page.now), values);
    if (!checked.ok) return checked;
    const person = checked.data;
    const requester = requesterOf(page);
    const record = await recordFor(getDb(), person);
    if (isThemselves(requester, person, record)) return fieldError('nhsNumber', 'This is your own NHS number: you cannot ask to act for yourself');
    if (record && (await alreadyAsked(getDb(), requester.id, record.id, page.now))) {
      return fieldError(
        'nhsNumber',
        'You have already asked to act for the person with this NHS number. You can see what happened in your requests to act for someone',
      );
    }
    return { ok: true, data: person };
  },
  onValid: (person, page, draft) => keep(page, { ...draft, person }),
});

export const evidencePage = formPage({
  view: 'proxy/request/evidence.njk',
  route: requesterPage,
  load: draftFor('evidence'),
  schema: (draft) => evidenceSchema(draft.relationship!),
  context: (_page, draft) => ({
    saved: { evidence: draft.evidence?.kind, reference: draft.evidence?.reference, gpPractice: draft.evidence?.gpPractice },
    options: EVIDENCE_OPTIONS[draft.relationship!],
    relationship: draft.relationship,
    name: draft.person?.givenName,
  }),
  onValid: (evidence, page, draft) => keep(page, { ...draft, evidence }),
});

const permissionItems = PROXY_PERMISSIONS.map((permission) => ({
  value: permission,
  text: ASKED_PERMISSION_TEXT[permission].label,
  hint: ASKED_PERMISSION_TEXT[permission].hint,
}));

export const permissionsPage = formPage({
  view: 'proxy/request/permissions.njk',
  route: requesterPage,
  load: draftFor('permissions'),
  schema: permissionsSchema,
  lists: ['permissions'],
  context: (_page, draft) => ({ saved: { permissions: draft.permissions ?? [] }, items: permissionItems, name: draft.person?.givenName }),
  onValid: (permissions, page, draft) => keep(page, { ...draft, permissions }),
});

export const checkAnswersPage = formPage({
  view: 'proxy/request/check-answers.njk',
  route: requesterPage,
  // Nothing answered (the request was sent a moment ago, and this is Back then the button again): their requests say what happened.
  load: async (page) => (Object.keys(await draftOf(page)).length === 0 ? redirect(P.list) : draftFor('check-answers')(page)),
  schema: z.object({}),
  context: (page, draft) => ({
    rows: checkAnswerRows(completeRequest(draft, page.now)!, {
      relationship: P.relationship,
      person: P.theirDetails,
      evidence: P.evidence,
      permissions: P.permissions,
    }),
  }),
  onValid: async (_none, page, draft) => {
    const request = completeRequest(draft, page.now);
    if (!request) return STEP_PATHS[nextStep(draft, page.now)];
    const outcome = await sendRequest(getDb(), requesterOf(page), request, page.now);
    if (outcome.sent) return P.sent;
    // Sent a moment ago (a second click), or already asked: their requests say what happened.
    return outcome.why === 'themselves' ? P.theirDetails : P.list;
  },
});

export const sentPage = requesterPage(async (page) => {
  const [latest] = await requestsOf(getDb(), ownUser(page).id);
  const detail = latest?.status === 'requested' ? parseRequestDetail(latest.requestDetail) : null;
  if (!latest || !detail) return redirect(P.list);
  return renderPage(page, 'proxy/request/sent.njk', {
    givenName: detail.givenName,
    evidence: EVIDENCE_TEXT[detail.evidence],
    gpPractice: detail.gpPractice,
  });
});

export const requestsPage = requesterPage(async (page) => {
  const rows = await requestsOf(getDb(), ownUser(page).id);
  return renderPage(page, 'proxy/requests.njk', { requests: rows.map((row) => listedRequest(row, page.now)) });
});
