import { getDb, type Db } from '@/lib/platform/db';
import { contactDetailsConfig } from './config';
import { createDispatcher, type Dispatcher } from './outbox';

/**
 * The dispatcher that sends contact-detail changes to the organisations. It runs in the worker
 * process (lib/platform/worker), never in the web process: pages only queue messages and ask
 * for them to be sent now (deliverSoon in lib/platform/outbox.ts). Several workers may run at
 * once: the leases keep them from sending the same message twice.
 */
export function contactDetailsDispatcher(db: Db = getDb()): Dispatcher {
  const { receivers, delivery } = contactDetailsConfig();
  return createDispatcher({ db, receivers, ...delivery });
}
