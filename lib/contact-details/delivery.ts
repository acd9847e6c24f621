import { getDb } from '@/lib/platform/db';
import { registerDispatcher, unregisterDispatcher } from '@/lib/platform/outbox';
import { contactDetailsConfig } from './config';
import { createDispatcher, type Dispatcher } from './outbox';

/**
 * The app's one dispatcher. It runs in the app process: started from instrumentation.ts when
 * the server starts (rounds every DELIVERY_INTERVAL_MS), and kicked right after each change
 * commits, so that most changes are received before the confirmation page is shown.
 * Several app processes may run it at once: the leases keep them from sending twice.
 */

const holder = globalThis as typeof globalThis & { phrContactDispatcher?: Dispatcher };

export function contactDetailsDispatcher(): Dispatcher {
  if (!holder.phrContactDispatcher) {
    const { receivers, delivery } = contactDetailsConfig();
    holder.phrContactDispatcher = createDispatcher({ db: getDb(), receivers, ...delivery });
    registerDispatcher('contact-details', holder.phrContactDispatcher);
  }
  return holder.phrContactDispatcher;
}

export function startContactDetailsDelivery(): void {
  contactDetailsDispatcher().start(contactDetailsConfig().delivery.intervalMs);
}

export async function stopContactDetailsDelivery(): Promise<void> {
  await holder.phrContactDispatcher?.stop();
  holder.phrContactDispatcher = undefined;
  unregisterDispatcher('contact-details');
}

/** Delivers now, waiting at most `waitMs` (the page does not wait for a slow organisation). */
export async function deliverSoon(waitMs = 1_500): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([
    contactDetailsDispatcher().kick(),
    new Promise<void>((resolve) => {
      timer = setTimeout(resolve, waitMs);
    }),
  ]).finally(() => clearTimeout(timer));
}
