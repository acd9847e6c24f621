import { createHmac, timingSafeEqual } from 'node:crypto';
import { appendFile, mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { GENESIS_HASH, type ChainKey, type ChainKeys, type LaneHead } from './chain';

/**
 * Anchors: the head (newest entry) of every lane of the chain, signed and appended as one line
 * to a file outside the database (AUDIT_ANCHOR_FILE; in production, storage that can only be
 * appended to). A chain cannot show on its own that its newest entries were deleted, or that it
 * was rebuilt from the start; an anchored head that is no longer in the chain, unchanged, shows
 * both, and so does a lane that ends before its anchored head, or is gone.
 *
 * Each anchor also records the last entry that was chained without a key (`unkeyedUntil`, in
 * lane 0): fixed once keying began, so a chain recomputed without the key is refused from there on.
 *
 * Signed with the audit HMAC key (a purpose of its own in the signed text, so an anchor can
 * never pass for an entry hash): a line added by someone without the key is refused.
 *
 * Lines written when there was one chain hold one head (`seq`, `hash`): they are read as the
 * head of lane 0, where those entries are, at the same place (their laneSeq is their seq).
 */

export type Anchor = {
  /** Every lane's head, by lane. */
  heads: LaneHead[];
  at: Date;
  unkeyedUntil: number;
  keyId: string;
  signature: string;
};

type HeadRow = [lane: number, laneSeq: number, seq: number, hash: string];

const toRow = (head: LaneHead): HeadRow => [head.lane, head.laneSeq, head.seq, head.hash];

function signedText(heads: readonly LaneHead[], at: Date, unkeyedUntil: number): string {
  return JSON.stringify(['phr-audit-anchor-lanes', heads.map(toRow), at.toISOString(), unkeyedUntil]);
}

/** What a line of one head was signed over, before lanes. */
function singleHeadText(seq: number, hash: string, at: Date, unkeyedUntil: number): string {
  return JSON.stringify(['phr-audit-anchor', seq, hash, at.toISOString(), unkeyedUntil]);
}

function mac(secret: string, text: string): string {
  return createHmac('sha256', secret).update(text).digest('hex');
}

export function signAnchor(key: ChainKey, heads: readonly LaneHead[], at: Date, unkeyedUntil: number): Anchor {
  const sorted = [...heads].sort((a, b) => a.lane - b.lane);
  return { heads: sorted, at, unkeyedUntil, keyId: key.id, signature: mac(key.secret, signedText(sorted, at, unkeyedUntil)) };
}

export function anchorLine(anchor: Anchor): string {
  const { heads, at, unkeyedUntil, keyId, signature } = anchor;
  return `${JSON.stringify({ heads: heads.map(toRow), at: at.toISOString(), unkeyedUntil, keyId, signature })}\n`;
}

export type AnchorProblem = { line: number; problem: 'unreadable' | 'unknown-key' | 'bad-signature' };

const isCount = (value: unknown): value is number => Number.isSafeInteger(value) && (value as number) >= 0;

function readHeads(value: unknown): LaneHead[] | null {
  if (!Array.isArray(value)) return null;
  const heads: LaneHead[] = [];
  for (const row of value as unknown[]) {
    if (!Array.isArray(row) || row.length !== 4) return null;
    const [lane, laneSeq, seq, hash] = row as unknown[];
    if (!isCount(lane) || !isCount(laneSeq) || !isCount(seq) || typeof hash !== 'string') return null;
    // In lane order, each lane once: one way to write the same heads.
    if (heads.length > 0 && heads[heads.length - 1]!.lane >= lane) return null;
    heads.push({ lane, laneSeq, seq, hash });
  }
  return heads;
}

function parseLine(text: string, keys: ChainKeys): Anchor | AnchorProblem['problem'] {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return 'unreadable';
  }
  const { heads, seq, hash, at, unkeyedUntil, keyId, signature } = (value ?? {}) as Record<string, unknown>;
  const when = typeof at === 'string' ? new Date(at) : null;
  const single = heads === undefined;
  const read = single ? (isCount(seq) && typeof hash === 'string' ? [{ lane: 0, laneSeq: seq, seq, hash }] : null) : readHeads(heads);
  if (!read || !when || Number.isNaN(when.getTime()) || !Number.isSafeInteger(unkeyedUntil) || typeof keyId !== 'string' || typeof signature !== 'string') {
    return 'unreadable';
  }
  const secret = keys.get(keyId);
  if (secret === undefined) return 'unknown-key';
  const signed = single ? singleHeadText(seq as number, hash as string, when, unkeyedUntil as number) : signedText(read, when, unkeyedUntil as number);
  const expected = Buffer.from(mac(secret, signed));
  const given = Buffer.from(signature);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return 'bad-signature';
  // An empty chain anchored before lanes: lane 0 had not begun.
  const kept = read.filter((head) => head.laneSeq > 0 || head.hash !== GENESIS_HASH);
  return { heads: kept, at: when, unkeyedUntil: unkeyedUntil as number, keyId, signature };
}

/** Every anchor in the text, each checked against its key; the first line that is not one, if any. */
export function parseAnchors(text: string, keys: ChainKeys): { anchors: Anchor[] } | AnchorProblem {
  const anchors: Anchor[] = [];
  const lines = text.split('\n');
  for (const [index, line] of lines.entries()) {
    if (line === '' && index === lines.length - 1) break;
    const parsed = parseLine(line, keys);
    if (typeof parsed === 'string') return { line: index + 1, problem: parsed };
    anchors.push(parsed);
  }
  return { anchors };
}

/** The anchors kept in a file (none when it does not exist yet). */
export async function readAnchors(file: string, keys: ChainKeys): Promise<{ anchors: Anchor[] } | AnchorProblem> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { anchors: [] };
    throw error;
  }
  return parseAnchors(text, keys);
}

/** Appends one anchor, as one write of one line (never rewrites the file). */
export async function appendAnchor(file: string, anchor: Anchor): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  await appendFile(file, anchorLine(anchor), { flag: 'a', mode: 0o640 });
}

/** An anchored lane head, with when it was anchored. */
export type AnchoredHead = LaneHead & { at: Date };

/** Each lane's furthest anchored head: where new entries are checked from, and where a lane must reach. */
export function furthestHeads(anchors: readonly Anchor[]): Map<number, AnchoredHead> {
  const furthest = new Map<number, AnchoredHead>();
  for (const anchor of anchors) {
    for (const head of anchor.heads) {
      const best = furthest.get(head.lane);
      if (!best || head.laneSeq > best.laneSeq) furthest.set(head.lane, { ...head, at: anchor.at });
    }
  }
  return furthest;
}

/** The newest entry an anchor holds (0: none). */
export function anchoredSeq(anchor: Anchor): number {
  return anchor.heads.reduce((newest, head) => Math.max(newest, head.seq), 0);
}

/** The last entry that may be unkeyed: the earliest any anchor recorded (undefined with no anchors). */
export function unkeyedUntil(anchors: readonly Anchor[]): number | undefined {
  return anchors.reduce<number | undefined>((least, anchor) => Math.min(least ?? anchor.unkeyedUntil, anchor.unkeyedUntil), undefined);
}
