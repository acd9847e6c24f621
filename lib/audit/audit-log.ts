import { config } from '@/lib/platform/config';
import { isPostgres, type Db, type Tx } from '@/lib/platform/db';
import { log } from '@/lib/platform/log';
import { appendAnchor, furthest, readAnchors, signAnchor, unkeyedUntil, type Anchor, type AnchorProblem } from './anchor';
import {
  checkEntries,
  GENESIS_HASH,
  keyedEntryHash,
  keyIdOf,
  START,
  type AuditFields,
  type BrokenLink,
  type ChainKey,
  type ChainKeys,
  type ChainPosition,
  type CheckOptions,
} from './chain';

/**
 * The append-only audit log (AuditEntry). Rows are only ever created here, never updated or
 * deleted (the database refuses both: see the append_only_audit migrations). Each append reads the last entry and chains to it inside the caller's transaction,
 * so what was seen and the record that it was seen are committed together or not at all.
 *
 * Concurrent appends: every entry takes the next `seq` explicitly (seq and hash are both
 * unique), so two appends that read the same last entry cannot both commit: the loser gets a
 * unique-constraint error and its whole transaction is retried from the start. On PostgreSQL
 * the transaction first takes a transaction-scoped advisory lock, so appends queue instead of
 * colliding (READ COMMITTED would otherwise let both read the same last entry). On SQLite a
 * write transaction already has the database to itself; the retry covers a second process
 * (a busy database) as well.
 */

export type { Tx };

/** Who did something, as the audit log keeps it. */
export type AuditActor = Pick<AuditFields, 'actorKind' | 'actorId' | 'actorName' | 'actorOrganisation' | 'actorRole'>;

/** A citizen acting on their own record, as the audit log names them. */
export function citizenActor(citizen: { id: string; givenName: string; familyName: string }): AuditActor {
  return { actorKind: 'citizen', actorId: citizen.id, actorName: `${citizen.givenName} ${citizen.familyName}`, actorOrganisation: null, actorRole: null };
}

export type NewAuditEntry = AuditActor & {
  citizenId: string | null;
  action: string;
  category?: string | null;
  reason?: string | null;
  detail?: Record<string, string | number | boolean> | null;
};

/** Any 64-bit number of our own: the lock only has to be the same for every append. */
const POSTGRES_AUDIT_LOCK = 8_270_331;
const ATTEMPTS = 6;

/** Appends one entry, chained to the last one with the audit key, inside the caller's transaction. */
export async function appendAuditEntry(tx: Tx, entry: NewAuditEntry, now = new Date()): Promise<number> {
  const last = await tx.auditEntry.findFirst({ orderBy: { seq: 'desc' }, select: { seq: true, hash: true } });
  const seq = (last?.seq ?? 0) + 1;
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
  const hash = keyedEntryHash(config().audit.key, seq, fields, prevHash);
  await tx.auditEntry.create({ data: { ...fields, seq, prevHash, hash } });
  return seq;
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
      return await db.$transaction(
        async (tx) => {
          if (isPostgres()) await tx.$executeRawUnsafe(`SELECT pg_advisory_xact_lock(${POSTGRES_AUDIT_LOCK})`);
          return work(tx);
        },
        { maxWait: 10_000, timeout: 20_000 },
      );
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
  /** The chain ends before `seq`, which was anchored: entries were deleted from the end. */
  | { seq: number; problem: 'cut-back'; anchoredAt: Date; lastSeq: number };

type Walked = { reached: ChainPosition; entries: number; lastUnkeyed: number };

/**
 * Walks the chain from `from` in batches (never the whole table in memory), calling `visit`
 * for each entry that follows from the one before it. The first break, or where it ended.
 */
async function walkChain(
  db: Db,
  from: ChainPosition,
  options: CheckOptions & { batchSize: number },
  visit: (entry: ChainPosition) => ChainBreak | null = () => null,
): Promise<{ broken: ChainBreak } | Walked> {
  let position = from;
  let entries = 0;
  let lastUnkeyed = 0;
  for (;;) {
    const batch = await db.auditEntry.findMany({ where: { seq: { gt: position.seq } }, orderBy: { seq: 'asc' }, take: options.batchSize });
    if (batch.length === 0) return { reached: position, entries, lastUnkeyed };
    const result = checkEntries(batch, options, position);
    const brokenAt = 'broken' in result ? result.broken.seq : Infinity;
    for (const entry of batch) {
      if (entry.seq >= brokenAt) break;
      const problem = visit(entry);
      if (problem) return { broken: problem };
      if (keyIdOf(entry.hash) === null) lastUnkeyed = entry.seq;
    }
    if ('broken' in result) return result;
    position = result.reached;
    entries += batch.length;
  }
}

/** A whole chain: how many entries, its newest one (`seq` 0 when the log is empty), the last unkeyed entry (0: none). */
export type ChainCheck = { ok: true; entries: number; head: ChainPosition; lastUnkeyed: number } | ({ ok: false } & ChainBreak);

export type VerifyOptions = {
  /** Every key entries may have been made with (default: the configured ones). */
  keys?: ChainKeys;
  /** Heads kept outside the database: each must still be in the chain, unchanged. */
  anchors?: readonly Anchor[];
  batchSize?: number;
};

/** Checks the whole chain with the key, and against the anchors; the first problem, if any. */
export async function verifyAuditChain(db: Db, options: VerifyOptions = {}): Promise<ChainCheck> {
  const { keys = config().audit.keys, anchors = [], batchSize = 1000 } = options;
  const bySeq = new Map<number, Anchor[]>();
  for (const anchor of anchors) bySeq.set(anchor.seq, [...(bySeq.get(anchor.seq) ?? []), anchor]);
  const differs = (entry: ChainPosition): ChainBreak | null => {
    const other = bySeq.get(entry.seq)?.find((anchor) => anchor.hash !== entry.hash);
    return other ? { seq: entry.seq, problem: 'not-anchored', anchoredAt: other.at } : null;
  };
  const genesis = differs(START);
  if (genesis) return { ok: false, ...genesis };
  const walked = await walkChain(db, START, { keys, unkeyedUntil: unkeyedUntil(anchors), batchSize }, differs);
  if ('broken' in walked) return { ok: false, ...walked.broken };
  const beyond = furthest(anchors);
  if (beyond && beyond.seq > walked.reached.seq) {
    return { ok: false, seq: beyond.seq, problem: 'cut-back', anchoredAt: beyond.at, lastSeq: walked.reached.seq };
  }
  return { ok: true, entries: walked.entries, head: walked.reached, lastUnkeyed: walked.lastUnkeyed };
}

export type AnchorOutcome =
  | { anchored: Anchor }
  /** Nothing new since the last anchor. */
  | { unchanged: ChainPosition }
  /** Not anchored: the anchor file cannot be read as signed heads, or the chain no longer follows from its last anchor. */
  | { refused: AnchorProblem | ChainBreak };

export type AnchorSettings = { file: string; key: ChainKey; keys: ChainKeys; batchSize?: number };

/**
 * Appends the chain's head to the anchor file, signed, after checking that the entries since
 * the last anchor follow from it (so that a broken chain is never anchored as if whole).
 * Only what is new is checked: the whole chain is `npm run audit:verify`'s job.
 */
export async function anchorAuditHead(db: Db, settings: AnchorSettings, now = new Date()): Promise<AnchorOutcome> {
  const { file, key, keys, batchSize = 1000 } = settings;
  const read = await readAnchors(file, keys);
  if ('problem' in read) return { refused: read };
  const last = furthest(read.anchors);
  if (last) {
    const entry = last.seq === 0 ? START : await db.auditEntry.findUnique({ where: { seq: last.seq }, select: { seq: true, hash: true } });
    if (!entry) return { refused: { seq: last.seq, problem: 'cut-back', anchoredAt: last.at, lastSeq: (await lastEntry(db))?.seq ?? 0 } };
    if (entry.hash !== last.hash) return { refused: { seq: last.seq, problem: 'not-anchored', anchoredAt: last.at } };
  }
  const until = unkeyedUntil(read.anchors);
  const walked = await walkChain(db, last ?? START, { keys, unkeyedUntil: until, batchSize });
  if ('broken' in walked) return { refused: walked.broken };
  if (last && walked.reached.seq === last.seq) return { unchanged: walked.reached };
  const anchor = signAnchor(key, walked.reached, now, until ?? walked.lastUnkeyed);
  await appendAnchor(file, anchor);
  return { anchored: anchor };
}

function lastEntry(db: Db) {
  return db.auditEntry.findFirst({ orderBy: { seq: 'desc' }, select: { seq: true } });
}

/**
 * A head kept by hand (`--head SEQ:HASH`, as `npm run audit:verify` prints it): like an anchor,
 * the chain must still hold it, unchanged.
 */
export function parseHead(text: string): ChainPosition | null {
  const match = /^(\d+):([0-9a-f]{64}|hmac:[A-Za-z0-9_-]{1,32}:[0-9a-f]{64})$/.exec(text.trim());
  return match ? { seq: Number(match[1]), hash: match[2]! } : null;
}

export function formatHead(head: ChainPosition): string {
  return `${head.seq}:${head.hash}`;
}

/** Whether a chain already checked whole still holds a head kept earlier. */
export async function holdsHead(db: Db, kept: ChainPosition): Promise<boolean> {
  if (kept.seq === 0) return kept.hash === GENESIS_HASH;
  const entry = await db.auditEntry.findUnique({ where: { seq: kept.seq }, select: { hash: true } });
  return entry?.hash === kept.hash;
}
