// The outbox delivering over real HTTP to demo receivers started here, on the database under
// test (SQLite and PostgreSQL, see scripts/db/test-both.sh).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { useDatabaseUnderTest } from '@/lib/platform/db-test-support';
import { councilReferenceFor, createAddressReceiver } from '@/scripts/receivers/address-receiver';
import { createDb, getDb, type Db } from '@/lib/platform/db';
import { DEVELOPMENT_PARTNER_KEYS } from '@/lib/platform/config';
import { verifyRequest } from '@/lib/platform/signed-requests';
import { keepOrganisationReference } from './delivery';
import { ANSWER_MAX_BYTES, createDispatcher, type DispatcherOptions } from './outbox';
import { deliveriesOf } from './store';
import { confirmAddress, makeCitizen } from './test-support';

const { url, provider } = useDatabaseUnderTest();

type Receiver = ReturnType<typeof createAddressReceiver>;
let careRecord: Receiver;
let council: Receiver;
let receivers: DispatcherOptions['receivers'];
let clock: number;
const now = () => new Date(clock);
const later = (ms: number) => {
  clock += ms;
};

beforeEach(async () => {
  // Only this test's messages: the dispatcher would otherwise pick up other tests' ones.
  await getDb().outboxMessage.deleteMany({});
  clock = Date.parse('2026-12-01T10:00:00Z');
  careRecord = createAddressReceiver({ name: 'care record', log: () => undefined });
  council = createAddressReceiver({ name: 'council', log: () => undefined });
  receivers = { 'care-record': await careRecord.listen(), council: await council.listen() };
});

afterEach(async () => {
  await Promise.all([careRecord.close(), council.close()]);
});

const keys = { 'care-record': DEVELOPMENT_PARTNER_KEYS['care-record'], council: DEVELOPMENT_PARTNER_KEYS.council } as DispatcherOptions['keys'];

function dispatcher(overrides: Partial<DispatcherOptions> = {}) {
  return createDispatcher({ db: getDb(), receivers, keys, timeoutMs: 2_000, maxAttempts: 5, backoffBaseMs: 1_000, backoffMaxMs: 60_000, now, ...overrides });
}

const states = async (userId: string, addressId: string) => (await deliveriesOf(getDb(), userId, addressId)).map((delivery) => delivery.state);

describe(`the outbox on ${provider}`, () => {
  it('delivers a change to every organisation once, with its idempotency key', async () => {
    const userId = await makeCitizen(getDb());
    const addressId = await confirmAddress(getDb(), userId, undefined, now());
    expect(await states(userId, addressId)).toEqual(['sending', 'sending']);

    expect(await dispatcher().runOnce()).toEqual({ delivered: 2, retrying: 0, failed: 0 });
    expect(await states(userId, addressId)).toEqual(['received', 'received']);
    const [received] = careRecord.received();
    expect(received?.body).toMatchObject({
      type: 'address-changed',
      address: { line1: '3 Sample Street', postcode: 'LS1 6ZZ' },
      citizen: { nhsNumber: '9990012377' },
    });
    const message = await getDb().outboxMessage.findFirstOrThrow({ where: { subjectId: addressId, destination: 'care-record' } });
    expect(received?.key).toBe(message.idempotencyKey);
    expect(council.received()).toHaveLength(1);

    // Nothing is due any more.
    later(3_600_000);
    expect(await dispatcher().runOnce()).toEqual({ delivered: 0, retrying: 0, failed: 0 });
    expect(careRecord.requests() + council.requests()).toBe(2);
  });

  it('a receiver that is down gets the change once it is back, and only once', async () => {
    const userId = await makeCitizen(getDb());
    const port = new URL(receivers.council).port;
    await council.close();
    const addressId = await confirmAddress(getDb(), userId, undefined, now());

    expect(await dispatcher().runOnce()).toEqual({ delivered: 1, retrying: 1, failed: 0 });
    expect(await states(userId, addressId)).toEqual(['received', 'retrying']);
    const waiting = await getDb().outboxMessage.findFirstOrThrow({ where: { subjectId: addressId, destination: 'council' } });
    expect(waiting).toMatchObject({ attempts: 1, lastError: expect.stringMatching(/could not connect/) });

    // Not before the backoff has passed.
    expect(await dispatcher().runOnce()).toEqual({ delivered: 0, retrying: 0, failed: 0 });

    council = createAddressReceiver({ name: 'council' });
    await council.listen(Number(port));
    later(1_000);
    expect(await dispatcher().runOnce()).toEqual({ delivered: 1, retrying: 0, failed: 0 });
    expect(await states(userId, addressId)).toEqual(['received', 'received']);
    expect(council.received()).toHaveLength(1);
  });

  it('a dropped connection is retried like a receiver that is down', async () => {
    const userId = await makeCitizen(getDb());
    council.setFault({ mode: 'down', count: 1 });
    const addressId = await confirmAddress(getDb(), userId, undefined, now());
    expect(await dispatcher().runOnce()).toMatchObject({ delivered: 1, retrying: 1 });
    later(1_000);
    expect(await dispatcher().runOnce()).toMatchObject({ delivered: 1, retrying: 0 });
    expect(await states(userId, addressId)).toEqual(['received', 'received']);
    expect(council.received()).toHaveLength(1);
  });

  it('a receiver slower than the timeout is asked again, and keeps the change once thanks to the key', async () => {
    const userId = await makeCitizen(getDb());
    // It keeps the change, then answers too late: the response is lost.
    council.setFault({ mode: 'slow', slowMs: 1_500, count: 1 });
    const addressId = await confirmAddress(getDb(), userId, undefined, now());

    expect(await dispatcher({ timeoutMs: 300 }).runOnce()).toEqual({ delivered: 1, retrying: 1, failed: 0 });
    expect(await getDb().outboxMessage.findFirstOrThrow({ where: { subjectId: addressId, destination: 'council' } })).toMatchObject({ lastError: 'timed out' });
    later(1_000);
    expect(await dispatcher({ timeoutMs: 300 }).runOnce()).toEqual({ delivered: 1, retrying: 0, failed: 0 });

    expect(council.requests()).toBe(2);
    expect(council.received()).toHaveLength(1);
    expect(await states(userId, addressId)).toEqual(['received', 'received']);
  });

  it('500 then 200: retried with growing waits until it is received', async () => {
    const userId = await makeCitizen(getDb());
    careRecord.setFault({ mode: 'error500', count: 2 });
    const addressId = await confirmAddress(getDb(), userId, undefined, now());

    expect(await dispatcher().runOnce()).toMatchObject({ delivered: 1, retrying: 1 });
    later(1_000);
    expect(await dispatcher().runOnce()).toMatchObject({ retrying: 1 });
    // The second failure waits twice as long.
    later(1_000);
    expect(await dispatcher().runOnce()).toMatchObject({ delivered: 0, retrying: 0 });
    later(1_000);
    expect(await dispatcher().runOnce()).toMatchObject({ delivered: 1 });
    expect(careRecord.requests()).toBe(3);
    expect(careRecord.received()).toHaveLength(1);
    expect(await states(userId, addressId)).toEqual(['received', 'received']);
  });

  it('gives up after the last attempt, and says so', async () => {
    const userId = await makeCitizen(getDb());
    careRecord.setFault({ mode: 'error500' });
    const addressId = await confirmAddress(getDb(), userId, undefined, now());
    const send = dispatcher({ maxAttempts: 3 });
    expect(await send.runOnce()).toMatchObject({ retrying: 1 });
    later(1_000);
    expect(await send.runOnce()).toMatchObject({ retrying: 1 });
    later(2_000);
    expect(await send.runOnce()).toMatchObject({ failed: 1 });
    expect(await states(userId, addressId)).toEqual(['failed', 'received']);
    later(3_600_000);
    expect(await send.runOnce()).toEqual({ delivered: 0, retrying: 0, failed: 0 });
    expect(careRecord.requests()).toBe(3);
  });

  it('signs every attempt afresh with the organisation’s key: the receiver checks it', async () => {
    const userId = await makeCitizen(getDb());
    await confirmAddress(getDb(), userId, undefined, now());
    const seen: { headers: Headers; body: string; url: string }[] = [];
    const recording: typeof fetch = async (input, init) => {
      seen.push({ url: String(input), headers: new Headers(init?.headers), body: String(init?.body) });
      return String(input).startsWith(receivers.council) && seen.length < 3 ? new Response('{}', { status: 503 }) : fetch(input, init);
    };
    const send = dispatcher({ fetch: recording });
    expect(await send.runOnce()).toEqual({ delivered: 1, retrying: 1, failed: 0 });
    later(1_000);
    expect(await send.runOnce()).toEqual({ delivered: 1, retrying: 0, failed: 0 });
    const toCouncil = seen.filter((request) => request.url.startsWith(receivers.council));
    expect(toCouncil).toHaveLength(2);
    for (const request of seen) {
      const organisation = request.url.startsWith(receivers.council) ? 'council' : 'care-record';
      const verified = verifyRequest({ method: 'POST', url: request.url, headers: request.headers, body: request.body, keys: new Map(Object.entries(keys)) });
      expect(verified).toMatchObject({ ok: true, organisationId: organisation });
    }
    // The same message, the same idempotency key, but a new nonce each time.
    expect(toCouncil[0]?.headers.get('idempotency-key')).toBe(toCouncil[1]?.headers.get('idempotency-key'));
    expect(toCouncil[0]?.headers.get('x-phr-nonce')).not.toBe(toCouncil[1]?.headers.get('x-phr-nonce'));
    expect(council.refusals()).toEqual([]);
  });

  it('a receiver that does not accept our key refuses the change (401, logged): retried, then failed, never kept', async () => {
    const userId = await makeCitizen(getDb());
    const addressId = await confirmAddress(getDb(), userId, undefined, now());
    const wrong = { ...keys, council: 'a-key-the-council-does-not-know-of-at-least-32-chars' };
    // Another organisation's key, under the council's name, is no better.
    const anothers = { ...keys, council: keys['care-record'] };
    const attempts = [wrong, anothers, wrong].map((given) => dispatcher({ keys: given, maxAttempts: 3 }));
    for (const [index, send] of attempts.entries()) {
      const expected = index < 2 ? { delivered: index === 0 ? 1 : 0, retrying: 1, failed: 0 } : { delivered: 0, retrying: 0, failed: 1 };
      expect(await send.runOnce()).toEqual(expected);
      later(60_000);
    }
    expect(await states(userId, addressId)).toEqual(['received', 'failed']);
    expect(council.received()).toEqual([]);
    expect(council.refusals().map((refusal) => [refusal.reason, refusal.organisation, refusal.path])).toEqual(
      Array.from({ length: 3 }, () => ['bad-signature', 'council', '/address-changes']),
    );
    const message = await getDb().outboxMessage.findFirstOrThrow({ where: { subjectId: addressId, destination: 'council' } });
    expect(message.lastError).toBe('HTTP 401');
  });

  it('a change the receiver refuses (4xx) is not sent again', async () => {
    const userId = await makeCitizen(getDb());
    const addressId = await confirmAddress(getDb(), userId, undefined, now());
    const refusing: typeof fetch = async (input, init) =>
      String(input).startsWith(receivers.council) ? new Response('{}', { status: 422 }) : fetch(input, init);
    expect(await dispatcher({ fetch: refusing }).runOnce()).toEqual({ delivered: 1, retrying: 0, failed: 1 });
    expect(await states(userId, addressId)).toEqual(['received', 'failed']);
  });

  it('the service restarting mid-delivery: the claim runs out, another process delivers, the receiver keeps it once', async () => {
    const userId = await makeCitizen(getDb());
    const addressId = await confirmAddress(getDb(), userId, undefined, now());
    // The first process sends, then dies before it can record the answer (its request never returns).
    const dying: (() => void)[] = [];
    const diesAfterSending: typeof fetch = async (input, init) => {
      await fetch(input, init);
      return new Promise<Response>((_, reject) => {
        dying.push(() => reject(new Error('process ended')));
      });
    };
    const first = dispatcher({ fetch: diesAfterSending, leaseMs: 30_000 });
    const abandoned = first.runOnce();
    await expect.poll(() => careRecord.requests() + council.requests()).toBe(2);

    // While the claim lasts, no one else sends it.
    const second = dispatcher({ leaseMs: 30_000 });
    later(10_000);
    expect(await second.runOnce()).toEqual({ delivered: 0, retrying: 0, failed: 0 });
    expect(await states(userId, addressId)).toEqual(['sending', 'sending']);

    // After the restart the claim has run out: picked up again, and received once.
    later(30_000);
    expect(await second.runOnce()).toEqual({ delivered: 2, retrying: 0, failed: 0 });
    expect(careRecord.requests()).toBe(2);
    expect(careRecord.received()).toHaveLength(1);
    expect(council.received()).toHaveLength(1);

    // The old process's late failure changes nothing: it no longer holds the claim.
    for (const die of dying) die();
    expect(await abandoned).toEqual({ delivered: 0, retrying: 2, failed: 0 });
    expect(await states(userId, addressId)).toEqual(['received', 'received']);
  });

  it('two dispatchers racing (two processes, two connections) send each message once', async () => {
    const users = await Promise.all([1, 2, 3, 4, 5].map(() => makeCitizen(getDb())));
    for (const userId of users) await confirmAddress(getDb(), userId, undefined, now());
    const otherDb: Db = createDb(url);
    try {
      const [a, b] = await Promise.all([dispatcher().runOnce(), dispatcher({ db: otherDb }).runOnce()]);
      expect(a.delivered + b.delivered).toBe(10);
    } finally {
      await otherDb.$disconnect();
    }
    expect(careRecord.requests()).toBe(5);
    expect(council.requests()).toBe(5);
    expect(new Set(careRecord.received().map((change) => change.key)).size).toBe(5);
  });

  it('kick runs a round now and coalesces calls made while one is running', async () => {
    const userId = await makeCitizen(getDb());
    const addressId = await confirmAddress(getDb(), userId, undefined, now());
    const send = dispatcher();
    const [first, second] = await Promise.all([send.kick(), send.kick()]);
    expect(first).toBe(second);
    expect(first.delivered).toBe(2);
    expect(await states(userId, addressId)).toEqual(['received', 'received']);
    await send.stop();
  });

  describe('the council’s reference for the person, in its receiver’s answer', () => {
    const keeping: Partial<DispatcherOptions> = { onReference: (message, reference, at) => keepOrganisationReference(getDb(), message, reference, at) };
    const referencesOf = (userId: string) => getDb().organisationReference.findMany({ where: { userId }, select: { organisation: true, reference: true } });

    it('is kept when the council’s receiver gives one (the care record’s gives none), and moves to whoever the council gives it to next', async () => {
      const userId = await makeCitizen(getDb());
      await confirmAddress(getDb(), userId, undefined, now());
      expect(await dispatcher(keeping).runOnce()).toEqual({ delivered: 2, retrying: 0, failed: 0 });
      const expected = councilReferenceFor({ nhsNumber: '9990012377' });
      expect(expected).toMatch(/^LCC-[0-9A-F]{8}$/);
      expect(await referencesOf(userId)).toEqual([{ organisation: 'council', reference: expected }]);

      // The demo council derives it from the NHS number: another account with the same one gets it now.
      const other = await makeCitizen(getDb(), 'Other');
      later(1_000);
      await confirmAddress(getDb(), other, undefined, now());
      expect(await dispatcher(keeping).runOnce()).toMatchObject({ delivered: 2 });
      expect(await referencesOf(other)).toEqual([{ organisation: 'council', reference: expected }]);
      expect(await referencesOf(userId)).toEqual([]);
    });

    it('is ignored, never a failure, when the answer is anything but a small JSON object with a well-formed reference', async () => {
      const json = { 'content-type': 'application/json' };
      const tooLong = new ReadableStream<Uint8Array>({
        start(controller) {
          controller.enqueue(new TextEncoder().encode('{"reference":"LCC-STREAMED","padding":"'));
          for (let i = 0; i <= ANSWER_MAX_BYTES / 1024; i += 1) controller.enqueue(new Uint8Array(1024).fill(120));
          controller.enqueue(new TextEncoder().encode('"}'));
          controller.close();
        },
      });
      const junk: [string, () => Response][] = [
        ['not JSON by its type', () => new Response(JSON.stringify({ reference: 'LCC-TEXT' }), { status: 201, headers: { 'content-type': 'text/plain' } })],
        ['too large', () => new Response(JSON.stringify({ reference: 'LCC-BIG', padding: 'x'.repeat(ANSWER_MAX_BYTES) }), { status: 201, headers: json })],
        ['too large, streamed', () => new Response(tooLong, { status: 201, headers: json })],
        ['not JSON', () => new Response('{"reference": "LCC-', { status: 201, headers: json })],
        ['a malformed reference', () => new Response(JSON.stringify({ reference: 'LCC 1<script>' }), { status: 201, headers: json })],
        ['a reference too long', () => new Response(JSON.stringify({ reference: 'L'.repeat(41) }), { status: 201, headers: json })],
        ['not a string', () => new Response(JSON.stringify({ reference: 42 }), { status: 201, headers: json })],
        ['a list', () => new Response(JSON.stringify(['LCC-LIST']), { status: 201, headers: json })],
        ['no body', () => new Response(null, { status: 204 })],
      ];
      for (const [what, answer] of junk) {
        const userId = await makeCitizen(getDb());
        const addressId = await confirmAddress(getDb(), userId, undefined, now());
        const answering: typeof fetch = async (input, init) => (String(input).startsWith(receivers.council) ? answer() : fetch(input, init));
        expect(await dispatcher({ ...keeping, fetch: answering }).runOnce(), what).toEqual({ delivered: 2, retrying: 0, failed: 0 });
        expect(await states(userId, addressId), what).toEqual(['received', 'received']);
        expect(await referencesOf(userId), what).toEqual([]);
      }

      // Keeping it failing does not make the change undelivered either.
      const userId = await makeCitizen(getDb());
      await confirmAddress(getDb(), userId, undefined, now());
      const failing = dispatcher({
        onReference: async () => {
          throw new Error('database hiccup');
        },
      });
      expect(await failing.runOnce()).toEqual({ delivered: 2, retrying: 0, failed: 0 });

      // A good one, with a charset: kept.
      const good = await makeCitizen(getDb());
      await confirmAddress(getDb(), good, undefined, now());
      const answering: typeof fetch = async (input, init) =>
        String(input).startsWith(receivers.council)
          ? new Response(JSON.stringify({ received: true, reference: 'LCC-GOOD-0001' }), {
              status: 200,
              headers: { 'content-type': 'application/json; charset=utf-8' },
            })
          : fetch(input, init);
      expect(await dispatcher({ ...keeping, fetch: answering }).runOnce()).toMatchObject({ delivered: 2 });
      expect(await referencesOf(good)).toEqual([{ organisation: 'council', reference: 'LCC-GOOD-0001' }]);
    });

    it('is not kept from an organisation that does not name people by it in letters', async () => {
      const userId = await makeCitizen(getDb());
      await confirmAddress(getDb(), userId, undefined, now());
      const answering: typeof fetch = async (input, init) =>
        String(input).startsWith(receivers['care-record'])
          ? new Response(JSON.stringify({ reference: 'GP-0001' }), { status: 201, headers: { 'content-type': 'application/json' } })
          : fetch(input, init);
      expect(await dispatcher({ ...keeping, fetch: answering }).runOnce()).toMatchObject({ delivered: 2 });
      expect(await referencesOf(userId)).toEqual([{ organisation: 'council', reference: councilReferenceFor({ nhsNumber: '9990012377' }) }]);
    });
  });
});
