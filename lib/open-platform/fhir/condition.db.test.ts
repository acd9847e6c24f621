// Condition through the FHIR API on the database under test: the citizen's long-term conditions.
import { randomUUID } from 'node:crypto';
import type { Bundle, Condition, OperationOutcome, Resource } from '@medplum/fhirtypes';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getDb } from '@/lib/platform/db';
import { makeCitizen, useDatabaseUnderTest } from '@/lib/platform/db-test-support';
import { r4Problems } from '@/lib/platform/testing/fhir-validation';
import { handleFhir, type ApiCaller, type FhirResponse } from './api';
import { fhirRequest, TEST_BASE_URL as base } from './test-support';

const { provider } = useDatabaseUnderTest();
const now = new Date('2026-11-30T12:00:00Z');
const run = randomUUID().slice(0, 8);

let dee: string;
let eli: string;
let asthma: string;
let ownWords: string;
let elisCondition: string;

const caller = (userId: string, scopes = ['patient/Condition.rs', 'patient/Condition.c']): ApiCaller => ({
  userId,
  appId: `conditions-app-${run}`,
  appName: 'Condition Tracker',
  scopes: new Set(scopes),
});

async function call(who: ApiCaller, method: string, address: string, body?: unknown): Promise<FhirResponse> {
  const response = await handleFhir(getDb(), who, fhirRequest(method, address, now, { body }));
  expect(await r4Problems(response.body as Resource), `${method} ${address}`).toEqual([]);
  return response;
}
const ids = (response: FhirResponse) => ((response.body as Bundle).entry ?? []).map((entry) => entry.resource!.id);
const diagnostics = (response: FhirResponse) => (response.body as OperationOutcome).issue.map((issue) => issue.diagnostics);
const conditionsOf = (userId: string) => getDb().longTermCondition.count({ where: { userId } });

beforeAll(async () => {
  const db = getDb();
  dee = await makeCitizen({ givenName: 'Dee', familyName: `Conditions-${run}` });
  eli = await makeCitizen({ givenName: 'Eli', familyName: `Conditions-${run}` });
  asthma = (await db.longTermCondition.create({ data: { userId: dee, code: '195967001', name: 'Asthma', addedAt: new Date('2026-10-01T09:00:00Z') } })).id;
  ownWords = (await db.longTermCondition.create({ data: { userId: dee, code: null, name: 'Long COVID', addedAt: new Date('2026-10-02T09:00:00Z') } })).id;
  elisCondition = (await db.longTermCondition.create({ data: { userId: eli, code: '84757009', name: 'Epilepsy' } })).id;
});

afterAll(async () => {
  await getDb().user.deleteMany({ where: { id: { in: [dee, eli] } } });
});

describe(`Condition on ${provider}`, () => {
  it('reads a condition from the list with its SNOMED CT code, and one in the citizen’s own words as text', async () => {
    const listed = await call(caller(dee), 'GET', `Condition/${asthma}`);
    expect(listed.status).toBe(200);
    expect(listed.body).toMatchObject({
      resourceType: 'Condition',
      id: asthma,
      clinicalStatus: { coding: [{ code: 'active' }] },
      category: [{ coding: [{ code: 'problem-list-item' }] }],
      code: { coding: [{ system: 'http://snomed.info/sct', code: '195967001', display: 'Asthma' }], text: 'Asthma' },
      subject: { reference: `Patient/${dee}` },
      asserter: { reference: `Patient/${dee}` },
      recordedDate: '2026-10-01T09:00:00.000Z',
    });
    expect(((await call(caller(dee), 'GET', `Condition/${ownWords}`)).body as Condition).code).toEqual({ text: 'Long COVID' });
  });

  it('never reaches another citizen’s condition: 404, as for a made-up id', async () => {
    expect((await call(caller(dee), 'GET', `Condition/${elisCondition}`)).status).toBe(404);
    expect((await call(caller(dee), 'GET', 'Condition/made-up')).status).toBe(404);
    expect(ids(await call(caller(eli), 'GET', 'Condition'))).toEqual([elisCondition]);
  });

  it('searches them in the order they were added, by code, category and clinical status', async () => {
    const all = await call(caller(dee), 'GET', 'Condition');
    expect(all.body).toMatchObject({ type: 'searchset', total: 2 });
    expect(ids(all)).toEqual([asthma, ownWords]);
    expect(ids(await call(caller(dee), 'GET', 'Condition?code=http://snomed.info/sct|195967001'))).toEqual([asthma]);
    expect(ids(await call(caller(dee), 'GET', 'Condition?category=problem-list-item&clinical-status=active&_count=1&_offset=1'))).toEqual([ownWords]);
    expect(ids(await call(caller(dee), 'GET', 'Condition?clinical-status=resolved'))).toEqual([]);
    expect((await call(caller(dee), 'GET', `Condition?patient=${eli}`)).status).toBe(403);
    expect((await call(caller(dee), 'GET', 'Condition?onset-date=2020')).status).toBe(400);
    expect((await call(caller(dee, ['patient/Observation.rs']), 'GET', 'Condition')).status).toBe(403);
  });

  it('adds a condition from the list, or in the citizen’s own words, under the form’s rules', async () => {
    const listed = await call(caller(dee), 'POST', 'Condition', {
      resourceType: 'Condition',
      clinicalStatus: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/condition-clinical', code: 'active' }] },
      code: { coding: [{ system: 'http://snomed.info/sct', code: '44054006' }] },
      subject: { reference: `Patient/${dee}` },
    });
    expect(listed.status).toBe(201);
    const added = listed.body as Condition;
    expect(listed.headers).toEqual({ location: `${base}/Condition/${added.id}` });
    expect(added.code).toEqual({ coding: [{ system: 'http://snomed.info/sct', code: '44054006', display: 'Type 2 diabetes' }], text: 'Type 2 diabetes' });
    // Their own words for a listed condition keep the list's code, as on the form.
    const words = await call(caller(dee), 'POST', 'Condition', { resourceType: 'Condition', code: { text: 'migraine' } });
    expect((words.body as Condition).code!.coding![0]!.code).toBe('37796009');
    const unlisted = await call(caller(dee), 'POST', 'Condition', { resourceType: 'Condition', code: { text: 'Ehlers-Danlos syndrome' } });
    expect((unlisted.body as Condition).code).toEqual({ text: 'Ehlers-Danlos syndrome' });
    expect(await conditionsOf(dee)).toBe(5);
    expect(await getDb().auditEntry.count({ where: { citizenId: dee, actorKind: 'app', action: 'add', category: 'conditions' } })).toBe(3);
  });

  it('refuses a condition already on the list, bad input and another patient, storing nothing', async () => {
    const before = await conditionsOf(dee);
    const cases: [unknown, number, string?][] = [
      [{ resourceType: 'Condition', code: { coding: [{ system: 'http://snomed.info/sct', code: '195967001' }] } }, 422, 'You have already added Asthma'],
      [{ resourceType: 'Condition', code: { text: 'ASTHMA' } }, 422, 'You have already added Asthma'],
      [{ resourceType: 'Condition', code: { text: 'x'.repeat(101) } }, 422, 'Your condition must be 100 characters or less'],
      [{ resourceType: 'Condition', code: { coding: [{ system: 'http://snomed.info/sct', code: '1234' }] } }, 422, 'code must name the condition'],
      [{ resourceType: 'Condition', code: { text: 'Gout' }, clinicalStatus: { coding: [{ code: 'resolved' }] } }, 422, 'clinicalStatus active'],
      [{ resourceType: 'Condition' }, 400, 'code is required'],
      [{ resourceType: 'Observation', code: { text: 'Gout' } }, 400, 'resourceType must be Condition'],
      ['{not json', 400, 'not valid JSON'],
      [{ resourceType: 'Condition', code: { text: 'Gout' }, subject: { reference: `Patient/${eli}` } }, 403, 'your own patient'],
    ];
    for (const [body, status, says] of cases) {
      const response = await call(caller(dee), 'POST', 'Condition', body);
      expect(response.status, JSON.stringify(body).slice(0, 80)).toBe(status);
      if (says) expect(diagnostics(response).join(' ')).toContain(says);
    }
    expect((await call(caller(dee, ['patient/Condition.rs']), 'POST', 'Condition', { resourceType: 'Condition', code: { text: 'Gout' } })).status).toBe(403);
    expect(await conditionsOf(dee)).toBe(before);
    expect(await conditionsOf(eli)).toBe(1);
  });
});
