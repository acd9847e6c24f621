// The request journey and the proxy verifier's pages in-process (a Request in, a Response out), on
// the database under test: every question's bad input (422 with the error summary, nothing kept),
// the order of the questions, check answers sending the request, the person's list of requests,
// and the decision, which only a proxy verifier may make.
import { describe, expect, it } from 'vitest';
import * as checkAnswers from '@/app/acting-for/request/check-answers/route';
import * as evidence from '@/app/acting-for/request/evidence/route';
import * as permissions from '@/app/acting-for/request/permissions/route';
import * as relationship from '@/app/acting-for/request/relationship/route';
import * as sent from '@/app/acting-for/request/sent/route';
import * as theirDetails from '@/app/acting-for/request/their-details/route';
import * as requests from '@/app/acting-for/requests/route';
import * as staffList from '@/app/staff/proxy-requests/route';
import * as review from '@/app/staff/proxy-requests/[id]/route';
import { TEST_CLOCK_HEADER } from '@/lib/platform/clock';
import { getDb } from '@/lib/platform/db';
import { citizenSessionCookie, makeCitizen, staffSessionCookie, useDatabaseUnderTest } from '@/lib/platform/db-test-support';
import { readDraft } from '@/lib/platform/drafts';
import { paths } from '@/lib/platform/paths';
import { browserCsrf, formPost } from '@/lib/platform/testing/requests';
import { requestDraftSchema } from './request';
import { DRAFT_JOURNEY } from './request-store';
import { ask, bornBefore, completeRequest, madeUpNhsNumber } from './test-support';

const { provider } = useDatabaseUnderTest({ TEST_CLOCK: 'true' });

const P = paths.proxyRequests;
type Route = (req: Request, context?: { params?: Promise<Record<string, string>> }) => Promise<Response>;
const params = (id = '') => ({ params: Promise.resolve({ id }) });

/** A browser: its session (a citizen's or a member of staff's), its form secret, and the clock it lives by. */
function browser(session: string) {
  const csrf = browserCsrf();
  const headers = (at?: Date) => ({ cookie: `${csrf.cookie}; ${session}`, ...(at ? { [TEST_CLOCK_HEADER]: at.toISOString() } : {}) });
  return {
    get: (route: Route, path: string, options: { id?: string; at?: Date } = {}) =>
      route(new Request(`http://localhost:3000${path}`, { headers: headers(options.at) }), params(options.id)),
    post: (route: Route, path: string, fields: Record<string, string | string[]>, options: { id?: string; at?: Date } = {}) =>
      route(formPost(path, fields, { csrf, headers: headers(options.at) }), params(options.id)),
  };
}

async function parent(givenName = 'Nora') {
  const nhsNumber = madeUpNhsNumber();
  const id = await makeCitizen({ givenName, familyName: 'Parentwell', nhsNumber });
  return { id, nhsNumber, givenName, familyName: 'Parentwell', ...browser(await citizenSessionCookie(id)) };
}

const today = new Date();
const childBirth = bornBefore(today, 9);
const [year, month, day] = childBirth.split('-').map(Number) as [number, number, number];
const childNhs = () => madeUpNhsNumber();
const details = (nhsNumber: string, extra: Record<string, string> = {}) => ({
  givenName: 'Chloe',
  familyName: 'Testchild',
  'dateOfBirth-day': String(day),
  'dateOfBirth-month': String(month),
  'dateOfBirth-year': String(year),
  nhsNumber,
  ...extra,
});

const draftOf = (userId: string) => readDraft(getDb(), userId, DRAFT_JOURNEY, requestDraftSchema);
const requestsBy = (proxyId: string) => getDb().proxyAccess.findMany({ where: { proxyId } });

async function refused(response: Response, message: string) {
  expect(response.status).toBe(422);
  const html = await response.text();
  expect(html).toMatch(/<title>Error: /);
  expect(html).toContain('There is a problem');
  expect(html).toContain(message);
  return html;
}

describe(`a parent's request, page by page, on ${provider}`, () => {
  it('asks one question a page, checks the answers and sends the request; the list says it is waiting', async () => {
    const nora = await parent();
    expect((await nora.get(relationship.GET, P.relationship)).status).toBe(200);
    const steps: [Route, string, Record<string, string | string[]>, string][] = [
      [relationship.POST, P.relationship, { relationship: 'parent' }, P.theirDetails],
      [theirDetails.POST, P.theirDetails, details(childNhs()), P.evidence],
      [evidence.POST, P.evidence, { evidence: 'birth-certificate', reference: '', gpPractice: 'Demo Lane Surgery' }, P.permissions],
      [permissions.POST, P.permissions, { permissions: ['care-record', 'blood-pressure'] }, P.checkAnswers],
    ];
    for (const [route, path, fields, next] of steps) {
      const answered = await nora.post(route, path, fields);
      expect(answered.status, path).toBe(303);
      expect(answered.headers.get('location'), path).toBe(next);
    }
    // Each question shows what was answered when opened again.
    expect(await (await nora.get(theirDetails.GET, P.theirDetails)).text()).toMatch(/name="familyName" type="text" spellcheck="false" value="Testchild"/);

    const check = await (await nora.get(checkAnswers.GET, P.checkAnswers)).text();
    expect(check).toContain('Check your answers before sending your request');
    expect(check).toContain('Chloe Testchild');
    expect(check).toContain('Their birth certificate, naming you as a parent');
    expect(check).toContain('See and add their blood pressure readings');
    expect(check).toContain(`href="${P.evidence}"`);
    expect(await requestsBy(nora.id)).toEqual([]);

    const sentNow = await nora.post(checkAnswers.POST, P.checkAnswers, {});
    expect(sentNow.status).toBe(303);
    expect(sentNow.headers.get('location')).toBe(P.sent);
    expect(await requestsBy(nora.id)).toMatchObject([{ basis: 'parent', status: 'requested', permissions: 'care-record,blood-pressure' }]);
    const sentPage = await (await nora.get(sent.GET, P.sent)).text();
    expect(sentPage).toContain('Request sent');
    expect(sentPage).toContain('Take their birth certificate, naming you as a parent to Demo Lane Surgery');

    // Sent twice (Back, then the button again): nothing more.
    const again = await nora.post(checkAnswers.POST, P.checkAnswers, {});
    expect(again.headers.get('location')).toBe(P.list);
    expect(await requestsBy(nora.id)).toHaveLength(1);

    const list = await (await nora.get(requests.GET, P.list)).text();
    expect(list).toContain('Chloe Testchild');
    expect(list).toContain('Waiting for a check');
  });

  it("refuses each question's bad input with the error summary (422), and keeps nothing of it", async () => {
    const nora = await parent();
    await refused(await nora.post(relationship.POST, P.relationship, {}), 'Select whether you are their parent or guardian, or their attorney or deputy');
    await refused(await nora.post(relationship.POST, P.relationship, { relationship: 'neighbour' }), 'Select whether you are their parent or guardian');
    expect(await draftOf(nora.id)).toBeNull();

    await nora.post(relationship.POST, P.relationship, { relationship: 'parent' });
    const html = await refused(await nora.post(theirDetails.POST, P.theirDetails, details('123', { givenName: '' })), 'Enter their first name');
    expect(html).toContain('NHS number must be 10 digits');
    // What was typed is shown again.
    expect(html).toMatch(/name="familyName" type="text" spellcheck="false" value="Testchild"/);
    await refused(
      await nora.post(theirDetails.POST, P.theirDetails, details(childNhs(), { 'dateOfBirth-year': String(today.getUTCFullYear() - 17) })),
      'as a child must be under 16',
    );
    await refused(
      await nora.post(theirDetails.POST, P.theirDetails, details(nora.nhsNumber)),
      'This is your own NHS number: you cannot ask to act for yourself',
    );
    expect((await draftOf(nora.id))?.person).toBeUndefined();

    await nora.post(theirDetails.POST, P.theirDetails, details(childNhs()));
    await refused(await nora.post(evidence.POST, P.evidence, { evidence: 'lasting-power-of-attorney', gpPractice: '' }), 'Enter the name of their GP practice');
    expect((await draftOf(nora.id))?.evidence).toBeUndefined();

    await nora.post(evidence.POST, P.evidence, { evidence: 'birth-certificate', gpPractice: 'Demo Lane Surgery' });
    await refused(await nora.post(permissions.POST, P.permissions, {}), 'Select what you need to do for them');
    await refused(await nora.post(permissions.POST, P.permissions, { permissions: ['care-record', 'everything'] }), 'Select what you need to do for them');
    expect((await draftOf(nora.id))?.permissions).toBeUndefined();
    expect(await requestsBy(nora.id)).toEqual([]);
  });

  it('refuses to ask again for someone they have already asked to act for', async () => {
    const nora = await parent();
    const nhsNumber = childNhs();
    await ask(nora, completeRequest('parent', { birthDate: childBirth, nhsNumber }));
    await nora.post(relationship.POST, P.relationship, { relationship: 'parent' });
    await refused(await nora.post(theirDetails.POST, P.theirDetails, details(nhsNumber)), 'You have already asked to act for the person with this NHS number');
  });

  it('shows the name they gave, never how a record the service found writes it', async () => {
    const nora = await parent();
    const nhsNumber = childNhs();
    await makeCitizen({ givenName: 'Edwina', familyName: 'Onrecordonly', birthDate: '1940-02-02', nhsNumber });
    await ask(nora, completeRequest('attorney', { givenName: 'Edie', familyName: 'Astyped', birthDate: '1940-02-02', nhsNumber }));
    const list = await (await nora.get(requests.GET, P.list)).text();
    expect(list).toContain('Edie Astyped');
    expect(list).not.toContain('Onrecordonly');
    expect(await (await nora.get(sent.GET, P.sent)).text()).not.toContain('Edwina');
  });

  it('sends every question to the first one still to answer', async () => {
    const nora = await parent();
    for (const [route, path] of [
      [evidence.GET, P.evidence],
      [permissions.GET, P.permissions],
    ] as const) {
      const response = await nora.get(route, path);
      expect(response.status, path).toBe(303);
      expect(response.headers.get('location'), path).toBe(P.relationship);
    }
    // Nothing to check: their requests instead; half answered: the first question still to answer.
    expect((await nora.get(checkAnswers.GET, P.checkAnswers)).headers.get('location')).toBe(P.list);
    await nora.post(relationship.POST, P.relationship, { relationship: 'attorney' });
    expect((await nora.get(checkAnswers.GET, P.checkAnswers)).headers.get('location')).toBe(P.theirDetails);
    const skipped = await nora.post(permissions.POST, P.permissions, { permissions: 'care-record' });
    expect(skipped.headers.get('location')).toBe(P.theirDetails);
    expect((await draftOf(nora.id))?.permissions).toBeUndefined();
    // Nothing waiting: the sent page goes to the list.
    expect((await nora.get(sent.GET, P.sent)).headers.get('location')).toBe(P.list);
  });

  it('is for signed-in citizens: signed out, every page sends them to sign in', async () => {
    const visitor = browser('');
    for (const [route, path] of [
      [relationship.GET, P.relationship],
      [requests.GET, P.list],
      [sent.GET, P.sent],
    ] as const) {
      const response = await visitor.get(route, path);
      expect(response.status).toBe(303);
      expect(response.headers.get('location')).toMatch(/^\/sign-in\?returnTo=/);
    }
  });
});

describe(`the proxy verifier's pages on ${provider}`, () => {
  async function waiting(birthDate = childBirth) {
    const nora = await parent();
    const outcome = await ask(nora, completeRequest('parent', { birthDate, nhsNumber: childNhs() }));
    if (!outcome.sent) throw new Error('not sent');
    return { nora, id: outcome.id };
  }

  it('lists the requests waiting, and shows one with what to check, recording each look', async () => {
    const { id } = await waiting();
    const vera = browser(await staffSessionCookie('proxy-verifier'));
    const list = await (await vera.get(staffList.GET, P.staffList)).text();
    expect(list).toContain(`href="${P.staffReview(id)}"`);
    expect(list).toContain('Nora Parentwell asks to act for Chloe Testchild');

    const shown = await vera.get(review.GET, P.staffReview(id), { id });
    expect(shown.status).toBe(200);
    const html = await shown.text();
    expect(html).toContain('Request to act for Chloe Testchild');
    expect(html).toContain('None yet: granting this request makes one');
    expect(html).toMatch(/name="permissions" type="checkbox" value="care-record" checked/);
    const person = (await getDb().proxyAccess.findUniqueOrThrow({ where: { id } })).personId;
    expect(await getDb().auditEntry.count({ where: { citizenId: person, action: 'proxy-request-viewed', actorKind: 'staff' } })).toBe(1);

    expect((await vera.get(review.GET, P.staffReview('no-such-request'), { id: 'no-such-request' })).status).toBe(404);
  });

  it('refuses a decision without its answers (422), a refusal without a reason included, and changes nothing', async () => {
    const { id } = await waiting();
    const vera = browser(await staffSessionCookie('proxy-verifier'));
    const post = (fields: Record<string, string | string[]>) => vera.post(review.POST, P.staffReview(id), fields, { id });
    await refused(await post({}), 'Select whether you grant or refuse the request');
    await refused(await post({ decision: 'refuse', reason: ' ' }), 'Enter why you are refusing the request');
    await refused(await post({ decision: 'grant' }), 'Select what they can do for them');
    const html = await refused(await post({ decision: 'grant', permissions: ['care-record', 'sharing'] }), 'Select only what they asked to do');
    // The boxes are shown as they were sent.
    expect(html).toMatch(/value="care-record" checked/);
    expect(await getDb().proxyAccess.findUniqueOrThrow({ where: { id } })).toMatchObject({ status: 'requested', decidedAt: null });
  });

  it('grants, and the person who asked sees what they can do; a refusal shows its reason', async () => {
    const granted = await waiting();
    const vera = browser(await staffSessionCookie('proxy-verifier'));
    const decided = await vera.post(review.POST, P.staffReview(granted.id), { decision: 'grant', permissions: ['blood-pressure'] }, { id: granted.id });
    expect(decided.status).toBe(303);
    expect(decided.headers.get('location')).toBe(`${P.staffList}?decided=${granted.id}`);
    expect(await (await vera.get(staffList.GET, `${P.staffList}?decided=${granted.id}`)).text()).toContain(
      'You granted the request from Nora Parentwell to act for Chloe Testchild.',
    );
    const after = await (await vera.get(review.GET, P.staffReview(granted.id), { id: granted.id })).text();
    expect(after).toContain('What was decided');
    expect(after).not.toContain('name="decision"');
    // Decided already: a second decision changes nothing.
    await vera.post(review.POST, P.staffReview(granted.id), { decision: 'refuse', reason: 'Too late' }, { id: granted.id });
    expect((await getDb().proxyAccess.findUniqueOrThrow({ where: { id: granted.id } })).status).toBe('active');

    const list = await (await granted.nora.get(requests.GET, P.list)).text();
    expect(list).toContain('Granted');
    expect(list).toContain('See and add their blood pressure readings');
    expect(list).not.toContain('See their care record');

    const refusal = await waiting();
    await vera.post(
      review.POST,
      P.staffReview(refusal.id),
      { decision: 'refuse', reason: 'The birth certificate did not name you. Bring the court order.' },
      { id: refusal.id },
    );
    const theirs = await (await refusal.nora.get(requests.GET, P.list)).text();
    expect(theirs).toContain('Refused');
    expect(theirs).toContain('The birth certificate did not name you. Bring the court order.');
  });

  it("shows the parent their access ended on the child's 16th birthday, and cannot grant a request for a child who is 16", async () => {
    const sixteenTomorrow = bornBefore(today, 16, -1);
    const { nora, id } = await waiting(sixteenTomorrow);
    const vera = browser(await staffSessionCookie('proxy-verifier'));
    const tomorrow = new Date(today.getTime() + 86_400_000);
    await refused(
      await vera.post(review.POST, P.staffReview(id), { decision: 'grant', permissions: ['care-record'] }, { id, at: tomorrow }),
      'You cannot grant this request: Chloe turned 16 on',
    );
    expect(await vera.post(review.POST, P.staffReview(id), { decision: 'grant', permissions: ['care-record'] }, { id })).toHaveProperty('status', 303);

    expect(await (await nora.get(requests.GET, P.list)).text()).toContain('Granted');
    const later = await (await nora.get(requests.GET, P.list, { at: tomorrow })).text();
    expect(later).toContain('Ended');
    expect(later).toContain('Chloe turned 16 on');
  });

  it('is for proxy verifiers only: other staff are refused (403) and change nothing; others are sent to staff sign-in', async () => {
    const { id } = await waiting();
    const grace = browser(await staffSessionCookie('care-professional,engagement-coordinator,programme-admin'));
    expect((await grace.get(staffList.GET, P.staffList)).status).toBe(403);
    expect((await grace.get(review.GET, P.staffReview(id), { id })).status).toBe(403);
    expect((await grace.post(review.POST, P.staffReview(id), { decision: 'grant', permissions: ['care-record'] }, { id })).status).toBe(403);
    expect(await getDb().proxyAccess.findUniqueOrThrow({ where: { id } })).toMatchObject({ status: 'requested', decidedAt: null });

    const citizen = await parent('Carl');
    for (const who of [citizen, browser('')]) {
      const response = await who.post(review.POST, P.staffReview(id), { decision: 'grant', permissions: ['care-record'] }, { id });
      expect(response.status).toBe(303);
      expect(response.headers.get('location')).toBe('/staff/sign-in');
    }
    expect((await getDb().proxyAccess.findUniqueOrThrow({ where: { id } })).status).toBe('requested');
  });
});
