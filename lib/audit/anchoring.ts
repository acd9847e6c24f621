import { config } from '@/lib/platform/config';
import { getDb } from '@/lib/platform/db';
import { errorFields, log } from '@/lib/platform/log';
import { anchorAuditHead, type AnchorOutcome } from './audit-log';

/**
 * Anchors the audit chain's head on a schedule (AUDIT_ANCHOR_INTERVAL_MINUTES), in the app
 * process: started from instrumentation.ts, once at start-up and then every interval. Several
 * app processes may each anchor: every anchor is checked on its own, so extra lines do no harm.
 */

const holder = globalThis as typeof globalThis & { phrAuditAnchoring?: { timer: NodeJS.Timeout; running: boolean } };

/** One round: anchors the head if it moved; a refusal is logged as an error (someone should look). */
export async function anchorAuditHeadNow(now = new Date()): Promise<AnchorOutcome> {
  const { anchorFile, key, keys } = config().audit;
  const outcome = await anchorAuditHead(getDb(), { file: anchorFile, key, keys }, now);
  if ('anchored' in outcome) log.info('audit-head-anchored', { seq: outcome.anchored.seq });
  if ('refused' in outcome) {
    const { problem } = outcome.refused;
    const where = 'line' in outcome.refused ? { anchorFileLine: outcome.refused.line } : { seq: outcome.refused.seq };
    log.error('audit-head-not-anchored', { problem, ...where });
  }
  return outcome;
}

export function startAuditAnchoring(): void {
  if (holder.phrAuditAnchoring) return;
  const state = { timer: setInterval(() => void round(), config().audit.anchorIntervalMs), running: false };
  state.timer.unref();
  holder.phrAuditAnchoring = state;
  async function round() {
    if (state.running) return;
    state.running = true;
    try {
      await anchorAuditHeadNow();
    } catch (error) {
      log.error('audit-head-not-anchored', errorFields(error));
    } finally {
      state.running = false;
    }
  }
  void round();
}
