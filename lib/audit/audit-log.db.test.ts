// The audit log on the database under test (SQLite and PostgreSQL, see scripts/db/test-both.sh).
// Tampering happens in a scratch database of its own, so the shared one's chain stays whole.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deploy } from '@/scripts/db/lib/commands';
import { resolveTarget } from '@/scripts/db/lib/target';
import { databaseUnderTest, query, runScript, scratchDatabase, type ScratchDatabase } from '@/scripts/db/test-support';
import { reloadConfig } from '@/lib/platform/config';
import { createDb, disconnectDb, type Db } from '@/lib/platform/db';
import { appendAuditEntry, auditedTransaction, formatHead, recordAudit, verifyAuditChain, type NewAuditEntry } from './audit-log';

const { provider } = databaseUnderTest();
let scratch: ScratchDatabase;
let db: Db;

const entry = (index: number): NewAuditEntry => ({
  citizenId: `citizen-${index}`,
  actorKind: 'staff',
  actorId: 'staff-subject-1',
  actorName: 'Grace Practiceton',
  actorOrganisation: 'Demo Lane Surgery (ZZ0001)',
  actorRole: 'General Practitioner',
  action: 'view',
  category: 'top-three',
  detail: { index },
});

beforeAll(async () => {
  scratch = await scratchDatabase();
  await deploy(resolveTarget(scratch.url));
  reloadConfig({ ...process.env, DATABASE_URL: scratch.url });
  db = createDb(scratch.url);
});

afterAll(async () => {
  await db.$disconnect();
  await disconnectDb();
  await scratch.drop();
});

const table = provider === 'sqlite' ? '"AuditEntry"' : 'public."AuditEntry"';

describe(`audit log on ${provider}`, () => {
  it('chains appended entries and verifies them', async () => {
    for (let index = 1; index <= 3; index += 1) await recordAudit(db, entry(index));
    expect(await verifyAuditChain(db)).toMatchObject({ ok: true, entries: 3 });
    const rows = await db.auditEntry.findMany({ orderBy: { seq: 'asc' } });
    expect(rows.map((row) => row.seq)).toEqual([1, 2, 3]);
    expect(rows[1]!.prevHash).toBe(rows[0]!.hash);
    expect(JSON.parse(rows[2]!.detail!)).toEqual({ index: 3 });
  });

  it('keeps the chain whole under concurrent appends from several connections', async () => {
    // PostgreSQL: two clients (two pools, real concurrency). SQLite: one client, whose
    // transactions the driver runs one at a time (two better-sqlite3 connections in one
    // process would block each other's thread, which separate processes do not).
    const other = provider === 'postgresql' ? createDb(scratch.url) : db;
    try {
      const before = await db.auditEntry.count();
      await Promise.all(Array.from({ length: 24 }, (_, index) => recordAudit(index % 2 ? other : db, entry(100 + index))));
      expect(await db.auditEntry.count()).toBe(before + 24);
      expect(await verifyAuditChain(db)).toMatchObject({ ok: true, entries: before + 24 });
    } finally {
      if (other !== db) await other.$disconnect();
    }
  });

  it('writes nothing when the work in the same transaction fails', async () => {
    const before = await db.auditEntry.count();
    await expect(
      auditedTransaction(db, async (tx) => {
        await appendAuditEntry(tx, entry(200));
        throw new Error('the page could not be built');
      }),
    ).rejects.toThrow('the page could not be built');
    expect(await db.auditEntry.count()).toBe(before);
  });

  it('reads the chain in batches', async () => {
    const count = await db.auditEntry.count();
    expect(await verifyAuditChain(db, 5)).toMatchObject({ ok: true, entries: count });
  });

  it('the verify command says OK, then names the first broken link after an edit, and after a deletion', async () => {
    const ok = await runScript('scripts/audit-verify.ts', [], { DATABASE_URL: scratch.url, LOG_LEVEL: 'silent' });
    expect(ok.code).toBe(0);
    expect(ok.output).toMatch(/^OK: \d+ audit entries, chain intact/m);

    await query(scratch.url, `UPDATE ${table} SET "reason" = 'nothing to see' WHERE seq = 5`);
    expect(await verifyAuditChain(db)).toEqual({ ok: false, seq: 5, problem: 'edited' });
    const edited = await runScript('scripts/audit-verify.ts', [], { DATABASE_URL: scratch.url, LOG_LEVEL: 'silent' });
    expect(edited.code).toBe(1);
    expect(edited.output).toMatch(/BROKEN at seq 5: its content does not match its hash/);

    await query(scratch.url, `UPDATE ${table} SET "reason" = NULL WHERE seq = 5`);
    expect((await verifyAuditChain(db)).ok).toBe(true);

    await query(scratch.url, `DELETE FROM ${table} WHERE seq = 3`);
    expect(await verifyAuditChain(db)).toEqual({ ok: false, seq: 4, problem: 'unlinked' });
    const deleted = await runScript('scripts/audit-verify.ts', [], { DATABASE_URL: scratch.url, LOG_LEVEL: 'silent' });
    expect(deleted.code).toBe(1);
    expect(deleted.output).toMatch(/BROKEN at seq 4: it does not follow from the entry before it/);
  });

  it('prints the head to keep, and with --head fails when the newest entries were deleted', async () => {
    const verify = (...args: string[]) => runScript('scripts/audit-verify.ts', args, { DATABASE_URL: scratch.url, LOG_LEVEL: 'silent' });
    // The chain from the last test is broken at seq 4: a fresh one.
    await query(scratch.url, `DELETE FROM ${table}`);
    for (let index = 1; index <= 3; index += 1) await recordAudit(db, entry(200 + index));
    const first = await verify();
    expect(first.code).toBe(0);
    const head = /^Head: (\d+:[0-9a-f]{64}) /m.exec(first.output)?.[1];
    expect(head).toBeDefined();
    const check = await verifyAuditChain(db);
    expect(check.ok && formatHead(check.head)).toBe(head);

    // More entries since: still fine.
    await recordAudit(db, entry(204));
    const later = await verify('--head', head!);
    expect(later.code).toBe(0);
    expect(later.output).toMatch(/chain intact, still holds entry \d+/);

    // The newest two deleted: the chain alone looks whole, but not against the kept head.
    const newest = await db.auditEntry.findMany({ orderBy: { seq: 'desc' }, take: 2, select: { seq: true } });
    await query(scratch.url, `DELETE FROM ${table} WHERE seq >= ${newest[1]!.seq}`);
    expect((await verifyAuditChain(db)).ok).toBe(true);
    const cut = await verify('--head', head!);
    expect(cut.code).toBe(1);
    expect(cut.output).toMatch(/BROKEN: entry \d+ you kept is gone or different/);

    const wrong = await verify('--head', 'not-a-head');
    expect(wrong.code).toBe(2);
    expect(wrong.output).toMatch(/Usage: npm run audit:verify/);
  });
});
