import { citizenByReference, contactPreferencesOf } from '@/lib/contact-details/public';
import { queueNotification } from '@/lib/notifications/public';
import type { Db } from '@/lib/platform/db';
import { fromLondonWallClock } from '@/lib/platform/london-time';
import { log } from '@/lib/platform/log';
import { COUNCIL_SENDER, senderName } from './senders';
import { letterHash, type ValidLetter } from './validation';

/**
 * The letters partner organisations delivered, kept for the citizen (lib/letters). Every query
 * names the citizen or the sender: nobody reaches another's letter by its id.
 */

export type PostedReason = 'by-post-choice' | 'unread';

/** A letter without its PDF: what lists and the sender's status need. */
const SUMMARY = {
  id: true,
  userId: true,
  senderId: true,
  kind: true,
  title: true,
  letterDate: true,
  receivedAt: true,
  pdfBytes: true,
  readAt: true,
  postRequestedAt: true,
  postedReason: true,
} as const;

export type LetterSummary = {
  id: string;
  userId: string;
  senderId: string;
  kind: string;
  title: string;
  letterDate: string;
  receivedAt: Date;
  pdfBytes: number;
  readAt: Date | null;
  postRequestedAt: Date | null;
  postedReason: string | null;
};

const DAY_MS = 86_400_000;
/** A nonce is refused again for this long: longer than a signature is valid either way (lib/platform/signed-requests.ts). */
export const NONCE_KEPT_MS = 3_600_000;

/**
 * Remembers a signed request's nonce; false when it was already used (the request is a replay).
 * The primary key decides, so two instances receiving the same request at once cannot both accept it.
 */
export async function rememberNonce(db: Db, organisationId: string, nonce: string, now: Date): Promise<boolean> {
  try {
    await db.usedNonce.create({ data: { organisationId, nonce, usedAt: now } });
    return true;
  } catch (error) {
    if ((error as { code?: string }).code === 'P2002') return false;
    throw error;
  }
}

/** Removes at most `limit` nonces too old to be accepted again anyway (the retention job). */
export async function removeOldNonces(db: Db, now: Date, limit: number): Promise<number> {
  const cutoff = new Date(now.getTime() - NONCE_KEPT_MS);
  const old = await db.usedNonce.findMany({ where: { usedAt: { lt: cutoff } }, select: { organisationId: true, nonce: true }, take: limit });
  if (old.length === 0) return 0;
  return (await db.usedNonce.deleteMany({ where: { OR: old, usedAt: { lt: cutoff } } })).count;
}

/**
 * The registered citizen with this NHS number, or null. Not a record held for a child or an adult
 * who lacks capacity (lib/proxy): letters are not something a parent or attorney is given, so
 * theirs go by post until the person has an account of their own.
 */
export async function citizenByNhsNumber(db: Db, nhsNumber: string): Promise<string | null> {
  const user = await db.user.findFirst({
    where: { nhsNumber, registeredAt: { not: null }, heldForPersonSince: null },
    orderBy: { registeredAt: 'asc' },
    select: { id: true },
  });
  return user?.id ?? null;
}

/**
 * Who the letter is for: the registered citizen with its NHS number, or the one the council knows
 * by its reference (validation lets only the council give one); null when there is nobody.
 */
export async function recipientOf(db: Db, letter: ValidLetter): Promise<string | null> {
  if (letter.nhsNumber !== null) return citizenByNhsNumber(db, letter.nhsNumber);
  if (letter.councilReference !== null) return citizenByReference(db, COUNCIL_SENDER, letter.councilReference);
  return null;
}

export type DeliverResult = { kind: 'delivered'; letter: LetterSummary; replayed: boolean } | { kind: 'key-reused' } | { kind: 'no-account' };

/**
 * Stores a letter the sender delivered, once per (sender, Idempotency-Key): the same key with the
 * same letter answers with the letter already stored; with another letter, 'key-reused'. A
 * citizen who chose letters by post has it marked for posting at once (still shown in the
 * inbox); one who chose email or text messages is told there is a new letter (the sender's name
 * only, never what it is about).
 */
export async function deliverLetter(db: Db, senderId: string, idempotencyKey: string, letter: ValidLetter, now: Date): Promise<DeliverResult> {
  const requestHash = letterHash(letter);
  const earlier = async (): Promise<DeliverResult | null> => {
    const found = await db.letter.findUnique({ where: { senderId_idempotencyKey: { senderId, idempotencyKey } }, select: { ...SUMMARY, requestHash: true } });
    if (!found) return null;
    const { requestHash: hash, ...summary } = found;
    return hash === requestHash ? { kind: 'delivered', letter: summary, replayed: true } : { kind: 'key-reused' };
  };
  const before = await earlier();
  if (before) return before;
  const userId = await recipientOf(db, letter);
  if (!userId) return { kind: 'no-account' };
  const byPost = (await contactPreferencesOf(db, userId)).channel === 'post';
  try {
    const stored = await db.$transaction(async (tx) => {
      const created = await tx.letter.create({
        data: {
          userId,
          senderId,
          idempotencyKey,
          requestHash,
          kind: letter.kind,
          title: letter.title,
          letterDate: letter.letterDate,
          receivedAt: now,
          html: letter.html,
          pdf: new Uint8Array(letter.pdf),
          pdfBytes: letter.pdf.byteLength,
          ...(byPost ? { postRequestedAt: now, postedReason: 'by-post-choice' satisfies PostedReason } : {}),
        },
        select: SUMMARY,
      });
      // Only to those who chose email or text messages; the letter's id makes it once per letter.
      await queueNotification(tx, { userId, template: 'new-letter', personalisation: { sender: senderName(senderId) }, subjectId: created.id }, now);
      return created;
    });
    log.info('letter-delivered', { sender: senderId, byPost, pdfBytes: stored.pdfBytes });
    return { kind: 'delivered', letter: stored, replayed: false };
  } catch (error) {
    // The same key sent twice at once: the other request stored it first.
    if ((error as { code?: string }).code === 'P2002') {
      const after = await earlier();
      if (after) return after;
    }
    throw error;
  }
}

/** The sender's own letter, or null (another sender's letter is as unknown as a made-up id). */
export async function senderLetter(db: Db, senderId: string, id: string): Promise<LetterSummary | null> {
  return db.letter.findFirst({ where: { id, senderId }, select: SUMMARY });
}

/** The sender's letters it was asked to post since `since`, oldest first, at most `limit`. */
export async function lettersToPost(db: Db, senderId: string, since: Date, limit = 100, after?: string): Promise<LetterSummary[]> {
  // Keyset: with `after` (the last id of the page before), the letters after it at the same instant
  // and those later, so that a run marking many letters at one instant can be read page by page.
  const from = after ? { OR: [{ postRequestedAt: { gt: since } }, { postRequestedAt: since, id: { gt: after } }] } : { postRequestedAt: { gte: since } };
  return db.letter.findMany({
    where: { senderId, ...from },
    orderBy: [{ postRequestedAt: 'asc' }, { id: 'asc' }],
    take: limit,
    select: SUMMARY,
  });
}

/** The citizen's letters, unread first, then newest first (at most `limit`). */
export async function citizenLetters(db: Db, userId: string, limit = 200): Promise<LetterSummary[]> {
  const letters = await db.letter.findMany({ where: { userId }, orderBy: [{ receivedAt: 'desc' }, { id: 'asc' }], take: limit, select: SUMMARY });
  return [...letters.filter((letter) => !letter.readAt), ...letters.filter((letter) => letter.readAt)];
}

export async function unreadCount(db: Db, userId: string): Promise<number> {
  return db.letter.count({ where: { userId, readAt: null } });
}

/** The citizen's own letter with its accessible version, or null. */
export async function citizenLetter(db: Db, userId: string, id: string): Promise<(LetterSummary & { html: string }) | null> {
  return db.letter.findFirst({ where: { id, userId }, select: { ...SUMMARY, html: true } });
}

/** The citizen's own letter's PDF, or null. */
export async function citizenLetterPdf(db: Db, userId: string, id: string): Promise<{ pdf: Uint8Array; letterDate: string } | null> {
  return db.letter.findFirst({ where: { id, userId }, select: { pdf: true, letterDate: true } });
}

/** Records the first time the citizen opened the letter (later views change nothing). */
export async function markRead(db: Db, userId: string, id: string, now: Date): Promise<boolean> {
  return (await db.letter.updateMany({ where: { id, userId, readAt: null }, data: { readAt: now } })).count === 1;
}

/**
 * The fallback (the worker, every few minutes): letters still unread `afterDays` after they
 * arrived are marked for their sender to post (postedReason 'unread'), in one statement.
 * The sender sees it in the letter's status and in its list of letters to post.
 */
export async function requestPostForUnread(db: Db, now: Date, afterDays: number): Promise<number> {
  const cutoff = new Date(now.getTime() - afterDays * DAY_MS);
  const { count } = await db.letter.updateMany({
    // Not for people who chose "only through this service": they were told we will not write to them.
    where: { postRequestedAt: null, readAt: null, receivedAt: { lte: cutoff }, NOT: { user: { contactPreference: { channel: 'service-only' } } } },
    data: { postRequestedAt: now, postedReason: 'unread' satisfies PostedReason },
  });
  if (count > 0) log.info('letters-post-requested', { count, reason: 'unread' });
  return count;
}

/** The first instant of a UK calendar month (YYYY-MM), and of the month after. */
function monthRange(month: string): { from: Date; to: Date } {
  const [year, number] = month.split('-').map(Number) as [number, number];
  const next = number === 12 ? { year: year + 1, month: 1 } : { year, month: number + 1 };
  return {
    from: fromLondonWallClock({ year, month: number, day: 1, hour: 0, minute: 0 }),
    to: fromLondonWallClock({ year: next.year, month: next.month, day: 1, hour: 0, minute: 0 }),
  };
}

/**
 * For the programme's benefits report: letters received in each UK calendar month (YYYY-MM),
 * split into those delivered digitally only and those the sender was asked to post (the citizen
 * chose post, or did not read it in time). A letter still waiting to be read counts as
 * delivered digitally until it is marked for posting.
 */
export async function lettersByMonth(db: Db, months: string[]): Promise<Record<string, { deliveredDigitally: number; posted: number }>> {
  const result: Record<string, { deliveredDigitally: number; posted: number }> = {};
  for (const month of months) {
    if (!/^\d{4}-(0[1-9]|1[0-2])$/.test(month)) throw new Error(`lettersByMonth: ${month} is not YYYY-MM`);
    const { from, to } = monthRange(month);
    const received = { receivedAt: { gte: from, lt: to } };
    const [all, posted] = await Promise.all([
      db.letter.count({ where: received }),
      db.letter.count({ where: { ...received, postRequestedAt: { not: null } } }),
    ]);
    result[month] = { deliveredDigitally: all - posted, posted };
  }
  return result;
}
