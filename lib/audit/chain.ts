import { createHash } from 'node:crypto';

/**
 * The audit log's hash chain, as pure functions (no database): each entry's hash is SHA-256
 * over the previous entry's hash and a canonical serialisation of the entry's own fields,
 * so editing, deleting, inserting or reordering any entry breaks every link after it.
 */

/** The first entry's prevHash: there is nothing before it. */
export const GENESIS_HASH = '0'.repeat(64);

/** What is recorded about one access, refusal or change. */
export type AuditFields = {
  at: Date;
  citizenId: string | null;
  actorKind: 'citizen' | 'staff' | 'system';
  actorId: string;
  actorName: string | null;
  actorOrganisation: string | null;
  actorRole: string | null;
  action: string;
  category: string | null;
  reason: string | null;
  detail: string | null;
};

export type ChainedEntry = Omit<AuditFields, 'actorKind'> & { actorKind: string; seq: number; prevHash: string; hash: string };

/**
 * A fixed order, fixed types, one JSON array: the same entry always serialises to the same
 * bytes, on SQLite and PostgreSQL, whatever order the driver returns columns in.
 */
export function canonicalEntry(seq: number, fields: Omit<AuditFields, 'actorKind'> & { actorKind: string }): string {
  return JSON.stringify([
    seq,
    fields.at.toISOString(),
    fields.citizenId ?? null,
    fields.actorKind,
    fields.actorId,
    fields.actorName ?? null,
    fields.actorOrganisation ?? null,
    fields.actorRole ?? null,
    fields.action,
    fields.category ?? null,
    fields.reason ?? null,
    fields.detail ?? null,
  ]);
}

export function entryHash(seq: number, fields: Omit<AuditFields, 'actorKind'> & { actorKind: string }, prevHash: string): string {
  return createHash('sha256').update(prevHash).update('\n').update(canonicalEntry(seq, fields)).digest('hex');
}

export type BrokenLink = {
  /** The first entry that does not follow from the one before it. */
  seq: number;
  /** edited: its content no longer matches its hash; unlinked: it does not point at the entry before it (one was deleted, inserted or changed); gap: a sequence number is missing. */
  problem: 'edited' | 'unlinked' | 'gap';
};

/** Where a chain check has got to: the entry before the next one to check. */
export type ChainPosition = { seq: number; hash: string };

export const START: ChainPosition = { seq: 0, hash: GENESIS_HASH };

/**
 * Checks entries (in seq order) following `from`. Returns the first broken link, or the
 * position reached so that the next batch can carry on from it.
 */
export function checkEntries(entries: readonly ChainedEntry[], from: ChainPosition = START): { broken: BrokenLink } | { reached: ChainPosition } {
  let previous = from;
  for (const entry of entries) {
    if (entry.seq !== previous.seq + 1) return { broken: { seq: entry.seq, problem: entry.prevHash === previous.hash ? 'gap' : 'unlinked' } };
    if (entry.prevHash !== previous.hash) return { broken: { seq: entry.seq, problem: 'unlinked' } };
    if (entryHash(entry.seq, entry, entry.prevHash) !== entry.hash) return { broken: { seq: entry.seq, problem: 'edited' } };
    previous = { seq: entry.seq, hash: entry.hash };
  }
  return { reached: previous };
}
