import { anchorAuditHeadNow } from '@/lib/audit/anchoring';
import { contactDetailsConfig } from '@/lib/contact-details/config';
import { contactDetailsDispatcher } from '@/lib/contact-details/delivery';
import { refreshInvitationCounts, sendAskedInvitations } from '@/lib/engagement/public';
import { notificationsDispatcher, notifySettings } from '@/lib/notifications/public';
import { lettersSettings, requestPostForUnread } from '@/lib/letters/public';
// Where an invitation goes and what it says, read when it is sent (not through lib/proxy/public: see there).
import { invitationMessage } from '@/lib/proxy/invitations';
import { config } from '@/lib/platform/config';
import { disconnectDb, getDb, isPostgres, type Db } from '@/lib/platform/db';
import { errorFields, log } from '@/lib/platform/log';
import { pruneRateLimitBuckets } from '@/lib/platform/rate-limit';
import { applyRetention } from '@/lib/platform/retention';
import { updateActivityRollup } from '@/lib/reporting/rollup';
import { careRecordDispatcher } from '@/lib/sharing/care-record-delivery';
import { turning16Round } from '@/lib/proxy/public';
import { prepareWaitingExports } from '@/lib/your-data/public';
import { workerSettings, type WorkerSettings } from './config';
import { startWorker } from './worker';

/**
 * The worker process (scripts/worker.ts, npm run worker): what it runs, taken from the
 * capabilities, as instrumentation.ts is for the web process. One worker is enough for a city.
 * A second may run beside it (the claims keep their deliveries apart); it then anchors the audit
 * log too, which does no harm (every anchor is checked on its own), but is not needed.
 */

/** Long enough for the sends in flight to finish; one cut short is sent again after its lease, and received once. */
const STOP_WITHIN_MS = 8_000;

const RATE_LIMIT_PRUNE_EVERY_MS = 10 * 60_000;

/** Large "Your data" downloads are prepared here; the status page says it can take a few minutes. */
const YOUR_DATA_PREPARE_EVERY_MS = 2_000;

/** How often the worker looks for invitations a coordinator asked to send; on PostgreSQL the page's NOTIFY wakes it at once. */
const INVITATION_SENDS_EVERY_MS = 2_000;

/** How often letters still unread after LETTERS_UNREAD_POST_AFTER_DAYS are marked for their sender to post. */
const LETTERS_UNREAD_EVERY_MS = 10 * 60_000;

/** How often parents' access to the records of children who have turned 16 is marked ended (acting stops on the day anyway). */
const TURNING_16_EVERY_MS = 60 * 60_000;

export function runWorkerProcess(): void {
  let settings: WorkerSettings;
  let db: Db;
  try {
    // The whole configuration, as the web process checks it: a mistake stops the worker at once.
    config();
    contactDetailsConfig();
    notifySettings();
    lettersSettings();
    settings = workerSettings();
    db = getDb();
  } catch (error) {
    process.stderr.write(`The worker could not start: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  }

  const postgres = isPostgres();
  const worker = startWorker({
    // Invitations to act for someone go to the address the person gave, read when sent (lib/proxy).
    dispatchers: [
      contactDetailsDispatcher(db),
      careRecordDispatcher(db),
      notificationsDispatcher(db, notifySettings(), undefined, { 'proxy-invitation': invitationMessage }),
    ],
    pollMs: settings.pollMs,
    tasks: [
      {
        name: 'audit-anchoring',
        everyMs: config().audit.anchorIntervalMs,
        // The event staff are alerted on when the head is not anchored, whatever the reason.
        run: () => anchorAuditHeadNow().catch((error: unknown) => log.error('audit-head-not-anchored', errorFields(error))),
      },
      { name: 'activity-rollup', everyMs: settings.rollupIntervalMs, run: () => updateActivityRollup(db) },
      // Full buckets say nothing a missing one does not: removed so the table stays small.
      { name: 'rate-limit-pruning', everyMs: RATE_LIMIT_PRUNE_EVERY_MS, run: () => pruneRateLimitBuckets(db) },
      { name: 'your-data-preparing', everyMs: YOUR_DATA_PREPARE_EVERY_MS, run: () => prepareWaitingExports(db) },
      // Letters not opened in time are posted instead (lib/letters): their senders are told.
      { name: 'letters-unread-post', everyMs: LETTERS_UNREAD_EVERY_MS, run: () => requestPostForUnread(db, new Date(), lettersSettings().unreadPostAfterDays) },
      // A parent's access ends when the child turns 16 (lib/proxy): marked ended, sessions stop acting, audited.
      { name: 'proxy-turning-16', everyMs: TURNING_16_EVERY_MS, run: () => turning16Round(db, new Date()) },
      // Open activities' invitation counts, for their coordinators' pages (lib/engagement): each
      // run counts those older than half the interval; claims keep two workers from counting one.
      {
        name: 'invitation-counts',
        everyMs: settings.invitationCountsIntervalMs,
        run: () => refreshInvitationCounts(settings.invitationCountsIntervalMs / 2, new Date()),
      },
      // Invitations a coordinator asked to send (lib/engagement): too much work for their request.
      { name: 'invitation-sends', everyMs: INVITATION_SENDS_EVERY_MS, run: () => sendAskedInvitations(), onWake: true },
      // What has been kept long enough is deleted (RETENTION_*_DAYS), at the time of each run.
      { name: 'retention', everyMs: settings.retentionIntervalMs, run: () => applyRetention(db, new Date(), config().retention) },
    ],
    listenUrl: postgres ? config().databaseUrl : undefined,
  });
  log.info('worker-started', { database: postgres ? 'postgresql' : 'sqlite', pollMs: settings.pollMs });

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info('worker-stopping', { signal });
    const finished = await worker.stop(STOP_WITHIN_MS);
    if (!finished) log.warn('worker-stopped-mid-send', { waitedMs: STOP_WITHIN_MS });
    await disconnectDb().catch(() => undefined);
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
}
