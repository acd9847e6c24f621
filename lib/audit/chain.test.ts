import { describe, expect, it } from 'vitest';
import {
  canonicalEntry,
  checkEntries,
  GENESIS_HASH,
  keyedEntryHash,
  keyIdOf,
  laneOf,
  LANES,
  unkeyedEntryHash,
  type AuditFields,
  type ChainedEntry,
  type ChainKey,
  type LanePlace,
} from './chain';

const KEY: ChainKey = { id: 'k1', secret: 'a-test-audit-key-of-at-least-32-characters' };
const KEYS = new Map([[KEY.id, KEY.secret]]);
const options = { keys: KEYS };

function fields(index: number): AuditFields {
  return {
    at: new Date(Date.UTC(2026, 11, 1, 9, 0, index)),
    citizenId: `citizen-${index % 2}`,
    actorKind: 'staff',
    actorId: 'staff-1',
    actorName: 'Grace Practiceton',
    actorOrganisation: 'Demo Lane Surgery (ZZ0001)',
    actorRole: 'General Practitioner',
    action: 'view',
    category: 'top-three',
    reason: null,
    detail: null,
  };
}

/**
 * One lane's entries (lane 0 unless told): `unkeyed` made as before the key (plain SHA-256),
 * then `keyed` ones, each with the key given for it. Their seq is their laneSeq, as when lane 0
 * was the one chain.
 */
function chain(keyed: number, unkeyed = 0, keyFor: (seq: number) => ChainKey = () => KEY, lane = 0): ChainedEntry[] {
  const entries: ChainedEntry[] = [];
  let prevHash = GENESIS_HASH;
  for (let seq = 1; seq <= unkeyed + keyed; seq += 1) {
    const entry = fields(seq);
    const place = { lane, laneSeq: seq };
    const hash = seq <= unkeyed ? unkeyedEntryHash(place, entry, prevHash) : keyedEntryHash(keyFor(seq), place, entry, prevHash);
    entries.push({ ...entry, ...place, seq, prevHash, hash });
    prevHash = hash;
  }
  return entries;
}

/** Lanes side by side, in seq order, as the table holds them: entry n goes in lanes[n % lanes.length]. */
function lanes(count: number, laneNumbers: number[]): ChainedEntry[] {
  const last = new Map<number, ChainedEntry>();
  const entries: ChainedEntry[] = [];
  for (let seq = 1; seq <= count; seq += 1) {
    const lane = laneNumbers[seq % laneNumbers.length]!;
    const before = last.get(lane);
    const place = { lane, laneSeq: (before?.laneSeq ?? 0) + 1 };
    const prevHash = before?.hash ?? GENESIS_HASH;
    const entry = { ...fields(seq), ...place, seq, prevHash, hash: keyedEntryHash(KEY, place, fields(seq), prevHash) };
    entries.push(entry);
    last.set(lane, entry);
  }
  return entries;
}

type Rehash = (place: LanePlace, entry: ChainedEntry, prevHash: string) => string;

/**
 * What someone with the database but not the key can do: change the entry at `seq` and
 * recompute every later hash in its lane.
 */
function rewrite(entries: ChainedEntry[], seq: number, change: Partial<AuditFields>, hash: Rehash) {
  const rewritten = entries.map((entry) => ({ ...entry }));
  const lane = rewritten.find((entry) => entry.seq === seq)!.lane;
  let prevHash: string | undefined;
  for (const [index, entry] of rewritten.entries()) {
    if (entry.lane !== lane || entry.seq < seq) continue;
    const changed = entry.seq === seq ? { ...entry, ...change } : entry;
    changed.prevHash = prevHash ?? entry.prevHash;
    changed.hash = hash(changed, changed, changed.prevHash);
    prevHash = changed.hash;
    rewritten[index] = changed;
  }
  return rewritten;
}

const place = (laneSeq: number, lane = 0): LanePlace => ({ lane, laneSeq });
const reached = (entries: ChainedEntry[]) => {
  const last = entries[entries.length - 1]!;
  return { reached: new Map([[last.lane, { lane: last.lane, laneSeq: last.laneSeq, seq: last.seq, hash: last.hash }]]) };
};

describe('the audit hash chain', () => {
  it('serialises an entry the same way every time, with every field in a fixed place', () => {
    const entry = fields(1);
    expect(canonicalEntry(place(1), entry)).toBe(canonicalEntry(place(1), { ...entry }));
    expect(canonicalEntry(place(1), entry)).not.toBe(canonicalEntry(place(2), entry));
    // A value moved to a neighbouring field is a different entry.
    expect(canonicalEntry(place(1), { ...entry, reason: 'x', detail: null })).not.toBe(canonicalEntry(place(1), { ...entry, reason: null, detail: 'x' }));
  });

  it('serialises lane 0 exactly as the one chain did (seq first), and other lanes with their lane', () => {
    const entry = fields(4);
    const before = JSON.parse(canonicalEntry(place(4), entry)) as unknown[];
    expect(before[0]).toBe(4);
    expect(before.slice(1)).toEqual([
      entry.at.toISOString(),
      'citizen-0',
      'staff',
      'staff-1',
      'Grace Practiceton',
      'Demo Lane Surgery (ZZ0001)',
      'General Practitioner',
      'view',
      'top-three',
      null,
      null,
    ]);
    expect(JSON.parse(canonicalEntry(place(4, 3), entry))).toEqual([[3, 4], ...before.slice(1)]);
    // The same entry, at the same number in another lane, hashes differently.
    expect(keyedEntryHash(KEY, place(4, 3), entry, GENESIS_HASH)).not.toBe(keyedEntryHash(KEY, place(4, 5), entry, GENESIS_HASH));
    expect(keyedEntryHash(KEY, place(4, 3), entry, GENESIS_HASH)).not.toBe(keyedEntryHash(KEY, place(4), entry, GENESIS_HASH));
  });

  it('puts each citizen in one lane of the 16, and an entry without a citizen in its actor’s', () => {
    const citizen = { citizenId: 'citizen-a', actorId: 'staff-1' };
    expect(laneOf(citizen)).toBe(laneOf({ ...citizen, actorId: 'staff-2' }));
    expect(laneOf({ citizenId: null, actorId: 'citizen-a' })).toBe(laneOf(citizen));
    const used = new Set(Array.from({ length: 200 }, (_, index) => laneOf({ citizenId: `citizen-${index}`, actorId: 'staff-1' })));
    expect(LANES).toBe(16);
    expect(used.size).toBe(LANES);
    expect([...used].every((lane) => Number.isInteger(lane) && lane >= 0 && lane < LANES)).toBe(true);
  });

  it('hashes with the key, and records which key', () => {
    const hash = keyedEntryHash(KEY, place(1), fields(1), GENESIS_HASH);
    expect(hash).toMatch(/^hmac:k1:[0-9a-f]{64}$/);
    expect(keyIdOf(hash)).toBe('k1');
    expect(keyedEntryHash({ ...KEY, secret: 'another-key-of-at-least-32-characters!!' }, place(1), fields(1), GENESIS_HASH)).not.toBe(hash);
    expect(hash.slice('hmac:k1:'.length)).not.toBe(unkeyedEntryHash(place(1), fields(1), GENESIS_HASH));
    expect(keyIdOf(unkeyedEntryHash(place(1), fields(1), GENESIS_HASH))).toBeNull();
  });

  it('accepts an intact chain and an empty one', () => {
    expect(checkEntries(chain(5), options)).toEqual(reached(chain(5)));
    expect(checkEntries([], options)).toEqual({ reached: new Map() });
  });

  it('carries on from where an earlier batch stopped', () => {
    const entries = chain(6);
    const first = checkEntries(entries.slice(0, 3), options);
    expect('reached' in first).toBe(true);
    if ('reached' in first) expect(checkEntries(entries.slice(3), options, first.reached)).toEqual(reached(entries));
  });

  it('checks lanes side by side, each entry against the one before it in its lane', () => {
    const entries = lanes(12, [2, 0, 7]);
    const result = checkEntries(entries, options);
    expect('reached' in result && [...result.reached.values()].map(({ lane, laneSeq }) => [lane, laneSeq])).toEqual([
      [0, 4],
      [7, 4],
      [2, 4],
    ]);
    // Batches that end in the middle of every lane carry on all the same.
    const first = checkEntries(entries.slice(0, 5), options);
    if ('reached' in first) expect(checkEntries(entries.slice(5), options, first.reached)).toEqual(result);
  });

  it('refuses one lane rewritten from the middle with a wrong key, however whole the others are', () => {
    const wrong = { id: 'k1', secret: 'a-guessed-key-that-is-also-32-characters' };
    const entries = lanes(12, [2, 0, 7]);
    const rewritten = rewrite(entries, 5, { reason: 'nothing to see' }, (at, entry, prevHash) => keyedEntryHash(wrong, at, entry, prevHash));
    expect(rewritten.filter((entry) => entry.lane !== rewritten[4]!.lane)).toEqual(entries.filter((entry) => entry.lane !== entries[4]!.lane));
    expect(checkEntries(rewritten, options)).toEqual({ broken: { seq: 5, problem: 'edited' } });
    // Nor can the attacker make it plain SHA-256: entries in lanes after the key are keyed throughout.
    const plain = rewrite(entries, 5, { reason: 'nothing to see' }, unkeyedEntryHash);
    expect(checkEntries(plain, options)).toEqual({ broken: { seq: 5, problem: 'unkeyed' } });
  });

  it('refuses an entry moved to another lane, or given a seq before the entry before it', () => {
    const entries = lanes(6, [1, 2]);
    // Entry 6 (lane 1's 3rd) made to look like lane 2's 4th: its hash covered its lane.
    const moved = entries.map((entry) => (entry.seq === 6 ? { ...entry, lane: 2, laneSeq: 4, prevHash: entries[4]!.hash } : entry));
    expect(checkEntries(moved, options)).toEqual({ broken: { seq: 6, problem: 'edited' } });
    // The seq of lane 2's entries 3 and 5 swapped: the lane's order no longer follows seq.
    const renumbered = entries.map((entry) => (entry.seq === 3 ? { ...entry, seq: 5 } : entry.seq === 5 ? { ...entry, seq: 3 } : entry));
    expect(checkEntries(renumbered, options)).toEqual({ broken: { seq: 3, problem: 'unlinked' } });
  });

  it('reports an edited entry as the first broken link', () => {
    const entries = chain(5);
    entries[2] = { ...entries[2]!, reason: 'changed afterwards' };
    expect(checkEntries(entries, options)).toEqual({ broken: { seq: 3, problem: 'edited' } });
  });

  it('reports an edited entry whose hash was recomputed at the entry after it', () => {
    const entries = chain(5);
    const edited = { ...entries[1]!, action: 'export' };
    entries[1] = { ...edited, hash: keyedEntryHash(KEY, edited, edited, edited.prevHash) };
    expect(checkEntries(entries, options)).toEqual({ broken: { seq: 3, problem: 'unlinked' } });
  });

  it('refuses a chain rewritten from the middle with plain SHA-256, as before the key', () => {
    const rewritten = rewrite(chain(6), 3, { reason: 'nothing to see' }, unkeyedEntryHash);
    expect(checkEntries(rewritten, options)).toEqual({ broken: { seq: 3, problem: 'unkeyed' } });
  });

  it('refuses a chain rewritten from the middle with a wrong key, under the right key id', () => {
    const wrong = { id: 'k1', secret: 'a-guessed-key-that-is-also-32-characters' };
    const rewritten = rewrite(chain(6), 3, { reason: 'nothing to see' }, (at, entry, prevHash) => keyedEntryHash(wrong, at, entry, prevHash));
    expect(checkEntries(rewritten, options)).toEqual({ broken: { seq: 3, problem: 'edited' } });
  });

  it('refuses an entry whose hash names a key it was not given', () => {
    const other = { id: 'made-up', secret: 'a-guessed-key-that-is-also-32-characters' };
    const rewritten = rewrite(chain(4), 2, { reason: 'x' }, (at, entry, prevHash) => keyedEntryHash(other, at, entry, prevHash));
    expect(checkEntries(rewritten, options)).toEqual({ broken: { seq: 2, problem: 'unknown-key' } });
  });

  it('accepts entries chained before the key, up to the first keyed one', () => {
    const entries = chain(3, 2);
    expect(keyIdOf(entries[1]!.hash)).toBeNull();
    expect(keyIdOf(entries[2]!.hash)).toBe('k1');
    expect(checkEntries(entries, options)).toEqual(reached(entries));
    expect(checkEntries(entries, { ...options, unkeyedUntil: 2 })).toEqual(reached(entries));
  });

  it('refuses a chain recomputed from the start without the key, once anchors say where unkeyed entries ended', () => {
    const entries = chain(4, 2);
    const rewritten = rewrite(entries, 1, { reason: 'nothing to see' }, unkeyedEntryHash);
    // The chain alone cannot tell (every entry plain, as if the key never came) ...
    expect(checkEntries(rewritten, options)).toEqual(reached(rewritten));
    // ... the anchors recorded that entries after 2 were keyed.
    expect(checkEntries(rewritten, { ...options, unkeyedUntil: 2 })).toEqual({ broken: { seq: 3, problem: 'unkeyed' } });
    expect(checkEntries(chain(3), { ...options, unkeyedUntil: 0 })).toEqual(reached(chain(3)));
    // Only lane 0 was ever unkeyed: the one chain from before lanes.
    expect(
      checkEntries(
        chain(3, 2, () => KEY, 4),
        options,
      ),
    ).toEqual({ broken: { seq: 1, problem: 'unkeyed' } });
  });

  it('checks each entry with the key it names, so a key can be rotated', () => {
    const k2 = { id: 'k2', secret: 'the-key-that-replaced-k1-32-characters!' };
    const entries = chain(6, 0, (seq) => (seq <= 3 ? KEY : k2));
    expect(checkEntries(entries, { keys: new Map([...KEYS, [k2.id, k2.secret]]) })).toEqual(reached(entries));
    expect(checkEntries(entries, { keys: new Map([[k2.id, k2.secret]]) })).toEqual({ broken: { seq: 1, problem: 'unknown-key' } });
  });

  it('reports a deleted entry at the one after it', () => {
    const entries = chain(5);
    entries.splice(2, 1);
    expect(checkEntries(entries, options)).toEqual({ broken: { seq: 4, problem: 'unlinked' } });
  });

  it('reports a deleted first entry', () => {
    expect(checkEntries(chain(3).slice(1), options)).toEqual({ broken: { seq: 2, problem: 'unlinked' } });
  });

  it('reports entries swapped round', () => {
    const entries = chain(4);
    [entries[1], entries[2]] = [entries[2]!, entries[1]!];
    expect(checkEntries(entries, options)).toEqual({ broken: { seq: 3, problem: 'unlinked' } });
  });

  it('reports a renumbered entry as a gap', () => {
    const entries = chain(3);
    entries[1] = { ...entries[1]!, laneSeq: 7 };
    expect(checkEntries(entries, options)).toEqual({ broken: { seq: 2, problem: 'gap' } });
  });

  it('reports a lane missing an entry in the middle, where the other lanes are whole', () => {
    const entries = lanes(9, [0, 3, 5]).filter((entry) => entry.seq !== 4);
    expect(checkEntries(entries, options)).toEqual({ broken: { seq: 7, problem: 'unlinked' } });
  });
});
