import type { Db } from '@/lib/platform/db';
import { organisationName } from './organisations';

/**
 * Changes that did not reach an organisation: the dispatcher gave up on them (the receiver
 * refused them, or never answered after every attempt). Programme staff see them and send them
 * again once the organisation's system is fixed; until then the citizen's page says the change
 * has not reached that organisation.
 */

/** How many are listed at once, oldest first (the oldest have waited longest). */
export const FAILED_SHOWN = 50;

const WHAT: Record<string, string> = {
  'address-changed': 'Change of address',
  'contact-preferences-changed': 'Contact preferences',
  // What citizens add, sent to the shared care record (lib/sharing/care-record-sync.ts).
  'blood-pressure-reading': 'Blood pressure reading',
  'home-monitoring-week': 'Home reading week result',
  'top-three': 'Top three things',
  'communication-needs': 'Communication needs',
  category: 'Sharing choice changed',
  everything: 'Everything they share',
  // Emails and text messages to the citizen (lib/notifications): Notify refused them, or was down throughout.
  'new-letter': 'Email or text message: new letter',
  'engagement-invitation': 'Email or text message: invitation to have your say',
  'change-not-delivered': 'Email or text message: a change was not passed on',
  // To the address the citizen gave for someone they invited (lib/proxy), not to the citizen.
  'proxy-invitation': 'Email or text message: their invitation to someone to act for them',
};

/** Destinations that are not organisations' address receivers. */
const DESTINATIONS: Record<string, string> = {
  'care-record-contributions': 'The Leeds Care Record (what citizens add)',
  notify: 'GOV.UK Notify (to the citizen)',
};

export type FailedDelivery = {
  id: string;
  createdAt: Date;
  organisation: string;
  what: string;
  citizen: string;
  attempts: number;
  lastError: string;
};

export async function failedDeliveries(db: Db): Promise<{ total: number; rows: FailedDelivery[] }> {
  const where = { status: 'failed' };
  const [total, messages] = await Promise.all([
    db.outboxMessage.count({ where }),
    db.outboxMessage.findMany({ where, orderBy: { createdAt: 'asc' }, take: FAILED_SHOWN }),
  ]);
  const people = await db.user.findMany({
    where: { id: { in: [...new Set(messages.map((message) => message.userId))] } },
    select: { id: true, givenName: true, familyName: true },
  });
  const names = new Map(people.map((person) => [person.id, `${person.givenName} ${person.familyName}`]));
  return {
    total,
    rows: messages.map((message) => ({
      id: message.id,
      createdAt: message.createdAt,
      organisation: DESTINATIONS[message.destination] ?? organisationName(message.destination),
      what: WHAT[message.topic] ?? message.topic,
      citizen: names.get(message.userId) ?? 'An account that has since closed',
      attempts: message.attempts,
      lastError: message.lastError ?? 'Not known',
    })),
  };
}

/**
 * Puts a failed message back in the queue with its attempts counted from zero (the same
 * idempotency key, so an organisation that did get it once does not apply it twice).
 * False when there is no failed message with that id (already sent again, or never failed).
 */
export async function retryDelivery(db: Db, id: string, now = new Date()): Promise<boolean> {
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(id)) return false;
  const { count } = await db.outboxMessage.updateMany({
    where: { id, status: 'failed' },
    data: { status: 'pending', attempts: 0, nextAttemptAt: now, lockedUntil: null, lockedBy: null, lastError: null },
  });
  return count === 1;
}
