import { createHash, createHmac } from 'node:crypto';

/**
 * The audit log's hash chain, as pure functions (no database): each entry's hash covers the
 * previous entry's hash and a canonical serialisation of the entry's own fields, so editing,
 * deleting, inserting or reordering any entry breaks every link after it.
 *
 * Keyed: the hash is an HMAC-SHA-256 with a key the database never holds (AUDIT_HMAC_KEY), so
 * someone who can write to the database cannot recompute the chain after changing an entry.
 * It is stored as `hmac:<key id>:<64 hex>`: the key id says which key made it, so a key can be
 * rotated and older entries still checked with the key they were made with.
 *
 * Unkeyed: entries written before the key was introduced have a plain SHA-256 (64 hex, no
 * prefix). They are never rewritten (an audit log is not rewritten, not even to upgrade it):
 * they are accepted only before the first keyed entry, and only up to the last unkeyed entry
 * recorded in the anchors kept outside the database (lib/audit/anchor.ts), so that a chain
 * recomputed without the key, from any point, fails.
 */

/** The first entry's prevHash: there is nothing before it. */
export const GENESIS_HASH = '0'.repeat(64);

/** What is recorded about one access, refusal or change. */
export type AuditFields = {
  at: Date;
  citizenId: string | null;
  actorKind: 'citizen' | 'staff' | 'system' | 'app';
  actorId: string;
  actorName: string | null;
  actorOrganisation: string | null;
  actorRole: string | null;
  action: string;
  category: string | null;
  reason: string | null;
  detail: string | null;
};

type EntryFields = Omit<AuditFields, 'actorKind'> & { actorKind: string };

export type ChainedEntry = EntryFields & { seq: number; prevHash: string; hash: string };

/** The key new entries are chained with; its id is recorded in every hash it makes. */
export type ChainKey = { id: string; secret: string };

/** Every key a check may meet, by id: the current one and those it replaced. */
export type ChainKeys = ReadonlyMap<string, string>;

/** A key id: short, and safe inside `hmac:<id>:<hex>` and `id=secret` lists. */
export const KEY_ID = /^[A-Za-z0-9_-]{1,32}$/;

const KEYED_HASH = /^hmac:([A-Za-z0-9_-]{1,32}):([0-9a-f]{64})$/;

/**
 * A fixed order, fixed types, one JSON array: the same entry always serialises to the same
 * bytes, on SQLite and PostgreSQL, whatever order the driver returns columns in.
 */
export function canonicalEntry(seq: number, fields: EntryFields): string {
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

/** How entries were chained before the key: plain SHA-256. Only to check those entries. */
export function unkeyedEntryHash(seq: number, fields: EntryFields, prevHash: string): string {
  return createHash('sha256').update(prevHash).update('\n').update(canonicalEntry(seq, fields)).digest('hex');
}

/** An entry's hash: HMAC-SHA-256 with the key, over the previous hash and the entry. */
export function keyedEntryHash(key: ChainKey, seq: number, fields: EntryFields, prevHash: string): string {
  const mac = createHmac('sha256', key.secret).update(prevHash).update('\n').update(canonicalEntry(seq, fields)).digest('hex');
  return `hmac:${key.id}:${mac}`;
}

/** The id of the key that made a keyed hash; null for an unkeyed one. */
export function keyIdOf(hash: string): string | null {
  return KEYED_HASH.exec(hash)?.[1] ?? null;
}

export type BrokenLink = {
  /** The first entry that does not follow from the one before it. */
  seq: number;
  /**
   * edited: its content no longer matches its hash (or the hash was made with another key);
   * unlinked: it does not point at the entry before it (one was deleted, inserted or changed);
   * gap: a sequence number is missing;
   * unkeyed: a plain SHA-256 where only a keyed hash is accepted (recomputed without the key);
   * unknown-key: its hash names a key the check was not given.
   */
  problem: 'edited' | 'unlinked' | 'gap' | 'unkeyed' | 'unknown-key';
};

/** Where a chain check has got to: the entry before the next one to check. */
export type ChainPosition = { seq: number; hash: string };

export const START: ChainPosition = { seq: 0, hash: GENESIS_HASH };

export type CheckOptions = {
  keys: ChainKeys;
  /** The last entry that may be unkeyed, as the anchors recorded; without anchors, any before the first keyed one. */
  unkeyedUntil?: number;
};

function problemWith(entry: ChainedEntry, previous: ChainPosition, options: CheckOptions): BrokenLink['problem'] | null {
  if (entry.seq !== previous.seq + 1) return entry.prevHash === previous.hash ? 'gap' : 'unlinked';
  if (entry.prevHash !== previous.hash) return 'unlinked';
  const keyed = KEYED_HASH.exec(entry.hash);
  if (!keyed) {
    if (keyIdOf(previous.hash) !== null || (options.unkeyedUntil !== undefined && entry.seq > options.unkeyedUntil)) return 'unkeyed';
    return unkeyedEntryHash(entry.seq, entry, entry.prevHash) === entry.hash ? null : 'edited';
  }
  const id = keyed[1]!;
  const secret = options.keys.get(id);
  if (secret === undefined) return 'unknown-key';
  return keyedEntryHash({ id, secret }, entry.seq, entry, entry.prevHash) === entry.hash ? null : 'edited';
}

/**
 * Checks entries (in seq order) following `from`. Returns the first broken link, or the
 * position reached so that the next batch can carry on from it.
 */
export function checkEntries(
  entries: readonly ChainedEntry[],
  options: CheckOptions,
  from: ChainPosition = START,
): { broken: BrokenLink } | { reached: ChainPosition } {
  let previous = from;
  for (const entry of entries) {
    const problem = problemWith(entry, previous, options);
    if (problem) return { broken: { seq: entry.seq, problem } };
    previous = { seq: entry.seq, hash: entry.hash };
  }
  return { reached: previous };
}
