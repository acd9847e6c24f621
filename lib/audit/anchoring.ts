import { config } from '@/lib/platform/config';
import { getDb } from '@/lib/platform/db';
import { log } from '@/lib/platform/log';
import { anchoredSeq } from './anchor';
import { anchorAuditHead, type AnchorOutcome } from './audit-log';

/**
 * Anchors the audit chain's heads on a schedule (AUDIT_ANCHOR_INTERVAL_MINUTES): run by the worker
 * process (lib/platform/worker), once at start-up and then every interval. One process anchors,
 * not every web instance: several would each append their own lines to the file at once.
 */

/** One round: anchors the heads if any moved; a refusal is logged as an error (someone should look). */
export async function anchorAuditHeadNow(now = new Date()): Promise<AnchorOutcome> {
  const { anchorFile, key, keys } = config().audit;
  const outcome = await anchorAuditHead(getDb(), { file: anchorFile, key, keys }, now);
  if ('anchored' in outcome) log.info('audit-head-anchored', { seq: anchoredSeq(outcome.anchored), lanes: outcome.anchored.heads.length });
  if ('refused' in outcome) {
    const { problem } = outcome.refused;
    const where = 'line' in outcome.refused ? { anchorFileLine: outcome.refused.line } : { seq: outcome.refused.seq };
    log.error('audit-head-not-anchored', { problem, ...where });
  }
  return outcome;
}
