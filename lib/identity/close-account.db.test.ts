// Closing an account: everything the citizen added goes, in one transaction, across every table
// that names them (found from the schema, so a new table cannot be forgotten); the audit log keeps
// its entries and an "account closed" one, and its chain still verifies; sessions and app tokens
// stop working; signing in again makes a new, empty account. Then the pages, in-process.
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordAudit } from '@/lib/audit/public';
import { verifyAuditChain } from '@/lib/audit/audit-log';
import { connect, register, token, api, REDIRECT } from '@/lib/open-platform/test-support';
import { reloadConfig } from '@/lib/platform/config';
import { getDb } from '@/lib/platform/db';
import { citizenSessionCookie, makeCitizen, staffSessionCookie, useDatabaseUnderTest } from '@/lib/platform/db-test-support';
import { paths } from '@/lib/platform/paths';
import { browserCsrf, formPost } from '@/lib/platform/testing/requests';
import { emergencyAccesses } from '@/lib/sharing/access-log';
import { findByNhsNumber } from '@/lib/sharing/find-citizen';
import { citizenViewPage } from '@/lib/sharing/staff-pages';
import { accountPage, signedOutPage } from './account-pages';
import { ownerOf } from './account-links';
import { citizenGuard } from './citizen-page';
import { accountClosedPage, closeAccountPage, CONFIRM_MESSAGE } from './close-account-pages';
import { closeAccount } from './close-account';
import { currentCitizen } from './citizen';
import { sessionCookieName } from './session-cookie';
import { recordSignIn } from './session-store';

const target = useDatabaseUnderTest();

/** A provider's discovery document, so that signing out at the provider can be followed. */
let provider: Server;
let issuer: string;

beforeAll(async () => {
  provider = createServer((req, res) => {
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ issuer, end_session_endpoint: `${issuer}/logout` }));
  });
  await new Promise<void>((resolve) => provider.listen(0, '127.0.0.1', resolve));
  issuer = `http://127.0.0.1:${(provider.address() as AddressInfo).port}/nhslogin`;
  reloadConfig({ ...process.env, DATABASE_URL: target.url, PUBLIC_URL: 'http://localhost:3000', NHSLOGIN_ISSUER: issuer });
});

afterAll(async () => {
  await new Promise((resolve) => provider.close(resolve));
});

const db = () => getDb();
const run = randomUUID().slice(0, 8);
const ALL_SCOPES = 'launch/patient openid fhirUser offline_access patient/Patient.r patient/Observation.rs';

/** Every model with a userId or citizenId field (prisma/schema.prisma), and that field. */
function tablesNamingACitizen(): { model: string; field: 'userId' | 'citizenId' }[] {
  const schema = fs.readFileSync(path.resolve(__dirname, '../../prisma/schema.prisma'), 'utf8');
  const tables: { model: string; field: 'userId' | 'citizenId' }[] = [];
  for (const [, model, body] of schema.matchAll(/^model (\w+) \{([\s\S]*?)^\}/gm)) {
    const field = /^\s+(userId|citizenId)\s/m.exec(body!)?.[1] as 'userId' | 'citizenId' | undefined;
    if (field) tables.push({ model: model!, field });
  }
  return tables;
}

type Counter = { count(args: { where: Record<string, string> }): Promise<number> };

/** Rows naming this citizen, table by table (and the User row, and OAuth records for them). */
async function rowsOf(userId: string): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const { model, field } of tablesNamingACitizen()) {
    const delegate = (db() as unknown as Record<string, Counter>)[model.charAt(0).toLowerCase() + model.slice(1)]!;
    counts[model] = await delegate.count({ where: { [field]: userId } });
  }
  counts.User = await db().user.count({ where: { id: userId } });
  counts.EngagementAnswer = await db().engagementAnswer.count({ where: { response: { userId } } });
  counts.OAuthRecord = await db().oAuthRecord.count({ where: { payload: { contains: userId } } });
  return counts;
}

/** A citizen with something in every table that can name them, and the app they connected. */
async function citizenWithEverything(givenName = 'Rosa') {
  const d = db();
  const now = new Date();
  const nhsNumber = `999${String(Math.floor(Math.random() * 1e7)).padStart(7, '0')}`;
  const userId = await makeCitizen({ givenName, familyName: `Closewell-${run}`, nhsNumber });
  const subject = `nhs-${randomUUID()}`;
  await d.userIdentity.create({ data: { userId, provider: 'nhslogin', subject } });
  await d.identityLink.create({ data: { userId, at: now, provider: 'onelogin', kind: 'added' } });
  const cookie = await citizenSessionCookie(userId);
  await citizenSessionCookie(userId); // signed in on a second device too
  await d.signInEvent.create({ data: { userId, at: now, provider: 'nhslogin', deviceKind: 'computer', sharedDevice: false, outcome: 'signed-in' } });
  const reading = await d.bloodPressureReading.create({ data: { userId, measuredAt: now, systolic: 131, diastolic: 84, arm: 'left', sitting: true } });
  await d.bloodPressureReadingChange.create({ data: { userId, readingId: reading.id, action: 'added' } });
  await d.homeMonitoringWeek.create({ data: { userId, startedOn: '2026-11-01', endsOn: '2026-11-07' } });
  await d.topThingsVersion.create({ data: { userId, items: JSON.stringify([{ title: 'Hearing', description: 'Face me' }]) } });
  await d.longTermCondition.create({ data: { userId, code: '38341003', name: 'High blood pressure' } });
  await d.communicationNeeds.create({ data: { userId, formats: 'large-print' } });
  await d.sharingConsent.create({ data: { userId, category: 'blood-pressure', shared: false } });
  await d.careRecordLink.create({ data: { userId, outcome: 'matched', patientId: `patient-${run}`, method: 'nhs-number', checkedAt: now } });
  await d.draft.create({ data: { userId, journey: 'about-me/condition', answers: '{}', expiresAt: new Date(now.getTime() + 3_600_000) } });
  await d.contactPreference.create({ data: { userId, channel: 'email', email: 'rosa@example.com', changeId: randomUUID() } });
  await d.fewerLettersChoice.create({ data: { userId, organisation: 'council', fewerLetters: true } });
  await d.postToDigitalSwitch.create({ data: { userId, fromChannel: 'post', toChannel: 'email' } });
  await d.organisationReference.create({ data: { organisation: 'council', reference: `LCC-${randomUUID().slice(0, 8)}`, userId, updatedAt: now } });
  await d.postalAddress.create({ data: { userId, line1: '3 Leaving Lane', town: 'Leeds', postcode: 'LS6 2QR', source: 'manual' } });
  for (const status of ['pending', 'delivered']) {
    await d.outboxMessage.create({
      data: {
        idempotencyKey: randomUUID(),
        destination: 'council',
        topic: 'address-changed',
        userId,
        subjectId: 'x',
        payload: '{"line1":"3 Leaving Lane"}',
        status,
      },
    });
  }
  await d.userActiveDay.create({ data: { userId, day: '2026-12-01' } });
  await d.userActiveMonth.create({ data: { userId, month: '2026-12' } });
  await d.engagementPreference.create({ data: { userId, wantsInvitations: true } });
  const activity = await d.engagementActivity.create({
    data: { organisationCode: 'ZZ0003', organisationName: 'Demo City Council', createdBy: 'staff-1', title: 'Buses', purpose: 'Buses', status: 'published' },
  });
  const question = await d.engagementQuestion.create({ data: { organisationCode: 'ZZ0003', text: 'How do you travel?', kind: 'text' } });
  const response = await d.engagementResponse.create({ data: { userId, activityId: activity.id, submittedAt: now } });
  await d.engagementAnswer.create({ data: { responseId: response.id, questionId: question.id, value: '"Bus"' } });
  await d.engagementInvitation.create({ data: { userId, activityId: activity.id } });
  await d.dataExport.create({ data: { id: randomUUID(), userId, requestedAt: now, expiresAt: new Date(now.getTime() + 3_600_000) } });
  await d.letter.create({
    data: {
      userId,
      senderId: 'council',
      idempotencyKey: randomUUID(),
      requestHash: 'x',
      kind: 'general',
      title: 'A letter',
      letterDate: '2026-12-01',
      receivedAt: now,
      html: '<p>Hi</p>',
      pdf: new Uint8Array([37]),
      pdfBytes: 1,
    },
  });
  // An app connected through the real authorisation server: a grant, tokens, the connection.
  const appId = `diary-${randomUUID().slice(0, 8)}`;
  await register(appId, ALL_SCOPES.split(' '));
  const tokens = await connect(appId, userId, ALL_SCOPES);
  // Audit entries: a professional's view, and the citizen's own change.
  await recordAudit(d, {
    citizenId: userId,
    actorKind: 'staff',
    actorId: 'staff-1',
    actorName: 'Grace Practiceton',
    actorOrganisation: 'Demo Lane Surgery (ZZ0001)',
    actorRole: 'General Practitioner',
    action: 'emergency-access',
    category: 'all',
    reason: 'Unconscious in A&E',
    detail: { relationship: 'none' },
  });
  return { userId, subject, cookie, tokens, appId, nhsNumber };
}

function get(pathname: string, cookie: string): Request {
  return new Request(`http://localhost:3000${pathname}`, { headers: { cookie } });
}

function post(pathname: string, cookie: string, fields: Record<string, string>): Request {
  const csrf = browserCsrf();
  return formPost(pathname, fields, { csrf, headers: { cookie: `${csrf.cookie}; ${cookie}` } });
}

describe('closing an account', () => {
  it('deletes every row that names the citizen but the audit log, keeps the chain whole, and leaves other citizens alone', async () => {
    const rosa = await citizenWithEverything();
    const other = await citizenWithEverything('Other');
    const before = await rowsOf(rosa.userId);
    // The fixture reaches every table that can name a citizen: a new one must be thought about here.
    expect(Object.entries(before).filter(([, count]) => count === 0)).toEqual([]);
    const otherBefore = await rowsOf(other.userId);
    const activeIn = async (month: string) => db().userActiveMonth.count({ where: { month } });
    const activeBefore = await activeIn('2026-12');

    const closed = await closeAccount(db(), rosa.userId);
    // Three sessions: two devices, and the browser that connected the app.
    expect(closed).toEqual({ appConnections: 1, messagesCancelled: 1, sessions: 3 });

    const after = await rowsOf(rosa.userId);
    const kept = { AuditEntry: before.AuditEntry! + 1, PostToDigitalSwitch: 1 };
    expect(after).toEqual({ ...Object.fromEntries(Object.keys(before).map((model) => [model, 0])), ...kept });
    expect(await rowsOf(other.userId)).toEqual(otherBefore);
    // Past active-user counts stay the same: the person's months are kept under a new random id.
    expect(await activeIn('2026-12')).toBe(activeBefore);
    expect(await db().userActiveDay.count({ where: { day: '2026-12-01', userId: { startsWith: 'closed-' } } })).toBeGreaterThanOrEqual(1);

    const entry = await db().auditEntry.findFirst({ where: { citizenId: rosa.userId, action: 'account-closed' } });
    expect(entry).toMatchObject({
      actorKind: 'citizen',
      actorId: rosa.userId,
      detail: JSON.stringify({ signInMethods: 'nhslogin', appConnections: 1, messagesCancelled: 1 }),
    });
    expect((await verifyAuditChain(db())).ok).toBe(true);

    // A second close (a double click) finds nothing to do.
    expect(await closeAccount(db(), rosa.userId)).toBeNull();
  });

  it("ends every session and every app's tokens at once", async () => {
    const rosa = await citizenWithEverything();
    expect((await api(rosa.tokens.access_token, `Patient/${rosa.userId}`)).status).toBe(200);
    await closeAccount(db(), rosa.userId);

    expect((await currentCitizen(get('/account', rosa.cookie))).state).toBe('ended');
    const account = await accountPage(get(paths.account, rosa.cookie));
    expect(account.status).toBe(303);
    expect(account.headers.get('location')).toMatch(/^\/signed-out\?reason=timeout/);

    expect((await api(rosa.tokens.access_token, `Patient/${rosa.userId}`)).status).toBe(401);
    const refreshed = await token({ grant_type: 'refresh_token', refresh_token: rosa.tokens.refresh_token!, client_id: rosa.appId, redirect_uri: REDIRECT });
    expect(refreshed.status).toBe(400);
    expect(refreshed.body.error).toBe('invalid_grant');
  });

  it('makes a new, empty account that must register when the person signs in again with the same identity', async () => {
    const rosa = await citizenWithEverything();
    await closeAccount(db(), rosa.userId);
    expect(await ownerOf(db(), 'nhslogin', rosa.subject)).toBeNull();

    const limits = { idleSeconds: 1800, idleSecondsShared: 600, maxSeconds: 43_200, maxSecondsShared: 7200 };
    const again = await recordSignIn(
      db(),
      {
        provider: 'nhslogin',
        subject: rosa.subject,
        identity: { givenName: 'Rosa', familyName: `Closewell-${run}`, birthDate: '1980-01-01', nhsNumber: rosa.nhsNumber, level: 'P9' },
        idToken: 'id-token',
        sharedDevice: false,
        deviceKind: 'computer',
      },
      limits,
    );
    expect(again.isNewUser).toBe(true);
    expect(again.userId).not.toBe(rosa.userId);
    expect(await ownerOf(db(), 'nhslogin', rosa.subject)).toBe(again.userId);
    const user = await db().user.findUniqueOrThrow({ where: { id: again.userId } });
    expect(user.registeredAt).toBeNull();
    // Nothing comes back: only the new sign-in is there.
    const counts = await rowsOf(again.userId);
    expect(Object.entries(counts).filter(([, count]) => count > 0)).toEqual([
      ['UserIdentity', 1],
      ['Session', 1],
      ['SignInEvent', 1],
      ['User', 1],
    ]);
    // Every citizen page sends them into registration first.
    const session = await db().session.findUniqueOrThrow({ where: { id: again.sessionId }, include: { user: true } });
    const guarded = citizenGuard({ session: { state: 'signed-in', citizen: session } } as never);
    expect(guarded?.headers.get('location')).toBe(paths.register.yourInformation);
  });

  it('is no longer found by professionals, whose links to them answer 404, and staff reports still show the audit', async () => {
    const rosa = await citizenWithEverything();
    expect(await findByNhsNumber(db(), rosa.nhsNumber)).toHaveLength(1);
    await closeAccount(db(), rosa.userId);
    expect(await findByNhsNumber(db(), rosa.nhsNumber)).toEqual([]);

    const professional = await staffSessionCookie('care-professional');
    const view = await citizenViewPage(get(paths.staff.citizen(rosa.userId), professional), { params: Promise.resolve({ id: rosa.userId }) });
    expect(view.status).toBe(404);

    const report = await emergencyAccesses(db(), 1);
    expect(report.rows.find((row) => row.reason === 'Unconscious in A&E' && row.citizen === 'An account that has since closed')).toBeTruthy();
  });
});

describe('the close your account page', () => {
  it('says what is deleted and what is kept, and refuses without the box ticked (422), changing nothing', async () => {
    const rosa = await citizenWithEverything();
    const shown = await closeAccountPage.GET(get(paths.closeAccount, rosa.cookie));
    expect(shown.status).toBe(200);
    const html = await shown.text();
    expect(html).toContain('<h1 class="govuk-heading-l">Close your account</h1>');
    expect(html).toContain('8 years, as NHS records guidance asks');
    expect(html).toContain('href="/account/your-data"');
    expect(html).toContain('We also unlink NHS login from this service');
    expect(html).toContain('govuk-button--warning');

    const before = await rowsOf(rosa.userId);
    const refused = await closeAccountPage.POST(post(paths.closeAccount, rosa.cookie, {}));
    expect(refused.status).toBe(422);
    const errors = await refused.text();
    expect(errors).toMatch(/<title>Error: Close your account/);
    expect(errors).toContain(`<a href="#confirm">${CONFIRM_MESSAGE}</a>`);
    expect(errors).toContain(`<span class="govuk-visually-hidden">Error:</span> ${CONFIRM_MESSAGE}`);
    expect(await rowsOf(rosa.userId)).toEqual(before);

    // Nor with something else sent in the box's place.
    expect((await closeAccountPage.POST(post(paths.closeAccount, rosa.cookie, { confirm: 'maybe' }))).status).toBe(422);
    expect(await rowsOf(rosa.userId)).toEqual(before);
  });

  it('closes the account, clears the cookies and signs out at the provider, which brings them to the closed page', async () => {
    const rosa = await citizenWithEverything();
    const closed = await closeAccountPage.POST(post(paths.closeAccount, rosa.cookie, { confirm: 'yes' }));
    expect(closed.status).toBe(303);
    const location = new URL(closed.headers.get('location')!);
    expect(`${location.origin}${location.pathname}`).toBe(`${issuer}/logout`);
    expect(Object.fromEntries(location.searchParams)).toEqual({
      id_token_hint: 'test-id-token',
      post_logout_redirect_uri: 'http://localhost:3000/signed-out',
      state: 'account-closed',
    });
    const cookies = closed.headers.getSetCookie();
    expect(cookies.some((cookie) => cookie.startsWith(`${sessionCookieName()}=;`) && /max-age=0/i.test(cookie))).toBe(true);
    expect(await db().user.count({ where: { id: rosa.userId } })).toBe(0);

    const back = await signedOutPage(get(`${paths.signedOut}?state=account-closed`, ''));
    expect(back.status).toBe(303);
    expect(back.headers.get('location')).toBe(paths.accountClosed);
  });

  it('ends on the closed page straight away when the provider has no sign-out', async () => {
    reloadConfig({ ...process.env, DATABASE_URL: target.url, PUBLIC_URL: 'http://localhost:3000', NHSLOGIN_ISSUER: 'http://127.0.0.1:9/nhslogin' });
    try {
      const rosa = await citizenWithEverything();
      const closed = await closeAccountPage.POST(post(paths.closeAccount, rosa.cookie, { confirm: 'yes' }));
      expect(closed.status).toBe(303);
      expect(closed.headers.get('location')).toBe(paths.accountClosed);
    } finally {
      reloadConfig({ ...process.env, DATABASE_URL: target.url, PUBLIC_URL: 'http://localhost:3000', NHSLOGIN_ISSUER: issuer });
    }
  });

  it('the closed page is public, shows nothing personal, and sends someone signed in to their account', async () => {
    const page = await accountClosedPage(get(paths.accountClosed, ''));
    expect(page.status).toBe(200);
    expect(page.headers.get('cache-control')).toContain('no-store');
    const html = await page.text();
    expect(html).toContain('Your account has been closed');
    expect(html).toContain('govuk-panel');
    expect(html).not.toContain('Sign out');

    const someone = await citizenSessionCookie(await makeCitizen());
    const signedIn = await accountClosedPage(get(paths.accountClosed, someone));
    expect(signedIn.status).toBe(303);
    expect(signedIn.headers.get('location')).toBe(paths.account);
  });

  it('is for signed-in citizens only', async () => {
    const signedOut = await closeAccountPage.GET(get(paths.closeAccount, ''));
    expect(signedOut.status).toBe(303);
    expect(signedOut.headers.get('location')).toBe(`${paths.signIn}?returnTo=%2Faccount%2Fclose`);
    const staff = await staffSessionCookie('care-professional');
    expect((await closeAccountPage.POST(post(paths.closeAccount, staff, { confirm: 'yes' }))).status).toBe(303);
  });
});
