import { queueContribution } from '@/lib/care-record/public';
import type { AuditEntry, CommunicationNeeds, LongTermCondition, TopThingsVersion } from '@/lib/generated/sqlite/client';
import type { Db, Tx } from '@/lib/platform/db';
import { directReads, rowOf, selectList, type Columns } from '@/lib/platform/direct-reads';
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

const versionColumns: Columns<Pick<TopThingsVersion, 'id' | 'createdAt' | 'items'>> = { id: 'text', createdAt: 'date', items: 'text' };
const CURRENT_TOP_THREE = `SELECT ${selectList('t', versionColumns)} FROM "TopThingsVersion" t
  WHERE t."userId" = ? ORDER BY t."createdAt" DESC, t."id" DESC LIMIT 1`;

/** The version they saved last, or null: read directly (lib/platform/direct-reads.ts), as about me reads it on every view. */
export async function currentTopThree(db: Db, userId: string): Promise<TopThreeVersion | null> {
  const [row] = await directReads(db).rows(CURRENT_TOP_THREE, [userId]);
  return row ? toVersion(rowOf(versionColumns, row)) : null;
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

const viewedColumns: Columns<Pick<AuditEntry, 'at'>> = { at: 'date' };
const LAST_PROFESSIONAL_VIEW = `SELECT ${selectList('a', viewedColumns)} FROM "AuditEntry" a
  WHERE a."citizenId" = ? AND a."action" = 'view' AND a."category" = 'top-three' AND a."actorKind" = 'staff'
  ORDER BY a."at" DESC LIMIT 1`;

/**
 * When a professional last viewed their top three (recorded in the audit log by the professional
 * view), read directly: about me shows it on every view.
 */
export async function lastProfessionalView(db: Db, userId: string): Promise<Date | null> {
  const [row] = await directReads(db).rows(LAST_PROFESSIONAL_VIEW, [userId]);
  return row ? rowOf(viewedColumns, row).at : null;
}

// ---- Long-term conditions -----------------------------------------------------------------

export type Condition = { id: string; code: string | null; name: string; addedAt: Date };

const conditionColumns: Columns<Pick<LongTermCondition, keyof Condition>> = { id: 'text', code: 'text?', name: 'text', addedAt: 'date' };
const LIST_CONDITIONS = `SELECT ${selectList('c', conditionColumns)} FROM "LongTermCondition" c
  WHERE c."userId" = ? ORDER BY c."addedAt", c."id"`;

/** Their conditions, first added first: read directly, as about me and the account home read them on every view. */
export async function listConditions(db: Db, userId: string): Promise<Condition[]> {
  const rows = await directReads(db).rows(LIST_CONDITIONS, [userId]);
  return rows.map((row) => rowOf(conditionColumns, row));
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

const needsColumns: Columns<Omit<CommunicationNeeds, 'userId'>> = {
  updatedAt: 'date',
  formats: 'text',
  interpreterLanguage: 'text?',
  carerName: 'text?',
  carerContact: 'text?',
  otherNeeds: 'text?',
};
const READ_COMMUNICATION_NEEDS = `SELECT ${selectList('n', needsColumns)} FROM "CommunicationNeeds" n WHERE n."userId" = ?`;

/** Their needs, or null: read directly, as about me reads them on every view. */
export async function readCommunicationNeeds(db: Db, userId: string): Promise<(CommunicationNeedsAnswers & { updatedAt: Date }) | null> {
  const [values] = await directReads(db).rows(READ_COMMUNICATION_NEEDS, [userId]);
  if (!values) return null;
  const row = rowOf(needsColumns, values);
  return { ...savedCommunicationNeeds(row), updatedAt: row.updatedAt };
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
