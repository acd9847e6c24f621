import { z } from 'zod';
import { ConfigError } from '@/lib/platform/config';

/**
 * The worker's own settings, read and checked when it starts, beside the service's configuration
 * (lib/platform/config.ts), which it also checks: only the worker reads these.
 */

const schema = z.object({
  // How often the worker looks for messages due. On SQLite this is how soon a page's change is
  // sent (nothing can wake the worker); on PostgreSQL a NOTIFY wakes it at once, and looking is
  // for retries coming due and for a notification missed while its connection was down.
  WORKER_POLL_MS: z.coerce.number().int().min(10).default(250),
  // How often the active users rollup (lib/reporting/rollup.ts) takes in new sign-ins.
  WORKER_ROLLUP_INTERVAL_MS: z.coerce.number().int().min(100).default(5_000),
  // How often the retention job (lib/platform/retention.ts) deletes what has been kept long enough.
  WORKER_RETENTION_INTERVAL_MS: z.coerce.number().int().min(1_000).default(3_600_000),
  // How often open activities' invitation counts (lib/engagement) are counted again for their
  // pages: each run counts those older than half of this, so none is older than about one and a half.
  WORKER_INVITATION_COUNTS_INTERVAL_MS: z.coerce.number().int().min(1_000).default(300_000),
});

export type WorkerSettings = { pollMs: number; rollupIntervalMs: number; retentionIntervalMs: number; invitationCountsIntervalMs: number };

export function workerSettings(env: Record<string, string | undefined> = process.env): WorkerSettings {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
    throw new ConfigError(`Invalid configuration:\n  ${problems.join('\n  ')}`);
  }
  return {
    pollMs: parsed.data.WORKER_POLL_MS,
    rollupIntervalMs: parsed.data.WORKER_ROLLUP_INTERVAL_MS,
    retentionIntervalMs: parsed.data.WORKER_RETENTION_INTERVAL_MS,
    invitationCountsIntervalMs: parsed.data.WORKER_INVITATION_COUNTS_INTERVAL_MS,
  };
}
