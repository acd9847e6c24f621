// The outbox's claims on the database under test (SQLite and PostgreSQL, see
// scripts/db/test-both.sh): two dispatchers on two connections, as two workers would be.
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { createDb, getDb, type Db } from './db';
import { useDatabaseUnderTest } from './db-test-support';
import { createDispatcher, enqueueMany, type ClaimedMessage, type Sender } from './outbox';

const { url, provider } = useDatabaseUnderTest();
const DESTINATION = 'outbox-test';

let otherDb: Db | undefined;
afterAll(async () => {
  await otherDb?.$disconnect();
});

beforeEach(async () => {
  await getDb().outboxMessage.deleteMany({ where: { destination: DESTINATION } });
});

async function queue(count: number, userId = 'someone') {
  const messages = Array.from({ length: count }, (_, n) => ({ destination: DESTINATION, topic: 'test', userId, subjectId: `subject-${n}`, payload: { n } }));
  await enqueueMany(getDb(), messages, new Date());
}

/** A receiver that takes a little while, and notes every message it is sent. */
function recordingSender(sent: string[]): Sender {
  return async (message: ClaimedMessage) => {
    sent.push(message.subjectId);
    await new Promise((resolve) => setTimeout(resolve, 5 + Math.random() * 10));
    return { ok: true };
  };
}

const dispatcher = (db: Db, sent: string[]) =>
  createDispatcher({
    db,
    senders: { [DESTINATION]: recordingSender(sent) },
    maxAttempts: 3,
    backoffBaseMs: 1_000,
    backoffMaxMs: 10_000,
    leaseMs: 30_000,
    batchSize: 5,
  });

describe(`claiming outbox messages on ${provider}`, () => {
  it('two dispatchers claiming at the same time send each message exactly once', async () => {
    await queue(60);
    otherDb = createDb(url);
    const sent: string[] = [];
    const work = async (db: Db) => {
      const own = dispatcher(db, sent);
      let delivered = 0;
      // Until nothing is left for anyone: a round that finds nothing may just have lost every race.
      for (let round = 0; round < 100; round += 1) {
        const result = await own.runOnce();
        delivered += result.delivered;
        if (result.delivered === 0 && (await getDb().outboxMessage.count({ where: { destination: DESTINATION, status: 'pending' } })) === 0) break;
      }
      return delivered;
    };
    const [a, b] = await Promise.all([work(getDb()), work(otherDb)]);

    expect(a + b).toBe(60);
    expect(sent).toHaveLength(60);
    expect(new Set(sent).size).toBe(60);
    const rows = await getDb().outboxMessage.findMany({ where: { destination: DESTINATION } });
    expect(rows.every((row) => row.status === 'delivered' && row.attempts === 1 && row.lockedBy === null)).toBe(true);
  });

  it('a claim is a lease: kept while it lasts, taken over once it has run out', async () => {
    await queue(2);
    let clock = Date.now() + 1_000;
    const options = {
      senders: { [DESTINATION]: recordingSender([]) },
      maxAttempts: 3,
      backoffBaseMs: 1_000,
      backoffMaxMs: 10_000,
      leaseMs: 10_000,
      now: () => new Date(clock),
    };
    const first = createDispatcher({ db: getDb(), ...options });
    const second = createDispatcher({ db: getDb(), ...options });

    const claimed = await first.claimDue();
    expect(claimed.map((message) => message.subjectId).sort()).toEqual(['subject-0', 'subject-1']);
    expect(claimed[0]).toMatchObject({ topic: 'test', userId: 'someone', attempts: 0, payload: expect.stringContaining('"n"') });
    expect(await second.claimDue()).toEqual([]);
    clock += 10_001;
    expect(await second.claimDue()).toHaveLength(2);
    const rows = await getDb().outboxMessage.findMany({ where: { destination: DESTINATION } });
    expect(rows.map((row) => row.lockedBy)).toEqual([second.id, second.id]);
    // The lease as written by the claim reads back as the same moment (no time zone slipped in).
    expect(rows.map((row) => row.lockedUntil?.getTime())).toEqual([clock + 10_000, clock + 10_000]);
  });

  it.runIf(provider === 'postgresql')('skips rows another worker is claiming rather than waiting for them', async () => {
    await queue(4);
    const [locked] = await getDb().outboxMessage.findMany({ where: { destination: DESTINATION }, orderBy: { subjectId: 'asc' }, take: 1 });
    const other = dispatcher(getDb(), []);
    // Another worker's claim in progress: the row is locked until its transaction ends.
    const claimed = await getDb().$transaction(async (tx) => {
      await tx.$queryRaw`SELECT "id" FROM "OutboxMessage" WHERE "id" = ${locked!.id} FOR UPDATE`;
      return other.claimDue();
    });
    expect(claimed).toHaveLength(3);
    expect(claimed.map((message) => message.id)).not.toContain(locked!.id);
  });
});
