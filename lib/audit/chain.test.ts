import { describe, expect, it } from 'vitest';
import { canonicalEntry, checkEntries, entryHash, GENESIS_HASH, type AuditFields, type ChainedEntry } from './chain';

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

function chain(length: number): ChainedEntry[] {
  const entries: ChainedEntry[] = [];
  let prevHash = GENESIS_HASH;
  for (let seq = 1; seq <= length; seq += 1) {
    const entry = fields(seq);
    const hash = entryHash(seq, entry, prevHash);
    entries.push({ ...entry, seq, prevHash, hash });
    prevHash = hash;
  }
  return entries;
}

describe('the audit hash chain', () => {
  it('serialises an entry the same way every time, with every field in a fixed place', () => {
    const entry = fields(1);
    expect(canonicalEntry(1, entry)).toBe(canonicalEntry(1, { ...entry }));
    expect(canonicalEntry(1, entry)).not.toBe(canonicalEntry(2, entry));
    // A value moved to a neighbouring field is a different entry.
    expect(canonicalEntry(1, { ...entry, reason: 'x', detail: null })).not.toBe(canonicalEntry(1, { ...entry, reason: null, detail: 'x' }));
  });

  it('accepts an intact chain and an empty one', () => {
    expect(checkEntries(chain(5))).toEqual({ reached: { seq: 5, hash: chain(5)[4]!.hash } });
    expect(checkEntries([])).toEqual({ reached: { seq: 0, hash: GENESIS_HASH } });
  });

  it('carries on from where an earlier batch stopped', () => {
    const entries = chain(6);
    const first = checkEntries(entries.slice(0, 3));
    expect('reached' in first).toBe(true);
    if ('reached' in first) expect(checkEntries(entries.slice(3), first.reached)).toEqual({ reached: { seq: 6, hash: entries[5]!.hash } });
  });

  it('reports an edited entry as the first broken link', () => {
    const entries = chain(5);
    entries[2] = { ...entries[2]!, reason: 'changed afterwards' };
    expect(checkEntries(entries)).toEqual({ broken: { seq: 3, problem: 'edited' } });
  });

  it('reports an edited entry whose hash was recomputed at the entry after it', () => {
    const entries = chain(5);
    const edited = { ...entries[1]!, action: 'export' };
    entries[1] = { ...edited, hash: entryHash(2, edited, edited.prevHash) };
    expect(checkEntries(entries)).toEqual({ broken: { seq: 3, problem: 'unlinked' } });
  });

  it('reports a deleted entry at the one after it', () => {
    const entries = chain(5);
    entries.splice(2, 1);
    expect(checkEntries(entries)).toEqual({ broken: { seq: 4, problem: 'unlinked' } });
  });

  it('reports a deleted first entry', () => {
    expect(checkEntries(chain(3).slice(1))).toEqual({ broken: { seq: 2, problem: 'unlinked' } });
  });

  it('reports entries swapped round', () => {
    const entries = chain(4);
    [entries[1], entries[2]] = [entries[2]!, entries[1]!];
    expect(checkEntries(entries)).toEqual({ broken: { seq: 3, problem: 'unlinked' } });
  });

  it('reports a renumbered entry as a gap', () => {
    const entries = chain(3);
    entries[1] = { ...entries[1]!, seq: 7 };
    expect(checkEntries(entries)).toEqual({ broken: { seq: 7, problem: 'gap' } });
  });
});
