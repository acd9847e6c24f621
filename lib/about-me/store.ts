import { queueContribution } from '@/lib/care-record/public';
import type { Db, Tx } from '@/lib/platform/db';
import * as drafts from '@/lib/platform/drafts';
import {
  communicationNeedsSchema,
  savedCommunicationNeeds,
  storedConditionSchema,
  topThingsSchema,
  type CommunicationNeedsAnswers,
  type NewCondition,
  type TopThing,
  alreadyHeld,
} from './rules';

/**
 * Data access for "about me". Every function takes the signed-in citizen's user id and
 * touches only their rows: an id from a URL or a form that belongs to someone else is
 * simply not found.
 */

export type Journey = 'top-three' | 'condition' | 'communication';

// ---- Answers awaiting check answers (kept in the one draft store) ----------------------------

const draftJourney = (journey: Journey) => `about-me/${journey}` as const;

export function saveDraft(db: Db, userId: string, journey: Journey, answers: unknown): Promise<void> {
  return drafts.saveDraft(db, userId, draftJourney(journey), answers);
}

/** The draft, checked again against the rules it was saved under (null if missing, expired or no longer valid). */
export function readDraft<T>(db: Db, userId: string, journey: Journey, schema: drafts.DraftSchema<T>): Promise<T | null> {
  return drafts.readDraft(db, userId, draftJourney(journey), schema);
}

// ---- Top three things ---------------------------------------------------------------------

export type TopThreeVersion = { id: string; createdAt: Date; things: TopThing[] };

function toVersion(row: { id: string; createdAt: Date; items: string }): TopThreeVersion {
  const parsed = topThingsSchema.safeParse(JSON.parse(row.items));
  return { id: row.id, createdAt: row.createdAt, things: parsed.success ? parsed.data : [] };
}

export async function currentTopThree(db: Db, userId: string): Promise<TopThreeVersion | null> {
  const row = await db.topThingsVersion.findFirst({ where: { userId }, orderBy: [{ createdAt: 'desc' }, { id: 'desc' }] });
  return row ? toVersion(row) : null;
}

/** Every version they saved, newest first. */
export async function topThreeHistory(db: Db, userId: string): Promise<TopThreeVersion[]> {
  const rows = await db.topThingsVersion.findMany({ where: { userId }, orderBy: [{ createdAt: 'desc' }, { id: 'desc' }] });
  return rows.map(toVersion);
}

/** Each save is a new version; the draft it came from is gone at the same moment. */
export async function saveTopThree(db: Db, userId: string, things: TopThing[], now = new Date()): Promise<void> {
  const items = JSON.stringify(topThingsSchema.parse(things));
  await db.$transaction(async (tx) => {
    await tx.topThingsVersion.create({ data: { userId, items, createdAt: now } });
    await drafts.deleteDraft(tx, userId, draftJourney('top-three'));
    await queueContribution(tx, userId, 'top-three', userId, now);
  });
}

/** When a professional last viewed their top three (recorded in the audit log by the professional view). */
export async function lastProfessionalView(db: Db, userId: string): Promise<Date | null> {
  const row = await db.auditEntry.findFirst({
    where: { citizenId: userId, action: 'view', category: 'top-three', actorKind: 'staff' },
    orderBy: { at: 'desc' },
    select: { at: true },
  });
  return row?.at ?? null;
}

// ---- Long-term conditions -----------------------------------------------------------------

export type Condition = { id: string; code: string | null; name: string; addedAt: Date };

export function listConditions(db: Db, userId: string): Promise<Condition[]> {
  return db.longTermCondition.findMany({
    where: { userId },
    orderBy: [{ addedAt: 'asc' }, { id: 'asc' }],
    select: { id: true, code: true, name: true, addedAt: true },
  });
}

/** One of their conditions, or null: another citizen's condition is never found. */
export function findCondition(db: Db, userId: string, id: string): Promise<Condition | null> {
  return db.longTermCondition.findFirst({ where: { id, userId }, select: { id: true, code: true, name: true, addedAt: true } });
}

/** Adds it unless they already have it; the draft it came from is removed either way. */
export async function addCondition(db: Db, userId: string, condition: NewCondition): Promise<'added' | 'already-added'> {
  const checked = storedConditionSchema.parse(condition);
  return db.$transaction(async (tx) => {
    const held = await tx.longTermCondition.findMany({ where: { userId }, select: { code: true, name: true } });
    await drafts.deleteDraft(tx, userId, draftJourney('condition'));
    if (alreadyHeld(checked, held)) return 'already-added';
    await tx.longTermCondition.create({ data: { userId, code: checked.code, name: checked.name } });
    return 'added';
  });
}

/**
 * Adds a condition inside the caller's transaction, unless they already have it (then null):
 * for the open platform API, which writes its audit entry in the same transaction.
 */
export async function addConditionInTransaction(tx: Tx, userId: string, condition: NewCondition, now: Date): Promise<Condition | null> {
  const checked = storedConditionSchema.parse(condition);
  const held = await tx.longTermCondition.findMany({ where: { userId }, select: { code: true, name: true } });
  if (alreadyHeld(checked, held)) return null;
  return tx.longTermCondition.create({
    data: { userId, code: checked.code, name: checked.name, addedAt: now },
    select: { id: true, code: true, name: true, addedAt: true },
  });
}

/** Removes one of their conditions; false when it is not theirs (or already gone). */
export async function removeCondition(db: Db, userId: string, id: string): Promise<boolean> {
  const { count } = await db.longTermCondition.deleteMany({ where: { id, userId } });
  return count === 1;
}

// ---- Communication needs ------------------------------------------------------------------

export async function readCommunicationNeeds(db: Db, userId: string): Promise<(CommunicationNeedsAnswers & { updatedAt: Date }) | null> {
  const row = await db.communicationNeeds.findUnique({ where: { userId } });
  return row && { ...savedCommunicationNeeds(row), updatedAt: row.updatedAt };
}

/** Replaces their needs (one row per citizen) and removes the draft, together. */
export async function saveCommunicationNeeds(db: Db, userId: string, needs: CommunicationNeedsAnswers, now = new Date()): Promise<void> {
  const checked = communicationNeedsSchema.parse(needs);
  const data = {
    formats: checked.formats.join(','),
    interpreterLanguage: checked.interpreterLanguage,
    carerName: checked.carerName,
    carerContact: checked.carerContact,
    otherNeeds: checked.otherNeeds,
  };
  await db.$transaction(async (tx) => {
    await tx.communicationNeeds.upsert({ where: { userId }, create: { userId, ...data }, update: data });
    await drafts.deleteDraft(tx, userId, draftJourney('communication'));
    await queueContribution(tx, userId, 'communication-needs', userId, now);
  });
}
