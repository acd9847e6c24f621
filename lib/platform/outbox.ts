import { randomUUID } from 'node:crypto';
import { Prisma } from '@/lib/generated/sqlite/client';
import { getDb, isPostgres, type Db, type Tx } from '@/lib/platform/db';
import { errorFields, log } from '@/lib/platform/log';

/**
 * The outbox (table OutboxMessage): a change is written, in the same transaction, with one
 * message per place it must reach. A dispatcher then sends each message with the sender of
 * its destination:
 *
 * - it claims a due message by setting a lease (lockedUntil), so two dispatchers (in one worker or
 *   several) never send the same message at the same time, and a message claimed by a process
 *   that died is picked up again once its lease runs out. On PostgreSQL a batch is claimed in
 *   one statement that skips rows another worker is claiming (FOR UPDATE SKIP LOCKED); on SQLite,
 *   which has one writer at a time, each row with a conditional update;
 * - each message keeps its idempotency key on every attempt, so a retry after a lost response
 *   (timeout, crash) can be recognised by the receiver;
 * - the sender says delivered, retry (with exponential backoff up to a cap) or give up; after
 *   maxAttempts it is marked failed and logged for staff to follow up.
 *
 * A dispatcher claims only the destinations it has a sender for, so each capability can run
 * its own over the one table. Dispatchers run in the worker process (lib/platform/worker), never
 * in the web process: a page that has queued messages calls deliverSoon to have them sent now.
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
  /**
   * Called when a message is given up on, in the transaction that marks it failed (so it happens
   * once, by whichever dispatcher held the claim): for example to tell the citizen.
   */
  onFailed?: (tx: Tx, message: ClaimedMessage, now: Date) => Promise<void>;
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
  // How messages are claimed: `db` is the service's database (or, in tests, another client of it).
  const postgres = isPostgres();

  /** Claims up to batchSize due messages; each claim succeeds for exactly one dispatcher. */
  async function claimDue(): Promise<ClaimedMessage[]> {
    return postgres ? claimDueInOneStatement() : claimDueOneByOne();
  }

  /**
   * PostgreSQL: several workers claim at once. Rows another worker has locked are skipped rather
   * than waited for, so each gets a different batch without queueing behind the others. The due
   * rows are picked in a MATERIALIZED CTE so that they are chosen (and locked) exactly once.
   */
  async function claimDueInOneStatement(): Promise<ClaimedMessage[]> {
    const at = now();
    const until = new Date(at.getTime() + leaseMs);
    return db.$queryRaw<ClaimedMessage[]>`
      WITH due AS MATERIALIZED (
        SELECT "id" FROM "OutboxMessage"
        WHERE "status" = 'pending'
          AND "destination" IN (${Prisma.join(destinations)})
          AND "nextAttemptAt" <= ${at}
          AND ("lockedUntil" IS NULL OR "lockedUntil" < ${at})
        ORDER BY "nextAttemptAt"
        LIMIT ${batchSize}
        FOR UPDATE SKIP LOCKED
      )
      UPDATE "OutboxMessage" AS message SET "lockedUntil" = ${until}, "lockedBy" = ${id}
      FROM due WHERE message."id" = due."id"
      RETURNING message."id", message."idempotencyKey", message."destination", message."topic",
        message."userId", message."subjectId", message."payload", message."attempts"`;
  }

  /** SQLite: one writer at a time, so a conditional update per row is enough. */
  async function claimDueOneByOne(): Promise<ClaimedMessage[]> {
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
    const where = { id: message.id, status: 'pending', lockedBy: id };
    if (givingUp && options.onFailed) {
      const onFailed = options.onFailed;
      await db.$transaction(async (tx) => {
        const { count } = await tx.outboxMessage.updateMany({
          where,
          data: { status: 'failed', attempts, lockedUntil: null, lockedBy: null, lastError: outcome.error },
        });
        if (count === 1) await onFailed(tx, message, at);
      });
    } else {
      await db.outboxMessage.updateMany({
        where,
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
    }
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

  let running: Promise<RoundResult> | undefined;
  let again = false;
  let stopped = false;

  /** Runs a round now, or right after the one in progress; resolves when the work asked for is done. */
  function kick(): Promise<RoundResult> {
    if (stopped) return Promise.resolve({ delivered: 0, retrying: 0, failed: 0 });
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
      } while (again && !stopped);
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
    /** No more rounds; resolves when the sends in flight have finished. */
    async stop() {
      stopped = true;
      await running;
    },
  };
}

export type Dispatcher = ReturnType<typeof createDispatcher>;

/** The PostgreSQL channel the worker listens on (LISTEN), to send at once what a page has just queued. */
export const OUTBOX_CHANNEL = 'phr_outbox';

/**
 * Tells the worker there is something to send now. On PostgreSQL a NOTIFY wakes it at once; on
 * SQLite nothing can, and it finds the messages when it next looks (every WORKER_POLL_MS).
 */
export async function wakeWorker(db: Db = getDb()): Promise<void> {
  if (isPostgres()) await db.$executeRaw`SELECT pg_notify(${OUTBOX_CHANNEL}, '')`;
}

const WAIT_POLL_MS = 50;

/**
 * After a page has queued messages for a citizen: wakes the worker and waits, at most `waitMs`
 * (a page does not wait for a slow receiver), until each of the citizen's messages has had its
 * first attempt, so that the next page can already say "received". Where no worker runs, it
 * waits the whole time: a page is slower, nothing is lost.
 */
export async function deliverSoon(userId: string, options: { waitMs?: number; db?: Db } = {}): Promise<void> {
  const { waitMs = 1_500, db = getDb() } = options;
  const until = Date.now() + waitMs;
  // Due now and never tried: a retry waiting for its backoff is not what this page is waiting for,
  // nor a message queued at a time still to come (the end-to-end tests' clock can be ahead).
  const waiting = () => db.outboxMessage.count({ where: { userId, status: 'pending', attempts: 0, nextAttemptAt: { lte: new Date() } } });
  try {
    if ((await waiting()) === 0) return;
    await wakeWorker(db);
    while (Date.now() + WAIT_POLL_MS < until) {
      await new Promise((resolve) => setTimeout(resolve, WAIT_POLL_MS));
      if ((await waiting()) === 0) return;
    }
  } catch (error) {
    // The change itself is saved, and the worker will send it: the page goes on.
    log.warn('outbox-wait-failed', errorFields(error));
  }
}
