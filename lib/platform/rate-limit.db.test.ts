// The shared token bucket on the database under test (SQLite or PostgreSQL): the same answers as
// the arithmetic, with a clock the test moves; exactly `capacity` takes succeed however many
// arrive at once, from one client or from two (two instances); old rows are pruned.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDb, getDb, type Db } from './db';
import { useDatabaseUnderTest } from './db-test-support';
import { LONGEST_REFILL_SECONDS, pruneRateLimitBuckets, SharedTokenBucket } from './rate-limit';

const { url } = useDatabaseUnderTest();

// Long ago, so that pruning "an hour later" touches only this file's rows.
const T0 = new Date('2020-01-01T10:00:00.000Z').getTime();
const at = (ms: number) => new Date(T0 + ms);
const run = randomUUID().slice(0, 8);
const bucket = (capacity: number, refillSeconds: number, db?: () => Db) => new SharedTokenBucket(`test-${run}`, { capacity, refillSeconds }, db);

let instances: Db[] = [];
beforeAll(() => {
  instances = [createDb(url), createDb(url)];
});
afterAll(async () => {
  await Promise.all(instances.map((db) => db.$disconnect()));
});

describe('shared token bucket', () => {
  it('allows a burst up to its capacity, then refuses with how long to wait', async () => {
    const limit = bucket(3, 60);
    for (let attempt = 0; attempt < 3; attempt += 1) expect(await limit.take('burst', at(0))).toEqual({ ok: true });
    expect(await limit.take('burst', at(0))).toEqual({ ok: false, retryAfterSeconds: 20 });
    expect(await limit.check('burst', at(0))).toEqual({ ok: false, retryAfterSeconds: 20 });
    expect(await limit.check('burst', at(5_000))).toEqual({ ok: false, retryAfterSeconds: 15 });
  });

  it('refills evenly over its window, never beyond its capacity', async () => {
    const limit = bucket(3, 60);
    for (let attempt = 0; attempt < 3; attempt += 1) await limit.take('refill', at(0));
    expect((await limit.take('refill', at(19_000))).ok).toBe(false);
    expect((await limit.take('refill', at(20_000))).ok).toBe(true);
    expect((await limit.take('refill', at(20_000))).ok).toBe(false);
    // Half a token dripped in before the take is kept: the next whole one comes 10 seconds later.
    expect(await limit.take('refill', at(30_000))).toEqual({ ok: false, retryAfterSeconds: 10 });
    expect((await limit.take('refill', at(40_000))).ok).toBe(true);
    for (let attempt = 0; attempt < 3; attempt += 1) expect((await limit.take('refill', at(10_000_000))).ok).toBe(true);
    expect((await limit.take('refill', at(10_000_000))).ok).toBe(false);
  });

  it('keeps each client to its own bucket, and each kind of limit to its own keys', async () => {
    const limit = bucket(1, 60);
    expect((await limit.take('a', at(0))).ok).toBe(true);
    expect((await limit.take('a', at(0))).ok).toBe(false);
    expect((await limit.take('b', at(0))).ok).toBe(true);
    const other = new SharedTokenBucket(`other-${run}`, { capacity: 1, refillSeconds: 60 });
    expect((await other.take('a', at(0))).ok).toBe(true);
  });

  it('checking counts nothing', async () => {
    const limit = bucket(1, 60);
    expect((await limit.check('look', at(0))).ok).toBe(true);
    expect((await limit.check('look', at(0))).ok).toBe(true);
    expect((await limit.take('look', at(0))).ok).toBe(true);
    expect((await limit.check('look', at(0))).ok).toBe(false);
  });

  it('gives nothing back, and takes nothing away, for a clock behind the last one', async () => {
    const limit = bucket(2, 60);
    await limit.take('skew', at(60_000));
    // Another instance's clock is 30 seconds behind: no refill, and no debt either.
    expect((await limit.take('skew', at(30_000))).ok).toBe(true);
    expect((await limit.take('skew', at(30_000))).ok).toBe(false);
    // The bucket still counts from the later time: a token 30 seconds after it, not before.
    expect((await limit.take('skew', at(89_000))).ok).toBe(false);
    expect((await limit.take('skew', at(90_000))).ok).toBe(true);
  });

  it('stores the time so that Prisma reads it back as it was', async () => {
    const limit = bucket(5, 60);
    await limit.take('stored', at(1_234));
    const row = await getDb().rateLimitBucket.findUniqueOrThrow({ where: { key: `test-${run}:stored` } });
    expect(row.at.toISOString()).toBe(at(1_234).toISOString());
    expect(row.tokens).toBe(4);
  });

  it('lets exactly `capacity` of 20 simultaneous takes through', async () => {
    const limit = bucket(5, 600);
    const results = await Promise.all(Array.from({ length: 20 }, () => limit.take('rush', at(0))));
    expect(results.filter((result) => result.ok)).toHaveLength(5);
  });

  it('counts two instances (two database clients) against one limit, even at once', async () => {
    const [first, second] = instances.map((db) => bucket(5, 600, () => db));
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => (i % 2 ? first! : second!).take('instances', at(0))));
    expect(results.filter((result) => result.ok)).toHaveLength(5);
    expect((await second!.check('instances', at(0))).ok).toBe(false);

    // One after the other: what one instance took, the other sees.
    expect((await first!.take('shared', at(0))).ok).toBe(true);
    expect((await second!.take('shared', at(0))).ok).toBe(true);
    expect((await first!.check('shared', at(0))).ok).toBe(true);
    for (let attempt = 0; attempt < 3; attempt += 1) await second!.take('shared', at(0));
    expect(await first!.take('shared', at(0))).toEqual({ ok: false, retryAfterSeconds: 120 });
  });

  it('prunes the rows of buckets that are full again, and a pruned bucket starts full', async () => {
    const limit = bucket(1, 60);
    await limit.take('old', at(0));
    await limit.take('recent', at(LONGEST_REFILL_SECONDS * 1000));
    const pruned = await pruneRateLimitBuckets(getDb(), at(LONGEST_REFILL_SECONDS * 1000 + 1));
    expect(pruned).toBeGreaterThanOrEqual(1);
    const left = await getDb().rateLimitBucket.findMany({ where: { key: { startsWith: `test-${run}:` } }, select: { key: true } });
    expect(left.map((row) => row.key)).toContain(`test-${run}:recent`);
    expect(left.map((row) => row.key)).not.toContain(`test-${run}:old`);
    expect((await limit.take('recent', at(LONGEST_REFILL_SECONDS * 1000 + 1))).ok).toBe(false);
    expect((await limit.take('old', at(LONGEST_REFILL_SECONDS * 1000 + 1))).ok).toBe(true);
  });

  it('forgets every bucket of one kind', async () => {
    const limit = bucket(1, 60);
    await limit.take('forgotten', at(0));
    await limit.forgetAll();
    expect((await limit.take('forgotten', at(0))).ok).toBe(true);
  });
});
