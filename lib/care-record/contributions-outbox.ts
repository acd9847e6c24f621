import type { OutboxMessage } from '@/lib/generated/sqlite/client';
import type { Db, Tx } from '@/lib/platform/db';
import { directReads, rowOf, selectList, type Columns } from '@/lib/platform/direct-reads';
import { enqueue, enqueueMany } from '@/lib/platform/outbox';
import { linkedPatientId } from './link-store';

/**
 * What citizens add, on its way to the shared care record: the queue side. A change to a
 * reading, a week's result, the top three things or communication needs queues a message, in
 * the transaction that makes the change, naming only WHAT changed (kind, local id, whose). The
 * sender (lib/sharing/care-record-sync.ts) builds the resource from the database as it is when
 * it sends, so a late retry can never put back an older state, and a deleted or no longer
 * shared item is sent as entered-in-error.
 *
 * Only for citizens whose record is matched (CareRecordLink): there is nowhere to send it
 * before. When a match is made, queueEverythingShared sends what they added until then.
 */

export const CARE_RECORD_DESTINATION = 'care-record-contributions';

/** One thing a citizen added, each sent as its own resources. */
export type ContributionKind = 'blood-pressure-reading' | 'home-monitoring-week' | 'top-three' | 'communication-needs';

/** The sharing categories (lib/sharing/categories.ts) whose items go to the care record. */
export type SyncedCategory = 'blood-pressure' | 'top-three' | 'communication';
export const SYNCED_CATEGORIES: readonly SyncedCategory[] = ['blood-pressure', 'top-three', 'communication'];

export const CATEGORY_OF: Record<ContributionKind, SyncedCategory> = {
  'blood-pressure-reading': 'blood-pressure',
  'home-monitoring-week': 'blood-pressure',
  'top-three': 'top-three',
  'communication-needs': 'communication',
};

/** Messages that stand for many items: expanded into one message per item when sent. */
export const EXPANSION_TOPICS = { category: 'category', everything: 'everything' } as const;

export type ContributionMessage =
  | { kind: ContributionKind; localId: string }
  | { kind: typeof EXPANSION_TOPICS.category; category: SyncedCategory }
  | { kind: typeof EXPANSION_TOPICS.everything };

// linkedPatientId reads only CareRecordLink, which a transaction reads the same way.
const patientOf = (tx: Tx, userId: string) => linkedPatientId(tx as unknown as Db, userId);

/**
 * Queues one item (a reading id, a week id, or the citizen's id for their top three things and
 * communication needs) to be sent as it will then be. Nothing when they have no matched record.
 */
export async function queueContribution(tx: Tx, userId: string, kind: ContributionKind, localId: string, now: Date): Promise<void> {
  if (!(await patientOf(tx, userId))) return;
  await enqueue(
    tx,
    { destination: CARE_RECORD_DESTINATION, topic: kind, userId, subjectId: localId, payload: { kind, localId } satisfies ContributionMessage },
    now,
  );
}

/** Queues many items of one citizen at once (a category sent again), in one statement. */
export async function queueContributions(tx: Tx, userId: string, items: readonly [ContributionKind, string][], now: Date): Promise<void> {
  if (items.length === 0 || !(await patientOf(tx, userId))) return;
  await enqueueMany(
    tx,
    items.map(([kind, localId]) => ({
      destination: CARE_RECORD_DESTINATION,
      topic: kind,
      userId,
      subjectId: localId,
      payload: { kind, localId } satisfies ContributionMessage,
    })),
    now,
  );
}

/** After a sharing choice changed: every item of that category is sent again (or withdrawn). */
export async function queueCategory(tx: Tx, userId: string, category: SyncedCategory, now: Date): Promise<void> {
  if (!(await patientOf(tx, userId))) return;
  await enqueue(
    tx,
    {
      destination: CARE_RECORD_DESTINATION,
      topic: EXPANSION_TOPICS.category,
      userId,
      subjectId: category,
      payload: { kind: 'category', category } satisfies ContributionMessage,
    },
    now,
  );
}

/**
 * Queues everything the citizen shares, e.g. when their record has just been matched (call it
 * in that transaction). One message, expanded into one per item when it is sent.
 */
export async function queueEverythingShared(tx: Tx, userId: string, now: Date): Promise<void> {
  if (!(await patientOf(tx, userId))) return;
  await enqueue(
    tx,
    {
      destination: CARE_RECORD_DESTINATION,
      topic: EXPANSION_TOPICS.everything,
      userId,
      subjectId: userId,
      payload: { kind: 'everything' } satisfies ContributionMessage,
    },
    now,
  );
}

/**
 * Which of these items the care record has not received yet: a message for it is still
 * waiting (or being retried), the last one failed, or its whole category is still waiting to
 * be sent again. Items never queued (no matched record) are not listed.
 */
export async function notYetInCareRecord(db: Db, userId: string, kind: ContributionKind, localIds: readonly string[]): Promise<Set<string>> {
  const [waiting] = await notYetInCareRecordOf(db, userId, [{ kind, localIds }]);
  return waiting;
}

type MessageState = Pick<OutboxMessage, 'topic' | 'subjectId' | 'status'>;
const messageStateColumns: Columns<MessageState> = { topic: 'text', subjectId: 'text', status: 'text' };

/**
 * The state of a citizen's care-record messages about these subjects of these topics, and of
 * every "everything" message, oldest first; read directly (lib/platform/direct-reads.ts): the
 * readings and about me pages ask on every view.
 */
async function messagesAbout(db: Db, userId: string, asked: { topic: string; subjectIds: readonly string[] }[]): Promise<MessageState[]> {
  const terms = asked.map(({ subjectIds }) => `(o."topic" = ? AND o."subjectId" IN (${subjectIds.map(() => '?').join(', ')}))`);
  const sql = `SELECT ${selectList('o', messageStateColumns)} FROM "OutboxMessage" o
    WHERE o."userId" = ? AND o."destination" = ? AND (${[...terms, 'o."topic" = ?'].join(' OR ')})
    ORDER BY o."createdAt", o."id"`;
  const args = [userId, CARE_RECORD_DESTINATION, ...asked.flatMap(({ topic, subjectIds }) => [topic, ...subjectIds]), EXPANSION_TOPICS.everything];
  const rows = await directReads(db).rows(sql, args);
  return rows.map((row) => rowOf(messageStateColumns, row));
}

/**
 * notYetInCareRecord for items of several kinds at once (a page showing several), in one query:
 * a set for each entry, in the same order.
 */
export async function notYetInCareRecordOf<const Items extends readonly { kind: ContributionKind; localIds: readonly string[] }[]>(
  db: Db,
  userId: string,
  items: Items,
): Promise<{ [Entry in keyof Items]: Set<string> }> {
  const asked = items.filter((item) => item.localIds.length > 0);
  type Sets = { [Entry in keyof Items]: Set<string> };
  if (asked.length === 0) return items.map(() => new Set<string>()) as unknown as Sets;
  const kinds = [...new Set(asked.map((item) => item.kind))];
  const categories = [...new Set(kinds.map((kind) => CATEGORY_OF[kind]))];
  const messages = await messagesAbout(db, userId, [
    ...kinds.map((kind) => ({ topic: kind, subjectIds: [...new Set(asked.filter((item) => item.kind === kind).flatMap((item) => item.localIds))] })),
    { topic: EXPANSION_TOPICS.category, subjectIds: categories },
  ]);
  // Not there yet: a message still pending, or the newest one failed (a failed one followed
  // by a delivered one does not count: the delivered one sent the state as it then was).
  // Each message is kept under its topic and subject: an item's kind and id, a category's name.
  const key = (topic: string, subjectId: string) => `${topic}\u0000${subjectId}`;
  const everythingKey = key(EXPANSION_TOPICS.everything, '');
  const pending = new Set<string>();
  const newest = new Map<string, string>();
  for (const message of messages) {
    const k = message.topic === EXPANSION_TOPICS.everything ? everythingKey : key(message.topic, message.subjectId);
    if (message.status === 'pending') pending.add(k);
    newest.set(k, message.status);
  }
  const waiting = (k: string) => pending.has(k) || newest.get(k) === 'failed';
  return items.map(({ kind, localIds }) => {
    const everyItem = waiting(key(EXPANSION_TOPICS.category, CATEGORY_OF[kind])) || waiting(everythingKey);
    return new Set(localIds.filter((id) => everyItem || waiting(key(kind, id))));
  }) as unknown as Sets;
}
