import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { anchorLine, appendAnchor, furthest, parseAnchors, readAnchors, signAnchor, unkeyedUntil } from './anchor';
import type { ChainKey } from './chain';

const KEY: ChainKey = { id: 'k1', secret: 'a-test-audit-key-of-at-least-32-characters' };
const KEYS = new Map([[KEY.id, KEY.secret]]);
const head = (seq: number) => ({ seq, hash: `hmac:k1:${String(seq).padStart(64, '0')}` });
const at = new Date('2026-12-02T10:00:00.000Z');

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
    const moved = good.replace('"seq":3', '"seq":2');
    expect(parseAnchors(good + moved, KEYS)).toEqual({ line: 2, problem: 'bad-signature' });
    const forged = anchorLine(signAnchor({ id: 'k1', secret: 'a-guessed-key-that-is-also-32-characters' }, head(5), at, 0));
    expect(parseAnchors(good + forged, KEYS)).toEqual({ line: 2, problem: 'bad-signature' });
    const otherKey = anchorLine(signAnchor({ id: 'k9', secret: 'a-guessed-key-that-is-also-32-characters' }, head(5), at, 0));
    expect(parseAnchors(otherKey, KEYS)).toEqual({ line: 1, problem: 'unknown-key' });
    expect(parseAnchors(`${good}not json\n`, KEYS)).toEqual({ line: 2, problem: 'unreadable' });
    expect(parseAnchors(`${good}{"seq":"3"}\n`, KEYS)).toEqual({ line: 2, problem: 'unreadable' });
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

  it('checks new entries from the furthest anchor, and keeps the earliest end of unkeyed entries', () => {
    const anchors = [signAnchor(KEY, head(7), at, 2), signAnchor(KEY, head(12), at, 3), signAnchor(KEY, head(9), at, 2)];
    expect(furthest(anchors)?.seq).toBe(12);
    expect(unkeyedUntil(anchors)).toBe(2);
    expect(furthest([])).toBeUndefined();
    expect(unkeyedUntil([])).toBeUndefined();
  });
});
