// The audit log on the database under test (SQLite and PostgreSQL, see scripts/db/test-both.sh).
// Tampering happens in scratch databases of their own (each one written by the app, then attacked
// as someone with access to the database but not the key would), so the shared one stays whole.
import { createHash, createHmac } from 'node:crypto';
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
import { anchorAuditHead, appendAuditEntry, auditedTransaction, formatHeads, recordAudit, verifyAuditChain, type NewAuditEntry } from './audit-log';
import { GENESIS_HASH, keyedEntryHash, laneOf, unkeyedEntryHash, type ChainedEntry, type LanePlace } from './chain';

const { provider } = databaseUnderTest();
const KEY = { id: 'test-1', secret: 'the-audit-key-these-tests-chain-with-0123' };
const KEYS = new Map([[KEY.id, KEY.secret]]);
const WRONG_KEY = { id: KEY.id, secret: 'a-key-someone-guessed-or-made-up-0123456' };
const table = provider === 'sqlite' ? '"AuditEntry"' : 'public."AuditEntry"';

let scratch: ScratchDatabase;
let db: Db;
let files: string;

/** A citizen whose entries go in `lane`. */
function citizenIn(lane: number, skip = 0): string {
  for (let index = 0, found = 0; ; index += 1) {
    const citizenId = `citizen-${index}`;
    if (laneOf({ citizenId, actorId: 'staff-subject-1' }) === lane && found++ === skip) return citizenId;
  }
}

/** An entry for a citizen in lane 3 (unless told otherwise): one lane, so seq and laneSeq go together in a fresh log. */
const entry = (index: number, more: Partial<NewAuditEntry> = {}): NewAuditEntry => ({
  citizenId: citizenIn(3),
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

/** Changes one entry's reason and recomputes every later hash in its lane, as the attacker chooses to. */
async function rewriteFrom(url: string, client: Db, from: number, reason: string, hash: (place: LanePlace, entry: ChainedEntry, prevHash: string) => string) {
  const start = await client.auditEntry.findUniqueOrThrow({ where: { seq: from } });
  const rows = await client.auditEntry.findMany({ where: { lane: start.lane, laneSeq: { gte: start.laneSeq } }, orderBy: { laneSeq: 'asc' } });
  let prevHash = start.prevHash;
  for (const row of rows) {
    const changed = row.seq === from ? { ...row, reason } : row;
    const newHash = hash(row, { ...changed, prevHash }, prevHash);
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
    await expect(db.auditEntry.updateMany({ where: { citizenId: citizenIn(3) }, data: { citizenId: 'someone-else' } })).rejects.toThrow(refused);
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
    const check = await verifyAuditChain(db);
    expect(check.ok && 'anchored' in first && first.anchored.heads).toEqual(check.ok && check.heads);
    expect(await anchorAuditHeadNow()).toEqual({ unchanged: check.ok && check.heads });
    await recordAudit(db, entry(300));
    const lane3 = check.ok ? check.heads.find((head) => head.lane === 3)! : null;
    expect(await anchorAuditHeadNow()).toMatchObject({
      anchored: { heads: expect.arrayContaining([expect.objectContaining({ lane: 3, laneSeq: lane3!.laneSeq + 1 })]), unkeyedUntil: 0, keyId: KEY.id },
    });
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
      await rewriteFrom(copy.url, copy.db, 3, 'Routine check', (place, fields, prevHash) => unkeyedEntryHash(place, fields, prevHash));
      expect((await copy.db.auditEntry.findUnique({ where: { seq: 3 } }))?.reason).toBe('Routine check');
      expect(await verifyAuditChain(copy.db, { keys: KEYS, anchors })).toEqual({ ok: false, seq: 3, problem: 'unkeyed' });
      const plain = await copy.verify();
      expect(plain.code).toBe(1);
      expect(plain.output).toMatch(/^BROKEN at seq 3: its hash was made without the audit key/m);

      // With a key of the attacker's own, under the real key's id.
      await rewriteFrom(copy.url, copy.db, 3, 'Routine check', (place, fields, prevHash) => keyedEntryHash(WRONG_KEY, place, fields, prevHash));
      expect(await verifyAuditChain(copy.db, { keys: KEYS, anchors })).toEqual({ ok: false, seq: 3, problem: 'edited' });
      const wrongKey = await copy.verify();
      expect(wrongKey.code).toBe(1);
      expect(wrongKey.output).toMatch(/^BROKEN at seq 3: its content does not match its hash/m);

      // The whole chain, from the first entry, as if it had never been keyed: the anchors say it was.
      await rewriteFrom(copy.url, copy.db, 1, 'Routine check', (place, fields, prevHash) => unkeyedEntryHash(place, fields, prevHash));
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
      expect(await log.anchor()).toMatchObject({ anchored: { heads: [{ lane: 3, laneSeq: 5, seq: 5 }] } });
      expect(await log.anchor()).toMatchObject({ unchanged: [{ lane: 3, laneSeq: 5 }] });
      for (let index = 6; index <= 7; index += 1) await recordAudit(log.db, entry(index));
      expect(await log.anchor()).toMatchObject({ anchored: { heads: [{ lane: 3, laneSeq: 7, seq: 7 }] } });

      await dropTriggers(log.url);
      await query(log.url, `DELETE FROM ${table} WHERE seq >= 6`);
      // The chain alone still looks whole ...
      expect(await verifyAuditChain(log.db, { keys: KEYS })).toMatchObject({ ok: true, entries: 5 });
      // ... but not against the anchors.
      expect(await verifyAuditChain(log.db, { keys: KEYS, anchors: await log.anchors() })).toMatchObject({
        ok: false,
        seq: 7,
        problem: 'cut-back',
        lane: 3,
        lastSeq: 5,
      });
      const cut = await log.verify();
      expect(cut.code).toBe(1);
      expect(cut.output).toMatch(/^BROKEN: lane 3 of the chain ends at seq 5, but seq 7 in it was anchored at .* \(entries were deleted from the end\)/m);
      expect(await log.anchor()).toMatchObject({ refused: { problem: 'cut-back', seq: 7 } });

      // Someone with the key too rewrites entry 2 and everything after it: the anchor at 5 differs.
      await rewriteFrom(log.url, log.db, 2, 'Routine check', (place, fields, prevHash) => keyedEntryHash(KEY, place, fields, prevHash));
      expect(await verifyAuditChain(log.db, { keys: KEYS, anchors: await log.anchors() })).toMatchObject({ ok: false, seq: 5, problem: 'not-anchored' });
      expect((await log.verify()).output).toMatch(/^BROKEN at seq 5: it is not the entry anchored at/m);
    } finally {
      await log.drop();
    }
  });

  it('entries chained before the key still verify, and the chain cannot go back to unkeyed after them', async () => {
    const log = await freshLog();
    try {
      // Three entries as the code before the key wrote them (plain SHA-256), in lane 0 as the lanes migration left them.
      let prevHash = GENESIS_HASH;
      const lane0 = citizenIn(0);
      for (let seq = 1; seq <= 3; seq += 1) {
        const fields = { ...entry(seq), citizenId: lane0, category: null, reason: null, detail: null, at: new Date(Date.UTC(2026, 11, 1, 9, seq)) };
        const hash = unkeyedEntryHash({ lane: 0, laneSeq: seq }, fields, prevHash);
        await log.db.auditEntry.create({ data: { ...fields, seq, lane: 0, laneSeq: seq, prevHash, hash } });
        prevHash = hash;
      }
      expect(await log.anchor()).toMatchObject({ anchored: { heads: [{ lane: 0, laneSeq: 3 }], unkeyedUntil: 3 } });
      await recordAudit(log.db, entry(4, { citizenId: lane0 }));
      await recordAudit(log.db, entry(5, { citizenId: lane0 }));
      expect(await log.anchor()).toMatchObject({ anchored: { heads: [{ lane: 0, laneSeq: 5, seq: 5 }], unkeyedUntil: 3 } });
      expect(await verifyAuditChain(log.db, { keys: KEYS, anchors: await log.anchors() })).toMatchObject({ ok: true, entries: 5, lastUnkeyed: 3 });
      const ok = await log.verify();
      expect(ok.code).toBe(0);
      expect(ok.output).toMatch(/^OK: 5 audit entries, chain intact, entries 1 to 3 from before the key, 2 anchored heads/m);

      // Rewritten from entry 2 on without the key: entry 3 is not the one anchored, and unkeyed entries end at 3.
      await dropTriggers(log.url);
      await rewriteFrom(log.url, log.db, 2, 'Routine check', (place, fields, hashBefore) => unkeyedEntryHash(place, fields, hashBefore));
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
      expect(anchored.output).toMatch(/^OK: 3 audit entries, chain intact, 1 anchored head still in it \(the newest at .*, up to seq 3\)/m);
      const head = /^Heads: (\S+)$/m.exec(anchored.output)?.[1];
      const check = await verifyAuditChain(log.db, { keys: KEYS });
      expect(check.ok && formatHeads(check.heads)).toBe(head);
      expect(head).toMatch(/^3:3:hmac:test-1:[0-9a-f]{64}$/);

      await recordAudit(log.db, entry(4));
      const later = await log.verify('--head', head!);
      expect(later.code).toBe(0);
      expect(later.output).toMatch(/still holds the heads you kept$/m);
      const gone = await log.verify('--head', head!.replace('3:3:', '3:9:'));
      expect(gone.code).toBe(1);
      expect(gone.output).toMatch(/^BROKEN: entry 9 of lane 3 you kept is gone or different/m);

      const lines = fs.readFileSync(log.anchorFile, 'utf8');
      expect(lines).toContain('[[3,3,3,');
      fs.appendFileSync(log.anchorFile, lines.replace('[[3,3,3,', '[[3,2,2,'));
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

  it('chains the entries of citizens in different lanes each in their own lane, in one seq order', async () => {
    const log = await freshLog();
    try {
      const citizens = [citizenIn(0), citizenIn(3), citizenIn(9), citizenIn(3, 1)];
      for (let index = 0; index < 8; index += 1) await recordAudit(log.db, entry(index, { citizenId: citizens[index % citizens.length]! }));
      // No citizen: the lane of whoever acted.
      await recordAudit(log.db, entry(8, { citizenId: null, actorId: citizenIn(9) }));
      const rows = await log.db.auditEntry.findMany({ orderBy: { seq: 'asc' } });
      expect(rows.map((row) => [row.seq, row.lane, row.laneSeq])).toEqual([
        [1, 0, 1],
        [2, 3, 1],
        [3, 9, 1],
        [4, 3, 2],
        [5, 0, 2],
        [6, 3, 3],
        [7, 9, 2],
        [8, 3, 4],
        [9, 9, 3],
      ]);
      expect(rows[3]!.prevHash).toBe(rows[1]!.hash);
      expect(rows[0]!.prevHash).toBe(GENESIS_HASH);
      expect(rows[2]!.prevHash).toBe(GENESIS_HASH);
      const check = await verifyAuditChain(log.db, { keys: KEYS, batchSize: 2 });
      expect(check).toMatchObject({
        ok: true,
        entries: 9,
        heads: [
          { lane: 0, laneSeq: 2, seq: 5 },
          { lane: 3, laneSeq: 4, seq: 8 },
          { lane: 9, laneSeq: 3, seq: 9 },
        ],
      });
      const ok = await log.verify('--anchor');
      expect(ok.code).toBe(0);
      expect(ok.output).toMatch(/^OK: 9 audit entries in 3 lanes, chain intact, 1 anchored head still in it \(the newest at .*, up to seq 9\)/m);
      expect(ok.output).toMatch(/^Heads: 0:2:hmac:test-1:[0-9a-f]{64},3:4:hmac:test-1:[0-9a-f]{64},9:3:hmac:test-1:[0-9a-f]{64}$/m);
      // Only lane 3 moves: the anchor holds every lane's head again.
      await recordAudit(log.db, entry(9, { citizenId: citizens[1]! }));
      expect(await log.anchor()).toMatchObject({
        anchored: {
          heads: [
            { lane: 0, laneSeq: 2 },
            { lane: 3, laneSeq: 5, seq: 10 },
            { lane: 9, laneSeq: 3 },
          ],
        },
      });
    } finally {
      await log.drop();
    }
  });

  it('keeps every lane whole under 10 writers at once, with no lane waiting for another', async () => {
    const log = await freshLog();
    // PostgreSQL: ten clients (ten pools, real concurrency). SQLite: one client, as above.
    const clients = provider === 'postgresql' ? Array.from({ length: 10 }, () => createDb(log.url)) : [log.db];
    try {
      // Ten writers, ten entries each; writers 0 and 1 share a lane, so appends there queue.
      const lanes = [3, 3, 0, 1, 2, 4, 5, 6, 7, 8];
      await Promise.all(
        lanes.map(async (lane, writer) => {
          for (let index = 0; index < 10; index += 1) {
            await recordAudit(clients[writer % clients.length]!, entry(index, { citizenId: citizenIn(lane, writer), detail: { writer, index } }));
          }
        }),
      );
      const rows = await log.db.auditEntry.findMany({ orderBy: { seq: 'asc' } });
      expect(rows).toHaveLength(100);
      const byLane = new Map<number, typeof rows>();
      for (const row of rows) byLane.set(row.lane, [...(byLane.get(row.lane) ?? []), row]);
      expect([...byLane.keys()].sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8]);
      for (const [lane, inLane] of byLane) {
        // In seq order, each lane is 1, 2, 3... with no gap, each entry linked to the one before it.
        expect(inLane.map((row) => row.laneSeq)).toEqual(Array.from({ length: lane === 3 ? 20 : 10 }, (_, index) => index + 1));
        inLane.forEach((row, index) => expect(row.prevHash).toBe(index === 0 ? GENESIS_HASH : inLane[index - 1]!.hash));
      }
      expect(await verifyAuditChain(log.db, { keys: KEYS })).toMatchObject({ ok: true, entries: 100 });
      expect(await log.anchor()).toMatchObject({ anchored: { heads: expect.any(Array) } });
    } finally {
      for (const client of clients) if (client !== log.db) await client.$disconnect();
      await log.drop();
    }
  });

  it('the attack in one lane of several: rewritten without the key, with the key, or a lane deleted whole, fails', async () => {
    const log = await freshLog();
    try {
      const [a, b, c] = [citizenIn(2), citizenIn(5), citizenIn(11)];
      for (let index = 0; index < 9; index += 1) await recordAudit(log.db, entry(index, { citizenId: [a, b, c][index % 3]! }));
      expect(await log.anchor()).toMatchObject({ anchored: { heads: [{ lane: 2 }, { lane: 5 }, { lane: 11 }] } });
      await recordAudit(log.db, entry(9, { citizenId: b }));
      await dropTriggers(log.url);
      const anchors = await log.anchors();

      // Lane 11 deleted whole: the other lanes are whole, but lane 11 was anchored.
      await query(log.url, `DELETE FROM ${table} WHERE lane = 11`);
      expect(await verifyAuditChain(log.db, { keys: KEYS })).toMatchObject({ ok: true, entries: 7 });
      expect(await verifyAuditChain(log.db, { keys: KEYS, anchors })).toMatchObject({ ok: false, seq: 9, problem: 'cut-back', lane: 11, lastSeq: 0 });
      expect((await log.verify()).output).toMatch(/^BROKEN: lane 11 of the chain is gone, but seq 9 in it was anchored at .* \(its entries were deleted\)/m);

      // Lane 5's second entry (seq 5) changed, and every later hash in lane 5 recomputed with a guessed key.
      await rewriteFrom(log.url, log.db, 5, 'Routine check', (place, fields, prevHash) => keyedEntryHash(WRONG_KEY, place, fields, prevHash));
      expect(await verifyAuditChain(log.db, { keys: KEYS, anchors })).toEqual({ ok: false, seq: 5, problem: 'edited' });
      expect((await log.verify()).output).toMatch(/^BROKEN at seq 5: its content does not match its hash/m);
      // The same without a key: lane 5 began after the key, so plain SHA-256 is refused from its first entry.
      await rewriteFrom(log.url, log.db, 5, 'Routine check', (place, fields, prevHash) => unkeyedEntryHash(place, fields, prevHash));
      expect(await verifyAuditChain(log.db, { keys: KEYS, anchors })).toEqual({ ok: false, seq: 5, problem: 'unkeyed' });
      // With the key itself: the anchored head of lane 5 (seq 8) is no longer the one anchored.
      await rewriteFrom(log.url, log.db, 5, 'Routine check', (place, fields, prevHash) => keyedEntryHash(KEY, place, fields, prevHash));
      expect(await verifyAuditChain(log.db, { keys: KEYS })).toMatchObject({ ok: true, entries: 7 });
      expect(await verifyAuditChain(log.db, { keys: KEYS, anchors })).toMatchObject({ ok: false, seq: 8, problem: 'not-anchored' });
      expect(await log.anchor()).toMatchObject({ refused: { seq: 8, problem: 'not-anchored' } });
    } finally {
      await log.drop();
    }
  });

  it('entries and anchors from before lanes (the one chain) still verify after the lanes migration, and new lanes go on from them', async () => {
    const own = await scratchDatabase();
    const before = tempDir();
    const anchorFile = path.join(files, `before-lanes-${Math.random().toString(36).slice(2)}.jsonl`);
    try {
      // The database as it was before the lanes migration, and entries as the code then wrote them.
      const target = resolveTarget(own.url);
      fs.cpSync(target.migrationsDir, before, { recursive: true });
      for (const name of fs.readdirSync(before).filter((folder) => folder.endsWith('_audit_lanes'))) fs.rmSync(path.join(before, name), { recursive: true });
      await deploy(resolveTarget(own.url, { migrationsDir: before }));
      const single = (seq: number, prevHash: string, keyed: boolean) => {
        const at = new Date(Date.UTC(2026, 11, 1, 9, seq));
        const fields = [seq, at.toISOString(), 'citizen-x', 'staff', 'staff-subject-1', 'Grace Practiceton', null, null, 'view', 'all', null, null];
        const text = `${prevHash}\n${JSON.stringify(fields)}`;
        const hash = keyed ? `hmac:${KEY.id}:${createHmac('sha256', KEY.secret).update(text).digest('hex')}` : createHash('sha256').update(text).digest('hex');
        const when = provider === 'sqlite' ? `${at.toISOString().slice(0, -1)}+00:00` : at.toISOString().replace('T', ' ').slice(0, -1);
        return {
          hash,
          sql: `INSERT INTO ${table} (seq, at, "citizenId", "actorKind", "actorId", "actorName", action, category, "prevHash", hash) VALUES (${seq}, '${when}', 'citizen-x', 'staff', 'staff-subject-1', 'Grace Practiceton', 'view', 'all', '${prevHash}', '${hash}')`,
        };
      };
      let prevHash = GENESIS_HASH;
      for (let seq = 1; seq <= 4; seq += 1) {
        const row = single(seq, prevHash, seq > 2);
        await query(own.url, row.sql);
        prevHash = row.hash;
      }
      // An anchor line as the code then wrote it: one head, seq 4.
      const at = new Date('2026-12-01T10:00:00.000Z');
      const signature = createHmac('sha256', KEY.secret)
        .update(JSON.stringify(['phr-audit-anchor', 4, prevHash, at.toISOString(), 2]))
        .digest('hex');
      fs.writeFileSync(anchorFile, `${JSON.stringify({ seq: 4, hash: prevHash, at: at.toISOString(), unkeyedUntil: 2, keyId: KEY.id, signature })}\n`);

      await deploy(target);
      const client = createDb(own.url);
      try {
        const read = await readAnchors(anchorFile, KEYS);
        const anchors = 'anchors' in read ? read.anchors : [];
        expect(anchors).toMatchObject([{ heads: [{ lane: 0, laneSeq: 4, seq: 4, hash: prevHash }] }]);
        expect(await verifyAuditChain(client, { keys: KEYS, anchors })).toMatchObject({
          ok: true,
          entries: 4,
          lastUnkeyed: 2,
          heads: [{ lane: 0, laneSeq: 4, seq: 4, hash: prevHash }],
        });
        // New entries: the database numbers them after the old ones; lane 0 goes on from its 4th.
        expect(await recordAudit(client, entry(5, { citizenId: citizenIn(0) }))).toBe(5);
        expect(await recordAudit(client, entry(6))).toBe(6);
        expect((await client.auditEntry.findUnique({ where: { seq: 5 } }))?.laneSeq).toBe(5);
        expect(await anchorAuditHead(client, { file: anchorFile, key: KEY, keys: KEYS })).toMatchObject({
          anchored: {
            heads: [
              { lane: 0, laneSeq: 5 },
              { lane: 3, laneSeq: 1 },
            ],
            unkeyedUntil: 2,
          },
        });
        const env = { DATABASE_URL: own.url, AUDIT_HMAC_KEY: KEY.secret, AUDIT_HMAC_KEY_ID: KEY.id, AUDIT_ANCHOR_FILE: anchorFile, LOG_LEVEL: 'silent' };
        // A head kept by hand before lanes (SEQ:HASH) is lane 0's.
        const ok = await runScript('scripts/audit-verify.ts', ['--head', `4:${prevHash}`], env);
        expect(ok.code).toBe(0);
        expect(ok.output).toMatch(/^OK: 6 audit entries in 2 lanes, chain intact, entries 1 to 2 from before the key, 2 anchored heads still in it/m);
        // Cut back to before the old anchor: it still counts.
        await dropTriggers(own.url);
        await query(own.url, `DELETE FROM ${table} WHERE seq >= 4`);
        const cut = await runScript('scripts/audit-verify.ts', [], env);
        expect(cut.output).toMatch(/^BROKEN: lane 0 of the chain ends at seq 3, but seq 5 in it was anchored/m);
      } finally {
        await client.$disconnect();
      }
    } finally {
      fs.rmSync(before, { recursive: true, force: true });
      await own.drop();
    }
  });
});
