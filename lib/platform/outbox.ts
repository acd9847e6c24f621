import { randomUUID } from 'node:crypto';
import type { Db, Tx } from '@/lib/platform/db';
import { errorFields, log } from '@/lib/platform/log';

/**
 * The outbox (table OutboxMessage): a change is written, in the same transaction, with one
 * message per place it must reach. A dispatcher then sends each message with the sender of
 * its destination:
 *
 * - it claims a due message by setting a lease (lockedUntil) with a conditional update, so two
 *   dispatchers (or a restarted process) never send the same message at the same time, and a
 *   message claimed by a process that died is picked up again once its lease runs out;
 * - each message keeps its idempotency key on every attempt, so a retry after a lost response
 *   (timeout, crash) can be recognised by the receiver;
 * - the sender says delivered, retry (with exponential backoff up to a cap) or give up; after
 *   maxAttempts it is marked failed and logged for staff to follow up.
 *
 * A dispatcher claims only the destinations it has a sender for, so each capability can run
 * its own over the one table.
 */

export type OutgoingMessage = { destination: string; topic: string; userId: string; subjectId: string; payload: unknown };

/** The row for a new message: its own idempotency key, due now. */
function pendingRow(message: OutgoingMessage, now: Date) {
  return {
    idempotencyKey: randomUUID(),
    destination: message.destination,
    topic: message.topic,
    userId: message.userId,
    subjectId: message.subjectId,
    payload: JSON.stringify(message.payload),
    status: 'pending',
    nextAttemptAt: now,
    createdAt: now,
  };
}

/** Adds one message. Call it inside the transaction that makes the change. */
export async function enqueue(tx: Tx, message: OutgoingMessage, now: Date): Promise<void> {
  await tx.outboxMessage.create({ data: pendingRow(message, now) });
}

/** Many messages in one statement (a whole category sent again): the transaction stays short. */
export async function enqueueMany(tx: Tx, messages: readonly OutgoingMessage[], now: Date): Promise<void> {
  if (messages.length > 0) await tx.outboxMessage.createMany({ data: messages.map((message) => pendingRow(message, now)) });
}

/** A message as its sender sees it. */
export type ClaimedMessage = {
  id: string;
  idempotencyKey: string;
  destination: string;
  topic: string;
  userId: string;
  subjectId: string;
  payload: string;
  attempts: number;
};

/** What one attempt came to: `retry` false means sending it again cannot help (the message itself is refused). */
export type SendOutcome = { ok: true } | { ok: false; retry: boolean; error: string };

export type Sender = (message: ClaimedMessage, now: Date) => Promise<SendOutcome>;

export type DispatcherOptions = {
  db: Db;
  /** How each destination is sent to; the dispatcher claims only these destinations. */
  senders: Record<string, Sender>;
  maxAttempts: number;
  backoffBaseMs: number;
  backoffMaxMs: number;
  /** How long a claim lasts: longer than a send can take, so a live sender is never overtaken. */
  leaseMs: number;
  /** Messages claimed per round. */
  batchSize?: number;
  now?: () => Date;
  /** Names this dispatcher's claims. */
  id?: string;
};

export type RoundResult = { delivered: number; retrying: number; failed: number };

/** The wait before the next attempt after `attempts` failed ones: base × 2^(attempts−1), capped. */
export function backoffMs(attempts: number, baseMs: number, maxMs: number): number {
  return Math.min(maxMs, baseMs * 2 ** Math.max(0, attempts - 1));
}

export function createDispatcher(options: DispatcherOptions) {
  const id = options.id ?? randomUUID();
  const now = options.now ?? (() => new Date());
  const batchSize = options.batchSize ?? 20;
  const destinations = Object.keys(options.senders);
  const { db, leaseMs } = options;

  /** Claims up to batchSize due messages; each claim succeeds for exactly one dispatcher. */
  async function claimDue(): Promise<ClaimedMessage[]> {
    const at = now();
    const due = await db.outboxMessage.findMany({
      where: {
        status: 'pending',
        destination: { in: destinations },
        nextAttemptAt: { lte: at },
        OR: [{ lockedUntil: null }, { lockedUntil: { lt: at } }],
      },
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

  async function send(message: ClaimedMessage): Promise<SendOutcome> {
    const sender = options.senders[message.destination];
    if (!sender) return { ok: false, retry: false, error: `no sender for ${message.destination}` };
    try {
      return await sender(message, now());
    } catch (error) {
      // A sender that throws has met something unexpected (a database hiccup): worth another try.
      log.error('outbox-send-threw', { messageId: message.id, destination: message.destination, ...errorFields(error) });
      return { ok: false, retry: true, error: 'could not be sent (unexpected error)' };
    }
  }

  async function deliver(message: ClaimedMessage): Promise<keyof RoundResult> {
    const outcome = await send(message);
    const attempts = message.attempts + 1;
    const at = now();
    const fields = { messageId: message.id, destination: message.destination, topic: message.topic, attempts };
    if (outcome.ok) {
      // Delivered is final whoever holds the claim: the receiver has it.
      await db.outboxMessage.updateMany({
        where: { id: message.id, status: 'pending' },
        data: { status: 'delivered', deliveredAt: at, attempts, lockedUntil: null, lockedBy: null, lastError: null },
      });
      log.info('outbox-delivered', fields);
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
      // For staff: the change did not arrive and someone needs to pass it on.
      log.error('outbox-failed', { ...fields, error: outcome.error });
      return 'failed';
    }
    log.warn('outbox-retrying', { ...fields, error: outcome.error });
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

/**
 * The dispatchers running in this process, by name, so that a page can ask for what it has just
 * queued to be sent now without knowing who sends it. On globalThis: Next.js may load this
 * module more than once (instrumentation and routes), and they must share one set.
 */
const running = globalThis as typeof globalThis & { phrOutboxDispatchers?: Map<string, Dispatcher> };
const dispatchers = (running.phrOutboxDispatchers ??= new Map());

export function registerDispatcher(name: string, dispatcher: Dispatcher): void {
  dispatchers.set(name, dispatcher);
}

export function unregisterDispatcher(name: string): void {
  dispatchers.delete(name);
}

/**
 * Asks every running dispatcher to send what is due now, waiting at most `waitMs` (a page does
 * not wait for a slow receiver). Does nothing where none runs (tests in-process).
 */
export async function deliverSoon(waitMs = 1_500): Promise<void> {
  if (dispatchers.size === 0) return;
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([
    Promise.all([...dispatchers.values()].map((dispatcher) => dispatcher.kick())),
    new Promise<void>((resolve) => {
      timer = setTimeout(resolve, waitMs);
    }),
  ]).finally(() => clearTimeout(timer));
}
