import { communicationNeedsForCareRecord, topThreeForCareRecord } from '@/lib/about-me/public';
import { bloodPressureItems, readingForCareRecord, weekForCareRecord } from '@/lib/blood-pressure/public';
import {
  CARE_RECORD_DESTINATION,
  CATEGORY_OF,
  CareRecordWriteFailed,
  EXPANSION_TOPICS,
  linkedPatientId,
  queueContributions,
  SYNCED_CATEGORIES,
  type CareRecordClient,
  type ContributionKind,
  type ContributionMessage,
  type SyncedCategory,
} from '@/lib/care-record/public';
import type { Flag, Observation } from '@medplum/fhirtypes';
import type { CareRecordEntry } from '@/lib/platform/care-record-entries';
import type { Db } from '@/lib/platform/db';
import type { SendOutcome, Sender } from '@/lib/platform/outbox';
import { sharingChoices } from './consent';

/**
 * What citizens add, sent to the shared care record: the sender for the outbox destination
 * CARE_RECORD_DESTINATION (queued by lib/care-record/contributions-outbox.ts).
 *
 * A message names only what to send (a reading, a week, top three things, communication
 * needs). The resources are built here, when sending, from the database as it is now, and
 * from the citizen's sharing choices as they are now:
 * - shared and present: PUT at our fixed id (update-as-create), so sending twice is one resource;
 * - deleted, no longer shared, or nothing to say: withdrawn. We read what the care record
 *   holds at that id and PUT it back as entered-in-error; when it holds nothing, nothing is sent
 *   (what was never shared is never written at all).
 * After writing, the state is built again: if it changed meanwhile (another sender may have
 * written an older state after ours), it is written again, so the last write is always the
 * current state. Whole categories ("sharing turned on", "record just matched") arrive as one
 * message and are expanded here into one message per item.
 */

const ROUNDS = 3;

async function entriesFor(db: Db, userId: string, kind: ContributionKind, localId: string, patientId: string): Promise<CareRecordEntry[]> {
  const entries = await (kind === 'blood-pressure-reading'
    ? readingForCareRecord(db, userId, localId, patientId)
    : kind === 'home-monitoring-week'
      ? weekForCareRecord(db, userId, localId, patientId)
      : kind === 'top-three'
        ? topThreeForCareRecord(db, userId, patientId)
        : communicationNeedsForCareRecord(db, userId, patientId));
  const shared = (await sharingChoices(db, userId))[CATEGORY_OF[kind]];
  // Not shared: every resource for it is withdrawn.
  return shared ? entries : entries.map(({ resourceType, id }) => ({ resourceType, id }) as CareRecordEntry);
}

async function write(client: CareRecordClient, entry: CareRecordEntry): Promise<void> {
  if (entry.resource) {
    await client.put({ ...entry.resource, id: entry.id });
    return;
  }
  const current = await client.readCurrent<Observation | Flag>(entry.resourceType, entry.id);
  if (!current || current.status === 'entered-in-error') return;
  const { meta: _meta, ...rest } = current;
  await client.put({ ...rest, id: entry.id, status: 'entered-in-error' });
}

/** One message per item of these categories, in one transaction. */
async function expand(db: Db, userId: string, categories: readonly SyncedCategory[], now: Date): Promise<void> {
  const items: [ContributionKind, string][] = [];
  for (const category of categories) {
    if (category === 'blood-pressure') {
      const { readings, weeks } = await bloodPressureItems(db, userId);
      items.push(...readings.map((id): [ContributionKind, string] => ['blood-pressure-reading', id]));
      items.push(...weeks.map((id): [ContributionKind, string] => ['home-monitoring-week', id]));
    } else {
      items.push([category === 'top-three' ? 'top-three' : 'communication-needs', userId]);
    }
  }
  await db.$transaction((tx) => queueContributions(tx, userId, items, now));
}

function parse(payload: string): ContributionMessage | undefined {
  try {
    const message = JSON.parse(payload) as ContributionMessage;
    return typeof message === 'object' && message !== null && typeof message.kind === 'string' ? message : undefined;
  } catch {
    return undefined;
  }
}

export function careRecordSender(options: { db: Db; client: () => CareRecordClient }): Sender {
  const { db } = options;
  return async (message, now): Promise<SendOutcome> => {
    const payload = parse(message.payload);
    if (!payload) return { ok: false, retry: false, error: 'not a message we understand' };
    const { userId } = message;
    if (payload.kind === EXPANSION_TOPICS.everything) {
      const shared = await sharingChoices(db, userId);
      await expand(
        db,
        userId,
        SYNCED_CATEGORIES.filter((category) => shared[category]),
        now,
      );
      return { ok: true };
    }
    if (payload.kind === EXPANSION_TOPICS.category) {
      if (!SYNCED_CATEGORIES.includes(payload.category)) return { ok: false, retry: false, error: 'not a category we send' };
      await expand(db, userId, [payload.category], now);
      return { ok: true };
    }
    if (!(payload.kind in CATEGORY_OF)) return { ok: false, retry: false, error: 'not a kind we send' };
    // No matched record any more: there is nowhere to send it (a new match sends everything).
    const patientId = await linkedPatientId(db, userId);
    if (!patientId) return { ok: true };
    const client = options.client();
    try {
      let entries = await entriesFor(db, userId, payload.kind, payload.localId, patientId);
      for (let round = 1; round <= ROUNDS; round += 1) {
        for (const entry of entries) await write(client, entry);
        const now = await entriesFor(db, userId, payload.kind, payload.localId, patientId);
        if (JSON.stringify(now) === JSON.stringify(entries)) return { ok: true };
        entries = now;
      }
      return { ok: false, retry: true, error: 'changed while it was being sent' };
    } catch (error) {
      if (error instanceof CareRecordWriteFailed) {
        return { ok: false, retry: error.retry, error: `care record: ${error.reason}${error.status ? ` (HTTP ${error.status})` : ''}` };
      }
      throw error;
    }
  };
}
