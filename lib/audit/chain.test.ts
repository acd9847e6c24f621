import { describe, expect, it } from 'vitest';
import {
  canonicalEntry,
  checkEntries,
  GENESIS_HASH,
  keyedEntryHash,
  keyIdOf,
  unkeyedEntryHash,
  type AuditFields,
  type ChainedEntry,
  type ChainKey,
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

/** `unkeyed` entries made as before the key (plain SHA-256), then `keyed` ones, each with the key given for it. */
function chain(keyed: number, unkeyed = 0, keyFor: (seq: number) => ChainKey = () => KEY): ChainedEntry[] {
  const entries: ChainedEntry[] = [];
  let prevHash = GENESIS_HASH;
  for (let seq = 1; seq <= unkeyed + keyed; seq += 1) {
    const entry = fields(seq);
    const hash = seq <= unkeyed ? unkeyedEntryHash(seq, entry, prevHash) : keyedEntryHash(keyFor(seq), seq, entry, prevHash);
    entries.push({ ...entry, seq, prevHash, hash });
    prevHash = hash;
  }
  return entries;
}

/** What someone with the database but not the key can do: change an entry and recompute every hash from there. */
function rewrite(entries: ChainedEntry[], from: number, change: Partial<AuditFields>, hash: (seq: number, entry: ChainedEntry, prevHash: string) => string) {
  const rewritten = entries.map((entry) => ({ ...entry }));
  for (let index = from - 1; index < rewritten.length; index += 1) {
    const entry = index === from - 1 ? { ...rewritten[index]!, ...change } : rewritten[index]!;
    entry.prevHash = index === 0 ? GENESIS_HASH : rewritten[index - 1]!.hash;
    entry.hash = hash(entry.seq, entry, entry.prevHash);
    rewritten[index] = entry;
  }
  return rewritten;
}

describe('the audit hash chain', () => {
  it('serialises an entry the same way every time, with every field in a fixed place', () => {
    const entry = fields(1);
    expect(canonicalEntry(1, entry)).toBe(canonicalEntry(1, { ...entry }));
    expect(canonicalEntry(1, entry)).not.toBe(canonicalEntry(2, entry));
    // A value moved to a neighbouring field is a different entry.
    expect(canonicalEntry(1, { ...entry, reason: 'x', detail: null })).not.toBe(canonicalEntry(1, { ...entry, reason: null, detail: 'x' }));
  });

  it('hashes with the key, and records which key', () => {
    const hash = keyedEntryHash(KEY, 1, fields(1), GENESIS_HASH);
    expect(hash).toMatch(/^hmac:k1:[0-9a-f]{64}$/);
    expect(keyIdOf(hash)).toBe('k1');
    expect(keyedEntryHash({ ...KEY, secret: 'another-key-of-at-least-32-characters!!' }, 1, fields(1), GENESIS_HASH)).not.toBe(hash);
    expect(hash.slice('hmac:k1:'.length)).not.toBe(unkeyedEntryHash(1, fields(1), GENESIS_HASH));
    expect(keyIdOf(unkeyedEntryHash(1, fields(1), GENESIS_HASH))).toBeNull();
  });

  it('accepts an intact chain and an empty one', () => {
    expect(checkEntries(chain(5), options)).toEqual({ reached: { seq: 5, hash: chain(5)[4]!.hash } });
    expect(checkEntries([], options)).toEqual({ reached: { seq: 0, hash: GENESIS_HASH } });
  });

  it('carries on from where an earlier batch stopped', () => {
    const entries = chain(6);
    const first = checkEntries(entries.slice(0, 3), options);
    expect('reached' in first).toBe(true);
    if ('reached' in first) expect(checkEntries(entries.slice(3), options, first.reached)).toEqual({ reached: { seq: 6, hash: entries[5]!.hash } });
  });

  it('reports an edited entry as the first broken link', () => {
    const entries = chain(5);
    entries[2] = { ...entries[2]!, reason: 'changed afterwards' };
    expect(checkEntries(entries, options)).toEqual({ broken: { seq: 3, problem: 'edited' } });
  });

  it('reports an edited entry whose hash was recomputed at the entry after it', () => {
    const entries = chain(5);
    const edited = { ...entries[1]!, action: 'export' };
    entries[1] = { ...edited, hash: keyedEntryHash(KEY, 2, edited, edited.prevHash) };
    expect(checkEntries(entries, options)).toEqual({ broken: { seq: 3, problem: 'unlinked' } });
  });

  it('refuses a chain rewritten from the middle with plain SHA-256, as before the key', () => {
    const rewritten = rewrite(chain(6), 3, { reason: 'nothing to see' }, unkeyedEntryHash);
    expect(checkEntries(rewritten, options)).toEqual({ broken: { seq: 3, problem: 'unkeyed' } });
  });

  it('refuses a chain rewritten from the middle with a wrong key, under the right key id', () => {
    const wrong = { id: 'k1', secret: 'a-guessed-key-that-is-also-32-characters' };
    const rewritten = rewrite(chain(6), 3, { reason: 'nothing to see' }, (seq, entry, prevHash) => keyedEntryHash(wrong, seq, entry, prevHash));
    expect(checkEntries(rewritten, options)).toEqual({ broken: { seq: 3, problem: 'edited' } });
  });

  it('refuses an entry whose hash names a key it was not given', () => {
    const other = { id: 'made-up', secret: 'a-guessed-key-that-is-also-32-characters' };
    const rewritten = rewrite(chain(4), 2, { reason: 'x' }, (seq, entry, prevHash) => keyedEntryHash(other, seq, entry, prevHash));
    expect(checkEntries(rewritten, options)).toEqual({ broken: { seq: 2, problem: 'unknown-key' } });
  });

  it('accepts entries chained before the key, up to the first keyed one', () => {
    const entries = chain(3, 2);
    expect(keyIdOf(entries[1]!.hash)).toBeNull();
    expect(keyIdOf(entries[2]!.hash)).toBe('k1');
    expect(checkEntries(entries, options)).toEqual({ reached: { seq: 5, hash: entries[4]!.hash } });
    expect(checkEntries(entries, { ...options, unkeyedUntil: 2 })).toEqual({ reached: { seq: 5, hash: entries[4]!.hash } });
  });

  it('refuses a chain recomputed from the start without the key, once anchors say where unkeyed entries ended', () => {
    const entries = chain(4, 2);
    const rewritten = rewrite(entries, 1, { reason: 'nothing to see' }, unkeyedEntryHash);
    // The chain alone cannot tell (every entry plain, as if the key never came) ...
    expect(checkEntries(rewritten, options)).toMatchObject({ reached: { seq: 6 } });
    // ... the anchors recorded that entries after 2 were keyed.
    expect(checkEntries(rewritten, { ...options, unkeyedUntil: 2 })).toEqual({ broken: { seq: 3, problem: 'unkeyed' } });
    expect(checkEntries(chain(3), { ...options, unkeyedUntil: 0 })).toMatchObject({ reached: { seq: 3 } });
  });

  it('checks each entry with the key it names, so a key can be rotated', () => {
    const k2 = { id: 'k2', secret: 'the-key-that-replaced-k1-32-characters!' };
    const entries = chain(6, 0, (seq) => (seq <= 3 ? KEY : k2));
    expect(checkEntries(entries, { keys: new Map([...KEYS, [k2.id, k2.secret]]) })).toMatchObject({ reached: { seq: 6 } });
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
    entries[1] = { ...entries[1]!, seq: 7 };
    expect(checkEntries(entries, options)).toEqual({ broken: { seq: 7, problem: 'gap' } });
  });
});
