import { readBounded } from '@/lib/platform/bounded-body';
import type { Tx } from '@/lib/platform/db';
import { errorFields, log } from '@/lib/platform/log';
import * as outbox from '@/lib/platform/outbox';
import { signRequest } from '@/lib/platform/signed-requests';
import { ORGANISATION_IDS, type OrganisationId } from './organisations';
import { isReference } from './references';

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
 *   at once and logged for staff to follow up;
 * - a receiver may answer 2xx with JSON `{ "reference": "<its reference for this person>" }`:
 *   it is passed to onReference (delivery.ts keeps the council's). Only a JSON answer of at most
 *   ANSWER_MAX_BYTES with a reference of 1 to 40 letters, digits and hyphens counts; anything
 *   else (another type, too long, not JSON, no reference, a failure keeping it) is ignored: the
 *   change was received all the same.
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
  /** A receiver that accepted a change gave its own reference for the person (see above). */
  onReference?: (message: outbox.ClaimedMessage, reference: string, now: Date) => Promise<void>;
};

/** The most of a receiver's answer that is read, looking for its reference. */
export const ANSWER_MAX_BYTES = 4096;

/** The reference in a receiver's answer, or null (and the rest of the answer is not read). */
async function referenceIn(response: Response): Promise<string | null> {
  const type = (response.headers.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
  if (type !== 'application/json') return null;
  const body = await readBounded(response, ANSWER_MAX_BYTES);
  if (body === 'too-large') return null;
  try {
    const answer = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(body)) as unknown;
    const reference = answer && typeof answer === 'object' && !Array.isArray(answer) ? (answer as { reference?: unknown }).reference : undefined;
    return isReference(reference) ? reference : null;
  } catch {
    return null;
  }
}

const RETRY_STATUSES = new Set([401, 408, 425, 429]);

/** Posts a message to one organisation's receiver, signed with the key shared with it. */
function receiverSender(base: string, secret: string, options: Pick<DispatcherOptions, 'timeoutMs' | 'fetch' | 'onReference'>): outbox.Sender {
  const send = options.fetch ?? fetch;
  return async (message, now) => {
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
      if (response.ok) {
        await keepReference(response, message, now, options.onReference);
        return { ok: true };
      }
      await response.body?.cancel().catch(() => undefined);
      return { ok: false, retry: response.status >= 500 || RETRY_STATUSES.has(response.status), error: `HTTP ${response.status}` };
    } catch (error) {
      const name = error instanceof Error ? error.name : 'Error';
      return { ok: false, retry: true, error: name === 'TimeoutError' ? 'timed out' : `could not connect (${name})` };
    }
  };
}

/** Passes on the reference in a receiver's answer, if any; never fails (the change was received). */
async function keepReference(response: Response, message: outbox.ClaimedMessage, now: Date, onReference: DispatcherOptions['onReference']): Promise<void> {
  try {
    const reference = onReference ? await referenceIn(response) : null;
    if (reference && onReference) await onReference(message, reference, now);
  } catch (error) {
    log.warn('organisation-reference-not-kept', { messageId: message.id, destination: message.destination, ...errorFields(error) });
  } finally {
    await response.body?.cancel().catch(() => undefined);
  }
}

/** A dispatcher for the organisations' receivers (it claims only their messages). */
export function createDispatcher(options: DispatcherOptions): outbox.Dispatcher {
  const { receivers, keys, timeoutMs, fetch: fetchImpl, leaseMs, onReference, ...rest } = options;
  const senders = Object.fromEntries(
    Object.entries(receivers).map(([destination, base]) => {
      const secret = keys[destination as OrganisationId];
      if (!secret) throw new Error(`No key to sign changes for ${destination} with`);
      return [destination, receiverSender(base, secret, { timeoutMs, fetch: fetchImpl, onReference })];
    }),
  );
  return outbox.createDispatcher({ ...rest, senders, leaseMs: leaseMs ?? timeoutMs * 2 + 5_000 });
}
