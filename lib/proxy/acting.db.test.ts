// Acting for someone else, through the real page pipeline (lib/platform/page.ts) on the database
// under test: what a proxy reaches, what is refused, the audit trail, and an access ending mid-session.
import { describe, expect, it } from 'vitest';
import * as account from '@/app/account/route';
import * as bloodPressure from '@/app/blood-pressure/route';
import * as addReading from '@/app/blood-pressure/add/route';
import * as careRecord from '@/app/care-record/route';
import * as closeAccount from '@/app/account/close/route';
import * as signInMethods from '@/app/account/sign-in-methods/route';
import * as whoHasViewed from '@/app/sharing/who-has-viewed/route';
import * as yourData from '@/app/account/your-data/route';
import { getDb } from '@/lib/platform/db';
import { makeCitizen, useDatabaseUnderTest } from '@/lib/platform/db-test-support';
import { browserCsrf, formPost } from '@/lib/platform/testing/requests';
import * as checkReading from '@/app/blood-pressure/add/check/route';
import { bloodPressureForProfessionalView } from '@/lib/blood-pressure/public';
import { proxyMayUse } from './acting';
import { accessIsActive } from './active';
import { actingSession } from './test-support';

const { provider } = useDatabaseUnderTest();

const get = (path: string, cookie: string) => new Request(`http://localhost:3000${path}`, { headers: { cookie } });
/** A form post with the session's cookie beside the CSRF cookie. */
function post(path: string, cookie: string, fields: Record<string, string> = {}) {
  const csrf = browserCsrf();
  return formPost(path, fields, { csrf, headers: { cookie: `${csrf.cookie}; ${cookie}` } });
}

describe('what a proxy may use', () => {
  it('opens only public, signed-in, any-proxy and permitted pages', () => {
    expect(proxyMayUse('public', [])).toBe(true);
    expect(proxyMayUse('citizen-or-proxy', [])).toBe(true);
    expect(proxyMayUse('citizen-or-proxy:blood-pressure', ['blood-pressure'])).toBe(true);
    expect(proxyMayUse('citizen-or-proxy:blood-pressure', ['care-record'])).toBe(false);
    expect(proxyMayUse('citizen', ['blood-pressure', 'care-record', 'about-me', 'contact-details', 'sharing'])).toBe(false);
    expect(proxyMayUse('registering', ['blood-pressure'])).toBe(false);
  });

  it('keeps an access only while it holds: active, before its end, a parent only until the child is 16', () => {
    const now = new Date('2026-12-03T12:00:00Z');
    const adult = { birthDate: '1950-01-01' };
    expect(accessIsActive({ status: 'active', endsAt: null, basis: 'invited' }, adult, now)).toBe(true);
    expect(accessIsActive({ status: 'ended', endsAt: null, basis: 'invited' }, adult, now)).toBe(false);
    expect(accessIsActive({ status: 'invited', endsAt: null, basis: 'invited' }, adult, now)).toBe(false);
    expect(accessIsActive({ status: 'active', endsAt: now, basis: 'invited' }, adult, now)).toBe(false);
    expect(accessIsActive({ status: 'active', endsAt: new Date(now.getTime() + 1), basis: 'invited' }, adult, now)).toBe(true);
    expect(accessIsActive({ status: 'active', endsAt: null, basis: 'parent' }, { birthDate: '2010-12-04' }, now)).toBe(true);
    expect(accessIsActive({ status: 'active', endsAt: null, basis: 'parent' }, { birthDate: '2010-12-03' }, now)).toBe(false);
    expect(accessIsActive({ status: 'active', endsAt: null, basis: 'attorney' }, adult, now)).toBe(true);
  });
});

describe(`acting for someone on ${provider}`, () => {
  it("shows the person's own pages the permissions open, says so on every page, and records each in their audit trail", async () => {
    const person = await makeCitizen({ givenName: 'Amelia', familyName: 'Testwell' });
    const { cookie, proxyId } = await actingSession(person, { permissions: ['blood-pressure', 'sharing'] });

    const home = await account.GET(get('/account', cookie));
    expect(home.status).toBe(200);
    const homeHtml = await home.text();
    expect(homeHtml).toContain('You are acting for Amelia Testwell');
    expect(homeHtml).toContain('Switch to your own record');
    // Only what was given: blood pressure and sharing, not the care record.
    expect(homeHtml).toContain('/blood-pressure');
    expect(homeHtml).not.toContain('href="/care-record"');

    const overview = await bloodPressure.GET(get('/blood-pressure', cookie));
    expect(overview.status).toBe(200);
    expect(await overview.text()).toContain('You are acting for Amelia Testwell');

    const entries = await getDb().auditEntry.findMany({ where: { citizenId: person, actorKind: 'proxy' }, orderBy: { seq: 'asc' } });
    // The account home only links to the pages; the pages themselves are recorded.
    expect(entries.map((entry) => [entry.action, entry.category, entry.actorId])).toEqual([['proxy-viewed', 'blood-pressure', proxyId]]);

    const trail = await (await whoHasViewed.GET(get('/sharing/who-has-viewed', cookie))).text();
    expect(trail).toContain('Carer Helpwell, acting for you');
    expect(trail).toContain('Viewed: your blood pressure readings');
  });

  it('refuses everything else: 404 for a page, 403 for a form, nothing changed', async () => {
    const person = await makeCitizen({ givenName: 'Amelia', familyName: 'Testwell' });
    const { cookie } = await actingSession(person, { permissions: ['blood-pressure'] });
    expect((await careRecord.GET(get('/care-record', cookie))).status).toBe(404);
    expect((await signInMethods.GET(get('/account/sign-in-methods', cookie))).status).toBe(404);
    expect((await yourData.GET(get('/account/your-data', cookie))).status).toBe(404);
    expect((await closeAccount.GET(get('/account/close', cookie))).status).toBe(404);
    const closing = await closeAccount.POST(post('/account/close', cookie, { confirm: 'yes' }));
    expect(closing.status).toBe(403);
    expect(await getDb().user.findUnique({ where: { id: person } })).not.toBeNull();
    expect(await getDb().auditEntry.count({ where: { citizenId: person, actorKind: 'proxy' } })).toBe(0);
  });

  it('stops at once when the access ends: told so, and a form sent then is not saved to anyone', async () => {
    const person = await makeCitizen({ givenName: 'Amelia', familyName: 'Testwell' });
    const { cookie, accessId, proxyId } = await actingSession(person, { permissions: ['blood-pressure'] });
    expect((await bloodPressure.GET(get('/blood-pressure', cookie))).status).toBe(200);
    await getDb().proxyAccess.update({ where: { id: accessId }, data: { status: 'ended', endedAt: new Date(), endedReason: 'by-person' } });

    const sent = await addReading.POST(post('/blood-pressure/add', cookie, { systolic: '120', diastolic: '80' }));
    expect(sent.status).toBe(303);
    expect(sent.headers.get('location')).toBe('/acting-for/ended');
    expect(await getDb().draft.count({ where: { userId: { in: [person, proxyId] } } })).toBe(0);

    // The session is their own again: their own account home, with no banner.
    const own = await (await account.GET(get('/account', cookie))).text();
    expect(own).not.toContain('You are acting for');
    expect(own).toContain('Your account');
  });

  it("adds a reading to the person's record, named for their care team as entered by the proxy", async () => {
    const person = await makeCitizen({ givenName: 'Amelia', familyName: 'Testwell' });
    const { cookie, proxyId } = await actingSession(person, { permissions: ['blood-pressure'] });
    const fields = { systolic: '128', diastolic: '82', measuredWhen: 'now', arm: 'left', sitting: 'yes' };
    expect((await addReading.POST(post('/blood-pressure/add', cookie, fields))).status).toBe(303);
    expect((await checkReading.POST(post('/blood-pressure/add/check', cookie))).status).toBe(303);
    expect(await getDb().bloodPressureReading.count({ where: { userId: proxyId } })).toBe(0);
    const view = await getDb().$transaction((tx) => bloodPressureForProfessionalView(tx, person, new Date()));
    expect(view.latest.map((reading) => [reading.systolic, reading.enteredBy])).toEqual([[128, 'Carer Helpwell (invited helper)']]);
    const changes = await getDb().auditEntry.findMany({ where: { citizenId: person, actorKind: 'proxy', action: 'proxy-changed' } });
    expect(changes.map((entry) => entry.category)).toEqual(['blood-pressure', 'blood-pressure']);
  });

  it('stops when the person closes their account (the access goes with it)', async () => {
    const person = await makeCitizen({ givenName: 'Amelia', familyName: 'Testwell' });
    const { cookie } = await actingSession(person, { permissions: ['about-me'] });
    await getDb().user.delete({ where: { id: person } });
    const response = await account.GET(get('/account', cookie));
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe('/acting-for/ended');
  });

  it("ends a parent's access on the child's 16th birthday", async () => {
    const child = await makeCitizen({ givenName: 'Milo', familyName: 'Testwell', birthDate: '2010-01-01' });
    const { cookie } = await actingSession(child, { basis: 'parent', permissions: ['blood-pressure'] });
    // The suite's clock (lib/platform/clock.ts) is today's: the child born on 1 January 2010 is 16.
    const response = await bloodPressure.GET(get('/blood-pressure', cookie));
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe('/acting-for/ended');
  });
});
