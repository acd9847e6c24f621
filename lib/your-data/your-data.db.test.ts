// "Your data" on the database under test (SQLite and PostgreSQL, scripts/db/test-both.sh): what
// the download holds (everything about the citizen, nothing about anyone else, no secrets), its
// pages in-process (Request in, Response out), another citizen's download, expiry, and the
// worker's claim with two workers on two connections.
import type { Bundle } from '@medplum/fhirtypes';
import { randomUUID } from 'node:crypto';
import { HtmlValidate } from 'html-validate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordAudit } from '@/lib/audit/public';
import { accessesWindow } from '@/lib/sharing/public';
import { createDb, getDb, type Db } from '@/lib/platform/db';
import { citizenSessionCookie, makeCitizen, useDatabaseUnderTest } from '@/lib/platform/db-test-support';
import { paths } from '@/lib/platform/paths';
import { applyRetention, RETENTION_RULES } from '@/lib/platform/retention';
import { config } from '@/lib/platform/config';
import { r4Problems } from '@/lib/platform/testing/fhir-validation';
import { formPost } from '@/lib/platform/testing/requests';
import { fhirDownload, jsonDownload, readablePage, startPage, statusPage } from './pages';
import type { Snapshot } from './snapshot';
import { claimWaitingExports, PREPARE_AT_ONCE_READINGS, prepareWaitingExports, readyContent, removeExpiredExports, requestExport } from './store';

const { url, provider } = useDatabaseUnderTest();

let otherDb: Db | undefined;
afterAll(async () => {
  await otherDb?.$disconnect();
});

const HOUR = 3_600_000;
/** This run's own values where the schema wants them unique, so the file can run again on the same database. */
const run = randomUUID().slice(0, 8);

/** Something of every kind held about a citizen, each marked with `mark` so it can be found (or not) in a download. */
async function everythingFor(userId: string, mark: string) {
  const db = getDb();
  const now = new Date();
  await db.userIdentity.create({ data: { provider: 'onelogin', subject: `sub-${mark}-${run}`, userId } });
  await db.identityLink.create({ data: { userId, at: now, provider: 'onelogin', kind: 'added', detail: '{}' } });
  await db.signInEvent.create({ data: { userId, provider: 'onelogin', deviceKind: 'tablet', sharedDevice: true, outcome: 'signed-in' } });
  const reading = await db.bloodPressureReading.create({
    data: { userId, measuredAt: new Date(now.getTime() - HOUR), systolic: 141, diastolic: 92, pulse: 66, arm: 'left', sitting: true },
  });
  await db.bloodPressureReading.create({
    data: { userId, measuredAt: new Date(now.getTime() - 2 * HOUR), systolic: 177, diastolic: 99, arm: 'right', sitting: false, deletedAt: now },
  });
  await db.bloodPressureReadingChange.create({ data: { readingId: reading.id, userId, action: 'added', after: JSON.stringify({ systolic: 141 }) } });
  await db.homeMonitoringWeek.create({ data: { userId, startedOn: '2026-11-01', endsOn: '2026-11-07' } });
  await db.topThingsVersion.create({ data: { userId, items: JSON.stringify([{ title: `Top ${mark}`, description: 'Matters to me' }]) } });
  await db.longTermCondition.create({ data: { userId, code: '195967001', name: 'Asthma' } });
  await db.longTermCondition.create({ data: { userId, name: `Condition ${mark}` } });
  await db.communicationNeeds.create({ data: { userId, formats: 'large-print', otherNeeds: `Needs ${mark}` } });
  await db.sharingConsent.create({ data: { userId, category: 'blood-pressure', shared: false } });
  await db.careRecordLink.create({ data: { userId, outcome: 'matched', patientId: `patient-${mark}`, method: 'nhs-number', checkedAt: now } });
  await db.draft.create({
    data: { userId, journey: 'about-me/top-three', answers: JSON.stringify({ title1: `Draft ${mark}` }), expiresAt: new Date(now.getTime() + HOUR) },
  });
  await db.contactPreference.create({ data: { userId, channel: 'email', email: `${mark}@example.org`, changeId: `change-${mark}-${run}` } });
  await db.fewerLettersChoice.create({ data: { userId, organisation: 'council', fewerLetters: true } });
  await db.postalAddress.create({ data: { userId, line1: `1 ${mark} Street`, town: 'Leeds', postcode: 'LS1 4AP', source: 'manual' } });
  await db.postToDigitalSwitch.create({ data: { userId, fromChannel: 'post', toChannel: 'email' } });
  await db.organisationReference.create({ data: { organisation: 'council', reference: `LCC-${mark}-${run}`, userId, updatedAt: now } });
  await db.outboxMessage.create({
    data: {
      idempotencyKey: `key-${mark}-${run}`,
      destination: 'council',
      topic: 'address-changed',
      userId,
      subjectId: 'address',
      payload: JSON.stringify({ line1: `1 ${mark} Street` }),
      status: 'delivered',
      deliveredAt: now,
    },
  });
  await db.letter.create({
    data: {
      userId,
      senderId: 'leeds-teaching-hospitals',
      idempotencyKey: `letter-${mark}-${run}`,
      requestHash: 'hash',
      kind: 'appointment',
      title: `Letter ${mark}`,
      letterDate: '2026-12-01',
      receivedAt: now,
      html: `<p>Dear ${mark}</p>`,
      pdf: new Uint8Array(Buffer.from('%PDF-1.4 test')),
      pdfBytes: 13,
    },
  });
  await db.engagementPreference.create({ data: { userId, wantsInvitations: true, topics: 'diabetes', methods: 'online-survey', postcodeDistrict: 'LS6' } });
  const question = await db.engagementQuestion.create({ data: { organisationCode: 'ZZ0001', text: `Question ${mark}`, kind: 'text' } });
  const activity = await db.engagementActivity.create({
    data: {
      organisationCode: 'ZZ0001',
      organisationName: 'Demo Lane Surgery',
      createdBy: 'staff',
      title: `Activity ${mark}`,
      purpose: 'To learn',
      status: 'published',
    },
  });
  await db.engagementInvitation.create({ data: { activityId: activity.id, userId } });
  const response = await db.engagementResponse.create({ data: { activityId: activity.id, userId, submittedAt: now } });
  await db.engagementAnswer.create({ data: { responseId: response.id, questionId: question.id, value: JSON.stringify(`Answer ${mark}`) } });
  const app = await db.app.create({
    data: {
      id: `app-${mark}-${run}`,
      name: `App ${mark}`,
      publisher: 'Someone Else Ltd',
      redirectUris: '[]',
      scopes: 'patient/Observation.rs',
      privacyPolicyUrl: 'https://example.org',
      clientType: 'public',
      registeredAt: now,
      registeredBy: 'admin',
    },
  });
  await db.appConnection.create({ data: { userId, appId: app.id, grantId: `grant-${mark}-${run}`, scopes: 'patient/Observation.rs', connectedAt: now } });
  await db.oAuthRecord.create({
    data: {
      id: `AccessToken:secret-token-${mark}-${run}`,
      model: 'AccessToken',
      payload: JSON.stringify({ jti: `secret-token-${mark}` }),
      grantId: `grant-${mark}-${run}`,
    },
  });
  await db.userActiveDay.create({ data: { userId, day: '2026-12-01' } });
  await db.userActiveMonth.create({ data: { userId, month: '2026-12' } });
  await recordAudit(db, {
    citizenId: userId,
    actorKind: 'staff',
    actorId: 'staff-1',
    actorName: `Dr ${mark}`,
    actorOrganisation: 'Demo Lane Surgery',
    actorRole: 'General Practitioner',
    action: 'view',
    category: 'blood-pressure',
  });
}

let citizen = '';
let cookie = '';
let other = '';
let otherCookie = '';

beforeAll(async () => {
  citizen = await makeCitizen({ givenName: 'Paige', nhsNumber: '9449306753' });
  other = await makeCitizen({ givenName: 'Olive' });
  await everythingFor(citizen, 'mine');
  await everythingFor(other, 'theirs');
  cookie = await citizenSessionCookie(citizen);
  otherCookie = await citizenSessionCookie(other);
});

const validator = new HtmlValidate({
  extends: ['html-validate:recommended'],
  // As lib/platform/every-page.db.test.ts: what the official macros and template write.
  rules: { 'prefer-native-element': 'off', 'no-redundant-role': 'off', 'presentation-role-style': 'off', 'long-title': 'off', 'no-trailing-whitespace': 'off' },
});
async function htmlProblems(html: string): Promise<string[]> {
  const report = await validator.validateString(html);
  return report.results.flatMap((result) => result.messages.map((message) => `${message.ruleId}: ${message.message}`));
}

const get = (path: string, as = cookie) => new Request(`http://localhost:3000${path}`, { headers: { cookie: as } });
const params = (id: string) => ({ params: Promise.resolve({ id }) });

/** Asks for a download as a browser would; the id it was sent to. */
async function ask(as = cookie): Promise<string> {
  const post = formPost(paths.yourData.start, {});
  post.headers.set('cookie', `${post.headers.get('cookie')}; ${as}`);
  const response = await startPage.POST(post);
  expect(response.status).toBe(303);
  const location = response.headers.get('location') ?? '';
  expect(location).toMatch(/^\/account\/your-data\/[A-Za-z0-9_-]{43}$/);
  return location.split('/').at(-1)!;
}

describe(`your data on ${provider}`, () => {
  it('shows what the download holds, and a button', async () => {
    const response = await startPage.GET(get(paths.yourData.start));
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toContain('no-store');
    const html = await response.text();
    expect(html).toContain('Prepare my data');
    expect(html).toContain('does not include your care record');
    expect(await htmlProblems(html)).toEqual([]);
  });

  it('prepares a small record at once: the readable page, JSON and FHIR hold everything about them, nothing about anyone else and no secrets', async () => {
    const id = await ask();
    const status = await statusPage(get(paths.yourData.download(id)), params(id));
    expect(status.status).toBe(200);
    const statusHtml = await status.text();
    expect(statusHtml).toContain('Your data is ready to download');
    expect(statusHtml).toContain(paths.yourData.json(id));
    expect(statusHtml).toContain('These links stop working on');
    expect(await htmlProblems(statusHtml)).toEqual([]);

    const json = await jsonDownload(get(paths.yourData.json(id)), params(id));
    expect(json.status).toBe(200);
    expect(json.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(json.headers.get('content-disposition')).toMatch(/^attachment; filename="your-data-\d{4}-\d{2}-\d{2}\.json"$/);
    expect(json.headers.get('cache-control')).toContain('no-store');
    const text = await json.text();
    const snapshot = JSON.parse(text) as Snapshot;
    expect(snapshot.person).toMatchObject({ id: citizen, givenName: 'Paige', nhsNumber: '9449306753' });
    // Something of every kind.
    expect(snapshot.signInMethods).toEqual([expect.objectContaining({ provider: 'onelogin', accountAtProvider: `sub-mine-${run}` })]);
    expect(snapshot.signInMethodChanges).toHaveLength(1);
    expect(snapshot.sessions.length).toBeGreaterThanOrEqual(1);
    expect(snapshot.signIns).toEqual([expect.objectContaining({ deviceKind: 'tablet', sharedDevice: true })]);
    expect(snapshot.bloodPressure.readings.map((reading) => [reading.systolic, reading.deletedAt !== null])).toEqual([
      [177, true],
      [141, false],
    ]);
    expect(snapshot.bloodPressure.changes).toHaveLength(1);
    expect(snapshot.bloodPressure.homeMonitoringWeeks).toHaveLength(1);
    expect(snapshot.aboutMe.topThreeThings[0]!.things).toEqual([{ title: 'Top mine', description: 'Matters to me' }]);
    expect(snapshot.aboutMe.conditions.map((condition) => condition.name)).toEqual(['Asthma', 'Condition mine']);
    expect(snapshot.aboutMe.communicationNeeds?.inWords).toEqual(['Large print', 'Needs mine']);
    expect(snapshot.sharingChoices).toEqual([expect.objectContaining({ category: 'blood-pressure', shared: false })]);
    expect(snapshot.careRecordLink).toMatchObject({ outcome: 'matched', careRecordPatientId: 'patient-mine' });
    expect(snapshot.unfinishedAnswers).toEqual([expect.objectContaining({ journey: 'about-me/top-three', answers: { title1: 'Draft mine' } })]);
    expect(snapshot.contactDetails.preference).toMatchObject({ channel: 'email', email: 'mine@example.org' });
    expect(snapshot.contactDetails.fewerLetters).toHaveLength(1);
    expect(snapshot.contactDetails.addresses[0]).toMatchObject({ line1: '1 mine Street' });
    expect(snapshot.contactDetails.movesToDigital).toHaveLength(1);
    expect(snapshot.contactDetails.organisationReferences).toEqual([expect.objectContaining({ organisation: 'council', reference: `LCC-mine-${run}` })]);
    expect(snapshot.sentToOrganisations).toEqual([
      expect.objectContaining({ organisation: 'council', status: 'delivered', payload: { line1: '1 mine Street' } }),
    ]);
    expect(snapshot.letters).toEqual([
      expect.objectContaining({ from: 'Leeds Teaching Hospitals NHS Trust', title: 'Letter mine', html: '<p>Dear mine</p>', readAt: null }),
    ]);
    expect(text).not.toContain('%PDF');
    expect(snapshot.engagement.preference).toMatchObject({ topics: ['diabetes'], postcodeDistrict: 'LS6' });
    expect(snapshot.engagement.invitations).toEqual([expect.objectContaining({ activity: 'Activity mine' })]);
    expect(snapshot.engagement.responses[0]!.answers).toEqual([expect.objectContaining({ question: 'Question mine', value: 'Answer mine' })]);
    expect(snapshot.apps).toEqual([expect.objectContaining({ app: 'App mine', scopes: ['patient/Observation.rs'] })]);
    expect(snapshot.whoHasViewed).toEqual([expect.objectContaining({ who: 'Dr mine', organisation: 'Demo Lane Surgery' })]);
    expect(snapshot.auditLog.some((entry) => entry.actorName === 'Dr mine' && entry.action === 'view')).toBe(true);
    expect(snapshot.usageStatistics).toEqual({ daysSignedIn: ['2026-12-01'], monthsSignedIn: ['2026-12'] });
    // Nothing about the other citizen, and no secrets.
    expect(text).not.toMatch(/theirs|Olive/);
    expect(text).not.toContain(other);
    expect(text).not.toContain('secret-token');
    expect(text).not.toContain('grant-mine');
    expect(text).not.toContain('test-id-token');
    const sessionIds = (await getDb().session.findMany({ where: { userId: citizen }, select: { id: true } })).map((session) => session.id);
    for (const sessionId of sessionIds) expect(text).not.toContain(sessionId);
    expect(text).not.toMatch(/"hash"|prevHash|idToken/);

    const fhir = await fhirDownload(get(paths.yourData.fhir(id)), params(id));
    expect(fhir.status).toBe(200);
    expect(fhir.headers.get('content-type')).toBe('application/fhir+json; charset=utf-8');
    expect(fhir.headers.get('content-disposition')).toMatch(/^attachment; filename=".+\.json"$/);
    expect(fhir.headers.get('cache-control')).toContain('no-store');
    const bundle = (await fhir.json()) as Bundle;
    expect(bundle.type).toBe('collection');
    expect(await r4Problems(bundle)).toEqual([]);
    expect(bundle.entry!.map((entry) => entry.resource!.resourceType)).toEqual(expect.arrayContaining(['Patient', 'Flag', 'Condition', 'Observation']));
    expect(JSON.stringify(bundle)).not.toMatch(/theirs|Olive/);

    const readable = await readablePage(get(paths.yourData.readable(id)), params(id));
    expect(readable.status).toBe(200);
    expect(readable.headers.get('content-type')).toContain('text/html');
    expect(readable.headers.get('cache-control')).toContain('no-store');
    const html = await readable.text();
    expect(html).toContain('Top mine');
    expect(html).toContain('Dr mine');
    expect(html).not.toMatch(/theirs|Olive/);
    expect(await htmlProblems(html)).toEqual([]);

    // Each download is in the audit log as the citizen's own export, with its format.
    const audited = await getDb().auditEntry.findMany({ where: { citizenId: citizen, action: 'export', category: 'your-data' }, orderBy: { seq: 'asc' } });
    expect(audited.map((entry) => [entry.actorKind, entry.actorId, JSON.parse(entry.detail ?? '{}').format])).toEqual([
      ['citizen', citizen, 'json'],
      ['citizen', citizen, 'fhir'],
      ['citizen', citizen, 'readable'],
    ]);
    // And shown in "Who has viewed your information", so a download by someone else using their account is seen.
    const { rows } = await accessesWindow(getDb(), citizen, { skip: 0, take: 3 });
    expect(rows.map((row) => [row.what, row.self])).toEqual([
      ['Downloaded all your data as a page to read or print', true],
      ['Downloaded all your data as a FHIR file', true],
      ['Downloaded all your data as a JSON file', true],
    ]);
  });

  it("answers Page not found for another citizen's download, an unknown id and one not ready, on every page", async () => {
    const theirs = await ask(otherCookie);
    for (const id of [theirs, 'a'.repeat(43), 'not-an-id']) {
      expect((await statusPage(get(paths.yourData.download(id)), params(id))).status, id).toBe(404);
      expect((await readablePage(get(paths.yourData.readable(id)), params(id))).status, id).toBe(404);
      expect((await jsonDownload(get(paths.yourData.json(id)), params(id))).status, id).toBe(404);
      expect((await fhirDownload(get(paths.yourData.fhir(id)), params(id))).status, id).toBe(404);
    }
    const notReady = (await requestExport(getDb(), citizen, new Date())).id;
    expect((await jsonDownload(get(paths.yourData.json(notReady)), params(notReady))).status).toBe(404);
  });

  it('keeps one download a person: asking again replaces the one before, whose links stop working', async () => {
    const first = await ask();
    const second = await ask();
    expect(await getDb().dataExport.count({ where: { userId: citizen } })).toBe(1);
    expect((await statusPage(get(paths.yourData.download(first)), params(first))).status).toBe(404);
    expect((await statusPage(get(paths.yourData.download(second)), params(second))).status).toBe(200);
  });

  it('offers to try again when it could not be prepared', async () => {
    const id = await ask();
    await getDb().dataExport.update({ where: { id }, data: { status: 'failed', content: null } });
    const response = await statusPage(get(paths.yourData.download(id)), params(id));
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html).toContain('We could not prepare your data');
    expect(html).toContain(`action="${paths.yourData.start}"`);
    expect(await htmlProblems(html)).toEqual([]);
    expect((await jsonDownload(get(paths.yourData.json(id)), params(id))).status).toBe(404);
  });

  it('stops the links when it expires, and the retention job deletes it, content and all', async () => {
    const id = await ask();
    const row = await getDb().dataExport.findUniqueOrThrow({ where: { id } });
    expect(row.expiresAt.getTime() - row.readyAt!.getTime()).toBe(config().yourData.exportMs);
    await getDb().dataExport.update({ where: { id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    expect((await statusPage(get(paths.yourData.download(id)), params(id))).status).toBe(404);
    expect((await jsonDownload(get(paths.yourData.json(id)), params(id))).status).toBe(404);
    expect(await readyContent(getDb(), citizen, id, new Date())).toBeNull();
    const rules = RETENTION_RULES.filter((rule) => rule.name === 'data-exports');
    expect(await applyRetention(getDb(), new Date(), config().retention, { rules })).toEqual({ removed: { 'data-exports': 1 }, failed: [] });
    expect(await getDb().dataExport.findUnique({ where: { id } })).toBeNull();
    expect(await removeExpiredExports(getDb(), new Date())).toBe(0);
  });

  it('leaves a large record to the worker: the status page says so without refreshing, and two workers claim it once', async () => {
    const big = await makeCitizen({ givenName: 'Big' });
    const bigCookie = await citizenSessionCookie(big);
    const at = Date.now();
    await getDb().bloodPressureReading.createMany({
      data: Array.from({ length: PREPARE_AT_ONCE_READINGS + 1 }, (_, n) => ({
        userId: big,
        measuredAt: new Date(at - (n + 1) * 60_000),
        systolic: 120 + (n % 40),
        diastolic: 80,
        arm: 'left',
        sitting: true,
      })),
    });
    const id = await ask(bigCookie);
    const waiting = await statusPage(get(paths.yourData.download(id), bigCookie), params(id));
    expect(waiting.status).toBe(200);
    const html = await waiting.text();
    expect(html).toContain('We are preparing your data');
    expect(html).toContain(`href="${paths.yourData.download(id)}"`);
    expect(html).not.toContain('http-equiv="refresh"');
    expect(await htmlProblems(html)).toEqual([]);

    otherDb = createDb(url);
    const now = new Date();
    const [one, two] = await Promise.all([claimWaitingExports(getDb(), now, 5), claimWaitingExports(otherDb, now, 5)]);
    expect([...one, ...two].filter((claimed) => claimed === id)).toHaveLength(1);
    // Claimed: no one else takes it while its lease lasts.
    expect(await claimWaitingExports(getDb(), new Date(), 5)).not.toContain(id);
    // A worker that died: after the lease another takes it over and prepares it.
    // (Other tests' downloads may be waiting in the same database: take them all.)
    expect(await prepareWaitingExports(getDb(), () => new Date(Date.now() + 11 * 60_000), 1_000)).toBeGreaterThanOrEqual(1);
    const ready = await getDb().dataExport.findUniqueOrThrow({ where: { id } });
    expect(ready.status).toBe('ready');
    const snapshot = JSON.parse(ready.content!) as Snapshot;
    expect(snapshot.bloodPressure.readings).toHaveLength(PREPARE_AT_ONCE_READINGS + 1);
    expect(await (await statusPage(get(paths.yourData.download(id), bigCookie), params(id))).text()).toContain('Your data is ready to download');
  });
});
