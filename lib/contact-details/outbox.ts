import type { Tx } from '@/lib/platform/db';
import * as outbox from '@/lib/platform/outbox';
import { signRequest } from '@/lib/platform/signed-requests';
import { ORGANISATION_IDS, type OrganisationId } from './organisations';

/**
 * Contact-detail changes through the outbox (lib/platform/outbox.ts): one message per
 * organisation, each sent over HTTP to that organisation's receiver:
 *
 * - each message carries its own Idempotency-Key on every attempt, and receivers keep the first
 *   and drop repeats: a retry after a lost response (timeout, crash) delivers nothing twice;
 * - every attempt is signed afresh (lib/platform/signed-requests.ts) with the key we share with
 *   that organisation, named by its id: the receiver refuses what is unsigned, changed, stale or
 *   replayed;
 * - 2xx is delivered; 5xx, 401, 408, 425, 429, timeouts and connection errors are retried with
 *   exponential backoff (a 401, refused as not authenticated, is retried too: a key changed on
 *   one side before the other, or clocks apart, is put right without the message being wrong);
 *   any other 4xx (the message itself is wrong, sending it again cannot help) is marked failed
 *   at once and logged for staff to follow up.
 */

export type { Tx };
export { backoffMs, type RoundResult, type Dispatcher } from '@/lib/platform/outbox';

export const TOPICS = { 'address-changed': '/address-changes', 'contact-preferences-changed': '/contact-preferences' } as const;
export type Topic = keyof typeof TOPICS;

export type OutgoingMessage = { topic: Topic; userId: string; subjectId: string; payload: unknown };

/** Adds one message per organisation (every one, unless told). Call it inside the transaction that makes the change. */
export async function enqueue(tx: Tx, message: OutgoingMessage, now: Date, destinations: readonly OrganisationId[] = ORGANISATION_IDS): Promise<void> {
  for (const destination of destinations) await outbox.enqueue(tx, { ...message, destination }, now);
}

export type DispatcherOptions = Omit<outbox.DispatcherOptions, 'senders' | 'leaseMs'> & {
  /** Base URL of each organisation's receiver. */
  receivers: Record<OrganisationId, string>;
  /** The key shared with each organisation, that its changes are signed with. */
  keys: Record<OrganisationId, string>;
  timeoutMs: number;
  leaseMs?: number;
  fetch?: typeof fetch;
};

const RETRY_STATUSES = new Set([401, 408, 425, 429]);

/** Posts a message to one organisation's receiver, signed with the key shared with it. */
function receiverSender(base: string, secret: string, options: Pick<DispatcherOptions, 'timeoutMs' | 'fetch'>): outbox.Sender {
  const send = options.fetch ?? fetch;
  return async (message) => {
    const path = TOPICS[message.topic as Topic];
    if (!path) return { ok: false, retry: false, error: `no receiver for ${message.destination} ${message.topic}` };
    const url = `${base}${path}`;
    // Signed at the time it is really sent (the receiver checks it against its clock).
    const signature = signRequest({ organisationId: message.destination, secret, method: 'POST', url, body: message.payload });
    try {
      const response = await send(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'idempotency-key': message.idempotencyKey, ...signature },
        body: message.payload,
        signal: AbortSignal.timeout(options.timeoutMs),
        redirect: 'error',
      });
      await response.body?.cancel().catch(() => undefined);
      if (response.ok) return { ok: true };
      return { ok: false, retry: response.status >= 500 || RETRY_STATUSES.has(response.status), error: `HTTP ${response.status}` };
    } catch (error) {
      const name = error instanceof Error ? error.name : 'Error';
      return { ok: false, retry: true, error: name === 'TimeoutError' ? 'timed out' : `could not connect (${name})` };
    }
  };
}

/** A dispatcher for the organisations' receivers (it claims only their messages). */
export function createDispatcher(options: DispatcherOptions): outbox.Dispatcher {
  const { receivers, keys, timeoutMs, fetch: fetchImpl, leaseMs, ...rest } = options;
  const senders = Object.fromEntries(
    Object.entries(receivers).map(([destination, base]) => {
      const secret = keys[destination as OrganisationId];
      if (!secret) throw new Error(`No key to sign changes for ${destination} with`);
      return [destination, receiverSender(base, secret, { timeoutMs, fetch: fetchImpl })];
    }),
  );
  return outbox.createDispatcher({ ...rest, senders, leaseMs: leaseMs ?? timeoutMs * 2 + 5_000 });
}
