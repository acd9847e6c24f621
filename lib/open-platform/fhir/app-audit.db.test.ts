// What apps do through the FHIR API is in the audit log, and the citizen sees it under "Who has
// viewed your information", on the database under test (SQLite and PostgreSQL).
import { randomUUID } from 'node:crypto';
import type { Observation } from '@medplum/fhirtypes';
import { HtmlValidate } from 'html-validate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyAuditChain } from '@/lib/audit/audit-log';
import { recordAudit } from '@/lib/audit/public';
import { addReadings } from '@/lib/blood-pressure/store';
import { getDb } from '@/lib/platform/db';
import { citizenSessionCookie, makeCitizen, useDatabaseUnderTest } from '@/lib/platform/db-test-support';
import { paramsFor } from '@/lib/platform/testing/routes';
import { accessesOf } from '@/lib/sharing/access-log';
import { whoHasViewedPage } from '@/lib/sharing/citizen-pages';
import { handleFhir, type ApiCaller } from './api';
import { fhirRequest, sentReading } from './test-support';

const { provider } = useDatabaseUnderTest();
const now = new Date('2026-11-30T12:00:00Z');
const run = randomUUID().slice(0, 8);

let citizen: string;
let reading: string;
let app: ApiCaller;

const call = (method: string, address: string, options: { body?: unknown } = {}, who: ApiCaller = app) =>
  handleFhir(getDb(), who, fhirRequest(method, address, now, options));

const appEntries = () => getDb().auditEntry.findMany({ where: { citizenId: citizen, actorKind: 'app' }, orderBy: { seq: 'asc' } });

beforeAll(async () => {
  citizen = await makeCitizen({ givenName: 'Cara', familyName: `Audited-${run}` });
  reading = (
    await addReadings(getDb(), citizen, [{ systolic: 128, diastolic: 80, measuredAt: new Date('2026-11-29T09:00:00Z'), arm: 'left', sitting: true }], now)
  ).readings[0]!.id;
  app = { userId: citizen, appId: `pressure-diary-${run}`, appName: 'Pressure Diary', scopes: new Set(['patient/*.rs', 'patient/Observation.c']) };
});

afterAll(async () => {
  const db = getDb();
  await db.bloodPressureReadingChange.deleteMany({ where: { userId: citizen } });
  await db.user.deleteMany({ where: { id: citizen } });
});

describe(`apps in the audit log on ${provider}`, () => {
  it('records every read, search and create as the app, with what it was about', async () => {
    expect((await call('GET', `Patient/${citizen}`)).status).toBe(200);
    expect((await call('GET', `Observation/${reading}`)).status).toBe(200);
    expect((await call('GET', 'Observation?code=85354-9')).status).toBe(200);
    const created = await call('POST', 'Observation', { body: sentReading() });
    expect(created.status).toBe(201);
    const createdId = (created.body as Observation).id!;

    const entries = await appEntries();
    expect(entries.map((entry) => [entry.action, entry.category, JSON.parse(entry.detail!)])).toEqual([
      ['view', 'patient', { interaction: 'read', resourceType: 'Patient', id: citizen }],
      ['view', 'blood-pressure', { interaction: 'read', resourceType: 'Observation', id: reading }],
      ['view', 'blood-pressure', { interaction: 'search', resourceType: 'Observation', matches: 1 }],
      ['add', 'blood-pressure', { interaction: 'create', resourceType: 'Observation', id: createdId }],
    ]);
    for (const entry of entries) {
      expect(entry).toMatchObject({ actorKind: 'app', actorId: `pressure-diary-${run}`, actorName: 'Pressure Diary', actorOrganisation: null, at: now });
    }
  });

  it('records nothing for what it refused', async () => {
    const before = (await appEntries()).length;
    expect((await call('GET', 'Observation/not-theirs')).status).toBe(404);
    expect((await call('GET', 'Observation?_sort=date')).status).toBe(400);
    expect((await call('POST', 'Observation', { body: sentReading({}, { systolic: 300 }) })).status).toBe(422);
    expect((await call('GET', 'Observation', {}, { ...app, scopes: new Set(['patient/Patient.r']) })).status).toBe(403);
    expect((await appEntries()).length).toBe(before);
  });

  it('shows the citizen each thing the app did, as an app they connected', async () => {
    const staffSubject = `staff-${run}`;
    await recordAudit(getDb(), {
      citizenId: citizen,
      actorKind: 'staff',
      actorId: staffSubject,
      actorName: 'Grace Practiceton',
      actorOrganisation: 'Demo Lane Surgery (ZZ0001)',
      actorRole: 'General Practitioner',
      action: 'view',
      category: 'blood-pressure',
    });
    const { rows } = await accessesOf(getDb(), citizen, 1);
    // Newest first: the professional, then the app's create, search, reads.
    expect(rows.map((row) => [row.who, row.what, row.reasonText, row.app])).toEqual([
      ['Grace Practiceton', 'Viewed: home blood pressure readings', 'None needed: they care for you', false],
      ['Pressure Diary (an app you connected)', 'Added: a blood pressure reading', 'You allowed this app to add this when you connected it', true],
      ['Pressure Diary (an app you connected)', 'Viewed: your blood pressure readings', 'You allowed this app to see this when you connected it', true],
      ['Pressure Diary (an app you connected)', 'Viewed: your blood pressure readings', 'You allowed this app to see this when you connected it', true],
      [
        'Pressure Diary (an app you connected)',
        'Viewed: your name, date of birth, NHS number, address and contact details',
        'You allowed this app to see this when you connected it',
        true,
      ],
    ]);
    expect(rows[1]).toMatchObject({ organisation: '', role: '', emergency: false });
  });

  it('renders "Who has viewed your information" with the app’s entries, as valid HTML', async () => {
    const cookie = await citizenSessionCookie(citizen);
    const response = await whoHasViewedPage(new Request('http://localhost:3000/sharing/who-has-viewed', { headers: { cookie } }), paramsFor());
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html).toContain('Pressure Diary (an app you connected)');
    expect(html).toContain('an app you connected reads or adds to your record');
    const cards = html.split('govuk-summary-card__title').slice(1);
    const appCard = cards.find((card) => card.includes('Pressure Diary'))!;
    const staffCard = cards.find((card) => card.includes('Grace Practiceton'))!;
    // An app has no organisation or role to show; a professional still does.
    expect(appCard).not.toContain('Organisation');
    expect(appCard).toContain('Reason given');
    expect(staffCard).toContain('Demo Lane Surgery (ZZ0001)');
    const validator = new HtmlValidate({
      extends: ['html-validate:recommended'],
      // As lib/platform/every-page.db.test.ts: how the govuk-frontend macros write their markup.
      rules: {
        'prefer-native-element': 'off',
        'no-redundant-role': 'off',
        'presentation-role-style': 'off',
        'long-title': 'off',
        'no-trailing-whitespace': 'off',
      },
    });
    const report = await validator.validateString(html);
    expect(report.results.flatMap((result) => result.messages.map((message) => message.message))).toEqual([]);
  });

  it('leaves the audit chain whole', async () => {
    expect(await verifyAuditChain(getDb())).toMatchObject({ ok: true });
  });
});
