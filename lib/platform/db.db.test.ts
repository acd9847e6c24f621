// Data access against the database under test: DATABASE_URL (test-both.sh runs this file on
// SQLite and on PostgreSQL), or a temporary SQLite file when it is unset.
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deploy } from '../../scripts/db/lib/commands';
import { resolveTarget } from '../../scripts/db/lib/target';
import { databaseUnderTest } from '../../scripts/db/test-support';
import { reloadConfig } from './config';
import { checkDatabase, createDb, disconnectDb, getDb, isDatabaseUnavailable, type Db } from './db';
import { directReads } from './direct-reads';

const { url, provider } = databaseUnderTest();
let db: Db;

beforeAll(async () => {
  await deploy(resolveTarget(url));
  db = createDb(url);
});

afterAll(async () => {
  await db.$disconnect();
});

describe(`database access on ${provider}`, () => {
  it('stores feedback and reads it back', async () => {
    const saved = await db.feedback.create({
      data: { rating: 'satisfied', comments: 'Clear and quick. Ünïcödé ✓', email: null },
    });
    try {
      expect(saved.id).toMatch(/^c[a-z0-9]{20,}$/);
      const found = await db.feedback.findUnique({ where: { id: saved.id } });
      expect(found).toEqual(saved);
      expect(found?.createdAt).toBeInstanceOf(Date);
      expect(Math.abs(found!.createdAt.getTime() - Date.now())).toBeLessThan(60_000);
    } finally {
      await db.feedback.delete({ where: { id: saved.id } });
    }
  });

  it('lists feedback newest first', async () => {
    const older = await db.feedback.create({
      data: { rating: 'neither', comments: 'first', createdAt: new Date('2020-01-01T00:00:00Z') },
    });
    const newer = await db.feedback.create({
      data: { rating: 'satisfied', comments: 'second', email: 'a@example.com', createdAt: new Date('2020-01-02T00:00:00Z') },
    });
    try {
      const rows = await db.feedback.findMany({ where: { id: { in: [older.id, newer.id] } }, orderBy: { createdAt: 'desc' } });
      expect(rows.map((r) => r.comments)).toEqual(['second', 'first']);
      expect(rows[0]?.email).toBe('a@example.com');
    } finally {
      await db.feedback.deleteMany({ where: { id: { in: [older.id, newer.id] } } });
    }
  });

  it("reads directly through the client's own connection, before its first query and after it disconnects", async () => {
    const fresh = createDb(url);
    const saved = await db.feedback.create({ data: { rating: 'satisfied', comments: 'direct' } });
    try {
      const read = () => directReads(fresh).rows('SELECT "id", "comments" FROM "Feedback" WHERE "id" = ? AND "rating" = ?', [saved.id, 'satisfied']);
      expect(await read()).toEqual([[saved.id, 'direct']]);
      await fresh.$disconnect();
      expect(await read()).toEqual([[saved.id, 'direct']]);
      expect(await fresh.feedback.count({ where: { id: saved.id } })).toBe(1);
    } finally {
      await fresh.$disconnect();
      await db.feedback.delete({ where: { id: saved.id } });
    }
  });

  it('answers the health check', async () => {
    expect(await checkDatabase(db)).toBe(true);
  });

  it('getDb() uses the configured DATABASE_URL and keeps one client', async () => {
    reloadConfig({ ...process.env, DATABASE_URL: url });
    try {
      expect(getDb()).toBe(getDb());
      expect(await checkDatabase()).toBe(true);
    } finally {
      await disconnectDb();
    }
  });

  it('reports an unreachable database as unavailable', async () => {
    const unreachable = provider === 'sqlite' ? 'file:/nonexistent-directory/phr.db' : 'postgresql://postgres@127.0.0.1:1/phr_test';
    reloadConfig({ ...process.env, DATABASE_URL: unreachable });
    try {
      expect(await checkDatabase()).toBe(false);
      const error = await Promise.resolve()
        .then(() => getDb().feedback.count())
        .catch((caught: unknown) => caught);
      expect(isDatabaseUnavailable(error)).toBe(true);
      const direct = await Promise.resolve()
        .then(() => directReads(getDb()).rows('SELECT "id" FROM "Feedback"', []))
        .catch((caught: unknown) => caught);
      expect(isDatabaseUnavailable(direct)).toBe(true);
    } finally {
      await disconnectDb();
      reloadConfig();
    }
  });

  it('gives up on a database that does not answer in time', async () => {
    const hanging = { $queryRaw: () => new Promise(() => {}) } as unknown as Db;
    const started = Date.now();
    expect(await checkDatabase(hanging, 100)).toBe(false);
    expect(Date.now() - started).toBeLessThan(1_000);
  });

  it.runIf(provider === 'sqlite')('runs SQLite with WAL, foreign keys and a busy timeout', async () => {
    const [journal] = await db.$queryRaw<{ journal_mode: string }[]>`PRAGMA journal_mode`;
    const [keys] = await db.$queryRaw<{ foreign_keys: bigint }[]>`PRAGMA foreign_keys`;
    const [busy] = await db.$queryRaw<{ timeout: bigint }[]>`PRAGMA busy_timeout`;
    expect(journal?.journal_mode).toBe('wal');
    expect(Number(keys?.foreign_keys)).toBe(1);
    expect(Number(busy?.timeout)).toBeGreaterThanOrEqual(5_000);
  });

  it.runIf(provider === 'sqlite')('runs a transaction again when another connection wrote between its read and its write', async () => {
    // Another process (a script, a test, a second instance) with its own connection to the file.
    const other = new Database(url.slice('file:'.length));
    let attempts = 0;
    try {
      const saved = await db.$transaction(async (tx) => {
        attempts += 1;
        await tx.feedback.count();
        if (attempts === 1)
          other
            .prepare('INSERT INTO "Feedback" (id, rating, comments, "createdAt") VALUES (?, ?, ?, ?)')
            .run(`other-${Date.now()}`, 'satisfied', 'from another connection', Date.now());
        return tx.feedback.create({ data: { rating: 'satisfied', comments: 'written after the other connection', email: null } });
      });
      expect(attempts).toBe(2);
      expect(await db.feedback.findUnique({ where: { id: saved.id } })).not.toBeNull();
    } finally {
      other.close();
    }
  });
});
