// The demo receiver as its own process (as the demo and the end-to-end tests run it): it keeps
// only signed changes, and shows what it kept only to a signed request.
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEVELOPMENT_PARTNER_KEYS } from '@/lib/platform/config';
import { signRequest } from '@/lib/platform/signed-requests';
import { freePort } from '../lib/free-port';
import { councilReferenceFor, DEMO_REFERENCE_KEY, readReceived, type ReceivedChange } from './address-receiver';

const root = path.resolve(__dirname, '../..');
const COUNCIL_KEY = 'council-key-for-this-test-only-0123456789abcdef';
const CARE_RECORD_KEY = 'care-record-key-for-this-test-only-0123456789ab';

type Running = { url: string; child: ChildProcess; stderr: () => string };
const running: Running[] = [];

async function startReceiver(env: Record<string, string> = {}): Promise<Running> {
  const port = await freePort();
  const child = spawn(path.join(root, 'node_modules/.bin/tsx'), ['scripts/receivers/address-receiver.ts'], {
    cwd: root,
    env: {
      PATH: process.env.PATH,
      RECEIVER_NAME: 'test receiver',
      RECEIVER_PORT: String(port),
      RECEIVER_HOST: '127.0.0.1',
      ...env,
    } as unknown as NodeJS.ProcessEnv,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  const url = `http://127.0.0.1:${port}`;
  const started: Running = { url, child, stderr: () => stderr };
  running.push(started);
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`receiver exited: ${stderr}`);
    if (
      await fetch(`${url}/health`).then(
        (response) => response.ok,
        () => false,
      )
    )
      return started;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error('receiver did not start');
}

let receiver: Running;

beforeAll(async () => {
  receiver = await startReceiver({ RECEIVER_KEYS: `council=${COUNCIL_KEY},care-record=${CARE_RECORD_KEY}` });
}, 40_000);

afterAll(() => {
  for (const { child } of running) child.kill('SIGTERM');
});

const change = JSON.stringify({ type: 'address-changed', citizen: { nhsNumber: '9990012377' }, address: { line1: '3 Sample Street' } });

function post(headers: Record<string, string>, body = change, pathname = '/address-changes') {
  return fetch(`${receiver.url}${pathname}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
}

function signedHeaders(key: string, options: { organisationId?: string; body?: string; now?: Date; pathname?: string; method?: string } = {}) {
  const { organisationId = 'council', body = change, now, pathname = '/address-changes', method = 'POST' } = options;
  return signRequest({ organisationId, secret: key, method, url: `${receiver.url}${pathname}`, body, now });
}

const idempotency = () => ({ 'idempotency-key': crypto.randomUUID() });

describe('the demo receiver', () => {
  it('keeps a signed change, and shows what it kept to a signed request only', async () => {
    const key = idempotency();
    const response = await post({ ...key, ...signedHeaders(COUNCIL_KEY) });
    expect(response.status).toBe(201);

    expect((await fetch(`${receiver.url}/received`)).status).toBe(401);
    const kept = await readReceived(receiver.url, { organisationId: 'council', secret: COUNCIL_KEY });
    expect(kept.map((item: ReceivedChange) => item.key)).toContain(key['idempotency-key']);
    // Either organisation it shares a key with may read it; a wrong key may not.
    expect(await readReceived(receiver.url, { organisationId: 'care-record', secret: CARE_RECORD_KEY })).toHaveLength(kept.length);
    await expect(readReceived(receiver.url, { organisationId: 'council', secret: CARE_RECORD_KEY })).rejects.toThrow(/401/);
    // A signature for GET /received is not one for another path.
    const forHealth = signRequest({ organisationId: 'council', secret: COUNCIL_KEY, method: 'GET', url: `${receiver.url}/health`, body: '' });
    expect((await fetch(`${receiver.url}/received`, { headers: forHealth })).status).toBe(401);
  });

  it('refuses (401, logged) an unsigned change, a wrong key, another organisation’s key, an unknown organisation, a stale or changed one', async () => {
    const before = (await readReceived(receiver.url, { organisationId: 'council', secret: COUNCIL_KEY })).length;
    const refused: [string, Response][] = [
      ['missing', await post(idempotency())],
      ['bad-signature', await post({ ...idempotency(), ...signedHeaders('a-wrong-key-for-the-council-0123456789abcdef') })],
      ['bad-signature', await post({ ...idempotency(), ...signedHeaders(CARE_RECORD_KEY) })],
      ['unknown-organisation', await post({ ...idempotency(), ...signedHeaders(COUNCIL_KEY, { organisationId: 'someone-else' }) })],
      ['stale', await post({ ...idempotency(), ...signedHeaders(COUNCIL_KEY, { now: new Date(Date.now() - 301_000) }) })],
      ['bad-signature', await post({ ...idempotency(), ...signedHeaders(COUNCIL_KEY) }, change.replace('3 Sample', '4 Sample'))],
      ['bad-signature', await post({ ...idempotency(), ...signedHeaders(COUNCIL_KEY) }, change, '/contact-preferences')],
    ];
    for (const [reason, response] of refused) {
      expect(response.status).toBe(401);
      expect(await response.json()).toEqual({ error: 'not authenticated', reason });
    }
    expect(await readReceived(receiver.url, { organisationId: 'council', secret: COUNCIL_KEY })).toHaveLength(before);
    const logged = receiver
      .stderr()
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as { msg: string; reason: string; path: string });
    for (const reason of ['missing', 'bad-signature', 'unknown-organisation', 'stale']) {
      expect(logged).toContainEqual(expect.objectContaining({ msg: 'request refused', reason }));
    }
  });

  it('refuses a replayed request, even within the five minutes', async () => {
    const headers = { ...idempotency(), ...signedHeaders(COUNCIL_KEY) };
    expect((await post(headers)).status).toBe(201);
    const replayed = await post(headers);
    expect(replayed.status).toBe(401);
    expect(await replayed.json()).toMatchObject({ reason: 'replayed' });
    // The same change sent again properly (a retry: a new signature, the same key) is answered as a repeat.
    const retried = await post({ 'idempotency-key': headers['idempotency-key'], ...signedHeaders(COUNCIL_KEY) });
    expect(retried.status).toBe(200);
    expect(receiver.stderr()).toContain('"reason":"replayed"');
  });

  it('answers a change sent to the council with the council’s stable reference for the person; the care record’s with none', async () => {
    const expected = councilReferenceFor({ nhsNumber: '9990012377' });
    expect(expected).toMatch(/^LCC-[0-9A-F]{8}$/);
    const key = idempotency();
    const first = await post({ ...key, ...signedHeaders(COUNCIL_KEY) });
    expect(first.status).toBe(201);
    expect(first.headers.get('content-type')).toContain('application/json');
    expect(await first.json()).toEqual({ received: true, repeat: false, reference: expected });
    // The same change again (a retry), and another change about the same person: the same reference.
    expect(await (await post({ ...key, ...signedHeaders(COUNCIL_KEY) })).json()).toMatchObject({ repeat: true, reference: expected });
    expect(await (await post({ ...idempotency(), ...signedHeaders(COUNCIL_KEY) })).json()).toMatchObject({ reference: expected });

    // Someone without an NHS number (GOV.UK One Login): from their name and date of birth.
    const byName = JSON.stringify({ type: 'address-changed', citizen: { nhsNumber: null, givenName: 'Rosa', familyName: 'Example', birthDate: '1980-02-03' } });
    const answer = await (await post({ ...idempotency(), ...signedHeaders(COUNCIL_KEY, { body: byName }) }, byName)).json();
    expect(answer.reference).toBe(councilReferenceFor({ givenName: ' rosa', familyName: 'EXAMPLE', birthDate: '1980-02-03' }));
    expect(answer.reference).not.toBe(expected);
    // Nobody named: no reference.
    const nobody = JSON.stringify({ type: 'address-changed', address: { line1: '1 Nowhere' } });
    expect(await (await post({ ...idempotency(), ...signedHeaders(COUNCIL_KEY, { body: nobody }) }, nobody)).json()).toEqual({ received: true, repeat: false });

    // The care record's receiver gives none.
    const toCareRecord = await post({ ...idempotency(), ...signedHeaders(CARE_RECORD_KEY, { organisationId: 'care-record' }) });
    expect(toCareRecord.status).toBe(201);
    expect(await toCareRecord.json()).toEqual({ received: true, repeat: false });

    // Made with the council's key: another key makes other references.
    expect(councilReferenceFor({ nhsNumber: '9990012377' }, DEMO_REFERENCE_KEY)).toBe(expected);
    expect(councilReferenceFor({ nhsNumber: '9990012377' }, 'another-council-key')).not.toBe(expected);
  });

  it('its faults can be set only by a signed request', async () => {
    const body = JSON.stringify({ mode: 'error500', count: 1 });
    const unsigned = await fetch(`${receiver.url}/_faults`, { method: 'POST', body });
    expect(unsigned.status).toBe(401);
    const signed = await fetch(`${receiver.url}/_faults`, { method: 'POST', body, headers: signedHeaders(COUNCIL_KEY, { pathname: '/_faults', body }) });
    expect(await signed.json()).toMatchObject({ mode: 'error500', count: 1 });
    expect((await post({ ...idempotency(), ...signedHeaders(COUNCIL_KEY) })).status).toBe(500);
    expect((await post({ ...idempotency(), ...signedHeaders(COUNCIL_KEY) })).status).toBe(201);
  });

  it('accepts the demo organisations’ development keys when not given any', async () => {
    const demo = await startReceiver();
    const url = `${demo.url}/address-changes`;
    for (const organisationId of ['care-record', 'council']) {
      const secret = DEVELOPMENT_PARTNER_KEYS[organisationId] as string;
      const headers = { 'content-type': 'application/json', ...idempotency(), ...signRequest({ organisationId, secret, method: 'POST', url, body: change }) };
      expect((await fetch(url, { method: 'POST', headers, body: change })).status).toBe(201);
    }
    // The letter sender's key is not a receiver's.
    const letters = signRequest({
      organisationId: 'leeds-teaching-hospitals',
      secret: DEVELOPMENT_PARTNER_KEYS['leeds-teaching-hospitals'] as string,
      method: 'POST',
      url,
      body: change,
    });
    expect((await fetch(url, { method: 'POST', headers: { ...idempotency(), ...letters }, body: change })).status).toBe(401);
    expect(await readReceived(demo.url)).toHaveLength(2);
  }, 40_000);
});
