import { careRecordClient, CARE_RECORD_DESTINATION } from '@/lib/care-record/public';
import { config } from '@/lib/platform/config';
import { getDb, type Db } from '@/lib/platform/db';
import { createDispatcher, type Dispatcher } from '@/lib/platform/outbox';
import { careRecordSender } from './care-record-sync';

/**
 * The dispatcher that sends what citizens add on its way to the shared care record. Like
 * contact details' (lib/contact-details/delivery.ts) it runs in the worker process
 * (lib/platform/worker), and pages ask for what they queued to be sent now (deliverSoon in
 * lib/platform/outbox.ts), so most changes reach the care record before the next page. Same
 * DELIVERY_* settings.
 */
export function careRecordDispatcher(db: Db = getDb()): Dispatcher {
  const settings = config();
  const { delivery } = settings.contactDetails;
  return createDispatcher({
    db,
    senders: { [CARE_RECORD_DESTINATION]: careRecordSender({ db, client: careRecordClient }) },
    maxAttempts: delivery.maxAttempts,
    backoffBaseMs: delivery.backoffBaseMs,
    backoffMaxMs: delivery.backoffMaxMs,
    // A send is a few calls (a read before withdrawing, a write, perhaps again), each with its timeout.
    leaseMs: settings.careRecord.timeoutMs * 12 + 5_000,
  });
}
