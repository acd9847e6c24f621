import { generateKeyPairSync, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Bundle, CapabilityStatement, OperationOutcome, Patient, Resource } from '@medplum/fhirtypes';
import { importJWK, SignJWT, type JWK } from 'jose';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CARE_RECORD_CLIENT_ID, ensureCareRecordClientKeys, type CareRecordClientKeys } from './client-keys';
import { NHS_NUMBER_SYSTEM, type DemoPatient } from './generate';
import { parseFault, startCareRecordServer, type RunningCareRecordServer } from './server';

let server: RunningCareRecordServer;
let keysDir: string;
let keys: CareRecordClientKeys;
let token: string;
let offsetMs = 0;
const logLines: string[] = [];
const demo = (key: string): DemoPatient => server.dataset.demoPatients.find((patient) => patient.key === key)!;

beforeAll(async () => {
  keysDir = fs.mkdtempSync(path.join(os.tmpdir(), 'care-record-test-'));
  server = await startCareRecordServer({
    port: 0,
    keysDir,
    accessTokenTtlSeconds: 60,
    now: () => Date.now() + offsetMs,
    log: (line) => logLines.push(line),
  });
  keys = ensureCareRecordClientKeys(keysDir);
  token = await getToken();
});

afterAll(async () => {
  await server?.close();
  fs.rmSync(keysDir, { recursive: true, force: true });
});

afterEach(async () => {
  offsetMs = 0;
  await setFault({ mode: 'normal' });
});

interface AssertionOptions {
  privateJwk?: JWK;
  expiresIn?: number;
  jti?: string;
  audience?: string;
  clientId?: string;
}

async function assertion(options: AssertionOptions = {}): Promise<string> {
  const jwk = options.privateJwk ?? keys.privateJwk;
  const clientId = options.clientId ?? CARE_RECORD_CLIENT_ID;
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({})
    .setProtectedHeader({ alg: 'ES256', kid: keys.kid })
    .setIssuer(clientId)
    .setSubject(clientId)
    .setAudience(options.audience ?? server.tokenUrl)
    .setJti(options.jti ?? randomUUID())
    .setIssuedAt(now)
    .setExpirationTime(now + (options.expiresIn ?? 120))
    .sign(await importJWK(jwk, 'ES256'));
}

async function requestToken(clientAssertion: string, scope = 'system/*.read'): Promise<Response> {
  return fetch(server.tokenUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'client_credentials',
      client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
      client_assertion: clientAssertion,
      scope,
    }),
  });
}

async function getToken(): Promise<string> {
  const response = await requestToken(await assertion());
  expect(response.status).toBe(200);
  return ((await response.json()) as { access_token: string }).access_token;
}

async function fhir(pathAndQuery: string, bearer: string | null = token): Promise<Response> {
  return fetch(`${server.url}${pathAndQuery}`, { headers: bearer ? { authorization: `Bearer ${bearer}` } : {} });
}

async function searchBundle(pathAndQuery: string): Promise<Bundle> {
  const response = await fhir(pathAndQuery);
  expect(response.status, pathAndQuery).toBe(200);
  expect(response.headers.get('content-type')).toMatch(/^application\/fhir\+json/);
  const bundle = (await response.json()) as Bundle;
  expect(bundle).toMatchObject({ resourceType: 'Bundle', type: 'searchset' });
  expect(bundle.total).toBe(bundle.entry?.length ?? 0);
  expect(bundle.link?.find((link) => link.relation === 'self')?.url).toBe(`${server.url}${pathAndQuery}`);
  return bundle;
}

const resourcesOf = (bundle: Bundle) => (bundle.entry ?? []).map((entry) => entry.resource as Resource);

async function setFault(body: object): Promise<Response> {
  return fetch(`${server.url}/_faults`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
}

describe('token endpoint (SMART backend services)', () => {
  it('issues a short-lived bearer token for a valid client assertion', async () => {
    const response = await requestToken(await assertion(), 'system/Patient.rs system/Observation.read');
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(await response.json()).toMatchObject({ token_type: 'bearer', expires_in: 60, scope: 'system/Patient.rs system/Observation.read' });
  });

  it('limits a token to the resource types of its scopes', async () => {
    const response = await requestToken(await assertion(), 'system/Patient.read');
    const { access_token: patientOnly } = (await response.json()) as { access_token: string };
    expect((await fhir(`/Patient/${demo('amelia').patientId}`, patientOnly)).status).toBe(200);
    const forbidden = await fhir(`/Condition?patient=${demo('amelia').patientId}`, patientOnly);
    expect(forbidden.status).toBe(403);
    expect(((await forbidden.json()) as OperationOutcome).issue[0]?.code).toBe('forbidden');
  });

  it('refuses an assertion signed with another key', async () => {
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const response = await requestToken(await assertion({ privateJwk: privateKey.export({ format: 'jwk' }) as JWK }));
    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({ error: 'invalid_client' });
  });

  it('refuses an expired assertion, one valid too long, a wrong audience and an unknown client', async () => {
    for (const options of [{ expiresIn: -60 }, { expiresIn: 3600 }, { audience: 'http://localhost:1/token' }, { clientId: 'someone-else' }]) {
      const response = await requestToken(await assertion(options));
      expect(response.status, JSON.stringify(options)).toBe(401);
    }
  });

  it('refuses a replayed jti', async () => {
    const jti = randomUUID();
    expect((await requestToken(await assertion({ jti }))).status).toBe(200);
    expect((await requestToken(await assertion({ jti }))).status).toBe(401);
  });

  it('requires client_credentials and system scopes', async () => {
    const wrongGrant = await fetch(server.tokenUrl, { method: 'POST', body: new URLSearchParams({ grant_type: 'password' }) });
    expect(wrongGrant.status).toBe(400);
    expect(await wrongGrant.json()).toMatchObject({ error: 'unsupported_grant_type' });
    expect((await requestToken(await assertion(), 'patient/*.read')).status).toBe(400);
  });

  it('protects every FHIR call with the bearer token, which expires', async () => {
    const missing = await fhir('/Patient/anything', null);
    expect(missing.status).toBe(401);
    expect(missing.headers.get('www-authenticate')).toMatch(/^Bearer/);
    expect(((await missing.json()) as OperationOutcome).issue[0]?.code).toBe('login');
    expect((await fhir(`/Patient?identifier=${NHS_NUMBER_SYSTEM}|9990012377`, 'made-up')).status).toBe(401);

    const shortLived = await getToken();
    expect((await fhir(`/Patient/${demo('amelia').patientId}`, shortLived)).status).toBe(200);
    offsetMs = 61_000;
    expect((await fhir(`/Patient/${demo('amelia').patientId}`, shortLived)).status).toBe(401);
  });

  it('publishes metadata and SMART configuration without a token', async () => {
    const metadata = await fhir('/metadata', null);
    expect(metadata.status).toBe(200);
    const capability = (await metadata.json()) as CapabilityStatement;
    expect(capability).toMatchObject({ resourceType: 'CapabilityStatement', fhirVersion: '4.0.1', kind: 'instance' });
    const patient = capability.rest?.[0]?.resource?.find((resource) => resource.type === 'Patient');
    expect(patient?.searchParam?.map((param) => param.name)).toEqual(
      expect.arrayContaining(['identifier', 'family', 'given', 'birthdate', 'address-postalcode']),
    );
    const smart = await (await fetch(`${server.url}/.well-known/smart-configuration`)).json();
    expect(smart).toMatchObject({ token_endpoint: server.tokenUrl, token_endpoint_auth_methods_supported: ['private_key_jwt'] });
  });
});

describe('finding a patient (linking)', () => {
  it('finds a patient by NHS number, with or without the system', async () => {
    const bundle = await searchBundle(`/Patient?identifier=${encodeURIComponent(`${NHS_NUMBER_SYSTEM}|9990012377`)}`);
    expect(resourcesOf(bundle).map((resource) => resource.id)).toEqual([demo('amelia').patientId]);
    expect((await searchBundle('/Patient?identifier=9990037116')).total).toBe(1);
    expect((await searchBundle(`/Patient?identifier=${encodeURIComponent('https://example.org/other|9990012377')}`)).total).toBe(0);
  });

  it('finds one match by name, birth date and postcode, whatever the case and spacing', async () => {
    const bundle = await searchBundle('/Patient?family=sampleton&given=BEN&birthdate=1990-11-02&address-postalcode=ls98ab');
    expect(resourcesOf(bundle).map((resource) => resource.id)).toEqual([demo('ben').patientId]);
    expect((resourcesOf(bundle)[0] as Patient).identifier?.[0]?.value).toBe('9990045216');
  });

  it('finds none when one detail differs', async () => {
    expect((await searchBundle('/Patient?family=Sampleton&given=Ben&birthdate=1990-11-03&address-postalcode=LS9%208AB')).total).toBe(0);
    expect((await searchBundle('/Patient?family=Sampleton&given=Ben&birthdate=1990-11-02&address-postalcode=LS10%201AA')).total).toBe(0);
    expect((await searchBundle('/Patient?family:exact=Nomatch&given=Dev&birthdate=1975-06-30')).total).toBe(0);
  });

  it('finds several when two people share name, birth date and postcode', async () => {
    const bundle = await searchBundle('/Patient?family=Mockridge&given=Jordan&birthdate=1979-05-12&address-postalcode=LS11%205DX');
    expect(
      resourcesOf(bundle)
        .map((resource) => resource.id)
        .sort(),
    ).toEqual([demo('jordan-a').patientId, demo('jordan-b').patientId].sort());
  });

  it('refuses searches that would list everyone or that it does not understand', async () => {
    for (const query of [
      '/Patient',
      '/Patient?given=Ben',
      '/Patient?family=Sampleton&birthdate=2026-13-45',
      '/Patient?name=Ben',
      '/Patient?family:contains=Samp&birthdate=1990',
      '/Condition',
      '/Observation?category=laboratory',
      '/Appointment?patient=x&date=ap2026-01-01',
    ]) {
      const response = await fhir(query);
      expect(response.status, query).toBe(400);
      const outcome = (await response.json()) as OperationOutcome;
      expect(outcome.resourceType).toBe('OperationOutcome');
      expect(outcome.issue[0]).toMatchObject({ severity: 'error', code: 'invalid' });
    }
  });

  it('answers 404 with an OperationOutcome for unknown resources and types', async () => {
    for (const query of ['/Patient/no-such-id', '/Medication/abc', '/Nonsense']) {
      const response = await fhir(query);
      expect(response.status, query).toBe(404);
      expect(((await response.json()) as OperationOutcome).resourceType).toBe('OperationOutcome');
    }
  });
});

describe("a citizen's record, section by section", () => {
  const sections = [
    'Condition',
    'MedicationStatement',
    'AllergyIntolerance',
    'Immunization',
    'Observation',
    'Encounter',
    'Appointment',
    'DocumentReference',
    'CarePlan',
    'CareTeam',
  ];

  it('returns every section for a demo citizen, by patient or subject, and only theirs', async () => {
    const amelia = demo('amelia');
    for (const type of sections) {
      const byPatient = await searchBundle(`/${type}?patient=Patient/${amelia.patientId}`);
      expect(byPatient.total, type).toBeGreaterThan(0);
      for (const resource of resourcesOf(byPatient)) {
        expect(resource.resourceType).toBe(type);
        expect(JSON.stringify(resource)).toContain(`"Patient/${amelia.patientId}"`);
      }
      const bySubject = await searchBundle(`/${type}?subject=${amelia.patientId}`);
      expect(bySubject.total).toBe(byPatient.total);
    }
  });

  it('reads each resource by id, and the organisations and people it points at', async () => {
    const bundle = await searchBundle(`/DocumentReference?patient=${demo('amelia').patientId}`);
    const document = resourcesOf(bundle)[0]!;
    expect(bundle.entry?.[0]?.fullUrl).toBe(`${server.url}/DocumentReference/${document.id}`);
    const read = await fhir(`/DocumentReference/${document.id}`);
    expect(await read.json()).toEqual(document);
    const custodian = (document as { custodian?: { reference?: string } }).custodian?.reference;
    expect((await fhir(`/${custodian}`)).status).toBe(200);
    const ods = await searchBundle('/Organization?identifier=https%3A%2F%2Ffhir.nhs.uk%2FId%2Fods-organization-code%7CZZ0003');
    expect(ods.entry?.[0]?.resource).toMatchObject({ name: 'Demo City Council' });
  });

  it('filters test results by category and appointments by date', async () => {
    const patient = `Patient/${demo('amelia').patientId}`;
    const all = await searchBundle(`/Observation?patient=${patient}`);
    const labs = await searchBundle(`/Observation?patient=${patient}&category=laboratory`);
    expect(labs.total).toBeGreaterThan(0);
    expect(labs.total).toBeLessThan(all.total!);
    expect(
      (
        await searchBundle(
          `/Observation?patient=${patient}&category=${encodeURIComponent('http://terminology.hl7.org/CodeSystem/observation-category|laboratory')}`,
        )
      ).total,
    ).toBe(labs.total);

    const today = new Date().toISOString().slice(0, 10);
    const appointments = await searchBundle(`/Appointment?patient=${patient}`);
    const upcoming = await searchBundle(`/Appointment?patient=${patient}&date=ge${today}`);
    const past = await searchBundle(`/Appointment?patient=${patient}&date=lt${today}`);
    expect(upcoming.total).toBeGreaterThan(0);
    expect(past.total).toBeGreaterThan(0);
    expect(upcoming.total! + past.total!).toBe(appointments.total);
    for (const resource of resourcesOf(upcoming)) expect((resource as { start: string }).start >= today).toBe(true);
    const year = new Date().getUTCFullYear();
    const thisYear = await searchBundle(`/Appointment?patient=${patient}&date=ge${year}&date=lt${year + 1}`);
    expect(thisYear.total).toBeLessThanOrEqual(appointments.total!);
  });

  it('returns empty Bundles, not errors, for a record with nothing in it', async () => {
    const nadia = demo('nadia');
    for (const type of sections) expect((await searchBundle(`/${type}?patient=Patient/${nadia.patientId}`)).total, type).toBe(0);
  });

  it('logs one line per request without identifiers, names or NHS numbers', async () => {
    logLines.length = 0;
    await fhir(`/Patient?identifier=9990012377&family=Testwell&birthdate=1984-03-17`);
    await fhir(`/Patient/${demo('amelia').patientId}`);
    const requests = logLines.map((line) => JSON.parse(line) as Record<string, unknown>).filter((line) => line.event === 'request');
    expect(requests).toHaveLength(2);
    expect(requests[0]).toMatchObject({ method: 'GET', path: '/Patient', params: ['identifier', 'family', 'birthdate'], status: 200 });
    expect(requests[1]).toMatchObject({ path: '/Patient/{id}' });
    expect(logLines.join('\n')).not.toMatch(/9990012377|Testwell|1984-03-17|52f88b36|Bearer/);
    expect(logLines.join('\n')).not.toContain(demo('amelia').patientId);
  });
});

describe('fault injection (tests only)', () => {
  const read = () => fhir(`/Patient/${demo('amelia').patientId}`);

  it('slow: answers after the delay', async () => {
    expect((await setFault({ mode: 'slow', delayMs: 300 })).status).toBe(200);
    const started = Date.now();
    expect((await read()).status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
  });

  it('error500: every request fails with an OperationOutcome, the token endpoint too', async () => {
    await setFault({ mode: 'error500' });
    const response = await read();
    expect(response.status).toBe(500);
    expect(((await response.json()) as OperationOutcome).issue[0]?.code).toBe('exception');
    expect((await requestToken(await assertion())).status).toBe(500);
  });

  it('down: drops every connection without an answer', async () => {
    await setFault({ mode: 'down' });
    await expect(read()).rejects.toThrow();
    await expect(fetch(`${server.url}/health`)).rejects.toThrow();
    expect(await (await fetch(`${server.url}/_faults`)).json()).toMatchObject({ mode: 'down' });
  });

  it('flaky: every Nth request fails', async () => {
    await setFault({ mode: 'flaky', every: 2 });
    const statuses = [];
    for (let index = 0; index < 4; index += 1) statuses.push((await read()).status);
    expect(statuses).toEqual([200, 500, 200, 500]);
  });

  it('normal: back to normal, and bad fault requests are refused', async () => {
    await setFault({ mode: 'error500' });
    await setFault({ mode: 'normal' });
    expect((await read()).status).toBe(200);
    expect((await setFault({ mode: 'explode' })).status).toBe(400);
    expect((await setFault({ mode: 'slow', delayMs: -5 })).status).toBe(400);
  });

  it('parses CARE_RECORD_FAULT', () => {
    expect(parseFault('down')).toEqual({ mode: 'down' });
    expect(parseFault('slow:2500')).toEqual({ mode: 'slow', delayMs: 2500 });
    expect(parseFault('flaky:4')).toEqual({ mode: 'flaky', every: 4 });
    expect(() => parseFault('broken')).toThrow(/Unknown fault mode/);
  });

  it('starts in the fault mode it is given', async () => {
    const down = await startCareRecordServer({ port: 0, keysDir, fault: parseFault('error500'), log: () => {} });
    try {
      expect((await fetch(`${down.url}/health`)).status).toBe(500);
    } finally {
      await down.close();
    }
  });
});

describe('writes: what citizens add (PUT Observation and Flag)', () => {
  const writeScope = 'system/*.read system/Observation.write system/Flag.write';
  let writer: string;
  let patientId: string;

  beforeAll(async () => {
    const response = await requestToken(await assertion(), writeScope);
    expect(response.status).toBe(200);
    writer = ((await response.json()) as { access_token: string }).access_token;
    patientId = server.dataset.resources.find((resource) => resource.resourceType === 'Patient')!.id!;
  });

  const observation = (id: string, overrides: Record<string, unknown> = {}) => ({
    resourceType: 'Observation',
    id,
    identifier: [{ system: 'https://phr.example/id/blood-pressure-reading', value: id }],
    status: 'final',
    category: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/observation-category', code: 'vital-signs' }] }],
    code: { coding: [{ system: 'http://loinc.org', code: '85354-9' }], text: 'Blood pressure' },
    subject: { reference: `Patient/${patientId}` },
    performer: [{ reference: `Patient/${patientId}` }],
    effectiveDateTime: '2026-12-01T08:00:00+00:00',
    ...overrides,
  });

  async function put(pathname: string, body: unknown, bearer: string | null = writer, contentType = 'application/fhir+json') {
    return fetch(`${server.url}${pathname}`, {
      method: 'PUT',
      headers: { 'content-type': contentType, ...(bearer ? { authorization: `Bearer ${bearer}` } : {}) },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
  }

  it('creates at our id, updates on the next PUT, and a search by patient and code finds it (once)', async () => {
    const id = `phr-bp-${randomUUID()}`;
    const created = await put(`/Observation/${id}`, observation(id));
    expect(created.status).toBe(201);
    expect(await created.json()).toMatchObject({ id, meta: { versionId: '1' } });
    const updated = await put(`/Observation/${id}`, observation(id, { status: 'entered-in-error' }));
    expect(updated.status).toBe(200);
    expect(await updated.json()).toMatchObject({ status: 'entered-in-error', meta: { versionId: '2' } });

    const bundle = await searchBundle(`/Observation?patient=${patientId}&code=http://loinc.org|85354-9`);
    expect(resourcesOf(bundle).filter((resource) => resource.id === id)).toMatchObject([{ status: 'entered-in-error' }]);
    expect(resourcesOf(await searchBundle(`/Observation?patient=${patientId}&identifier=https://phr.example/id/blood-pressure-reading|${id}`))).toHaveLength(1);
    expect((await fhir(`/Observation/${id}`)).status).toBe(200);
    // Laboratory searches (the citizen's test results page) do not pick up what citizens add.
    expect(resourcesOf(await searchBundle(`/Observation?patient=${patientId}&category=laboratory`)).some((resource) => resource.id === id)).toBe(false);
  });

  it('keeps Flags, searched by patient', async () => {
    const id = `phr-top-three-${randomUUID()}`;
    const flag = { resourceType: 'Flag', id, status: 'active', code: { text: 'Top three things' }, subject: { reference: `Patient/${patientId}` } };
    expect((await put(`/Flag/${id}`, flag)).status).toBe(201);
    expect(resourcesOf(await searchBundle(`/Flag?patient=Patient/${patientId}`)).map((resource) => resource.id)).toContain(id);
  });

  it('refuses writes without a token, without a write scope, or of the wrong kind', async () => {
    const id = `phr-bp-${randomUUID()}`;
    expect((await put(`/Observation/${id}`, observation(id), null)).status).toBe(401);
    const readOnly = await put(`/Observation/${id}`, observation(id), token);
    expect(readOnly.status).toBe(403);
    expect(await readOnly.json()).toMatchObject({ resourceType: 'OperationOutcome' });
    expect((await put(`/Patient/${patientId}`, { resourceType: 'Patient', id: patientId })).status).toBe(405);
    expect((await put(`/Observation/${id}`, observation(id), writer, 'text/plain')).status).toBe(415);
    expect((await fhir(`/Observation/${id}`)).status).toBe(404);
  });

  it('refuses malformed resources and unknown patients with an OperationOutcome', async () => {
    const id = `phr-bp-${randomUUID()}`;
    const refusals: [unknown, number][] = [
      ['{not json', 400],
      [observation('another-id'), 400],
      [{ ...observation(id), resourceType: 'Flag' }, 400],
      [observation(id, { status: 'done' }), 422],
      [observation(id, { code: { coding: [{ code: 'no-system' }] } }), 422],
      [observation(id, { subject: { reference: 'Patient/nobody-here' } }), 422],
      [observation(id, { subject: { display: 'No reference' } }), 422],
      [observation(id, { performer: [{ reference: 'Patient/someone-else' }] }), 422],
    ];
    for (const [body, status] of refusals) {
      const response = await put(`/Observation/${id}`, body);
      expect(response.status, JSON.stringify(body)).toBe(status);
      expect(await response.json()).toMatchObject({ resourceType: 'OperationOutcome', issue: [{ severity: 'error' }] });
    }
    // The record's own resources are not ours to replace.
    const theirs = server.dataset.resources.find((resource) => resource.resourceType === 'Observation')!;
    expect((await put(`/Observation/${theirs.id}`, observation(theirs.id!))).status).toBe(409);
    expect((await fhir(`/Observation/${id}`)).status).toBe(404);
  });

  it('advertises update for the types it takes', async () => {
    const statement = (await (await fhir('/metadata')).json()) as CapabilityStatement;
    const observationEntry = statement.rest?.[0]?.resource?.find((resource) => resource.type === 'Observation');
    expect(observationEntry?.interaction?.map((interaction) => interaction.code)).toContain('update');
    expect(statement.rest?.[0]?.resource?.find((resource) => resource.type === 'Patient')?.interaction?.map((interaction) => interaction.code)).not.toContain(
      'update',
    );
  });
});
