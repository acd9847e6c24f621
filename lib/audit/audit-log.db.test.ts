// The audit log on the database under test (SQLite and PostgreSQL, see scripts/db/test-both.sh).
// Tampering happens in scratch databases of their own (each one written by the app, then attacked
// as someone with access to the database but not the key would), so the shared one stays whole.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deploy } from '@/scripts/db/lib/commands';
import { resolveTarget } from '@/scripts/db/lib/target';
import { databaseUnderTest, query, runScript, scratchDatabase, tempDir, type ScratchDatabase } from '@/scripts/db/test-support';
import { reloadConfig } from '@/lib/platform/config';
import { createDb, disconnectDb, type Db } from '@/lib/platform/db';
import { readAnchors, type Anchor } from './anchor';
import { anchorAuditHeadNow } from './anchoring';
import { anchorAuditHead, appendAuditEntry, auditedTransaction, formatHead, recordAudit, verifyAuditChain, type NewAuditEntry } from './audit-log';
import { GENESIS_HASH, keyedEntryHash, unkeyedEntryHash, type ChainedEntry } from './chain';

const { provider } = databaseUnderTest();
const KEY = { id: 'test-1', secret: 'the-audit-key-these-tests-chain-with-0123' };
const KEYS = new Map([[KEY.id, KEY.secret]]);
const WRONG_KEY = { id: KEY.id, secret: 'a-key-someone-guessed-or-made-up-0123456' };
const table = provider === 'sqlite' ? '"AuditEntry"' : 'public."AuditEntry"';

let scratch: ScratchDatabase;
let db: Db;
let files: string;

const entry = (index: number, more: Partial<NewAuditEntry> = {}): NewAuditEntry => ({
  citizenId: `citizen-${index}`,
  actorKind: 'staff',
  actorId: 'staff-subject-1',
  actorName: 'Grace Practiceton',
  actorOrganisation: 'Demo Lane Surgery (ZZ0001)',
  actorRole: 'General Practitioner',
  action: 'view',
  category: 'top-three',
  detail: { index },
  ...more,
});

beforeAll(async () => {
  scratch = await scratchDatabase();
  files = tempDir();
  await deploy(resolveTarget(scratch.url));
  reloadConfig({
    ...process.env,
    DATABASE_URL: scratch.url,
    AUDIT_HMAC_KEY: KEY.secret,
    AUDIT_HMAC_KEY_ID: KEY.id,
    AUDIT_ANCHOR_FILE: path.join(files, 'shared.jsonl'),
  });
  db = createDb(scratch.url);
});

afterAll(async () => {
  await db.$disconnect();
  await disconnectDb();
  await scratch.drop();
  fs.rmSync(files, { recursive: true, force: true });
});

/** A database of its own, migrated, with an anchor file of its own. */
async function freshLog() {
  const own = await scratchDatabase();
  await deploy(resolveTarget(own.url));
  const client = createDb(own.url);
  const anchorFile = path.join(files, `${path.basename(new URL(own.url).pathname)}-${Math.random().toString(36).slice(2)}.jsonl`);
  return {
    url: own.url,
    db: client,
    anchorFile,
    anchor: () => anchorAuditHead(client, { file: anchorFile, key: KEY, keys: KEYS }),
    anchors: async (): Promise<Anchor[]> => {
      const read = await readAnchors(anchorFile, KEYS);
      if ('problem' in read) throw new Error(`anchor file: ${read.problem}`);
      return read.anchors;
    },
    verify: (...args: string[]) =>
      runScript('scripts/audit-verify.ts', args, {
        DATABASE_URL: own.url,
        AUDIT_HMAC_KEY: KEY.secret,
        AUDIT_HMAC_KEY_ID: KEY.id,
        AUDIT_ANCHOR_FILE: anchorFile,
        LOG_LEVEL: 'silent',
      }),
    drop: async () => {
      await client.$disconnect();
      await own.drop();
    },
  };
}

/** What someone with the database's files or its owner's password can do first. */
async function dropTriggers(url: string): Promise<void> {
  if (provider === 'sqlite') {
    await query(url, 'DROP TRIGGER "AuditEntry_no_update"');
    await query(url, 'DROP TRIGGER "AuditEntry_no_delete"');
  } else {
    await query(url, `DROP TRIGGER "AuditEntry_append_only" ON ${table}`);
  }
}

const sqlText = (value: string | null) => (value === null ? 'NULL' : `'${value.replaceAll("'", "''")}'`);

/** Changes one entry's reason and recomputes every hash from it on, as the attacker chooses to. */
async function rewriteFrom(url: string, client: Db, from: number, reason: string, hash: (seq: number, entry: ChainedEntry, prevHash: string) => string) {
  const rows = await client.auditEntry.findMany({ orderBy: { seq: 'asc' } });
  let prevHash = from === 1 ? GENESIS_HASH : rows[from - 2]!.hash;
  for (const row of rows.filter((candidate) => candidate.seq >= from)) {
    const changed = row.seq === from ? { ...row, reason } : row;
    const newHash = hash(row.seq, { ...changed, prevHash }, prevHash);
    await query(url, `UPDATE ${table} SET "reason" = ${sqlText(changed.reason)}, "prevHash" = '${prevHash}', "hash" = '${newHash}' WHERE seq = ${row.seq}`);
    prevHash = newHash;
  }
}

describe(`audit log on ${provider}`, () => {
  it('chains appended entries with the audit key and verifies them', async () => {
    for (let index = 1; index <= 3; index += 1) await recordAudit(db, entry(index));
    expect(await verifyAuditChain(db)).toMatchObject({ ok: true, entries: 3, lastUnkeyed: 0 });
    const rows = await db.auditEntry.findMany({ orderBy: { seq: 'asc' } });
    expect(rows.map((row) => row.seq)).toEqual([1, 2, 3]);
    expect(rows[1]!.prevHash).toBe(rows[0]!.hash);
    expect(rows.every((row) => row.hash.startsWith('hmac:test-1:'))).toBe(true);
    expect(JSON.parse(rows[2]!.detail!)).toEqual({ index: 3 });
    // Checked with another key, or none it knows, the same chain fails.
    expect(await verifyAuditChain(db, { keys: new Map([[KEY.id, WRONG_KEY.secret]]) })).toEqual({ ok: false, seq: 1, problem: 'edited' });
    expect(await verifyAuditChain(db, { keys: new Map() })).toEqual({ ok: false, seq: 1, problem: 'unknown-key' });
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
    expect(await verifyAuditChain(db, { batchSize: 5 })).toMatchObject({ ok: true, entries: count });
  });

  it('the database refuses to change or remove an entry, through the app or in SQL', async () => {
    const before = await db.auditEntry.findMany({ orderBy: { seq: 'asc' } });
    // Prisma's SQLite adapter reports every trigger's abort as a foreign key violation (P2003),
    // dropping the trigger's message; SQL run directly shows it.
    const refused = provider === 'sqlite' ? /Foreign key constraint violated/ : /append-only/;
    await expect(db.auditEntry.update({ where: { seq: 2 }, data: { reason: 'nothing to see' } })).rejects.toThrow(refused);
    await expect(db.auditEntry.updateMany({ where: { citizenId: 'citizen-2' }, data: { citizenId: 'someone-else' } })).rejects.toThrow(refused);
    await expect(db.auditEntry.delete({ where: { seq: 3 } })).rejects.toThrow(refused);
    await expect(db.auditEntry.deleteMany({})).rejects.toThrow(refused);
    await expect(query(scratch.url, `UPDATE ${table} SET "reason" = 'nothing to see' WHERE seq = 2`)).rejects.toThrow(/append-only/);
    await expect(query(scratch.url, `DELETE FROM ${table} WHERE seq >= 2`)).rejects.toThrow(/append-only/);
    await expect(query(scratch.url, `DELETE FROM ${table}`)).rejects.toThrow(/append-only/);
    if (provider === 'postgresql') await expect(query(scratch.url, `TRUNCATE ${table}`)).rejects.toThrow(/append-only/);
    expect(await db.auditEntry.findMany({ orderBy: { seq: 'asc' } })).toEqual(before);
    expect((await verifyAuditChain(db)).ok).toBe(true);
  });

  it('the scheduled round anchors the app database’s head, and only when it moved', async () => {
    const first = await anchorAuditHeadNow();
    const head = await verifyAuditChain(db);
    expect(head.ok && 'anchored' in first && first.anchored.seq).toBe(head.ok && head.head.seq);
    expect(await anchorAuditHeadNow()).toMatchObject({ unchanged: { seq: head.ok && head.head.seq } });
    await recordAudit(db, entry(300));
    expect(await anchorAuditHeadNow()).toMatchObject({ anchored: { seq: head.ok && head.head.seq + 1, unkeyedUntil: 0, keyId: KEY.id } });
  });

  it('the attack: an entry rewritten on a copy of the database and every later hash recomputed, without the key, fails', async () => {
    const copy = await freshLog();
    try {
      await recordAudit(copy.db, entry(1));
      await recordAudit(copy.db, entry(2));
      await recordAudit(copy.db, entry(3, { action: 'emergency-access', category: 'all', reason: 'Unconscious in A&E, no relationship on record' }));
      await copy.anchor();
      await recordAudit(copy.db, entry(4));
      await recordAudit(copy.db, entry(5));
      await copy.anchor();
      const ok = await copy.verify();
      expect(ok.code).toBe(0);
      expect(ok.output).toMatch(/^OK: 5 audit entries, chain intact, 2 anchored heads still in it/m);

      await dropTriggers(copy.url);
      const anchors = await copy.anchors();

      // With plain SHA-256, as the chain was made before the key.
      await rewriteFrom(copy.url, copy.db, 3, 'Routine check', (seq, fields, prevHash) => unkeyedEntryHash(seq, fields, prevHash));
      expect((await copy.db.auditEntry.findUnique({ where: { seq: 3 } }))?.reason).toBe('Routine check');
      expect(await verifyAuditChain(copy.db, { keys: KEYS, anchors })).toEqual({ ok: false, seq: 3, problem: 'unkeyed' });
      const plain = await copy.verify();
      expect(plain.code).toBe(1);
      expect(plain.output).toMatch(/^BROKEN at seq 3: its hash was made without the audit key/m);

      // With a key of the attacker's own, under the real key's id.
      await rewriteFrom(copy.url, copy.db, 3, 'Routine check', (seq, fields, prevHash) => keyedEntryHash(WRONG_KEY, seq, fields, prevHash));
      expect(await verifyAuditChain(copy.db, { keys: KEYS, anchors })).toEqual({ ok: false, seq: 3, problem: 'edited' });
      const wrongKey = await copy.verify();
      expect(wrongKey.code).toBe(1);
      expect(wrongKey.output).toMatch(/^BROKEN at seq 3: its content does not match its hash/m);

      // The whole chain, from the first entry, as if it had never been keyed: the anchors say it was.
      await rewriteFrom(copy.url, copy.db, 1, 'Routine check', (seq, fields, prevHash) => unkeyedEntryHash(seq, fields, prevHash));
      expect(await verifyAuditChain(copy.db, { keys: KEYS, anchors })).toEqual({ ok: false, seq: 1, problem: 'unkeyed' });
      expect((await copy.verify()).code).toBe(1);
      expect(await copy.anchor()).toMatchObject({ refused: { problem: 'not-anchored' } });
    } finally {
      await copy.drop();
    }
  });

  it('an anchor catches a chain cut back, and a rewrite made even with the key', async () => {
    const log = await freshLog();
    try {
      for (let index = 1; index <= 5; index += 1) await recordAudit(log.db, entry(index));
      expect(await log.anchor()).toMatchObject({ anchored: { seq: 5 } });
      expect(await log.anchor()).toMatchObject({ unchanged: { seq: 5 } });
      for (let index = 6; index <= 7; index += 1) await recordAudit(log.db, entry(index));
      expect(await log.anchor()).toMatchObject({ anchored: { seq: 7 } });

      await dropTriggers(log.url);
      await query(log.url, `DELETE FROM ${table} WHERE seq >= 6`);
      // The chain alone still looks whole ...
      expect(await verifyAuditChain(log.db, { keys: KEYS })).toMatchObject({ ok: true, entries: 5 });
      // ... but not against the anchors.
      expect(await verifyAuditChain(log.db, { keys: KEYS, anchors: await log.anchors() })).toMatchObject({
        ok: false,
        seq: 7,
        problem: 'cut-back',
        lastSeq: 5,
      });
      const cut = await log.verify();
      expect(cut.code).toBe(1);
      expect(cut.output).toMatch(/^BROKEN: the chain ends at seq 5, but seq 7 was anchored at .* \(entries were deleted from the end\)/m);
      expect(await log.anchor()).toMatchObject({ refused: { problem: 'cut-back', seq: 7 } });

      // Someone with the key too rewrites entry 2 and everything after it: the anchor at 5 differs.
      await rewriteFrom(log.url, log.db, 2, 'Routine check', (seq, fields, prevHash) => keyedEntryHash(KEY, seq, fields, prevHash));
      expect(await verifyAuditChain(log.db, { keys: KEYS, anchors: await log.anchors() })).toMatchObject({ ok: false, seq: 5, problem: 'not-anchored' });
      expect((await log.verify()).output).toMatch(/^BROKEN at seq 5: it is not the entry anchored at/m);
    } finally {
      await log.drop();
    }
  });

  it('entries chained before the key still verify, and the chain cannot go back to unkeyed after them', async () => {
    const log = await freshLog();
    try {
      // Three entries as the code before the key wrote them (plain SHA-256).
      let prevHash = GENESIS_HASH;
      for (let seq = 1; seq <= 3; seq += 1) {
        const fields = { ...entry(seq), category: null, reason: null, detail: null, at: new Date(Date.UTC(2026, 11, 1, 9, seq)) };
        const hash = unkeyedEntryHash(seq, fields, prevHash);
        await log.db.auditEntry.create({ data: { ...fields, seq, prevHash, hash } });
        prevHash = hash;
      }
      expect(await log.anchor()).toMatchObject({ anchored: { seq: 3, unkeyedUntil: 3 } });
      await recordAudit(log.db, entry(4));
      await recordAudit(log.db, entry(5));
      expect(await log.anchor()).toMatchObject({ anchored: { seq: 5, unkeyedUntil: 3 } });
      expect(await verifyAuditChain(log.db, { keys: KEYS, anchors: await log.anchors() })).toMatchObject({ ok: true, entries: 5, lastUnkeyed: 3 });
      const ok = await log.verify();
      expect(ok.code).toBe(0);
      expect(ok.output).toMatch(/^OK: 5 audit entries, chain intact, entries 1 to 3 from before the key, 2 anchored heads/m);

      // Rewritten from entry 2 on without the key: entry 3 is not the one anchored, and unkeyed entries end at 3.
      await dropTriggers(log.url);
      await rewriteFrom(log.url, log.db, 2, 'Routine check', (seq, fields, hashBefore) => unkeyedEntryHash(seq, fields, hashBefore));
      expect(await verifyAuditChain(log.db, { keys: KEYS, anchors: await log.anchors() })).toMatchObject({ ok: false, seq: 3, problem: 'not-anchored' });
      expect(await verifyAuditChain(log.db, { keys: KEYS, anchors: (await log.anchors()).slice(1) })).toMatchObject({ ok: false, seq: 4, problem: 'unkeyed' });
    } finally {
      await log.drop();
    }
  });

  it('the verify command: not anchored, --anchor, a forged anchor line, --head, and usage', async () => {
    const log = await freshLog();
    try {
      expect((await log.verify()).output).toMatch(/^OK: 0 audit entries, chain intact/m);
      for (let index = 1; index <= 3; index += 1) await recordAudit(log.db, entry(index));
      const unanchored = await log.verify();
      expect(unanchored.code).toBe(1);
      expect(unanchored.output).toMatch(/^NOT ANCHORED: the chain is whole, but no head is anchored in /m);

      const anchored = await log.verify('--anchor');
      expect(anchored.code).toBe(0);
      expect(anchored.output).toMatch(/^OK: 3 audit entries, chain intact, 1 anchored head still in it \(the newest at .*, seq 3\)/m);
      const head = /^Head: (\d+:\S+)$/m.exec(anchored.output)?.[1];
      const check = await verifyAuditChain(log.db, { keys: KEYS });
      expect(check.ok && formatHead(check.head)).toBe(head);
      expect(head).toMatch(/^3:hmac:test-1:[0-9a-f]{64}$/);

      await recordAudit(log.db, entry(4));
      const later = await log.verify('--head', head!);
      expect(later.code).toBe(0);
      expect(later.output).toMatch(/still holds entry 3$/m);

      const lines = fs.readFileSync(log.anchorFile, 'utf8');
      fs.appendFileSync(log.anchorFile, lines.replace('"seq":3', '"seq":2'));
      const forged = await log.verify();
      expect(forged.code).toBe(1);
      expect(forged.output).toMatch(/^BROKEN: line 2 of the anchor file .* does not carry a valid signature/m);
      expect(await log.anchor()).toMatchObject({ refused: { line: 2, problem: 'bad-signature' } });

      const wrong = await log.verify('--head', 'not-a-head');
      expect(wrong.code).toBe(2);
      expect(wrong.output).toMatch(/Usage: npm run audit:verify/);
    } finally {
      await log.drop();
    }
  });
});
