import { config } from '@/lib/platform/config';
import { isPostgres, type Db, type Tx } from '@/lib/platform/db';
import { log } from '@/lib/platform/log';
import { anchoredSeq, appendAnchor, furthestHeads, readAnchors, signAnchor, unkeyedUntil, type Anchor, type AnchorProblem } from './anchor';
import {
  checkEntries,
  GENESIS_HASH,
  keyedEntryHash,
  keyIdOf,
  laneOf,
  laneStart,
  type AuditFields,
  type BrokenLink,
  type ChainKey,
  type ChainKeys,
  type CheckOptions,
  type LaneHead,
} from './chain';

/**
 * The append-only audit log (AuditEntry). Rows are only ever created here, never updated or
 * deleted (the database refuses both: see the append_only_audit migrations). Each append reads
 * the last entry of its lane (lib/audit/chain.ts) and chains to it inside the caller's
 * transaction, so what was seen and the record that it was seen are committed together or not
 * at all. The database numbers entries in the order they are written (seq), across lanes.
 *
 * Concurrent appends to one lane: (lane, laneSeq) is unique, so two appends that read the same
 * last entry cannot both commit: the loser gets a unique-constraint error and its whole
 * transaction is retried from the start. On PostgreSQL an append first takes a lock of its
 * lane's own, so appends to a lane queue instead of colliding (READ COMMITTED would otherwise let
 * both read the same last entry). The lock is taken when appending, not when the transaction
 * starts, and held until it commits: appends come last in a transaction, so work in different
 * lanes, and everything before an append, runs side by side. On SQLite a write transaction
 * already has the database to itself; the retry covers a second process (a busy database) too.
 */

export type { Tx };

/** Who did something, as the audit log keeps it. */
export type AuditActor = Pick<AuditFields, 'actorKind' | 'actorId' | 'actorName' | 'actorOrganisation' | 'actorRole'>;

/** A citizen acting on their own record, as the audit log names them. */
export function citizenActor(citizen: { id: string; givenName: string; familyName: string }): AuditActor {
  return { actorKind: 'citizen', actorId: citizen.id, actorName: `${citizen.givenName} ${citizen.familyName}`, actorOrganisation: null, actorRole: null };
}

/** A member of staff, as the audit log names them: their name, organisation (with its code) and job. */
export function staffActor(staff: {
  subject: string;
  givenName: string;
  familyName: string;
  organisationName: string;
  organisationCode: string;
  jobRole: string;
}): AuditActor {
  return {
    actorKind: 'staff',
    actorId: staff.subject,
    actorName: `${staff.givenName} ${staff.familyName}`,
    actorOrganisation: `${staff.organisationName} (${staff.organisationCode})`,
    actorRole: staff.jobRole || null,
  };
}

export type NewAuditEntry = AuditActor & {
  citizenId: string | null;
  action: string;
  category?: string | null;
  reason?: string | null;
  detail?: Record<string, string | number | boolean> | null;
};

/** Any 32-bit number of our own, with the lane as the lock's second number: one lock per lane. */
const POSTGRES_AUDIT_LOCK = 8_270_331;
const ATTEMPTS = 6;

/**
 * Appends one entry, chained to the last one in its lane with the audit key, inside the
 * caller's transaction. Returns its seq.
 */
export async function appendAuditEntry(tx: Tx, entry: NewAuditEntry, now = new Date()): Promise<number> {
  const lane = laneOf(entry);
  if (isPostgres()) await tx.$executeRawUnsafe(`SELECT pg_advisory_xact_lock(${POSTGRES_AUDIT_LOCK}, ${lane})`);
  const last = await tx.auditEntry.findFirst({ where: { lane }, orderBy: { laneSeq: 'desc' }, select: { laneSeq: true, hash: true } });
  const laneSeq = (last?.laneSeq ?? 0) + 1;
  const prevHash = last?.hash ?? GENESIS_HASH;
  const fields: AuditFields = {
    at: now,
    citizenId: entry.citizenId,
    actorKind: entry.actorKind,
    actorId: entry.actorId,
    actorName: entry.actorName,
    actorOrganisation: entry.actorOrganisation,
    actorRole: entry.actorRole,
    action: entry.action,
    category: entry.category ?? null,
    reason: entry.reason ?? null,
    detail: entry.detail ? JSON.stringify(entry.detail) : null,
  };
  const hash = keyedEntryHash(config().audit.key, { lane, laneSeq }, fields, prevHash);
  const created = await tx.auditEntry.create({ data: { ...fields, lane, laneSeq, prevHash, hash }, select: { seq: true } });
  return created.seq;
}

function isRetryable(error: unknown): boolean {
  const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
  // P1008: SQLite's wait for another writer ran out ("Operation has timed out").
  if (code === 'P2002' || code === 'P2034' || code === 'P1008') return true;
  const text = typeof message === 'string' ? message : '';
  return /SQLITE_BUSY|database is locked|Unique constraint|could not serialize|deadlock|timed out/i.test(text);
}

/**
 * Runs `work` in one transaction in which audit entries can be appended: everything commits
 * together, or nothing does (and the caller gets the error, never the data).
 */
export async function auditedTransaction<T>(db: Db, work: (tx: Tx) => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await db.$transaction(work, { maxWait: 10_000, timeout: 20_000 });
    } catch (error) {
      if (attempt >= ATTEMPTS || !isRetryable(error)) throw error;
      log.info('audit-append-retried', { attempt });
      await new Promise((resolve) => setTimeout(resolve, 5 + Math.random() * 20 * attempt));
    }
  }
}

/** One entry on its own (a refusal, a consent change with nothing else to write). */
export function recordAudit(db: Db, entry: NewAuditEntry): Promise<number> {
  return auditedTransaction(db, (tx) => appendAuditEntry(tx, entry));
}

/** Why a chain is not what it should be: a broken link, or not what an anchor kept. */
export type ChainBreak =
  | BrokenLink
  /** The entry at `seq` is not the one anchored then: the log was rewritten up to there. */
  | { seq: number; problem: 'not-anchored'; anchoredAt: Date }
  /** The lane ends at `lastSeq` (0: it is gone), before `seq`, which was anchored: entries were deleted from its end. */
  | { seq: number; problem: 'cut-back'; anchoredAt: Date; lane: number; lastSeq: number };

type Walked = { reached: LaneHead; entries: number; lastUnkeyed: number };

/**
 * Walks one lane from `from` in batches, in laneSeq order (never the whole table in memory),
 * calling `visit` for each entry that follows from the one before it. The first break, or where
 * it ended. Lane by lane rather than in seq order: an append in another lane may commit after
 * a later seq was read, but never one in the same lane (its lock, or SQLite's one writer).
 */
async function walkLane(
  db: Db,
  from: LaneHead,
  options: CheckOptions & { batchSize: number },
  visit: (entry: LaneHead) => ChainBreak | null = () => null,
): Promise<{ broken: ChainBreak } | Walked> {
  let position = from;
  let entries = 0;
  let lastUnkeyed = 0;
  for (;;) {
    const batch = await db.auditEntry.findMany({
      where: { lane: from.lane, laneSeq: { gt: position.laneSeq } },
      orderBy: { laneSeq: 'asc' },
      take: options.batchSize,
    });
    if (batch.length === 0) return { reached: position, entries, lastUnkeyed };
    const result = checkEntries(batch, options, new Map([[from.lane, position]]));
    const brokenAt = 'broken' in result ? result.broken.seq : null;
    for (const entry of batch) {
      if (entry.seq === brokenAt) break;
      const problem = visit(entry);
      if (problem) return { broken: problem };
      if (keyIdOf(entry.hash) === null) lastUnkeyed = entry.laneSeq;
    }
    if ('broken' in result) return result;
    position = result.reached.get(from.lane)!;
    entries += batch.length;
  }
}

/** Every lane with an entry, and every lane an anchor holds (so that a lane deleted whole is missed). */
async function lanesToCheck(db: Db, anchored: Iterable<number>): Promise<number[]> {
  const rows = await db.auditEntry.groupBy({ by: ['lane'], orderBy: { lane: 'asc' } });
  return [...new Set([...rows.map((row) => row.lane), ...anchored])].sort((a, b) => a - b);
}

/** The first of several breaks, by seq: the same answer however the lanes were walked. */
function first(breaks: ChainBreak[]): ChainBreak | undefined {
  return breaks.reduce<ChainBreak | undefined>((earliest, next) => (!earliest || next.seq < earliest.seq ? next : earliest), undefined);
}

/** A whole chain: how many entries, each lane's newest one, the last unkeyed entry of lane 0 (0: none). */
export type ChainCheck = { ok: true; entries: number; heads: LaneHead[]; lastUnkeyed: number } | ({ ok: false } & ChainBreak);

export type VerifyOptions = {
  /** Every key entries may have been made with (default: the configured ones). */
  keys?: ChainKeys;
  /** Heads kept outside the database: each must still be in the chain, unchanged. */
  anchors?: readonly Anchor[];
  batchSize?: number;
};

/** Checks every lane with the key, and against the anchors; the first problem, if any. */
export async function verifyAuditChain(db: Db, options: VerifyOptions = {}): Promise<ChainCheck> {
  const { keys = config().audit.keys, anchors = [], batchSize = 1000 } = options;
  const byPlace = new Map<string, { head: LaneHead; at: Date }[]>();
  for (const anchor of anchors) {
    for (const head of anchor.heads) {
      const place = `${head.lane}:${head.laneSeq}`;
      byPlace.set(place, [...(byPlace.get(place) ?? []), { head, at: anchor.at }]);
    }
  }
  const differs = (entry: LaneHead): ChainBreak | null => {
    const other = byPlace.get(`${entry.lane}:${entry.laneSeq}`)?.find(({ head }) => head.hash !== entry.hash || head.seq !== entry.seq);
    return other ? { seq: entry.seq, problem: 'not-anchored', anchoredAt: other.at } : null;
  };
  const furthest = furthestHeads(anchors);
  const check = { keys, unkeyedUntil: unkeyedUntil(anchors), batchSize };
  const breaks: ChainBreak[] = [];
  const heads: LaneHead[] = [];
  let entries = 0;
  let lastUnkeyed = 0;
  for (const lane of await lanesToCheck(db, furthest.keys())) {
    const genesis = differs(laneStart(lane));
    if (genesis) {
      breaks.push(genesis);
      continue;
    }
    const walked = await walkLane(db, laneStart(lane), check, differs);
    if ('broken' in walked) {
      breaks.push(walked.broken);
      continue;
    }
    const anchored = furthest.get(lane);
    if (anchored && anchored.laneSeq > walked.reached.laneSeq) {
      breaks.push({ seq: anchored.seq, problem: 'cut-back', anchoredAt: anchored.at, lane, lastSeq: walked.reached.seq });
      continue;
    }
    entries += walked.entries;
    if (walked.entries > 0) heads.push(walked.reached);
    if (lane === 0) lastUnkeyed = walked.lastUnkeyed;
  }
  const broken = first(breaks);
  if (broken) return { ok: false, ...broken };
  return { ok: true, entries, heads, lastUnkeyed };
}

export type AnchorOutcome =
  | { anchored: Anchor }
  /** Nothing new since the last anchor: each lane's head. */
  | { unchanged: LaneHead[] }
  /** Not anchored: the anchor file cannot be read as signed heads, or the chain no longer follows from its last anchor. */
  | { refused: AnchorProblem | ChainBreak };

export type AnchorSettings = { file: string; key: ChainKey; keys: ChainKeys; batchSize?: number };

/**
 * Appends every lane's head to the anchor file, signed, after checking that the entries since
 * each lane's last anchored head follow from it (so that a broken chain is never anchored as if
 * whole). Only what is new is checked: the whole chain is `npm run audit:verify`'s job.
 */
export async function anchorAuditHead(db: Db, settings: AnchorSettings, now = new Date()): Promise<AnchorOutcome> {
  const { file, key, keys, batchSize = 1000 } = settings;
  const read = await readAnchors(file, keys);
  if ('problem' in read) return { refused: read };
  const furthest = furthestHeads(read.anchors);
  const until = unkeyedUntil(read.anchors);
  const breaks: ChainBreak[] = [];
  const heads: LaneHead[] = [];
  let moved = false;
  let lastUnkeyed = 0;
  for (const lane of await lanesToCheck(db, furthest.keys())) {
    const anchored = furthest.get(lane);
    let from = laneStart(lane);
    if (anchored) {
      const entry =
        anchored.laneSeq === 0
          ? laneStart(lane)
          : await db.auditEntry.findUnique({
              where: { lane_laneSeq: { lane, laneSeq: anchored.laneSeq } },
              select: { lane: true, laneSeq: true, seq: true, hash: true },
            });
      if (!entry) {
        const last = await db.auditEntry.findFirst({ where: { lane }, orderBy: { laneSeq: 'desc' }, select: { seq: true } });
        breaks.push({ seq: anchored.seq, problem: 'cut-back', anchoredAt: anchored.at, lane, lastSeq: last?.seq ?? 0 });
        continue;
      }
      if (entry.hash !== anchored.hash || entry.seq !== anchored.seq) {
        breaks.push({ seq: anchored.seq, problem: 'not-anchored', anchoredAt: anchored.at });
        continue;
      }
      from = entry;
    }
    const walked = await walkLane(db, from, { keys, unkeyedUntil: until, batchSize });
    if ('broken' in walked) {
      breaks.push(walked.broken);
      continue;
    }
    if (walked.entries > 0) moved = true;
    if (walked.reached.laneSeq > 0) heads.push(walked.reached);
    if (lane === 0 && walked.lastUnkeyed > 0) lastUnkeyed = walked.lastUnkeyed;
  }
  const broken = first(breaks);
  if (broken) return { refused: broken };
  if (read.anchors.length > 0 && !moved) return { unchanged: heads };
  const anchor = signAnchor(key, heads, now, until ?? lastUnkeyed);
  await appendAnchor(file, anchor);
  return { anchored: anchor };
}

/**
 * Heads kept by hand (`--head`, as `npm run audit:verify` prints them): like an anchor, the
 * chain must still hold each, unchanged. LANE:LANESEQ:HASH, comma-separated; a head printed
 * before lanes, SEQ:HASH, is lane 0's.
 */
export function parseHeads(text: string): LanePlaceHash[] | null {
  const heads: LanePlaceHash[] = [];
  for (const part of text.trim().split(',')) {
    const match = /^(?:(\d+):)?(\d+):([0-9a-f]{64}|hmac:[A-Za-z0-9_-]{1,32}:[0-9a-f]{64})$/.exec(part);
    if (!match) return null;
    heads.push({ lane: Number(match[1] ?? 0), laneSeq: Number(match[2]), hash: match[3]! });
  }
  return heads;
}

/** A lane's head as kept by hand: no seq, which the place and hash pin down. */
export type LanePlaceHash = Omit<LaneHead, 'seq'>;

export function formatHeads(heads: readonly LanePlaceHash[]): string {
  return heads.map((head) => `${head.lane}:${head.laneSeq}:${head.hash}`).join(',');
}

/** The first head kept earlier that a chain already checked whole no longer holds, if any. */
export async function headNotHeld(db: Db, kept: readonly LanePlaceHash[]): Promise<LanePlaceHash | undefined> {
  for (const head of kept) {
    const hash =
      head.laneSeq === 0
        ? GENESIS_HASH
        : (await db.auditEntry.findUnique({ where: { lane_laneSeq: { lane: head.lane, laneSeq: head.laneSeq } }, select: { hash: true } }))?.hash;
    if (hash !== head.hash) return head;
  }
  return undefined;
}
