import { errorFields, log } from '@/lib/platform/log';
import { OUTBOX_CHANNEL, type Dispatcher } from '@/lib/platform/outbox';
import { listen } from './listen';

/**
 * The worker: what the service does in the background, in a process of its own (npm run worker),
 * so that the web instances only answer requests and any number of them can run.
 *
 * - Outbox dispatchers look for due messages every pollMs and, on PostgreSQL, also as soon as a
 *   page asks (NOTIFY on OUTBOX_CHANNEL). Several workers may run: claims keep them apart.
 * - Periodic tasks run once at start and then every so often, never two rounds of one at once.
 *
 * Its timers keep the process alive until stop(), which lets the sends in flight finish.
 */

export type PeriodicTask = { name: string; everyMs: number; run: () => Promise<unknown> };

export type WorkerOptions = {
  dispatchers: readonly Dispatcher[];
  pollMs: number;
  tasks: readonly PeriodicTask[];
  /** PostgreSQL only: the database to listen on for pages asking for delivery now. */
  listenUrl?: string;
};

export type Worker = {
  /** Asks every dispatcher for a round now (what a notification does). */
  wake(): void;
  /** Starts nothing new and waits for what is running, at most timeoutMs; false if it had to give up. */
  stop(timeoutMs: number): Promise<boolean>;
};

export function startWorker(options: WorkerOptions): Worker {
  const { dispatchers, pollMs, tasks } = options;
  const wake = () => {
    for (const dispatcher of dispatchers) void dispatcher.kick();
  };
  const timers = [setInterval(wake, pollMs)];
  const running = new Map<string, Promise<void>>();

  for (const task of tasks) {
    const round = () => {
      if (running.has(task.name)) return;
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
    round();
  }

  const listening = options.listenUrl ? listen(options.listenUrl, OUTBOX_CHANNEL, wake) : undefined;
  wake();

  return {
    wake,
    async stop(timeoutMs) {
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
