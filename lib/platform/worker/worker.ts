import { errorFields, log } from '@/lib/platform/log';
import { OUTBOX_CHANNEL, type Dispatcher } from '@/lib/platform/outbox';
import { listen } from './listen';

/**
 * The worker: what the service does in the background, in a process of its own (npm run worker),
 * so that the web instances only answer requests and any number of them can run.
 *
 * - Outbox dispatchers look for due messages every pollMs and, on PostgreSQL, also as soon as a
 *   page asks (NOTIFY on OUTBOX_CHANNEL). Several workers may run: claims keep them apart.
 * - Periodic tasks run once at start and then every so often, never two rounds of one at once. A
 *   task that pages ask for (onWake) also runs when a page wakes the worker (NOTIFY).
 *
 * Its timers keep the process alive until stop(), which lets the sends in flight finish.
 */

export type PeriodicTask = {
  name: string;
  everyMs: number;
  run: () => Promise<unknown>;
  /** Also run when a page wakes the worker (NOTIFY on PostgreSQL), not only every everyMs. */
  onWake?: boolean;
};

export type WorkerOptions = {
  dispatchers: readonly Dispatcher[];
  pollMs: number;
  tasks: readonly PeriodicTask[];
  /** PostgreSQL only: the database to listen on for pages asking for delivery now. */
  listenUrl?: string;
};

export type Worker = {
  /** Asks every dispatcher, and every task run on waking, for a round now (what a notification does). */
  wake(): void;
  /** Starts nothing new and waits for what is running, at most timeoutMs; false if it had to give up. */
  stop(timeoutMs: number): Promise<boolean>;
};

export function startWorker(options: WorkerOptions): Worker {
  const { dispatchers, pollMs, tasks } = options;
  const kick = () => {
    for (const dispatcher of dispatchers) void dispatcher.kick();
  };
  const woken: (() => void)[] = [];
  const wake = () => {
    kick();
    for (const round of woken) round();
  };
  const timers = [setInterval(kick, pollMs)];
  const running = new Map<string, Promise<void>>();
  let stopping = false;

  for (const task of tasks) {
    const round = () => {
      // A notification can still arrive while stopping: it starts nothing new.
      if (stopping || running.has(task.name)) return;
      const run = task
        .run()
        .then(
          () => undefined,
          (error: unknown) => log.error('worker-task-failed', { task: task.name, ...errorFields(error) }),
        )
        .finally(() => running.delete(task.name));
      running.set(task.name, run);
    };
    timers.push(setInterval(round, task.everyMs));
    if (task.onWake) woken.push(round);
    round();
  }

  const listening = options.listenUrl ? listen(options.listenUrl, OUTBOX_CHANNEL, wake) : undefined;
  kick();

  return {
    wake,
    async stop(timeoutMs) {
      stopping = true;
      for (const timer of timers) clearInterval(timer);
      let timeout: NodeJS.Timeout | undefined;
      const finished = Promise.all([listening?.close(), ...dispatchers.map((dispatcher) => dispatcher.stop()), ...running.values()]).then(() => true);
      const gaveUp = new Promise<false>((resolve) => {
        timeout = setTimeout(() => resolve(false), timeoutMs);
      });
      return Promise.race([finished, gaveUp]).finally(() => clearTimeout(timeout));
    },
  };
}
