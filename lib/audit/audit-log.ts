import { isPostgres, type Db, type Tx } from '@/lib/platform/db';
import { log } from '@/lib/platform/log';
import { checkEntries, entryHash, GENESIS_HASH, START, type AuditFields, type BrokenLink, type ChainPosition } from './chain';

/**
 * The append-only audit log (AuditEntry). Rows are only ever created here, never updated or
 * deleted. Each append reads the last entry and chains to it inside the caller's transaction,
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

/** Appends one entry, chained to the last one, inside the caller's transaction. */
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
  await tx.auditEntry.create({ data: { ...fields, seq, prevHash, hash: entryHash(seq, fields, prevHash) } });
  return seq;
}

function isRetryable(error: unknown): boolean {
  const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
  if (code === 'P2002' || code === 'P2034') return true;
  const text = typeof message === 'string' ? message : '';
  return /SQLITE_BUSY|database is locked|Unique constraint|could not serialize|deadlock/i.test(text);
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

/** A whole chain: how many entries, and its newest one (`seq` 0 when the log is empty). */
export type ChainCheck = { ok: true; entries: number; head: ChainPosition } | ({ ok: false } & BrokenLink);

/** Checks the whole chain in batches (never the whole table in memory); the first broken link, if any. */
export async function verifyAuditChain(db: Db, batchSize = 1000): Promise<ChainCheck> {
  let position: ChainPosition = START;
  let count = 0;
  for (;;) {
    const batch = await db.auditEntry.findMany({ where: { seq: { gt: position.seq } }, orderBy: { seq: 'asc' }, take: batchSize });
    if (batch.length === 0) return { ok: true, entries: count, head: position };
    const result = checkEntries(batch, position);
    if ('broken' in result) return { ok: false, ...result.broken };
    position = result.reached;
    count += batch.length;
  }
}

/**
 * A chain cannot show on its own that its newest entries were deleted. So the newest entry's
 * seq and hash (the head, printed by `npm run audit:verify`) are kept somewhere else; later, a
 * chain that is whole must still hold that entry, unchanged. `seq:hash` is how it is written.
 */
export function parseHead(text: string): ChainPosition | null {
  const match = /^(\d+):([0-9a-f]{64})$/.exec(text.trim());
  return match ? { seq: Number(match[1]), hash: match[2]! } : null;
}

export function formatHead(head: ChainPosition): string {
  return `${head.seq}:${head.hash}`;
}

/** Whether a chain already checked whole still holds a head kept earlier. */
export async function holdsHead(db: Db, kept: ChainPosition): Promise<boolean> {
  if (kept.seq === 0) return true;
  const entry = await db.auditEntry.findUnique({ where: { seq: kept.seq }, select: { hash: true } });
  return entry?.hash === kept.hash;
}
