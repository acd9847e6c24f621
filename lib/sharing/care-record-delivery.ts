import { careRecordClient, CARE_RECORD_DESTINATION } from '@/lib/care-record/public';
import { config } from '@/lib/platform/config';
import { getDb } from '@/lib/platform/db';
import { createDispatcher, registerDispatcher, unregisterDispatcher, type Dispatcher } from '@/lib/platform/outbox';
import { careRecordSender } from './care-record-sync';

/**
 * The app's one dispatcher for what citizens add on its way to the shared care record. Like
 * contact details' (lib/contact-details/delivery.ts) it runs in the app process: started from
 * instrumentation.ts, and kicked after each change (deliverSoon in lib/platform/outbox.ts),
 * so most changes reach the care record before the next page. Same DELIVERY_* settings.
 */

const holder = globalThis as typeof globalThis & { phrCareRecordDispatcher?: Dispatcher };
const NAME = 'care-record-contributions';

export function careRecordDispatcher(): Dispatcher {
  if (!holder.phrCareRecordDispatcher) {
    const settings = config();
    const { delivery } = settings.contactDetails;
    const db = getDb();
    holder.phrCareRecordDispatcher = createDispatcher({
      db,
      senders: { [CARE_RECORD_DESTINATION]: careRecordSender({ db, client: careRecordClient }) },
      maxAttempts: delivery.maxAttempts,
      backoffBaseMs: delivery.backoffBaseMs,
      backoffMaxMs: delivery.backoffMaxMs,
      // A send is a few calls (a read before withdrawing, a write, perhaps again), each with its timeout.
      leaseMs: settings.careRecord.timeoutMs * 12 + 5_000,
    });
    registerDispatcher(NAME, holder.phrCareRecordDispatcher);
  }
  return holder.phrCareRecordDispatcher;
}

export function startCareRecordSync(): void {
  careRecordDispatcher().start(config().contactDetails.delivery.intervalMs);
}

export async function stopCareRecordSync(): Promise<void> {
  await holder.phrCareRecordDispatcher?.stop();
  holder.phrCareRecordDispatcher = undefined;
  unregisterDispatcher(NAME);
}
