import pg from 'pg';
import { errorFields, log } from '@/lib/platform/log';

const FIRST_PAUSE_MS = 500;
const LONGEST_PAUSE_MS = 30_000;

/**
 * PostgreSQL LISTEN, on a connection of its own: Prisma lends a pooled connection per query, so
 * it cannot keep one listening. Named phr-worker, so the worker's connection is easy to find in
 * pg_stat_activity. A lost connection is made again after a pause that grows to 30 seconds;
 * meanwhile nothing is missed for long, as the worker still looks every WORKER_POLL_MS.
 */
export function listen(url: string, channel: string, onNotification: () => void): { close(): Promise<void> } {
  let current: pg.Client | undefined;
  let retry: NodeJS.Timeout | undefined;
  let pauseMs = FIRST_PAUSE_MS;
  let closed = false;

  async function connect() {
    if (closed) return;
    const client = new pg.Client({ connectionString: url, application_name: 'phr-worker' });
    current = client;
    client.on('notification', () => onNotification());
    client.on('error', (error) => again(client, error));
    client.on('end', () => again(client));
    try {
      await client.connect();
      await client.query(`LISTEN ${client.escapeIdentifier(channel)}`);
      pauseMs = FIRST_PAUSE_MS;
      log.info('worker-listening', { channel });
      // What was queued while no one listened.
      onNotification();
    } catch (error) {
      again(client, error);
    }
  }

  /** The connection broke (an error, or the server ended it): once per connection, make another. */
  function again(client: pg.Client, error?: unknown) {
    if (closed || client !== current) return;
    current = undefined;
    log.warn('worker-listen-lost', { retryInMs: pauseMs, ...(error ? errorFields(error) : {}) });
    client.end().catch(() => undefined);
    retry = setTimeout(() => void connect(), pauseMs);
    pauseMs = Math.min(pauseMs * 2, LONGEST_PAUSE_MS);
  }

  void connect();
  return {
    async close() {
      closed = true;
      clearTimeout(retry);
      const client = current;
      current = undefined;
      await client?.end().catch(() => undefined);
    },
  };
}
