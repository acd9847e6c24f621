import { createHmac, timingSafeEqual } from 'node:crypto';
import { appendFile, mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import type { ChainKey, ChainKeys, ChainPosition } from './chain';

/**
 * Anchors: the chain's head (newest seq and hash), signed and appended as one line to a file
 * outside the database (AUDIT_ANCHOR_FILE; in production, storage that can only be appended
 * to). A chain cannot show on its own that its newest entries were deleted, or that it was
 * rebuilt from the start; an anchored head that is no longer in the chain, unchanged, shows both.
 *
 * Each anchor also records the last entry that was chained without a key (`unkeyedUntil`):
 * fixed once keying began, so a chain recomputed without the key is refused from there on.
 *
 * Signed with the audit HMAC key (a purpose of its own in the signed text, so an anchor can
 * never pass for an entry hash): a line added by someone without the key is refused.
 */

export type Anchor = ChainPosition & {
  at: Date;
  unkeyedUntil: number;
  keyId: string;
  signature: string;
};

function signedText(head: ChainPosition, at: Date, unkeyedUntil: number): string {
  return JSON.stringify(['phr-audit-anchor', head.seq, head.hash, at.toISOString(), unkeyedUntil]);
}

function mac(secret: string, text: string): string {
  return createHmac('sha256', secret).update(text).digest('hex');
}

export function signAnchor(key: ChainKey, head: ChainPosition, at: Date, unkeyedUntil: number): Anchor {
  return { ...head, at, unkeyedUntil, keyId: key.id, signature: mac(key.secret, signedText(head, at, unkeyedUntil)) };
}

export function anchorLine(anchor: Anchor): string {
  const { seq, hash, at, unkeyedUntil, keyId, signature } = anchor;
  return `${JSON.stringify({ seq, hash, at: at.toISOString(), unkeyedUntil, keyId, signature })}\n`;
}

export type AnchorProblem = { line: number; problem: 'unreadable' | 'unknown-key' | 'bad-signature' };

function parseLine(text: string, keys: ChainKeys): Anchor | AnchorProblem['problem'] {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return 'unreadable';
  }
  const { seq, hash, at, unkeyedUntil, keyId, signature } = (value ?? {}) as Record<string, unknown>;
  const when = typeof at === 'string' ? new Date(at) : null;
  if (
    !Number.isSafeInteger(seq) ||
    (seq as number) < 0 ||
    typeof hash !== 'string' ||
    !when ||
    Number.isNaN(when.getTime()) ||
    !Number.isSafeInteger(unkeyedUntil) ||
    typeof keyId !== 'string' ||
    typeof signature !== 'string'
  ) {
    return 'unreadable';
  }
  const secret = keys.get(keyId);
  if (secret === undefined) return 'unknown-key';
  const head = { seq: seq as number, hash };
  const expected = Buffer.from(mac(secret, signedText(head, when, unkeyedUntil as number)));
  const given = Buffer.from(signature);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return 'bad-signature';
  return { ...head, at: when, unkeyedUntil: unkeyedUntil as number, keyId, signature };
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

/** The anchor furthest along the chain: the one new entries are checked from. */
export function furthest(anchors: readonly Anchor[]): Anchor | undefined {
  return anchors.reduce<Anchor | undefined>((best, anchor) => (!best || anchor.seq > best.seq ? anchor : best), undefined);
}

/** The last entry that may be unkeyed: the earliest any anchor recorded (undefined with no anchors). */
export function unkeyedUntil(anchors: readonly Anchor[]): number | undefined {
  return anchors.reduce<number | undefined>((least, anchor) => Math.min(least ?? anchor.unkeyedUntil, anchor.unkeyedUntil), undefined);
}
