import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { anchoredSeq, anchorLine, appendAnchor, furthestHeads, parseAnchors, readAnchors, signAnchor, unkeyedUntil } from './anchor';
import { GENESIS_HASH, type ChainKey, type LaneHead } from './chain';

const KEY: ChainKey = { id: 'k1', secret: 'a-test-audit-key-of-at-least-32-characters' };
const KEYS = new Map([[KEY.id, KEY.secret]]);
/** Heads of lanes 0 and 5: lane 0 at `seq`, lane 5 at its entry 2 (seq 1 + `seq`). */
const head = (seq: number): LaneHead[] => [
  { lane: 0, laneSeq: seq, seq, hash: `hmac:k1:${String(seq).padStart(64, '0')}` },
  { lane: 5, laneSeq: 2, seq: seq + 1, hash: `hmac:k1:${String(seq + 1).padStart(64, '5')}` },
];
const at = new Date('2026-12-02T10:00:00.000Z');

/** An anchor line as written before lanes: one head, signed over its seq and hash. */
function singleHeadLine(key: ChainKey, seq: number, hash: string, when: Date, unkeyed: number): string {
  const signature = createHmac('sha256', key.secret)
    .update(JSON.stringify(['phr-audit-anchor', seq, hash, when.toISOString(), unkeyed]))
    .digest('hex');
  return `${JSON.stringify({ seq, hash, at: when.toISOString(), unkeyedUntil: unkeyed, keyId: key.id, signature })}\n`;
}

describe('audit anchors', () => {
  it('reads back what it signed, one line each', () => {
    const anchors = [signAnchor(KEY, head(3), at, 0), signAnchor(KEY, head(9), new Date(at.getTime() + 600_000), 0)];
    const text = anchors.map(anchorLine).join('');
    expect(text.split('\n')).toHaveLength(3);
    expect(parseAnchors(text, KEYS)).toEqual({ anchors });
    expect(parseAnchors('', KEYS)).toEqual({ anchors: [] });
  });

  it('refuses a line changed or added without the key, naming the line', () => {
    const good = anchorLine(signAnchor(KEY, head(3), at, 0));
    const moved = good.replace('[0,3,3,', '[0,2,2,');
    expect(moved).not.toBe(good);
    expect(parseAnchors(good + moved, KEYS)).toEqual({ line: 2, problem: 'bad-signature' });
    const laneDropped = good.replace(/,\[5,[^\]]*\]/, '');
    expect(laneDropped).not.toBe(good);
    expect(parseAnchors(laneDropped, KEYS)).toEqual({ line: 1, problem: 'bad-signature' });
    const forged = anchorLine(signAnchor({ id: 'k1', secret: 'a-guessed-key-that-is-also-32-characters' }, head(5), at, 0));
    expect(parseAnchors(good + forged, KEYS)).toEqual({ line: 2, problem: 'bad-signature' });
    const otherKey = anchorLine(signAnchor({ id: 'k9', secret: 'a-guessed-key-that-is-also-32-characters' }, head(5), at, 0));
    expect(parseAnchors(otherKey, KEYS)).toEqual({ line: 1, problem: 'unknown-key' });
    expect(parseAnchors(`${good}not json\n`, KEYS)).toEqual({ line: 2, problem: 'unreadable' });
    expect(parseAnchors(`${good}{"seq":"3"}\n`, KEYS)).toEqual({ line: 2, problem: 'unreadable' });
    expect(parseAnchors(good.replace('[[0,3,3,', '[[0,3,"3",'), KEYS)).toEqual({ line: 1, problem: 'unreadable' });
    // A half-written last line is not quietly dropped.
    expect(parseAnchors(good + good.slice(0, 20), KEYS)).toEqual({ line: 2, problem: 'unreadable' });
  });

  it('appends to a file, making its folder, and reads none from a file not made yet', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'audit-anchors-'));
    const file = path.join(dir, 'deeper', 'anchors.jsonl');
    try {
      expect(await readAnchors(file, KEYS)).toEqual({ anchors: [] });
      const first = signAnchor(KEY, head(1), at, 0);
      const second = signAnchor(KEY, head(4), at, 0);
      await appendAnchor(file, first);
      await appendAnchor(file, second);
      expect(await readAnchors(file, KEYS)).toEqual({ anchors: [first, second] });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('checks new entries from each lane’s furthest anchored head, and keeps the earliest end of unkeyed entries', () => {
    const later = new Date(at.getTime() + 600_000);
    const anchors = [signAnchor(KEY, head(7), at, 2), signAnchor(KEY, head(12), later, 3), signAnchor(KEY, head(9), at, 2)];
    const furthest = furthestHeads(anchors);
    expect([...furthest.keys()].sort()).toEqual([0, 5]);
    expect(furthest.get(0)).toEqual({ ...head(12)[0]!, at: later });
    expect(furthest.get(5)?.laneSeq).toBe(2);
    expect(anchoredSeq(anchors[1]!)).toBe(13);
    expect(unkeyedUntil(anchors)).toBe(2);
    expect(furthestHeads([]).size).toBe(0);
    expect(unkeyedUntil([])).toBeUndefined();
  });

  it('reads an anchor written before lanes (one head) as the head of lane 0, where those entries are', () => {
    const hash = `hmac:k1:${'7'.repeat(64)}`;
    const old = singleHeadLine(KEY, 42, hash, at, 3);
    const parsed = parseAnchors(old + anchorLine(signAnchor(KEY, head(50), at, 3)), KEYS);
    expect(parsed).toMatchObject({ anchors: [{ heads: [{ lane: 0, laneSeq: 42, seq: 42, hash }], at, unkeyedUntil: 3, keyId: 'k1' }, { heads: head(50) }] });
    // Still signed: changed, or made without the key, it is refused like any other line.
    expect(parseAnchors(old.replace('"seq":42', '"seq":41'), KEYS)).toEqual({ line: 1, problem: 'bad-signature' });
    const forged = singleHeadLine({ id: 'k1', secret: 'a-guessed-key-that-is-also-32-characters' }, 42, hash, at, 3);
    expect(parseAnchors(forged, KEYS)).toEqual({ line: 1, problem: 'bad-signature' });
    // An empty chain anchored then: no lane had begun.
    expect(parseAnchors(singleHeadLine(KEY, 0, GENESIS_HASH, at, 0), KEYS)).toMatchObject({ anchors: [{ heads: [] }] });
  });
});
