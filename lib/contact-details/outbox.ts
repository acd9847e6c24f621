import { randomUUID } from 'node:crypto';
import type { Prisma } from '@/lib/generated/sqlite/client';
import type { Db } from '@/lib/platform/db';
import { errorFields, log } from '@/lib/platform/log';
import { ORGANISATION_IDS, type OrganisationId } from './organisations';

/**
 * The outbox: a change made here is written, in the same transaction, as one message per
 * organisation. A dispatcher then delivers each message over HTTP:
 *
 * - it claims a due message by setting a lease (lockedUntil) with a conditional update, so two
 *   dispatchers (or a restarted process) never send the same message at the same time, and a
 *   message claimed by a process that died is picked up again once its lease runs out;
 * - each message carries its own Idempotency-Key on every attempt, and receivers keep the first
 *   and drop repeats: a retry after a lost response (timeout, crash) delivers nothing twice;
 * - 2xx is delivered; 5xx, 408, 429, timeouts and connection errors are retried with exponential
 *   backoff up to a cap; after maxAttempts, or on any other 4xx (the message itself is wrong and
 *   sending it again cannot help), it is marked failed and logged for staff to follow up.
 */

export type Tx = Prisma.TransactionClient;

export const TOPICS = { 'address-changed': '/address-changes', 'contact-preferences-changed': '/contact-preferences' } as const;
export type Topic = keyof typeof TOPICS;

export type OutgoingMessage = { topic: Topic; userId: string; subjectId: string; payload: unknown };

/** Adds one message per organisation (every one, unless told). Call it inside the transaction that makes the change. */
export async function enqueue(tx: Tx, message: OutgoingMessage, now: Date, destinations: readonly OrganisationId[] = ORGANISATION_IDS): Promise<void> {
  for (const destination of destinations) {
    await tx.outboxMessage.create({
      data: {
        idempotencyKey: randomUUID(),
        destination,
        topic: message.topic,
        userId: message.userId,
        subjectId: message.subjectId,
        payload: JSON.stringify(message.payload),
        status: 'pending',
        nextAttemptAt: now,
        createdAt: now,
      },
    });
  }
}

export type DispatcherOptions = {
  db: Db;
  /** Base URL of each organisation's receiver. */
  receivers: Record<OrganisationId, string>;
  timeoutMs: number;
  maxAttempts: number;
  backoffBaseMs: number;
  backoffMaxMs: number;
  /** How long a claim lasts: longer than a request can take, so a live sender is never overtaken. */
  leaseMs?: number;
  /** Messages claimed per round. */
  batchSize?: number;
  now?: () => Date;
  fetch?: typeof fetch;
  /** Names this dispatcher's claims. */
  id?: string;
};

export type RoundResult = { delivered: number; retrying: number; failed: number };

/** The wait before the next attempt after `attempts` failed ones: base × 2^(attempts−1), capped. */
export function backoffMs(attempts: number, baseMs: number, maxMs: number): number {
  return Math.min(maxMs, baseMs * 2 ** Math.max(0, attempts - 1));
}

type Outcome = { ok: true } | { ok: false; retry: boolean; error: string };

const RETRY_STATUSES = new Set([408, 425, 429]);

export function createDispatcher(options: DispatcherOptions) {
  const id = options.id ?? randomUUID();
  const now = options.now ?? (() => new Date());
  const send = options.fetch ?? fetch;
  const leaseMs = options.leaseMs ?? options.timeoutMs * 2 + 5_000;
  const batchSize = options.batchSize ?? 20;
  const { db } = options;

  /** Claims up to batchSize due messages; each claim succeeds for exactly one dispatcher. */
  async function claimDue() {
    const at = now();
    const due = await db.outboxMessage.findMany({
      where: { status: 'pending', nextAttemptAt: { lte: at }, OR: [{ lockedUntil: null }, { lockedUntil: { lt: at } }] },
      orderBy: { nextAttemptAt: 'asc' },
      take: batchSize,
    });
    const claimed = [];
    for (const message of due) {
      // Conditional on the row still being free: under concurrency only one update matches.
      const { count } = await db.outboxMessage.updateMany({
        where: { id: message.id, status: 'pending', OR: [{ lockedUntil: null }, { lockedUntil: { lt: at } }] },
        data: { lockedUntil: new Date(at.getTime() + leaseMs), lockedBy: id },
      });
      if (count === 1) claimed.push(message);
    }
    return claimed;
  }

  async function post(message: { destination: string; topic: string; idempotencyKey: string; payload: string }): Promise<Outcome> {
    const base = options.receivers[message.destination as OrganisationId];
    const path = TOPICS[message.topic as Topic];
    if (!base || !path) return { ok: false, retry: false, error: `no receiver for ${message.destination} ${message.topic}` };
    try {
      const response = await send(`${base}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'idempotency-key': message.idempotencyKey },
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
  }

  async function deliver(message: Awaited<ReturnType<typeof claimDue>>[number]): Promise<keyof RoundResult> {
    const outcome = await post(message);
    const attempts = message.attempts + 1;
    const at = now();
    if (outcome.ok) {
      // Delivered is final whoever holds the claim: the receiver has it.
      await db.outboxMessage.updateMany({
        where: { id: message.id, status: 'pending' },
        data: { status: 'delivered', deliveredAt: at, attempts, lockedUntil: null, lockedBy: null, lastError: null },
      });
      log.info('outbox-delivered', { messageId: message.id, destination: message.destination, topic: message.topic, attempts });
      return 'delivered';
    }
    const givingUp = !outcome.retry || attempts >= options.maxAttempts;
    // Only while we still hold the claim: if it ran out and another dispatcher took over, theirs counts.
    await db.outboxMessage.updateMany({
      where: { id: message.id, status: 'pending', lockedBy: id },
      data: givingUp
        ? { status: 'failed', attempts, lockedUntil: null, lockedBy: null, lastError: outcome.error }
        : {
            attempts,
            nextAttemptAt: new Date(at.getTime() + backoffMs(attempts, options.backoffBaseMs, options.backoffMaxMs)),
            lockedUntil: null,
            lockedBy: null,
            lastError: outcome.error,
          },
    });
    if (givingUp) {
      // For staff: the change did not reach this organisation and someone needs to pass it on.
      log.error('outbox-failed', { messageId: message.id, destination: message.destination, topic: message.topic, attempts, error: outcome.error });
      return 'failed';
    }
    log.warn('outbox-retrying', { messageId: message.id, destination: message.destination, topic: message.topic, attempts, error: outcome.error });
    return 'retrying';
  }

  /** One round: claim what is due and try each once. */
  async function runOnce(): Promise<RoundResult> {
    const result: RoundResult = { delivered: 0, retrying: 0, failed: 0 };
    const claimed = await claimDue();
    const outcomes = await Promise.all(claimed.map(deliver));
    for (const outcome of outcomes) result[outcome] += 1;
    return result;
  }

  let timer: NodeJS.Timeout | undefined;
  let running: Promise<RoundResult> | undefined;
  let again = false;

  /** Runs a round now, or right after the one in progress; resolves when the work asked for is done. */
  function kick(): Promise<RoundResult> {
    if (running) {
      again = true;
      return running;
    }
    running = (async () => {
      let total: RoundResult = { delivered: 0, retrying: 0, failed: 0 };
      do {
        again = false;
        try {
          const round = await runOnce();
          total = { delivered: total.delivered + round.delivered, retrying: total.retrying + round.retrying, failed: total.failed + round.failed };
        } catch (error) {
          log.error('outbox-round-failed', errorFields(error));
        }
      } while (again);
      return total;
    })().finally(() => {
      running = undefined;
    });
    return running;
  }

  return {
    id,
    runOnce,
    kick,
    claimDue,
    /** Rounds every intervalMs until stopped (the timer does not keep the process alive). */
    start(intervalMs: number) {
      if (timer) return;
      timer = setInterval(() => void kick(), intervalMs);
      timer.unref();
      void kick();
    },
    async stop() {
      if (timer) clearInterval(timer);
      timer = undefined;
      await running;
    },
  };
}

export type Dispatcher = ReturnType<typeof createDispatcher>;
