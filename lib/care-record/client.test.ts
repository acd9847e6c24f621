import type { Patient } from '@medplum/fhirtypes';
import { exportJWK, generateKeyPair } from 'jose';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { LogFields } from '@/lib/platform/log';
import type { CareRecordConfig } from '@/lib/platform/config';
import { CareRecordClient, CareRecordUnavailable, CareRecordWriteFailed, careRecordLogLevel } from './client';
import { startTestCareRecord, type TestCareRecord } from './test-support';

const NHS_NUMBER = 'https://fhir.nhs.uk/Id/nhs-number|9990012377';

let careRecord: TestCareRecord;

beforeAll(async () => {
  // Tokens live 30 s here, so the client renews them after 15 s of its clock.
  careRecord = await startTestCareRecord({ accessTokenTtlSeconds: 30 });
});

afterAll(async () => {
  await careRecord?.close();
});

afterEach(async () => {
  careRecord.clock.offsetMs = 0;
  careRecord.clock.serverOnlyOffsetMs = 0;
  await careRecord.setFault({ mode: 'normal' });
});

/** A client over the test care record that records each request it sends and each line it logs. */
function testClient(overrides: Partial<CareRecordConfig> = {}, fetchFirst?: (url: string) => Response | undefined) {
  const requests: string[] = [];
  const logs: (LogFields & { event: string })[] = [];
  const client = new CareRecordClient(careRecord.settings(overrides), {
    now: careRecord.clock.now,
    fetch: async (input, init) => {
      const url = new URL(String(input));
      requests.push(`${init?.method ?? 'GET'} ${url.pathname}`);
      return fetchFirst?.(url.pathname) ?? fetch(input, init);
    },
    log: (event, fields) => logs.push({ event, ...fields }),
  });
  const count = (request: string) => requests.filter((sent) => sent === request).length;
  return { client, requests, logs, count };
}

async function failureOf(call: Promise<unknown>): Promise<CareRecordUnavailable> {
  const error = await call.then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(CareRecordUnavailable);
  return error as CareRecordUnavailable;
}

describe('the care record client', () => {
  it('gets one access token with a signed assertion and reuses it', async () => {
    const { client, count } = testClient();
    const [amelia] = await client.search<Patient>('Patient', { identifier: NHS_NUMBER });
    expect(amelia?.birthDate).toBe('1984-03-17');
    await client.search('Condition', { patient: amelia!.id! });
    await client.read('Patient', amelia!.id!);
    expect(count('POST /token')).toBe(1);
    expect(count('GET /Patient')).toBe(1);
  });

  it('renews the token before it expires', async () => {
    const { client, count } = testClient();
    await client.search('Patient', { identifier: NHS_NUMBER });
    careRecord.clock.offsetMs = 20_000;
    await client.search('Patient', { family: 'Testwell', birthdate: '1984-03-17' });
    expect(count('POST /token')).toBe(2);
  });

  it('gets a new token once when the care record no longer accepts ours, and retries', async () => {
    const { client, count, logs } = testClient();
    await client.search('Patient', { identifier: NHS_NUMBER });
    careRecord.clock.serverOnlyOffsetMs = 31_000;
    const found = await client.search('Patient', { family: 'Testwell', birthdate: '1984-03-17' });
    expect(found.length).toBeGreaterThan(0);
    expect(count('POST /token')).toBe(2);
    expect(logs.at(-1)).toMatchObject({ event: 'care-record.call', outcome: 'ok', status: 200 });
  });

  it('reads one resource, and says when the care record does not know it', async () => {
    const { client } = testClient();
    const [amelia] = await client.search<Patient>('Patient', { identifier: NHS_NUMBER });
    expect((await client.read<Patient>('Patient', amelia!.id!))?.id).toBe(amelia!.id);
    expect(await client.read('Patient', '00000000-0000-4000-8000-000000000000')).toBeUndefined();
  });

  it('logs one line a call, without ids, NHS numbers or names', async () => {
    const { client, logs } = testClient();
    const [amelia] = await client.search<Patient>('Patient', { identifier: NHS_NUMBER });
    await client.search('Patient', { family: 'Testwell', given: 'Amelia', birthdate: '1984-03-17' });
    await client.read('Patient', amelia!.id!);
    const calls = logs.filter((line) => line.event === 'care-record.call');
    expect(calls).toHaveLength(3);
    expect(calls[0]).toMatchObject({ resourceType: 'Patient', interaction: 'search', status: 200, attempts: 1, breaker: 'closed' });
    expect(typeof calls[0]!.ms).toBe('number');
    const written = JSON.stringify(logs);
    for (const personal of ['9990012377', amelia!.id!, 'Testwell', 'Amelia', '1984-03-17']) expect(written).not.toContain(personal);
  });

  describe('when the care record misbehaves', () => {
    it('gives up on a slow answer after its timeout, without retrying', async () => {
      const { client, count } = testClient({ timeoutMs: 150 });
      await client.search('Patient', { identifier: NHS_NUMBER });
      await careRecord.setFault({ mode: 'slow', delayMs: 1000 });
      const started = Date.now();
      expect((await failureOf(client.search('Patient', { family: 'Testwell', birthdate: '1984-03-17' }))).reason).toBe('timeout');
      expect(Date.now() - started).toBeLessThan(900);
      expect(count('GET /Patient')).toBe(2);
    });

    it('retries a 500 a bounded number of times, then is unavailable', async () => {
      const { client, count, logs } = testClient({ retries: 2 });
      await client.search('Patient', { identifier: NHS_NUMBER });
      await careRecord.setFault({ mode: 'error500' });
      expect((await failureOf(client.search('Patient', { family: 'Testwell', birthdate: '1984-03-17' }))).reason).toBe('server-error');
      expect(count('GET /Patient')).toBe(1 + 3);
      expect(logs.at(-1)).toMatchObject({ outcome: 'server-error', status: 500, attempts: 3 });
    });

    it('is unavailable when the connection drops', async () => {
      const { client, count } = testClient({ retries: 1 });
      await careRecord.setFault({ mode: 'down' });
      expect((await failureOf(client.search('Patient', { identifier: NHS_NUMBER }))).reason).toBe('network');
      expect(count('POST /token')).toBe(2);
    });

    it('is unavailable when nothing listens at the address', async () => {
      const { client } = testClient({ baseUrl: 'http://127.0.0.1:9', tokenUrl: 'http://127.0.0.1:9/token', retries: 0 });
      expect((await failureOf(client.search('Patient', { identifier: NHS_NUMBER }))).reason).toBe('network');
    });

    it('succeeds on a retry when the care record fails now and then', async () => {
      const { client, count } = testClient();
      await client.search('Patient', { identifier: NHS_NUMBER });
      await careRecord.setFault({ mode: 'flaky', every: 2 });
      await client.search('Patient', { family: 'Testwell', birthdate: '1984-03-17' });
      await client.search('Patient', { family: 'Sampleton', birthdate: '1990-11-02' });
      expect(count('GET /Patient')).toBe(1 + 3);
    });

    it('waits as long as Retry-After asks within its limit, and not beyond', async () => {
      let refusals = 1;
      const tooManyRequests = (retryAfter: string) => (path: string) =>
        path === '/Patient' && refusals-- > 0 ? new Response('', { status: 429, headers: { 'retry-after': retryAfter } }) : undefined;
      const patient = testClient({}, tooManyRequests('0'));
      expect(await patient.client.search('Patient', { identifier: NHS_NUMBER })).toHaveLength(1);
      expect(patient.count('GET /Patient')).toBe(2);

      refusals = 1;
      const impatient = testClient({}, tooManyRequests('120'));
      expect((await failureOf(impatient.client.search('Patient', { identifier: NHS_NUMBER }))).reason).toBe('rate-limited');
      expect(impatient.count('GET /Patient')).toBe(1);
    });
  });

  describe('its circuit breaker', () => {
    it('opens after repeated failures, fails fast while open, and closes after a good trial', async () => {
      const { client, count } = testClient({ retries: 0, breakerFailures: 3, breakerCoolDownMs: 10_000 });
      await client.search('Patient', { identifier: NHS_NUMBER });
      await careRecord.setFault({ mode: 'error500' });
      for (const family of ['A', 'B', 'C']) await failureOf(client.search('Patient', { family, birthdate: '1984-03-17' }));
      expect(client.breakerState()).toBe('open');

      const sentBefore = count('GET /Patient');
      expect((await failureOf(client.search('Patient', { family: 'D', birthdate: '1984-03-17' }))).reason).toBe('circuit-open');
      expect(count('GET /Patient')).toBe(sentBefore);

      careRecord.clock.offsetMs = 10_000;
      expect(client.breakerState()).toBe('half-open');
      await careRecord.setFault({ mode: 'normal' });
      await client.search('Patient', { family: 'Testwell', birthdate: '1984-03-17' });
      expect(client.breakerState()).toBe('closed');
    });

    it('opens again at once when the half-open trial fails', async () => {
      const { client, count } = testClient({ retries: 0, breakerFailures: 2, breakerCoolDownMs: 10_000 });
      await client.search('Patient', { identifier: NHS_NUMBER });
      await careRecord.setFault({ mode: 'error500' });
      for (const family of ['A', 'B']) await failureOf(client.search('Patient', { family, birthdate: '1984-03-17' }));
      careRecord.clock.offsetMs = 10_000;
      const sentBefore = count('GET /Patient');
      expect((await failureOf(client.search('Patient', { family: 'C', birthdate: '1984-03-17' }))).reason).toBe('server-error');
      expect(count('GET /Patient')).toBe(sentBefore + 1);
      expect(client.breakerState()).toBe('open');
      expect((await failureOf(client.search('Patient', { family: 'D', birthdate: '1984-03-17' }))).reason).toBe('circuit-open');
    });

    it('is not opened by our own bad requests, and a refused key is not retried', async () => {
      const { privateKey } = await generateKeyPair('ES256', { extractable: true });
      const unknownKey = { ...(await exportJWK(privateKey)), kid: 'not-registered' };
      const wrongKey = testClient({ clientKey: () => ({ jwk: unknownKey }), breakerFailures: 1 });
      expect((await failureOf(wrongKey.client.search('Patient', { identifier: NHS_NUMBER }))).reason).toBe('refused');
      expect(wrongKey.count('POST /token')).toBe(1);
      expect(wrongKey.client.breakerState()).toBe('closed');

      const { client } = testClient({ retries: 0, breakerFailures: 1 });
      expect((await failureOf(client.search('Patient', { nickname: 'x' }))).reason).toBe('refused');
      expect(client.breakerState()).toBe('closed');
    });
  });

  describe('its cache', () => {
    it('answers the same request again without asking the care record, until it expires', async () => {
      const { client, count, logs } = testClient({ cacheSeconds: 60 });
      const first = await client.search('Patient', { identifier: NHS_NUMBER });
      expect(await client.search('Patient', { identifier: NHS_NUMBER })).toEqual(first);
      expect(count('GET /Patient')).toBe(1);
      expect(logs.at(-1)).toMatchObject({ outcome: 'cache-hit', attempts: 0 });

      careRecord.clock.offsetMs = 61_000;
      await client.search('Patient', { identifier: NHS_NUMBER });
      expect(count('GET /Patient')).toBe(2);
    });

    it('is logged at debug: only calls to the care record are logged at info, and failures at warn', () => {
      expect(careRecordLogLevel('cache-hit')).toBe('debug');
      expect(careRecordLogLevel('ok')).toBe('info');
      expect(careRecordLogLevel('not-found')).toBe('info');
      expect(careRecordLogLevel(undefined)).toBe('info');
      for (const outcome of ['circuit-open', 'timeout', 'server-error', 'rate-limited', 'refused', 'bad-response']) {
        expect(careRecordLogLevel(outcome)).toBe('warn');
      }
    });

    it('never keeps a failure', async () => {
      const { client, count } = testClient({ retries: 0 });
      await client.search('Patient', { identifier: NHS_NUMBER });
      await careRecord.setFault({ mode: 'error500' });
      await failureOf(client.search('Patient', { family: 'Testwell', birthdate: '1984-03-17' }));
      await careRecord.setFault({ mode: 'normal' });
      expect(await client.search('Patient', { family: 'Testwell', birthdate: '1984-03-17' })).not.toHaveLength(0);
      expect(count('GET /Patient')).toBe(3);
    });

    it('keeps only so many answers', async () => {
      const { client, count } = testClient({ cacheEntries: 2 });
      for (const family of ['A', 'B', 'C', 'A']) await client.search('Patient', { family, birthdate: '1984-03-17' });
      expect(count('GET /Patient')).toBe(4);
    });
  });
});

describe('writing to the care record', () => {
  const patientId = () => careRecord.server.dataset.resources.find((resource) => resource.resourceType === 'Patient')!.id!;
  const flag = (id: string) => ({
    resourceType: 'Flag' as const,
    id,
    status: 'active' as const,
    code: { text: 'Communication needs' },
    subject: { reference: `Patient/${patientId()}` },
  });

  async function writeFailure(call: Promise<unknown>): Promise<CareRecordWriteFailed> {
    const error = await call.then(
      () => undefined,
      (thrown: unknown) => thrown,
    );
    expect(error).toBeInstanceOf(CareRecordWriteFailed);
    return error as CareRecordWriteFailed;
  }

  it('PUTs with the same token as reads, creates then updates, and reads back past the cache', async () => {
    const { client, count } = testClient();
    await client.search('Patient', { identifier: NHS_NUMBER });
    expect(await client.put(flag('phr-communication-client-1'))).toEqual({ created: true });
    expect(await client.readCurrent('Flag', 'phr-communication-client-1')).toMatchObject({ status: 'active' });
    expect(await client.put({ ...flag('phr-communication-client-1'), status: 'entered-in-error' })).toEqual({ created: false });
    expect(await client.readCurrent('Flag', 'phr-communication-client-1')).toMatchObject({ status: 'entered-in-error', meta: { versionId: '2' } });
    expect(await client.readCurrent('Flag', 'phr-never-written')).toBeUndefined();
    expect(count('POST /token')).toBe(1);
    expect(count('PUT /Flag/phr-communication-client-1')).toBe(2);
  });

  it('a refused write is not worth retrying; the care record down or failing is', async () => {
    const readOnly = testClient({ scope: 'system/*.read' }).client;
    expect(await writeFailure(readOnly.put(flag('phr-refused')))).toMatchObject({ retry: false, status: 403 });
    const { client } = testClient();
    expect(await writeFailure(client.put({ ...flag('phr-bad'), subject: { reference: 'Patient/nobody' } }))).toMatchObject({ retry: false, status: 422 });
    await careRecord.setFault({ mode: 'error500' });
    expect(await writeFailure(client.put(flag('phr-later')))).toMatchObject({ retry: true, status: 500 });
    await careRecord.setFault({ mode: 'down' });
    expect(await writeFailure(client.put(flag('phr-later')))).toMatchObject({ retry: true, reason: 'network' });
    await careRecord.setFault({ mode: 'slow', delayMs: 300 });
    expect(await writeFailure(testClient({ timeoutMs: 100 }).client.put(flag('phr-later')))).toMatchObject({ retry: true, reason: 'timeout' });
  });
});
