// The citizen's care record through the FHIR API, on the database under test, against the demo
// care record (scripts/care-record) in-process, through the real care-record client: each type
// read and searched for a linked citizen, nothing of anyone else's, no link, the care record
// down, and scopes.
import { randomUUID } from 'node:crypto';
import type { Bundle, OperationOutcome, Resource } from '@medplum/fhirtypes';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addReadings } from '@/lib/blood-pressure/store';
import { CareRecordClient } from '@/lib/care-record/client';
import { citizensLink } from '@/lib/care-record/public';
import { startTestCareRecord, type TestCareRecord } from '@/lib/care-record/test-support';
import type { CareRecordConfig } from '@/lib/platform/config';
import { getDb } from '@/lib/platform/db';
import { makeCitizen, useDatabaseUnderTest } from '@/lib/platform/db-test-support';
import { r4Problems } from '@/lib/platform/testing/fhir-validation';
import { accessesWindow } from '@/lib/sharing/public';
import { handleFhir, type ApiCaller, type FhirResponse } from './api';
import { fhirRequest, TEST_BASE_URL as base } from './test-support';

const { provider } = useDatabaseUnderTest();
const now = new Date();
const run = randomUUID().slice(0, 8);

const TYPES = ['AllergyIntolerance', 'MedicationStatement', 'Immunization', 'Appointment', 'DocumentReference'] as const;
/** Each type, and the search that finds it (test results are Observations with category laboratory). */
const SEARCHES: [type: string, search: string][] = [
  ...TYPES.map((type) => [type, type] as [string, string]),
  ['Observation', 'Observation?category=laboratory'],
];
const EVERYTHING = ['patient/Observation.rs', ...TYPES.map((type) => `patient/${type}.rs`)];

let careRecord: TestCareRecord;
/** The client the API is given: the care record's own test settings, its cache and breaker. */
let client: CareRecordClient;
let amelia: string;
let unlinked: string;
let ameliasRecord: string;
let chloesRecord: string;

const caller = (userId: string, scopes: readonly string[] = EVERYTHING): ApiCaller => ({
  userId,
  appId: `care-record-app-${run}`,
  appName: 'Care Record Viewer',
  scopes: new Set(scopes),
});

async function call(who: ApiCaller, address: string, through: CareRecordClient = client): Promise<FhirResponse> {
  const response = await handleFhir(getDb(), who, fhirRequest('GET', address, now), { careRecord: through });
  // Every answer, success or refusal, is valid FHIR R4, and so is every resource in it.
  expect(await r4Problems(response.body as Resource), address).toEqual([]);
  for (const entry of (response.body as Bundle).entry ?? []) expect(await r4Problems(entry.resource!), entry.fullUrl).toEqual([]);
  return response;
}

const bundle = (response: FhirResponse) => response.body as Bundle;
const ids = (response: FhirResponse) => (bundle(response).entry ?? []).map((entry) => entry.resource!.id!);
const issue = (response: FhirResponse) => (response.body as OperationOutcome).issue[0]!;

/** What the demo care record holds about a patient, of one type (test results: laboratory Observations). */
function heldFor(patientId: string, type: string): Resource[] {
  return careRecord.server.dataset.resources.filter((resource) => {
    if (resource.resourceType !== type) return false;
    const text = JSON.stringify(resource);
    if (!text.includes(`"Patient/${patientId}"`)) return false;
    return type !== 'Observation' || text.includes('"laboratory"');
  });
}
const patientKey = (key: string) => careRecord.server.dataset.demoPatients.find((patient) => patient.key === key)!.patientId;

beforeAll(async () => {
  careRecord = await startTestCareRecord();
  client = new CareRecordClient(careRecord.settings());
  ameliasRecord = patientKey('amelia');
  chloesRecord = patientKey('chloe');
  // As One Login verifies her (no NHS number), so no other test's NHS number can clash.
  const person = { givenName: 'Amelia', familyName: 'Testwell', birthDate: '1984-03-17', nhsNumber: null, verifiedPostcode: 'LS6 2QR' };
  amelia = await makeCitizen({ ...person, identityLevel: 'P2' });
  unlinked = await makeCitizen({ givenName: 'Una', familyName: `Unlinked-${run}` });
  // She links her record on her care-record page; the API never does.
  const link = await citizensLink(getDb(), { userId: amelia, ...person }, { client, now });
  expect(link).toEqual({ state: 'linked', patientId: ameliasRecord });
  await addReadings(getDb(), amelia, [{ systolic: 128, diastolic: 82, measuredAt: new Date(now.getTime() - 3_600_000), arm: 'left', sitting: true }], now);
});

afterAll(async () => {
  await getDb().bloodPressureReadingChange.deleteMany({ where: { userId: { in: [amelia, unlinked] } } });
  await getDb().user.deleteMany({ where: { id: { in: [amelia, unlinked] } } });
  await careRecord?.close();
});

describe(`the care record through the FHIR API on ${provider}`, () => {
  it.each(SEARCHES)('searches and reads %s: the linked citizen’s, as theirs, with cr- ids', async (type, search) => {
    const held = heldFor(ameliasRecord, type);
    expect(held.length).toBeGreaterThan(0);
    const found = await call(caller(amelia), search);
    expect(found.status).toBe(200);
    expect(bundle(found).total).toBe(held.length);
    expect(ids(found).sort()).toEqual(held.map((resource) => `cr-${resource.id}`).sort());
    const text = JSON.stringify(found.body);
    // About her Patient here; nothing of the care record's addresses or ids for people.
    expect(text).toContain(`"Patient/${amelia}"`);
    expect(text).not.toContain(ameliasRecord);
    expect(text).not.toContain(careRecord.server.url);
    expect(text).not.toMatch(/"reference":"(Practitioner|Organization|Location|Encounter)\//);

    const first = bundle(found).entry![0]!;
    expect(first.fullUrl).toBe(`${base}/${type}/${first.resource!.id}`);
    const read = await call(caller(amelia), `${type}/${first.resource!.id}`);
    expect(read.status).toBe(200);
    expect(read.body).toEqual(first.resource);
  });

  it('keeps what each resource says, rewriting only its references', async () => {
    const [allergy] = heldFor(ameliasRecord, 'AllergyIntolerance');
    const read = await call(caller(amelia), `AllergyIntolerance/cr-${allergy!.id}`);
    expect(read.body).toMatchObject({
      resourceType: 'AllergyIntolerance',
      id: `cr-${allergy!.id}`,
      meta: { source: expect.stringMatching(/ZZ0001$/) },
      code: { text: 'Allergy to penicillin' },
      patient: { reference: `Patient/${amelia}` },
      recorder: { type: 'Practitioner', display: 'Dr Grace Practiceton' },
    });
    expect(read.body).not.toHaveProperty('recorder.reference');
  });

  it('finds test results by category with its system, by code and by date, and leaves the readings search as it was', async () => {
    const results = heldFor(ameliasRecord, 'Observation') as (Resource & { code: { coding: { code: string }[] }; effectiveDateTime: string })[];
    const withSystem = await call(caller(amelia), 'Observation?category=http://terminology.hl7.org/CodeSystem/observation-category|laboratory');
    expect(bundle(withSystem).total).toBe(results.length);

    const tsh = results.filter((result) => result.code.coding.some((coding) => coding.code === '3016-3'));
    const byCode = await call(caller(amelia), 'Observation?category=laboratory&code=http://loinc.org|3016-3');
    expect(ids(byCode).sort()).toEqual(tsh.map((result) => `cr-${result.id}`).sort());

    const newest = results
      .map((result) => result.effectiveDateTime)
      .sort()
      .at(-1)!;
    const byDate = await call(caller(amelia), `Observation?category=laboratory&date=ge${encodeURIComponent(newest)}`);
    expect(ids(byDate).sort()).toEqual(
      results
        .filter((result) => result.effectiveDateTime === newest)
        .map((result) => `cr-${result.id}`)
        .sort(),
    );

    // No code and no category: her own readings, never test results; vital signs as before.
    for (const search of ['Observation', 'Observation?category=vital-signs', 'Observation?code=85354-9']) {
      const readings = await call(caller(amelia), search);
      expect(bundle(readings).total, search).toBe(1);
      expect(ids(readings)[0], search).not.toMatch(/^cr-/);
    }
  });

  it('pages like every other search', async () => {
    const all = heldFor(ameliasRecord, 'Appointment').length;
    const first = await call(caller(amelia), 'Appointment?_count=2');
    expect(ids(first)).toHaveLength(2);
    expect(bundle(first).total).toBe(all);
    const next = bundle(first)
      .link!.find((link) => link.relation === 'next')!
      .url.slice(base.length + 1);
    const second = await call(caller(amelia), next);
    expect(ids(second)).toHaveLength(2);
    expect(ids(second)).not.toContain(ids(first)[0]);
  });

  it('is a 404 for another patient’s cr- id, one that is not served, and one never known: the same answer', async () => {
    for (const type of [...TYPES, 'Observation']) {
      const chloes = heldFor(chloesRecord, type)[0] ?? heldFor(patientKey('ben'), type)[0];
      expect(chloes, type).toBeDefined();
      const answer = await call(caller(amelia), `${type}/cr-${chloes!.id}`);
      expect(answer.status, type).toBe(404);
      expect(issue(answer).diagnostics).toBe(`${type}/cr-${chloes!.id} is not known`);
    }
    const vitalSigns = careRecord.server.dataset.resources.find(
      (resource) => resource.resourceType === 'Observation' && JSON.stringify(resource).includes('"vital-signs"'),
    );
    expect((await call(caller(amelia), `Observation/cr-${vitalSigns!.id}`)).status).toBe(404);
    const [allergy] = heldFor(ameliasRecord, 'AllergyIntolerance');
    for (const address of [
      `AllergyIntolerance/cr-${randomUUID()}`,
      `Immunization/cr-${allergy!.id}`,
      'AllergyIntolerance/cr-',
      `AllergyIntolerance/${allergy!.id}`,
    ]) {
      expect((await call(caller(amelia), address)).status, address).toBe(404);
    }
  });

  it('finds nothing for a citizen with no linked record, and reads nothing of anyone’s', async () => {
    for (const [type, search] of SEARCHES) {
      const found = await call(caller(unlinked), search);
      expect(found.status, type).toBe(200);
      expect(bundle(found)).toMatchObject({ type: 'searchset', total: 0 });
      expect(bundle(found).entry, type).toEqual([]);
      const someone = heldFor(ameliasRecord, type)[0]!;
      expect((await call(caller(unlinked), `${type}/cr-${someone.id}`)).status, type).toBe(404);
    }
  });

  it('takes patient or subject only as the caller’s own, and no other parameter', async () => {
    expect((await call(caller(amelia), `MedicationStatement?subject=Patient/${amelia}`)).status).toBe(200);
    expect((await call(caller(amelia), `Immunization?patient=${base}/Patient/${amelia}`)).status).toBe(200);
    const someoneElse = await call(caller(amelia), `AllergyIntolerance?patient=${unlinked}`);
    expect(someoneElse.status).toBe(403);
    // The care record's own id for her is not hers here either.
    expect((await call(caller(amelia), `DocumentReference?patient=Patient/${ameliasRecord}`)).status).toBe(403);
    expect((await call(caller(amelia), 'Observation?category=laboratory&patient=Patient/nobody')).status).toBe(403);
    for (const address of ['AllergyIntolerance?code=91936005', 'Appointment?date=ge2026-01-01', 'Immunization?subject=x']) {
      const answer = await call(caller(amelia), address);
      expect(answer.status, address).toBe(400);
      expect(issue(answer).code).toBe('not-supported');
    }
  });

  it('refuses an app without the scope (403), for reading and for searching', async () => {
    const [allergy] = heldFor(ameliasRecord, 'AllergyIntolerance');
    const onlyReadings = caller(amelia, ['patient/Patient.r', 'patient/Condition.rs']);
    for (const address of [...SEARCHES.map(([, search]) => search), `AllergyIntolerance/cr-${allergy!.id}`]) {
      const answer = await call(onlyReadings, address);
      expect(answer.status, address).toBe(403);
      expect(issue(answer).code).toBe('forbidden');
    }
    const readOnly = await call(caller(amelia, ['patient/AllergyIntolerance.r']), 'AllergyIntolerance');
    expect(readOnly.status).toBe(403);
    expect(issue(readOnly).diagnostics).toContain('patient/AllergyIntolerance.s');
    expect((await call(caller(amelia, ['patient/AllergyIntolerance.r']), `AllergyIntolerance/cr-${allergy!.id}`)).status).toBe(200);
    expect((await call(caller(amelia, ['patient/*.rs']), 'Immunization')).status).toBe(200);
  });

  it('records each read and search for "Who has viewed your information", in the citizen’s words', async () => {
    const before = (await accessesWindow(getDb(), amelia, { skip: 0, take: 0 })).total;
    await call(caller(amelia), 'Immunization');
    const [letter] = heldFor(ameliasRecord, 'DocumentReference');
    await call(caller(amelia), `DocumentReference/cr-${letter!.id}`);
    const { rows, total } = await accessesWindow(getDb(), amelia, { skip: 0, take: 2 });
    expect(total).toBe(before + 2);
    expect(rows.map((row) => [row.who, row.what])).toEqual([
      ['Care Record Viewer (an app you connected)', 'Viewed: letters about your care, from your care record'],
      ['Care Record Viewer (an app you connected)', 'Viewed: your vaccinations, from your care record'],
    ]);
    const entry = await getDb().auditEntry.findFirst({ where: { citizenId: amelia, category: 'care-record-letters' }, orderBy: { seq: 'desc' } });
    expect(JSON.parse(entry!.detail!)).toEqual({ interaction: 'read', resourceType: 'DocumentReference', id: `cr-${letter!.id}` });
  });
});

describe(`the care record unavailable, through the FHIR API on ${provider}`, () => {
  const quickClient = (overrides: Partial<CareRecordConfig> = {}) => new CareRecordClient(careRecord.settings({ retries: 0, ...overrides }));

  async function expectUnavailable(response: FhirResponse) {
    expect(response.status).toBe(503);
    expect(issue(response)).toMatchObject({ severity: 'error', code: 'transient' });
    expect(Number(response.headers?.['retry-after'])).toBeGreaterThan(0);
  }

  const audited = () => getDb().auditEntry.count({ where: { citizenId: amelia } });

  it('is a 503 with Retry-After when it is down, slow, failing or its breaker is open, and nothing is recorded', async () => {
    const before = await audited();
    try {
      // Down before anything is known: the link cannot be checked.
      await careRecord.setFault({ mode: 'down' });
      await expectUnavailable(await call(caller(amelia), 'AllergyIntolerance', quickClient()));

      // The link checked (and kept in the client's cache), then the care record stops answering.
      const warm = quickClient();
      await careRecord.setFault({ mode: 'normal' });
      expect((await call(caller(amelia), 'Immunization', warm)).status).toBe(200);
      await careRecord.setFault({ mode: 'error500' });
      await expectUnavailable(await call(caller(amelia), 'MedicationStatement', warm));
      const [result] = heldFor(ameliasRecord, 'Observation');
      await expectUnavailable(await call(caller(amelia), `Observation/cr-${result!.id}`, warm));

      await careRecord.setFault({ mode: 'slow', delayMs: 2000 });
      await expectUnavailable(await call(caller(amelia), 'Appointment', quickClient({ timeoutMs: 100 })));

      // After enough failures the breaker opens: the care record is not even asked.
      await careRecord.setFault({ mode: 'error500' });
      const breaking = quickClient({ breakerFailures: 1 });
      await expectUnavailable(await call(caller(amelia), 'DocumentReference', breaking));
      expect(breaking.breakerState()).toBe('open');
      await careRecord.setFault({ mode: 'normal' });
      await expectUnavailable(await call(caller(amelia), 'DocumentReference', breaking));
    } finally {
      await careRecord.setFault({ mode: 'normal' });
    }
    expect(await audited()).toBe(before + 1);
    // The citizen's own readings do not need the care record.
    await careRecord.setFault({ mode: 'down' });
    try {
      expect((await call(caller(amelia), 'Observation', quickClient())).status).toBe(200);
    } finally {
      await careRecord.setFault({ mode: 'normal' });
    }
  });
});
