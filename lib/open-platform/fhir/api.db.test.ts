// The FHIR API's resource layer on the database under test (SQLite and PostgreSQL): Patient and
// blood pressure Observations, as two citizens' apps reach them, and every refusal.
import { randomUUID } from 'node:crypto';
import type { Bundle, Observation, OperationOutcome, Patient, Resource } from '@medplum/fhirtypes';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addReadings } from '@/lib/blood-pressure/store';
import { getDb } from '@/lib/platform/db';
import { makeCitizen, useDatabaseUnderTest } from '@/lib/platform/db-test-support';
import { r4Problems } from '@/lib/platform/testing/fhir-validation';
import { handleFhir, type ApiCaller, type FhirResponse } from './api';
import { fhirRequest, sentReading, TEST_BASE_URL as base } from './test-support';

const { provider } = useDatabaseUnderTest();
const now = new Date('2026-11-30T12:00:00Z');
const hoursAgo = (hours: number) => new Date(now.getTime() - hours * 3_600_000);
const run = randomUUID().slice(0, 8);

let alice: string;
let bob: string;
let aliceReadings: string[];
let bobReading: string;

const everything = new Set(['patient/Patient.r', 'patient/Observation.rs', 'patient/Observation.c', 'openid', 'launch/patient']);
const caller = (userId: string, scopes: ReadonlySet<string> = everything): ApiCaller => ({
  userId,
  appId: `pressure-diary-${run}`,
  appName: 'Pressure Diary',
  scopes,
});

async function call(who: ApiCaller, method: string, address: string, options: { body?: unknown; contentType?: string | null } = {}): Promise<FhirResponse> {
  const response = await handleFhir(getDb(), who, fhirRequest(method, address, now, options));
  // Every answer, success or refusal, is valid FHIR R4.
  expect(await r4Problems(response.body as Resource), `${method} ${address}`).toEqual([]);
  return response;
}

const outcome = (response: FhirResponse) => response.body as OperationOutcome;
const diagnostics = (response: FhirResponse) => outcome(response).issue.map((issue) => issue.diagnostics);
const bundle = (response: FhirResponse) => response.body as Bundle<Observation>;
const ids = (response: FhirResponse) => (bundle(response).entry ?? []).map((entry) => entry.resource!.id);
/** Follows a Bundle link: it is an absolute address under the base. */
const addressOf = (url: string) => url.slice(base.length + 1);

const readingsOf = (userId: string) => getDb().bloodPressureReading.count({ where: { userId } });
const addsBy = (userId: string) => getDb().auditEntry.count({ where: { citizenId: userId, actorKind: 'app', action: 'add' } });

beforeAll(async () => {
  const db = getDb();
  alice = await makeCitizen({ givenName: 'Alice', familyName: `Apps-${run}`, birthDate: '1961-02-03', nhsNumber: '9990012377' });
  bob = await makeCitizen({ givenName: 'Bob', familyName: `Apps-${run}` });
  await db.contactPreference.create({ data: { userId: alice, channel: 'email', email: 'alice@example.com', changeId: randomUUID() } });
  await db.postalAddress.create({ data: { userId: alice, line1: '1 Demo Street', line2: 'Headingley', town: 'Leeds', postcode: 'LS6 9ZZ', source: 'manual' } });
  await db.communicationNeeds.create({ data: { userId: alice, formats: 'large-print,spoken-language-interpreter', interpreterLanguage: 'Polish' } });
  // Five readings, newest first: 2, 26, 50, 74 and 98 hours before now.
  const added = await addReadings(db, alice, [{ systolic: 120, diastolic: 80, measuredAt: hoursAgo(98), arm: 'left', sitting: true }], now);
  aliceReadings = [added.readings[0]!.id];
  for (const [hours, systolic] of [
    [74, 124],
    [50, 128],
    [26, 132],
    [2, 136],
  ] as const) {
    const more = await addReadings(db, alice, [{ systolic, diastolic: 82, pulse: 70, measuredAt: hoursAgo(hours), arm: 'right', sitting: true }], now);
    aliceReadings.unshift(more.readings[0]!.id);
  }
  bobReading = (await addReadings(db, bob, [{ systolic: 150, diastolic: 95, measuredAt: hoursAgo(3), arm: 'left', sitting: false }], now)).readings[0]!.id;
});

afterAll(async () => {
  const db = getDb();
  await db.bloodPressureReadingChange.deleteMany({ where: { userId: { in: [alice, bob] } } });
  await db.user.deleteMany({ where: { id: { in: [alice, bob] } } });
});

describe(`the FHIR API on ${provider}: Patient`, () => {
  it('reads the caller’s own Patient with what the citizen holds', async () => {
    const response = await call(caller(alice), 'GET', `Patient/${alice}`);
    expect(response.status).toBe(200);
    const patient = response.body as Patient;
    expect(patient).toMatchObject({
      resourceType: 'Patient',
      id: alice,
      identifier: [{ system: 'https://fhir.nhs.uk/Id/nhs-number', value: '9990012377' }],
      name: [{ use: 'official', family: `Apps-${run}`, given: ['Alice'] }],
      birthDate: '1961-02-03',
      telecom: [{ system: 'email', value: 'alice@example.com', rank: 1 }],
      address: [{ use: 'home', line: ['1 Demo Street', 'Headingley'], city: 'Leeds', postalCode: 'LS6 9ZZ' }],
      communication: [{ language: { text: 'Polish' }, preferred: true }],
    });
    // Bob has no NHS number, address or contact details: none are made up.
    const bobs = (await call(caller(bob), 'GET', `Patient/${bob}`)).body as Patient;
    expect(Object.keys(bobs).sort()).toEqual(['active', 'birthDate', 'id', 'name', 'resourceType']);
  });

  it('answers another citizen’s id exactly as a made-up one: 404', async () => {
    const other = await call(caller(alice), 'GET', `Patient/${bob}`);
    const madeUp = await call(caller(alice), 'GET', 'Patient/no-such-person');
    expect([other.status, madeUp.status]).toEqual([404, 404]);
    expect(JSON.stringify(other.body).replace(bob, 'ID')).toBe(JSON.stringify(madeUp.body).replace('no-such-person', 'ID'));
  });

  it('searches to a Bundle holding only their own Patient', async () => {
    const all = await call(caller(alice), 'GET', 'Patient');
    expect(bundle(all)).toMatchObject({ type: 'searchset', total: 1 });
    expect(ids(all)).toEqual([alice]);
    expect(ids(await call(caller(alice), 'GET', `Patient?_id=${alice}`))).toEqual([alice]);
    expect(ids(await call(caller(alice), 'GET', 'Patient?identifier=https://fhir.nhs.uk/Id/nhs-number|9990012377'))).toEqual([alice]);
    expect(bundle(await call(caller(alice), 'GET', `Patient?_id=${bob}`)).total).toBe(0);
    expect(bundle(await call(caller(bob), 'GET', 'Patient?identifier=9990012377')).total).toBe(0);
    expect((await call(caller(alice), 'GET', 'Patient?name=Bob')).status).toBe(400);
  });

  it('needs patient/Patient.r or .s', async () => {
    const noPatient = caller(alice, new Set(['patient/Observation.rs']));
    const read = await call(noPatient, 'GET', `Patient/${alice}`);
    expect(read.status).toBe(403);
    expect(diagnostics(read)[0]).toContain('patient/Patient.r');
    expect((await call(noPatient, 'GET', 'Patient')).status).toBe(403);
    expect((await call(caller(alice, new Set(['patient/Patient.s'])), 'GET', `Patient/${alice}`)).status).toBe(200);
    expect((await call(caller(alice, new Set(['patient/*.rs'])), 'GET', 'Patient')).status).toBe(200);
  });
});

describe(`the FHIR API on ${provider}: blood pressure Observations`, () => {
  it('reads one of the citizen’s readings as a UK Core blood pressure Observation', async () => {
    const response = await call(caller(alice), 'GET', `Observation/${aliceReadings[0]}`);
    expect(response.status).toBe(200);
    const observation = response.body as Observation;
    expect(observation).toMatchObject({
      resourceType: 'Observation',
      id: aliceReadings[0],
      status: 'final',
      category: [{ coding: [{ code: 'vital-signs' }] }],
      code: { coding: expect.arrayContaining([{ system: 'http://loinc.org', code: '85354-9', display: expect.any(String) }]) },
      subject: { reference: `Patient/${alice}` },
      effectiveDateTime: '2026-11-30T10:00:00+00:00',
    });
    expect(observation.component!.map((component) => [component.code.coding![0]!.code, component.valueQuantity!.value, component.valueQuantity!.code])).toEqual(
      [
        ['8480-6', 136, 'mm[Hg]'],
        ['8462-4', 82, 'mm[Hg]'],
      ],
    );
  });

  it('never reaches another citizen’s reading: 404, the same as a made-up id', async () => {
    const other = await call(caller(alice), 'GET', `Observation/${bobReading}`);
    const madeUp = await call(caller(alice), 'GET', 'Observation/not-a-reading');
    expect([other.status, madeUp.status]).toEqual([404, 404]);
    expect(JSON.stringify(other.body).replace(bobReading, 'ID')).toBe(JSON.stringify(madeUp.body).replace('not-a-reading', 'ID'));
    expect((await call(caller(bob), 'GET', `Observation/${aliceReadings[0]}`)).status).toBe(404);
  });

  it('searches the citizen’s own readings, newest first, in pages linked by absolute addresses', async () => {
    const first = await call(caller(alice), 'GET', 'Observation?code=http://loinc.org|85354-9&_count=2');
    expect(bundle(first)).toMatchObject({ type: 'searchset', total: 5 });
    expect(ids(first)).toEqual(aliceReadings.slice(0, 2));
    const links = Object.fromEntries(bundle(first).link!.map((link) => [link.relation, link.url]));
    expect(links.self).toBe(`${base}/Observation?code=http%3A%2F%2Floinc.org%7C85354-9&_count=2&_offset=0`);
    expect(links.previous).toBeUndefined();
    const second = await call(caller(alice), 'GET', addressOf(links.next!));
    expect(ids(second)).toEqual(aliceReadings.slice(2, 4));
    const third = await call(caller(alice), 'GET', addressOf(bundle(second).link!.find((link) => link.relation === 'next')!.url!));
    expect(ids(third)).toEqual(aliceReadings.slice(4));
    expect(bundle(third).link!.map((link) => link.relation)).toEqual(['self', 'previous']);
    expect(bundle(third).entry![0]!.fullUrl).toBe(`${base}/Observation/${aliceReadings[4]}`);
  });

  it('searches by code with or without its system, by category, and finds nothing for other codes', async () => {
    expect(bundle(await call(caller(alice), 'GET', 'Observation')).total).toBe(5);
    expect(bundle(await call(caller(alice), 'GET', 'Observation?code=85354-9')).total).toBe(5);
    expect(bundle(await call(caller(alice), 'GET', 'Observation?category=vital-signs')).total).toBe(5);
    expect(bundle(await call(caller(alice), 'GET', 'Observation?code=http://loinc.org|8867-4')).total).toBe(0);
    expect(bundle(await call(caller(alice), 'GET', 'Observation?category=laboratory')).total).toBe(0);
    expect((await call(caller(alice), 'GET', 'Observation?code=|')).status).toBe(400);
  });

  it('searches by date with eq, ge, gt, le and lt, for dates and dateTimes', async () => {
    const found = async (query: string) => ids(await call(caller(alice), 'GET', `Observation?${query}`));
    // Readings at 10:00 today, and 10:00 on each of the four days before.
    expect(await found('date=2026-11-29')).toEqual([aliceReadings[1]]);
    expect(await found('date=ge2026-11-29')).toEqual(aliceReadings.slice(0, 2));
    expect(await found('date=gt2026-11-29')).toEqual(aliceReadings.slice(0, 1));
    expect(await found('date=le2026-11-27')).toEqual(aliceReadings.slice(3));
    expect(await found('date=lt2026-11-27')).toEqual(aliceReadings.slice(4));
    expect(await found('date=ge2026-11-27&date=lt2026-11-29')).toEqual(aliceReadings.slice(2, 4));
    expect(await found(encodeURI('date=ge2026-11-30T09:59:59Z&date=le2026-11-30T10:00:00Z'))).toEqual(aliceReadings.slice(0, 1));
    expect(await found(`date=${encodeURIComponent('eq2026-11-28T10:00:00+00:00')}`)).toEqual([aliceReadings[2]]);
    // A + the app forgot to encode arrives as a space.
    expect(await found('date=eq2026-11-28T11:00:00+01:00')).toEqual([aliceReadings[2]]);
    expect(await found('date=gt2026-12-01&date=lt2026-11-01')).toEqual([]);
    expect((await call(caller(alice), 'GET', 'Observation?date=2026-11-31')).status).toBe(400);
    expect((await call(caller(alice), 'GET', 'Observation?date=ne2026-11-29')).status).toBe(400);
  });

  it('allows the patient or subject parameter only for the caller’s own patient (403 otherwise), and refuses unknown parameters (400)', async () => {
    for (const query of [`patient=${alice}`, `subject=Patient/${alice}`, `patient=${encodeURIComponent(`${base}/Patient/${alice}`)}`]) {
      expect(bundle(await call(caller(alice), 'GET', `Observation?${query}`)).total, query).toBe(5);
    }
    for (const query of [`patient=${bob}`, `subject=Patient/${bob}`, 'patient=made-up']) {
      expect((await call(caller(alice), 'GET', `Observation?${query}`)).status, query).toBe(403);
    }
    for (const query of ['_sort=date', 'value-quantity=gt140', 'code:text=blood', '_count=many', '_include=Observation:subject']) {
      expect((await call(caller(alice), 'GET', `Observation?${query}`)).status, query).toBe(400);
    }
  });

  it('never lets two citizens reach each other’s readings by search', async () => {
    expect(ids(await call(caller(bob), 'GET', 'Observation'))).toEqual([bobReading]);
    expect(ids(await call(caller(alice), 'GET', 'Observation?_count=100'))).not.toContain(bobReading);
    expect((await call(caller(bob), 'GET', `Observation?patient=${alice}`)).status).toBe(403);
  });

  it('searches by POST with a form too', async () => {
    const response = await call(caller(alice), 'POST', 'Observation/_search?_count=1', {
      body: 'code=85354-9&date=ge2026-11-29',
      contentType: 'application/x-www-form-urlencoded',
    });
    expect(bundle(response).total).toBe(2);
    expect(ids(response)).toEqual(aliceReadings.slice(0, 1));
  });

  it('needs .r to read and .s to search', async () => {
    const searchOnly = caller(alice, new Set(['patient/Observation.s']));
    expect((await call(searchOnly, 'GET', `Observation/${aliceReadings[0]}`)).status).toBe(403);
    expect((await call(searchOnly, 'GET', 'Observation')).status).toBe(200);
    const readOnly = caller(alice, new Set(['patient/Observation.r']));
    expect((await call(readOnly, 'GET', 'Observation')).status).toBe(403);
    expect((await call(readOnly, 'GET', `Observation/${aliceReadings[0]}`)).status).toBe(200);
  });
});

describe(`the FHIR API on ${provider}: adding a reading`, () => {
  it('stores a reading under the form’s rules, marked as the app’s, and answers 201 with its address', async () => {
    const before = await readingsOf(alice);
    const response = await call(caller(alice), 'POST', 'Observation', { body: sentReading({ subject: { reference: `Patient/${alice}` } }) });
    expect(response.status).toBe(201);
    const observation = response.body as Observation;
    expect(response.headers).toEqual({ location: `${base}/Observation/${observation.id}` });
    expect(observation).toMatchObject({
      subject: { reference: `Patient/${alice}` },
      effectiveDateTime: '2026-11-30T08:15:00+00:00',
      bodySite: { coding: [{ code: '368209003' }] },
    });
    expect(observation.interpretation).toBeUndefined();
    expect(await readingsOf(alice)).toBe(before + 1);
    const stored = await getDb().bloodPressureReading.findUniqueOrThrow({ where: { id: observation.id! } });
    expect(stored).toMatchObject({ userId: alice, systolic: 132, diastolic: 84, arm: 'right', sitting: true, addedByAppId: `pressure-diary-${run}` });
    expect(await getDb().bloodPressureReadingChange.count({ where: { readingId: observation.id!, action: 'added' } })).toBe(1);
    // Read back through the API, it is the same resource.
    expect((await call(caller(alice), 'GET', `Observation/${observation.id}`)).body).toEqual(observation);
  });

  it('takes a subject given by the citizen’s NHS number, or none at all', async () => {
    const byNhsNumber = sentReading({ subject: { identifier: { system: 'https://fhir.nhs.uk/Id/nhs-number', value: '9990012377' } } });
    expect((await call(caller(alice), 'POST', 'Observation', { body: byNhsNumber })).status).toBe(201);
    expect((await call(caller(bob), 'POST', 'Observation', { body: sentReading(), contentType: 'application/json; charset=utf-8' })).status).toBe(201);
  });

  it('records a very high reading with the same urgent advice as the form: interpretation HH and the note', async () => {
    const response = await call(caller(alice), 'POST', 'Observation', { body: sentReading({}, { systolic: 185, diastolic: 100 }) });
    expect(response.status).toBe(201);
    const observation = response.body as Observation;
    expect(observation.interpretation).toEqual([{ coding: [expect.objectContaining({ code: 'HH' })], text: 'Very high' }]);
    expect(observation.note!.map((note) => note.text)).toContain(
      'Very high (180/120 or more): the patient was advised to contact their GP practice today, or 999 with symptoms',
    );
  });

  it('refuses bad input with the right OperationOutcome, and stores nothing', async () => {
    const cases: { name: string; who?: ApiCaller; body: unknown; contentType?: string | null; status: number; says?: string }[] = [
      { name: 'malformed JSON', body: '{"resourceType": "Observation",', status: 400, says: 'not valid JSON' },
      { name: 'wrong resourceType', body: { ...sentReading(), resourceType: 'Condition' }, status: 400, says: 'resourceType must be Observation' },
      { name: 'no status', body: sentReading({ status: undefined }), status: 400, says: 'status is required' },
      { name: 'a number as text', body: sentReading({}, { systolic: '132' }), status: 400, says: 'must be a number' },
      {
        name: 'unknown code',
        body: sentReading({ code: { coding: [{ system: 'http://loinc.org', code: '29463-7' }] } }),
        status: 422,
        says: 'blood pressure panel',
      },
      { name: 'systolic out of range', body: sentReading({}, { systolic: 260 }), status: 422, says: 'Systolic (top number) must be between 70 and 250' },
      { name: 'numbers swapped', body: sentReading({}, { systolic: 80, diastolic: 120 }), status: 422, says: 'must be higher than diastolic' },
      { name: 'in the future', body: sentReading({ effectiveDateTime: '2026-12-01T09:00:00Z' }), status: 422, says: 'must be now or in the past' },
      { name: 'subject of another patient', body: sentReading({ subject: { reference: `Patient/${bob}` } }), status: 403, says: 'your own patient' },
      {
        name: 'subject by another NHS number',
        body: sentReading({ subject: { identifier: { system: 'https://fhir.nhs.uk/Id/nhs-number', value: '9990012385' } } }),
        status: 403,
      },
      { name: 'oversized body', body: JSON.stringify({ ...sentReading(), note: [{ text: 'x'.repeat(70_000) }] }), status: 413 },
      { name: 'not FHIR JSON', body: sentReading(), contentType: 'text/plain', status: 415 },
      { name: 'no content type', body: sentReading(), contentType: null, status: 415 },
      { name: 'no create scope', who: caller(alice, new Set(['patient/Observation.rs'])), body: sentReading(), status: 403, says: 'patient/Observation.c' },
    ];
    const [readings, adds] = [await readingsOf(alice), await addsBy(alice)];
    for (const { name, who, body, contentType, status, says } of cases) {
      const response = await call(who ?? caller(alice), 'POST', 'Observation', { body, contentType });
      expect(response.status, name).toBe(status);
      expect(outcome(response).resourceType, name).toBe('OperationOutcome');
      if (says) expect(diagnostics(response).join(' '), name).toContain(says);
    }
    expect(await readingsOf(alice)).toBe(readings);
    expect(await readingsOf(bob)).toBe(2);
    expect(await addsBy(alice)).toBe(adds);
  });
});

describe(`the FHIR API on ${provider}: addresses and methods`, () => {
  it('refuses other methods (405, with Allow), unknown types (404) and history or operations (400)', async () => {
    const put = await call(caller(alice), 'PUT', `Observation/${aliceReadings[0]}`, { body: sentReading() });
    expect(put.status).toBe(405);
    expect(put.headers).toEqual({ allow: 'GET, POST' });
    expect((await call(caller(alice), 'DELETE', `Observation/${aliceReadings[0]}`)).status).toBe(405);
    const postToReading = await call(caller(alice), 'POST', `Observation/${aliceReadings[0]}`, { body: sentReading() });
    expect([postToReading.status, postToReading.headers]).toEqual([405, { allow: 'GET' }]);
    const createPatient = await call(caller(alice), 'POST', 'Patient', { body: { resourceType: 'Patient' } });
    expect([createPatient.status, createPatient.headers]).toEqual([405, { allow: 'GET' }]);
    const getSearch = await call(caller(alice), 'GET', 'Observation/_search');
    expect([getSearch.status, getSearch.headers]).toEqual([405, { allow: 'POST' }]);
    expect((await call(caller(alice), 'GET', 'Banana')).status).toBe(404);
    expect((await call(caller(alice), 'GET', 'constructor')).status).toBe(404);
    expect((await call(caller(alice), 'GET', '')).status).toBe(400);
    expect((await call(caller(alice), 'GET', `Observation/${aliceReadings[0]}/_history`)).status).toBe(400);
    expect((await call(caller(alice), 'GET', 'Patient/$everything')).status).toBe(404);
  });
});
