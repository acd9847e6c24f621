import type { Prisma } from '../generated/sqlite/client';
import type { Db, Tx } from './db';

/**
 * Answers a citizen has given on the pages of a multi-page journey, kept until they confirm
 * them on "check your answers" (nothing changes until then). One store for every journey: one
 * `Draft` row per citizen and journey, always found by the citizen's own user id (from their
 * session), so nobody else ever sees it. The answers are kept as JSON text and checked again
 * with the journey's schema whenever they are read, and a draft past its time is never used.
 */

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

/** Every journey that keeps answers between its pages, and for how long after the last page was sent. */
const KEEP_FOR_MS = {
  // About me and contact details kept their drafts with no limit before they shared this store.
  // A day is long enough to come back to a journey left half done, and a stale draft no longer
  // turns up weeks later.
  'about-me/top-three': 24 * HOUR,
  'about-me/condition': 24 * HOUR,
  'about-me/communication': 24 * HOUR,
  'contact-details/preference': 24 * HOUR,
  'contact-details/address': 24 * HOUR,
  // Joining another account to this one (lib/identity/account-links.ts): the choices are made
  // straight after signing in with the other account, so an hour is plenty.
  'identity/join-accounts': HOUR,
  // A parent's or attorney's request to act for someone (lib/proxy): the questions take a few
  // minutes, but the documents' details may have to be looked up, so a day, as about me.
  'proxy/request': 24 * HOUR,
  // As long as the sealed cookie that kept these answers before.
  'blood-pressure/new-reading': 30 * MINUTE,
  // Inviting someone to act for you (lib/proxy): like the other journeys about you, a day.
  'proxy/invite': 24 * HOUR,
} as const satisfies Record<string, number>;

export type DraftJourney = keyof typeof KEEP_FOR_MS;

/** What answers are checked with when read: a zod schema, or anything with the same safeParse. */
export type DraftSchema<T> = { safeParse(value: unknown): { success: true; data: T } | { success: false } };

/** The app's client or a transaction's: drafts are read and written with either. */
type Client = Db | Tx;

/** No journey keeps a draft longer than this. */
const LONGEST_KEEP_MS = Math.max(...Object.values(KEEP_FOR_MS));

/** How long a blood pressure reading's answers are kept, and the longest any journey keeps them: for the privacy notice. */
export const DRAFT_TIMES = { bloodPressureReadingMs: KEEP_FOR_MS['blood-pressure/new-reading'], longestMs: LONGEST_KEEP_MS } as const;

/**
 * The drafts whose time had passed before `cutoff`, for the retention job (lib/platform/retention.ts),
 * which removes them: expiresAt before it, and also last written longer ago than their journey
 * keeps a draft by the real clock (`updatedAt`, which Prisma sets), so that a request's own clock
 * (TEST_CLOCK in end-to-end tests, where expiresAt may be long past) never removes a draft in use.
 * A journey no longer listed is judged by the longest time any journey keeps one.
 */
export function draftsPastTheirTime(cutoff: Date): Prisma.DraftWhereInput {
  const writtenBefore = (keepMs: number) => ({ lt: new Date(cutoff.getTime() - keepMs) });
  return {
    expiresAt: { lt: cutoff },
    OR: [
      ...Object.entries(KEEP_FOR_MS).map(([journey, keepMs]) => ({ journey, updatedAt: writtenBefore(keepMs) })),
      { journey: { notIn: Object.keys(KEEP_FOR_MS) }, updatedAt: writtenBefore(LONGEST_KEEP_MS) },
    ],
  };
}

/**
 * Keeps these answers (replacing any kept before) until the journey's time has passed from `now`
 * (the request's time). Drafts nobody came back for are removed by the retention job.
 */
export async function saveDraft(db: Client, userId: string, journey: DraftJourney, answers: unknown, now: Date = new Date()): Promise<void> {
  const json = JSON.stringify(answers);
  const expiresAt = new Date(now.getTime() + KEEP_FOR_MS[journey]);
  await db.draft.upsert({
    where: { userId_journey: { userId, journey } },
    create: { userId, journey, answers: json, expiresAt },
    update: { answers: json, expiresAt },
  });
}

/** This citizen's answers for the journey, or null when none are kept, their time has passed, or they no longer pass `schema`. */
export async function readDraft<T>(db: Client, userId: string, journey: DraftJourney, schema: DraftSchema<T>, now: Date = new Date()): Promise<T | null> {
  const row = await db.draft.findUnique({ where: { userId_journey: { userId, journey } } });
  if (!row || row.expiresAt.getTime() <= now.getTime()) return null;
  let answers: unknown;
  try {
    answers = JSON.parse(row.answers);
  } catch {
    return null;
  }
  const parsed = schema.safeParse(answers);
  return parsed.success ? parsed.data : null;
}

/**
 * Takes the draft away, inside the transaction that saves what it led to: false when there was
 * none still in time (already used by a second, duplicate submit, or expired), so it is used once.
 */
export async function takeDraft(tx: Tx, userId: string, journey: DraftJourney, now: Date = new Date()): Promise<boolean> {
  const { count } = await tx.draft.deleteMany({ where: { userId, journey, expiresAt: { gt: now } } });
  return count === 1;
}

/** Removes the draft, if there is one (for journeys that need no "used once" check). */
export async function deleteDraft(db: Client, userId: string, journey: DraftJourney): Promise<void> {
  await db.draft.deleteMany({ where: { userId, journey } });
}
