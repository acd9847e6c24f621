// The worker on the database under test (SQLite and PostgreSQL, see scripts/db/test-both.sh):
// a page's deliverSoon and the worker's dispatchers, in one process here, as they are in two.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { getDb } from '@/lib/platform/db';
import { useDatabaseUnderTest } from '@/lib/platform/db-test-support';
import { createDispatcher, deliverSoon, enqueue, wakeWorker, type Sender } from '@/lib/platform/outbox';
import { startWorker, type Worker } from './worker';

const { url, provider } = useDatabaseUnderTest();
const postgres = provider === 'postgresql';
const DESTINATION = 'worker-test';

let worker: Worker | undefined;
beforeEach(async () => {
  await getDb().outboxMessage.deleteMany({ where: { destination: DESTINATION } });
});
afterEach(async () => {
  await worker?.stop(5_000);
  worker = undefined;
});

const queue = (userId: string) => enqueue(getDb(), { destination: DESTINATION, topic: 'test', userId, subjectId: userId, payload: {} }, new Date());
const statusOf = async (userId: string) => (await getDb().outboxMessage.findFirstOrThrow({ where: { userId } })).status;
const dispatcher = (send: Sender) =>
  createDispatcher({ db: getDb(), senders: { [DESTINATION]: send }, maxAttempts: 3, backoffBaseMs: 1_000, backoffMaxMs: 10_000, leaseMs: 30_000 });
const delivers: Sender = async () => ({ ok: true });

/** PostgreSQL: until the worker's connection is listening, so that what follows is woken by NOTIFY alone. */
async function listening() {
  await expect
    .poll(async () => {
      const rows = await getDb().$queryRaw<
        { query: string }[]
      >`SELECT query FROM pg_stat_activity WHERE application_name = 'phr-worker' AND datname = current_database()`;
      return rows.some((row) => row.query.startsWith('LISTEN'));
    })
    .toBe(true);
}

describe(`the worker on ${provider}`, () => {
  it('a page waits until the worker has sent what it queued', async () => {
    // On PostgreSQL the worker does not look by itself during this test: only the page's NOTIFY wakes it.
    worker = startWorker({ dispatchers: [dispatcher(delivers)], pollMs: postgres ? 60_000 : 50, tasks: [], listenUrl: postgres ? url : undefined });
    if (postgres) await listening();
    await queue('citizen-a');
    const started = Date.now();
    await deliverSoon('citizen-a', { waitMs: 5_000 });
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(await statusOf('citizen-a')).toBe('delivered');
  });

  it('a page with nothing queued does not wait', async () => {
    const started = Date.now();
    await deliverSoon('citizen-with-nothing-queued', { waitMs: 5_000 });
    expect(Date.now() - started).toBeLessThan(1_000);
  });

  it('without a worker, a page waits no longer than it said, and the message stays queued', async () => {
    await queue('citizen-b');
    const started = Date.now();
    await deliverSoon('citizen-b', { waitMs: 300 });
    expect(Date.now() - started).toBeGreaterThanOrEqual(250);
    expect(await statusOf('citizen-b')).toBe('pending');
  });

  it('stopping lets a send in flight finish', async () => {
    let started!: () => void;
    const sending = new Promise<void>((resolve) => {
      started = resolve;
    });
    const slow: Sender = async () => {
      started();
      await new Promise((resolve) => setTimeout(resolve, 400));
      return { ok: true };
    };
    await queue('citizen-c');
    worker = startWorker({ dispatchers: [dispatcher(slow)], pollMs: 50, tasks: [] });
    await sending;
    expect(await worker.stop(5_000)).toBe(true);
    expect(await statusOf('citizen-c')).toBe('delivered');
  });

  it('runs each task at start and then on its schedule, through failures', async () => {
    let runs = 0;
    const task = async () => {
      runs += 1;
      if (runs === 1) throw new Error('the first run fails');
    };
    worker = startWorker({ dispatchers: [], pollMs: 1_000, tasks: [{ name: 'test', everyMs: 30, run: task }] });
    expect(runs).toBe(1);
    await expect.poll(() => runs).toBeGreaterThanOrEqual(3);
  });

  it('runs a task asked for on waking when a page wakes the worker, and the others only on their schedule', async () => {
    let woken = 0;
    let scheduled = 0;
    worker = startWorker({
      dispatchers: [],
      pollMs: 60_000,
      tasks: [
        { name: 'woken', everyMs: 60_000, run: async () => void (woken += 1), onWake: true },
        { name: 'scheduled', everyMs: 60_000, run: async () => void (scheduled += 1) },
      ],
      listenUrl: postgres ? url : undefined,
    });
    expect([woken, scheduled]).toEqual([1, 1]);
    // On PostgreSQL a page's NOTIFY (wakeWorker) wakes it; on SQLite nothing can, and worker.wake() stands in.
    if (postgres) {
      await listening();
      // Once listening, it runs a round for what was asked while no one listened; then the NOTIFY's.
      await expect.poll(() => woken).toBe(2);
      await wakeWorker();
      await expect.poll(() => woken).toBe(3);
    } else {
      await expect.poll(() => (worker!.wake(), woken)).toBeGreaterThanOrEqual(2);
    }
    expect(scheduled).toBe(1);
  });
});
