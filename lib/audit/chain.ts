import { createHash, createHmac } from 'node:crypto';

/**
 * The audit log's hash chains, as pure functions (no database): each entry's hash covers the
 * previous entry's hash and a canonical serialisation of the entry's own fields, so editing,
 * deleting, inserting or reordering any entry breaks every link after it.
 *
 * Lanes: the log is LANES chains side by side, each entry in the lane of its citizen (of its
 * actor when it names no citizen), numbered 1, 2, 3... in that lane (laneSeq). Appends in
 * different lanes do not wait for each other (lib/audit/audit-log.ts); a citizen's entries are
 * all in one lane, in order. Entries written when there was one chain are lane 0, at the place
 * they had (laneSeq = seq), and lane 0 is hashed exactly as that chain was.
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

/** The first entry's prevHash in every lane: there is nothing before it. */
export const GENESIS_HASH = '0'.repeat(64);

/**
 * How many lanes new entries are spread over. Kept as it is: a check reads each entry's lane
 * from the entry, so a different count would not break old entries, but a citizen's entries
 * would no longer all be in one lane.
 */
export const LANES = 16;

/** The lane a new entry goes in: a stable hash of its citizen, or of its actor when there is none. */
export function laneOf(entry: { citizenId: string | null; actorId: string }): number {
  return (
    createHash('sha256')
      .update(entry.citizenId ?? entry.actorId)
      .digest()
      .readUInt32BE(0) % LANES
  );
}

/** An entry's place: its lane, and its number in that lane. */
export type LanePlace = { lane: number; laneSeq: number };

/** What is recorded about one access, refusal or change. */
export type AuditFields = {
  at: Date;
  citizenId: string | null;
  actorKind: 'citizen' | 'staff' | 'system' | 'app' | 'proxy';
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

export type ChainedEntry = EntryFields & LanePlace & { seq: number; prevHash: string; hash: string };

/** The key new entries are chained with; its id is recorded in every hash it makes. */
export type ChainKey = { id: string; secret: string };

/** Every key a check may meet, by id: the current one and those it replaced. */
export type ChainKeys = ReadonlyMap<string, string>;

/** A key id: short, and safe inside `hmac:<id>:<hex>` and `id=secret` lists. */
export const KEY_ID = /^[A-Za-z0-9_-]{1,32}$/;

const KEYED_HASH = /^hmac:([A-Za-z0-9_-]{1,32}):([0-9a-f]{64})$/;

/**
 * A fixed order, fixed types, one JSON array: the same entry always serialises to the same
 * bytes, on SQLite and PostgreSQL, whatever order the driver returns columns in. The place
 * comes first: in lane 0 its number alone, as the one chain had its seq there (so those entries
 * still verify); in any other lane [lane, laneSeq], so an entry cannot be moved to another lane.
 */
export function canonicalEntry(place: LanePlace, fields: EntryFields): string {
  return JSON.stringify([
    place.lane === 0 ? place.laneSeq : [place.lane, place.laneSeq],
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
export function unkeyedEntryHash(place: LanePlace, fields: EntryFields, prevHash: string): string {
  return createHash('sha256').update(prevHash).update('\n').update(canonicalEntry(place, fields)).digest('hex');
}

/** An entry's hash: HMAC-SHA-256 with the key, over the previous hash and the entry. */
export function keyedEntryHash(key: ChainKey, place: LanePlace, fields: EntryFields, prevHash: string): string {
  const mac = createHmac('sha256', key.secret).update(prevHash).update('\n').update(canonicalEntry(place, fields)).digest('hex');
  return `hmac:${key.id}:${mac}`;
}

/** The id of the key that made a keyed hash; null for an unkeyed one. */
export function keyIdOf(hash: string): string | null {
  return KEYED_HASH.exec(hash)?.[1] ?? null;
}

export type BrokenLink = {
  /** The first entry (in its lane) that does not follow from the one before it. */
  seq: number;
  /**
   * edited: its content no longer matches its hash (or the hash was made with another key);
   * unlinked: it does not point at the entry before it in its lane (one was deleted, inserted,
   * changed or moved);
   * gap: a number in its lane is missing;
   * unkeyed: a plain SHA-256 where only a keyed hash is accepted (recomputed without the key);
   * unknown-key: its hash names a key the check was not given.
   */
  problem: 'edited' | 'unlinked' | 'gap' | 'unkeyed' | 'unknown-key';
};

/** Where a lane has got to: its newest entry, by place, seq and hash. */
export type LaneHead = LanePlace & { seq: number; hash: string };

/** A lane before its first entry. */
export function laneStart(lane: number): LaneHead {
  return { lane, laneSeq: 0, seq: 0, hash: GENESIS_HASH };
}

/** Where a check has got to in each lane it has met (a lane not in it has not begun). */
export type ChainHeads = ReadonlyMap<number, LaneHead>;

export type CheckOptions = {
  keys: ChainKeys;
  /**
   * The last entry of lane 0 that may be unkeyed, as the anchors recorded; without anchors, any
   * before its first keyed one. Other lanes began after the key, so they are keyed throughout.
   */
  unkeyedUntil?: number;
};

function problemWith(entry: ChainedEntry, previous: LaneHead, options: CheckOptions): BrokenLink['problem'] | null {
  if (entry.laneSeq !== previous.laneSeq + 1) return entry.prevHash === previous.hash ? 'gap' : 'unlinked';
  // An entry is given its seq after the one before it in its lane was written: a smaller one was moved.
  if (entry.prevHash !== previous.hash || entry.seq <= previous.seq) return 'unlinked';
  const keyed = KEYED_HASH.exec(entry.hash);
  if (!keyed) {
    if (entry.lane !== 0 || keyIdOf(previous.hash) !== null || (options.unkeyedUntil !== undefined && entry.laneSeq > options.unkeyedUntil)) {
      return 'unkeyed';
    }
    return unkeyedEntryHash(entry, entry, entry.prevHash) === entry.hash ? null : 'edited';
  }
  const id = keyed[1]!;
  const secret = options.keys.get(id);
  if (secret === undefined) return 'unknown-key';
  return keyedEntryHash({ id, secret }, entry, entry, entry.prevHash) === entry.hash ? null : 'edited';
}

/**
 * Checks entries (in seq order, or one lane's in laneSeq order), each against the one before it
 * in its lane, following `from`. Returns the first broken link, or where each lane got to, so
 * that the next batch can carry on from there.
 */
export function checkEntries(
  entries: readonly ChainedEntry[],
  options: CheckOptions,
  from: ChainHeads = new Map(),
): { broken: BrokenLink } | { reached: Map<number, LaneHead> } {
  const heads = new Map(from);
  for (const entry of entries) {
    const problem = problemWith(entry, heads.get(entry.lane) ?? laneStart(entry.lane), options);
    if (problem) return { broken: { seq: entry.seq, problem } };
    heads.set(entry.lane, { lane: entry.lane, laneSeq: entry.laneSeq, seq: entry.seq, hash: entry.hash });
  }
  return { reached: heads };
}
