import { queueNotification } from '@/lib/notifications/public';
import { getDb, type Db, type Tx } from '@/lib/platform/db';
import type { ClaimedMessage } from '@/lib/platform/outbox';
import { contactDetailsConfig } from './config';
import { createDispatcher, type Dispatcher } from './outbox';
import { rememberReference } from './references';

/**
 * The dispatcher that sends contact-detail changes to the organisations. It runs in the worker
 * process (lib/platform/worker), never in the web process: pages only queue messages and ask
 * for them to be sent now (deliverSoon in lib/platform/outbox.ts). Several workers may run at
 * once: the leases keep them from sending the same message twice.
 */
export function contactDetailsDispatcher(db: Db = getDb()): Dispatcher {
  const { receivers, keys, delivery } = contactDetailsConfig();
  return createDispatcher({
    db,
    receivers,
    keys,
    ...delivery,
    onFailed: tellCitizenChangeNotDelivered,
    // The council's reference for the person, when its receiver gives one: how its letters find them.
    onReference: (message, reference, now) => keepOrganisationReference(db, message, reference, now),
  });
}

/** Keeps the reference an organisation's receiver answered with (only the organisations that use it: references.ts). */
export async function keepOrganisationReference(db: Db, message: ClaimedMessage, reference: string, now: Date): Promise<void> {
  await rememberReference(db, message.destination, reference, message.userId, now);
}

/**
 * A change an organisation will not get: the citizen is told by email or text (if they chose
 * one), once per change however many organisations it did not reach, so they can tell it themselves.
 */
export async function tellCitizenChangeNotDelivered(tx: Tx, message: ClaimedMessage, now: Date): Promise<void> {
  await queueNotification(tx, { userId: message.userId, template: 'change-not-delivered', subjectId: message.subjectId }, now);
}
