import { randomUUID } from 'node:crypto';
import type { z } from 'zod';
import { Prisma, type ContactPreference, type FewerLettersChoice, type OutboxMessage, type PostalAddress } from '@/lib/generated/sqlite/client';
import type { Db } from '@/lib/platform/db';
import { directReads, rowOf, selectList, type Columns } from '@/lib/platform/direct-reads';
import * as drafts from '@/lib/platform/drafts';
import type { Address, ChosenAddress } from './address';
import { ORGANISATIONS, isOrganisationId, type OrganisationId } from './organisations';
import { enqueue, type Tx } from './outbox';
import { isPostToDigitalSwitch, type Channel, type PreferenceAnswers } from './preferences';

/**
 * Data access for contact details. Every function takes the citizen's own user id (from their
 * session, never from the request), so one citizen can never read or change another's details.
 */

export type DraftKind = 'preference' | 'address';

const draftJourney = (kind: DraftKind) => `contact-details/${kind}` as const;

/** The journey's answers so far ({} when none, when their time has passed, or when what was kept no longer fits the schema). */
export async function readDraft<S extends z.ZodType>(db: Db, userId: string, kind: DraftKind, schema: S): Promise<z.output<S>> {
  return (await drafts.readDraft(db, userId, draftJourney(kind), schema)) ?? schema.parse({});
}

export function saveDraft(db: Db, userId: string, kind: DraftKind, answers: unknown): Promise<void> {
  return drafts.saveDraft(db, userId, draftJourney(kind), answers);
}

/** Takes the draft away inside a transaction: false when it was already gone (a second, duplicate submit) or out of time. */
function takeDraft(tx: Tx, userId: string, kind: DraftKind): Promise<boolean> {
  return drafts.takeDraft(tx, userId, draftJourney(kind));
}

export type ContactPreferences = {
  channel: Channel | null;
  email?: string;
  mobile?: string;
  fewerLetters: OrganisationId[];
  changeId: string | null;
};

const preferenceColumns: Columns<Pick<ContactPreference, 'channel' | 'email' | 'mobile' | 'changeId'>> = {
  channel: 'text',
  email: 'text?',
  mobile: 'text?',
  changeId: 'text',
};
const CONTACT_PREFERENCE = `SELECT ${selectList('p', preferenceColumns)} FROM "ContactPreference" p WHERE p."userId" = ?`;
const choiceColumns: Columns<Pick<FewerLettersChoice, 'organisation' | 'fewerLetters'>> = { organisation: 'text', fewerLetters: 'bool' };
// Every choice, yes or no (at most one for each organisation), kept to the yeses in code: SQLite holds a boolean as 0 or 1 and PostgreSQL as true or false.
const FEWER_LETTERS = `SELECT ${selectList('f', choiceColumns)} FROM "FewerLettersChoice" f WHERE f."userId" = ? ORDER BY f."organisation"`;

/**
 * How they want to be contacted, and the organisations they want fewer letters from, read
 * directly (lib/platform/direct-reads.ts): about me shows them on every view.
 */
export async function contactPreferencesOf(db: Db, userId: string): Promise<ContactPreferences> {
  const reads = directReads(db);
  const [[values], choices] = await Promise.all([reads.rows(CONTACT_PREFERENCE, [userId]), reads.rows(FEWER_LETTERS, [userId])]);
  const preference = values && rowOf(preferenceColumns, values);
  return {
    channel: (preference?.channel as Channel | undefined) ?? null,
    email: preference?.email ?? undefined,
    mobile: preference?.mobile ?? undefined,
    fewerLetters: choices
      .map((choice) => rowOf(choiceColumns, choice))
      .filter((choice) => choice.fewerLetters)
      .map((choice) => choice.organisation)
      .filter(isOrganisationId),
    changeId: preference?.changeId ?? null,
  };
}

async function citizenIdentity(tx: Tx, userId: string) {
  const user = await tx.user.findUniqueOrThrow({ where: { id: userId } });
  // What each organisation needs to find its own record of this person.
  return { nhsNumber: user.nhsNumber, givenName: user.givenName, familyName: user.familyName, birthDate: user.birthDate };
}

/**
 * Saves the confirmed preferences, counts a move from post to digital, and queues the change
 * for every organisation: all in one transaction, and only once per confirmed draft.
 * Returns the change id, or null when the draft was already used.
 */
export async function savePreferences(db: Db, userId: string, answers: PreferenceAnswers, now = new Date()): Promise<string | null> {
  return db.$transaction(async (tx) => {
    if (!(await takeDraft(tx, userId, 'preference'))) return null;
    const previous = await tx.contactPreference.findUnique({ where: { userId } });
    const changeId = randomUUID();
    const data = { channel: answers.channel, email: answers.email ?? null, mobile: answers.mobile ?? null, changeId, updatedAt: now };
    await tx.contactPreference.upsert({ where: { userId }, create: { userId, ...data }, update: data });
    for (const { id } of ORGANISATIONS) {
      const fewerLetters = answers.fewerLetters.includes(id);
      await tx.fewerLettersChoice.upsert({
        where: { userId_organisation: { userId, organisation: id } },
        create: { userId, organisation: id, fewerLetters, updatedAt: now },
        update: { fewerLetters, updatedAt: now },
      });
    }
    const previousChannel = (previous?.channel as Channel | undefined) ?? null;
    if (isPostToDigitalSwitch(previousChannel, answers.channel)) {
      await tx.postToDigitalSwitch.create({ data: { userId, at: now, fromChannel: 'post', toChannel: answers.channel } });
    }
    const citizen = await citizenIdentity(tx, userId);
    // Each organisation gets its own message: its own fewer-letters choice.
    for (const organisation of ORGANISATIONS) {
      const message = {
        topic: 'contact-preferences-changed',
        userId,
        subjectId: changeId,
        payload: {
          type: 'contact-preferences-changed',
          changedAt: now.toISOString(),
          citizen,
          channel: answers.channel,
          email: answers.email ?? null,
          mobile: answers.mobile ?? null,
          fewerLetters: answers.fewerLetters.includes(organisation.id),
        },
      } as const;
      await enqueue(tx, message, now, [organisation.id]);
    }
    return changeId;
  });
}

export type StoredAddress = Address & { id: string; createdAt: Date; source: string };

const addressColumns: Columns<Omit<PostalAddress, 'userId' | 'uprn'>> = {
  id: 'text',
  createdAt: 'date',
  line1: 'text',
  line2: 'text?',
  town: 'text',
  county: 'text?',
  postcode: 'text',
  source: 'text',
};
const CURRENT_ADDRESS = `SELECT ${selectList('a', addressColumns)} FROM "PostalAddress" a
  WHERE a."userId" = ? ORDER BY a."createdAt" DESC, a."id" DESC LIMIT 1`;

/** The current address (the newest one given), or null: read directly, as about me shows it on every view. */
export async function currentAddressOf(db: Db, userId: string): Promise<StoredAddress | null> {
  const [values] = await directReads(db).rows(CURRENT_ADDRESS, [userId]);
  if (!values) return null;
  const row = rowOf(addressColumns, values);
  return {
    id: row.id,
    createdAt: row.createdAt,
    source: row.source,
    line1: row.line1,
    line2: row.line2 ?? undefined,
    town: row.town,
    county: row.county ?? undefined,
    postcode: row.postcode,
  };
}

/**
 * Records the new address at source and queues it for every organisation, in one
 * transaction, once per confirmed draft. Returns the new address id, or null when the
 * draft was already used.
 */
export async function changeAddress(db: Db, userId: string, address: ChosenAddress, now = new Date()): Promise<string | null> {
  return db.$transaction(async (tx) => {
    if (!(await takeDraft(tx, userId, 'address'))) return null;
    const row = await tx.postalAddress.create({
      data: {
        userId,
        createdAt: now,
        line1: address.line1,
        line2: address.line2 ?? null,
        town: address.town,
        county: address.county ?? null,
        postcode: address.postcode,
        source: address.source,
        uprn: address.uprn ?? null,
      },
    });
    const citizen = await citizenIdentity(tx, userId);
    await enqueue(
      tx,
      {
        topic: 'address-changed',
        userId,
        subjectId: row.id,
        payload: {
          type: 'address-changed',
          changedAt: now.toISOString(),
          citizen,
          address: { line1: row.line1, line2: row.line2, town: row.town, county: row.county, postcode: row.postcode, uprn: row.uprn },
        },
      },
      now,
    );
    return row.id;
  });
}

/** received | sending (first try not finished) | retrying | failed */
export type DeliveryState = 'received' | 'sending' | 'retrying' | 'failed';
export type OrganisationDelivery = { organisation: OrganisationId; name: string; state: DeliveryState };

const messageColumns: Columns<Pick<OutboxMessage, 'destination' | 'status' | 'attempts'>> = { destination: 'text', status: 'text', attempts: 'int' };
const DELIVERIES = `SELECT ${selectList('o', messageColumns)} FROM "OutboxMessage" o
  WHERE o."userId" = ? AND o."subjectId" = ? ORDER BY o."createdAt", o."id"`;

/** Whether each organisation has received one of this citizen's changes: read directly, as about me shows it on every view. */
export async function deliveriesOf(db: Db, userId: string, subjectId: string): Promise<OrganisationDelivery[]> {
  const messages = (await directReads(db).rows(DELIVERIES, [userId, subjectId])).map((row) => rowOf(messageColumns, row));
  return ORGANISATIONS.flatMap((organisation) => {
    const message = messages.find((candidate) => candidate.destination === organisation.id);
    if (!message) return [];
    const state: DeliveryState =
      message.status === 'delivered' ? 'received' : message.status === 'failed' ? 'failed' : message.attempts === 0 ? 'sending' : 'retrying';
    return [{ organisation: organisation.id, name: organisation.name, state }];
  });
}

/**
 * For the programme's benefits reporting: how many people moved from letters by post to a
 * digital channel (email, text or this service only) between `from` (inclusive) and `to`
 * (exclusive). A person counted once however often they switched.
 */
export async function postToDigitalSwitchCount(db: Db, from?: Date, to?: Date): Promise<number> {
  // Counted in the database: a grouped query would bring every person's id back to be counted here.
  const [row] = await db.$queryRaw<{ people: number | bigint }[]>`
    SELECT COUNT(DISTINCT s."userId") AS "people" FROM "PostToDigitalSwitch" s
    WHERE ${from ? Prisma.sql`s."at" >= ${from}` : Prisma.sql`1 = 1`} AND ${to ? Prisma.sql`s."at" < ${to}` : Prisma.sql`1 = 1`}`;
  return Number(row?.people ?? 0);
}
