import { staffPage, type StaffPageRequest } from '@/lib/identity/public';
import { getDb } from '@/lib/platform/db';
import { notFound } from '@/lib/platform/errors';
import { validateForm, type FormErrors } from '@/lib/platform/forms';
import { formatNhsNumber } from '@/lib/platform/nhs-number';
import { formPage, renderPage, routeParam, type FormCheck } from '@/lib/platform/page';
import { paths } from '@/lib/platform/paths';
import { formatCalendarDay, formatDate } from '@/lib/platform/uk-time';
import { BASIS_TEXT, parsePermissions } from './permissions';
import { ageFits, ASKED_PERMISSION_TEXT, decisionSchema, parseRequestDetail, type Decision, type Relationship } from './request';
import { decideRequest, recordRequestViewed, requestForReview, waitingRequests, type ReviewedRequest } from './request-store';
import { ageWords, detailRows, sixteenthBirthday, type AnswerRow } from './request-views';

/**
 * The proxy verifier's side (a new staff role, for example at a GP practice): the requests waiting
 * for a check, oldest first, and one request with the evidence the person described, to grant
 * (what was asked, or less) or refuse with a reason the person asking will read. Every look at a
 * request and every decision is in the audit log, under the person the request is for.
 */

const P = paths.proxyRequests;

const verifierPage = (handler: (page: StaffPageRequest) => Response | Promise<Response>) => staffPage('proxy-verifier', handler);

const fullName = (person: { givenName: string; familyName: string }) => `${person.givenName} ${person.familyName}`;

/** The request the list's banner is about, after a decision. */
async function justDecided(page: StaffPageRequest) {
  const id = page.url.searchParams.get('decided');
  const row = id ? await requestForReview(getDb(), id) : null;
  if (!row || !row.proxy || (row.status !== 'active' && row.status !== 'refused')) return null;
  return { granted: row.status === 'active', from: fullName(row.proxy), for: fullName(row.person) };
}

export const requestListPage = verifierPage(async (page) => {
  const rows = await waitingRequests(getDb());
  return renderPage(page, 'proxy/staff/requests.njk', {
    staffSignedIn: true,
    decided: await justDecided(page),
    requests: rows.map((row) => ({
      id: row.id,
      askedOn: formatDate(row.createdAt),
      from: row.proxy ? fullName(row.proxy) : '',
      for: fullName(row.person),
      relationship: BASIS_TEXT[row.basis] ?? row.basis,
    })),
  });
});

/** The identity the person asking proved when they signed in. */
const PROVEN_WITH: Record<string, string> = { P9: 'NHS login (high level, P9)', P2: 'GOV.UK One Login (medium level, P2)' };

/** What the service already holds for the person the request is for. */
function recordWords(person: ReviewedRequest['person']): string {
  if (person._count.identities > 0) return 'They have their own account in this service';
  if (person.heldForPersonSince) return `We hold a record for them, since ${formatDate(person.heldForPersonSince)}`;
  return 'None yet: granting this request makes one, held for them until they can use the service themselves';
}

/** What was decided (and what happened since), for a request no longer waiting. */
function decisionRows(row: ReviewedRequest): AnswerRow[] {
  const by = [row.decidedByName, row.decidedByOrganisation].filter(Boolean).join(', ');
  const rows: AnswerRow[] = [];
  if (row.decidedAt) {
    rows.push({ key: row.decisionReason === null ? 'Granted' : 'Refused', lines: [`${formatDate(row.decidedAt)}${by ? ` by ${by}` : ''}`] });
    if (row.decisionReason !== null) rows.push({ key: 'Reason', lines: [row.decisionReason] });
    else rows.push({ key: 'They can', lines: parsePermissions(row.permissions).map((permission) => ASKED_PERMISSION_TEXT[permission].label) });
  }
  if (row.status === 'ended') {
    const why =
      row.endedReason === 'turned-16' ? `${row.person.givenName} turned 16 on ${formatCalendarDay(sixteenthBirthday(row.person.birthDate))}` : 'It has ended';
    rows.push({ key: 'Ended', lines: [why] });
  }
  return rows;
}

/** Everything the member of staff checks, in the order they check it. */
function reviewContext(row: ReviewedRequest, now: Date) {
  const detail = parseRequestDetail(row.requestDetail);
  const asking: AnswerRow[] = row.proxy
    ? [
        { key: 'Name', lines: [fullName(row.proxy)] },
        { key: 'Date of birth', lines: [formatCalendarDay(row.proxy.birthDate)] },
        ...(row.proxy.nhsNumber ? [{ key: 'NHS number', lines: [formatNhsNumber(row.proxy.nhsNumber)] }] : []),
        { key: 'Identity proven with', lines: [PROVEN_WITH[row.proxy.identityLevel] ?? row.proxy.identityLevel] },
      ]
    : [];
  const named = detail ? detailRows(detail) : [];
  const forRows: AnswerRow[] = [
    ...named.filter((answer) => ['Name', 'Date of birth', 'NHS number'].includes(answer.key)),
    { key: 'Age today', lines: [ageWords(row.person.birthDate, now)] },
    { key: 'Record in this service', lines: [recordWords(row.person)] },
    // The record found by NHS number and date of birth may carry another spelling of the name.
    ...(detail && fullName(detail) !== fullName(row.person) ? [{ key: 'Name on their record', lines: [fullName(row.person)] }] : []),
  ];
  const asked = parsePermissions(row.permissions);
  return {
    staffSignedIn: true,
    id: row.id,
    status: row.status,
    askedOn: formatDate(row.createdAt),
    from: row.proxy ? fullName(row.proxy) : '',
    forName: fullName(row.person),
    relationship: BASIS_TEXT[row.basis] ?? row.basis,
    asking,
    forRows,
    evidence: named.filter((answer) => !['Name', 'Date of birth', 'NHS number'].includes(answer.key)),
    asked: asked.map((permission) => ({ value: permission, text: ASKED_PERMISSION_TEXT[permission].label, hint: ASKED_PERMISSION_TEXT[permission].hint })),
    decision: row.status === 'requested' ? null : decisionRows(row),
  };
}

function fieldError(field: string, text: string): { ok: false; errors: FormErrors } {
  return { ok: false, errors: { summary: [{ text, href: `#${field}` }], fields: { [field]: { text } } } };
}

export const reviewPage = formPage<Decision, ReviewedRequest, StaffPageRequest>({
  view: 'proxy/staff/review.njk',
  route: verifierPage,
  load: async (page) => {
    const row = await requestForReview(getDb(), routeParam(page, 'id'));
    if (!row) notFound('no-such-proxy-request');
    if (page.req.method === 'GET') await recordRequestViewed(getDb(), page.staff, row);
    return row;
  },
  context: (page, row) => reviewContext(row, page.now),
  // The boxes start ticked with everything asked for: the member of staff unticks what they will not grant.
  values: (_page, row) => ({ permissions: parsePermissions(row.permissions) }),
  lists: ['permissions'],
  validate: (values, page, row): FormCheck<Decision> => {
    const checked = validateForm(decisionSchema(parsePermissions(row.permissions)), values);
    if (!checked.ok) return checked;
    if (checked.data.decision === 'grant' && !ageFits(row.basis as Relationship, row.person.birthDate, page.now)) {
      const birthday = formatCalendarDay(sixteenthBirthday(row.person.birthDate));
      return fieldError('decision', `You cannot grant this request: ${row.person.givenName} turned 16 on ${birthday}. Refuse it and give that as the reason`);
    }
    return { ok: true, data: checked.data };
  },
  onValid: async (decision, page, row) => {
    const outcome = await decideRequest(getDb(), row.id, page.staff, decision, page.now);
    if (outcome === 'not-found') notFound('no-such-proxy-request');
    // Decided: back to the list, which says so. Otherwise (decided by someone else a moment ago), the request as it is now.
    return outcome === 'decided' ? `${P.staffList}?decided=${encodeURIComponent(row.id)}` : P.staffReview(row.id);
  },
});
