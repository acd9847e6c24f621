import { queueNotification } from '@/lib/notifications/public';
import { getDb, type Db, type Tx } from '@/lib/platform/db';
import type { ClaimedMessage } from '@/lib/platform/outbox';
import { contactDetailsConfig } from './config';
import { createDispatcher, type Dispatcher } from './outbox';

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
  });
}

/**
 * A change an organisation will not get: the citizen is told by email or text (if they chose
 * one), once per change however many organisations it did not reach, so they can tell it themselves.
 */
export async function tellCitizenChangeNotDelivered(tx: Tx, message: ClaimedMessage, now: Date): Promise<void> {
  await queueNotification(tx, { userId: message.userId, template: 'change-not-delivered', subjectId: message.subjectId }, now);
}
