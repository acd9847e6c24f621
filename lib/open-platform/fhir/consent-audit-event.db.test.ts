// Consent (sharing choices) and AuditEvent (who has viewed) through the FHIR API, on the database under test.
import { randomUUID } from 'node:crypto';
import type { AuditEvent, Bundle, Consent, Resource } from '@medplum/fhirtypes';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordAudit } from '@/lib/audit/public';
import { getDb } from '@/lib/platform/db';
import { makeCitizen, useDatabaseUnderTest } from '@/lib/platform/db-test-support';
import { r4Problems } from '@/lib/platform/testing/fhir-validation';
import { changeSharing } from '@/lib/sharing/consent';
import { handleFhir, type ApiCaller, type FhirResponse } from './api';
import { fhirRequest } from './test-support';

const { provider } = useDatabaseUnderTest();
const now = new Date('2026-11-30T12:00:00Z');
const run = randomUUID().slice(0, 8);

let fay: string;
let gus: string;
let gusView: number;

const caller = (userId: string, scopes = ['patient/Consent.rs', 'patient/AuditEvent.rs']): ApiCaller => ({
  userId,
  appId: `record-viewer-${run}`,
  appName: 'Record Viewer',
  scopes: new Set(scopes),
});

async function call(who: ApiCaller, address: string): Promise<FhirResponse> {
  const response = await handleFhir(getDb(), who, fhirRequest('GET', address, now));
  expect(await r4Problems(response.body as Resource), address).toEqual([]);
  return response;
}
const resources = <T extends Resource>(response: FhirResponse) => ((response.body as Bundle<T>).entry ?? []).map((entry) => entry.resource!);

const staffView = (citizenId: string, extra: { reason?: string; detail?: Record<string, string> } = {}) =>
  recordAudit(getDb(), {
    citizenId,
    actorKind: 'staff',
    actorId: `staff-${run}`,
    actorName: 'Grace Practiceton',
    actorOrganisation: 'Demo Lane Surgery (ZZ0001)',
    actorRole: 'General Practitioner',
    action: 'view',
    category: 'blood-pressure',
    ...extra,
  });

beforeAll(async () => {
  fay = await makeCitizen({ givenName: 'Fay', familyName: `Consent-${run}` });
  gus = await makeCitizen({ givenName: 'Gus', familyName: `Consent-${run}` });
  await changeSharing(getDb(), { userId: fay, givenName: 'Fay', familyName: 'Consent' }, 'blood-pressure', false);
  await staffView(fay);
  await staffView(fay, { reason: 'I am giving them urgent or emergency care: fell', detail: { access: 'emergency' } });
  gusView = await staffView(gus);
});

afterAll(async () => {
  await getDb().user.deleteMany({ where: { id: { in: [fay, gus] } } });
});

describe(`Consent on ${provider}`, () => {
  it('gives one Consent for each kind of information, permitted or denied, chosen or by default', async () => {
    const consents = resources<Consent>(await call(caller(fay), 'Consent'));
    // Only the choice they made has a time (when they made it).
    expect(consents.map((consent) => [consent.provision!.code![0]!.coding![0]!.code, consent.provision!.type, typeof consent.dateTime])).toEqual([
      ['communication', 'permit', 'undefined'],
      ['top-three', 'permit', 'undefined'],
      ['conditions', 'permit', 'undefined'],
      ['blood-pressure', 'deny', 'string'],
    ]);
    const bloodPressure = consents[3]!;
    expect(bloodPressure).toMatchObject({ status: 'active', patient: { reference: `Patient/${fay}` }, policyRule: { coding: [{ code: 'OPTOUT' }] } });
    expect((await call(caller(fay), `Consent/${bloodPressure.id}`)).body).toEqual(bloodPressure);
  });

  it('never reaches another citizen’s choices', async () => {
    const gusConsent = resources<Consent>(await call(caller(gus), 'Consent'))[0]!;
    expect((await call(caller(fay), `Consent/${gusConsent.id}`)).status).toBe(404);
    expect((await call(caller(fay), `Consent?patient=${gus}`)).status).toBe(403);
    expect((await call(caller(fay), 'Consent?status=inactive')).body).toMatchObject({ total: 0 });
    expect((await call(caller(fay, ['patient/AuditEvent.rs']), 'Consent')).status).toBe(403);
  });
});

describe(`AuditEvent on ${provider}`, () => {
  it('lists who has viewed, newest first, as the citizen’s page does, with the app’s own reads in it', async () => {
    const events = resources<AuditEvent>(await call(caller(fay), 'AuditEvent'));
    const shown = events.map((event) => [
      event.action,
      event.agent[0]!.name,
      event.entity![0]!.description,
      event.purposeOfEvent?.[0]?.coding?.[0]?.code ?? null,
    ]);
    // Newest first: the Consent reads and searches of the tests before, then the professional's two looks.
    expect(shown.slice(-2)).toEqual([
      ['R', 'Grace Practiceton', 'Viewed: home blood pressure readings', 'ETREAT'],
      ['R', 'Grace Practiceton', 'Viewed: home blood pressure readings', null],
    ]);
    expect(shown.slice(0, -2)).toEqual(shown.slice(0, -2).map(() => ['R', 'Record Viewer (an app you connected)', 'Viewed: your choices about sharing', null]));
    expect(shown.length).toBe(5);
    const emergency = events.at(-2)!;
    expect(emergency.agent[0]).toMatchObject({
      who: { display: 'Grace Practiceton, Demo Lane Surgery (ZZ0001)' },
      purposeOfUse: [{ text: 'I am giving them urgent or emergency care: fell' }],
    });
    // Reading the list is itself recorded, and shown next time.
    const again = resources<AuditEvent>(await call(caller(fay), 'AuditEvent?_count=1'));
    expect(again[0]!.entity![0]!.description).toBe('Viewed: who has viewed your information');
    expect((await call(caller(fay), `AuditEvent/${again[0]!.id}`)).status).toBe(200);
  });

  it('never shows another citizen’s entries, nor entries the citizen is not shown', async () => {
    expect((await call(caller(fay), `AuditEvent/${gusView}`)).status).toBe(404);
    expect((await call(caller(fay), 'AuditEvent/0')).status).toBe(404);
    expect((await call(caller(fay), 'AuditEvent/not-a-number')).status).toBe(404);
    const consentChange = await getDb().auditEntry.findFirstOrThrow({ where: { citizenId: fay, action: 'consent-changed' } });
    expect((await call(caller(fay), `AuditEvent/${consentChange.seq}`)).status).toBe(404);
    expect((await call(caller(fay), `AuditEvent?patient=${gus}`)).status).toBe(403);
  });
});
