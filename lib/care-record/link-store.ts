import type { Db } from '@/lib/platform/db';

/**
 * The citizen's link to their record in the shared care record (the CareRecordLink table):
 * what we found the last time we looked, and how often they asked us to look lately.
 */

export type LinkOutcome = 'matched' | 'no-match' | 'several-matches';
export type LinkMethod = 'nhs-number' | 'demographics';

export interface StoredLink {
  outcome: LinkOutcome;
  patientId: string | null;
  method: LinkMethod;
  checkedAt: Date;
  recentChecks: number;
  windowStartedAt: Date | null;
}

export async function findLink(db: Db, userId: string): Promise<StoredLink | null> {
  const row = await db.careRecordLink.findUnique({ where: { userId } });
  if (!row) return null;
  return {
    outcome: row.outcome as LinkOutcome,
    patientId: row.patientId,
    method: row.method as LinkMethod,
    checkedAt: row.checkedAt,
    recentChecks: row.recentChecks,
    windowStartedAt: row.windowStartedAt,
  };
}

/** The care record's Patient id for this citizen, or null when they are not linked (yet). */
export async function linkedPatientId(db: Db, userId: string): Promise<string | null> {
  const row = await db.careRecordLink.findUnique({ where: { userId }, select: { outcome: true, patientId: true } });
  return row?.outcome === 'matched' ? row.patientId : null;
}

/** Records what one look found. A match keeps its patient id; anything else keeps none. */
export async function saveLink(
  db: Db,
  userId: string,
  link: { outcome: LinkOutcome; patientId?: string; method: LinkMethod; checkedAt: Date; recentChecks: number; windowStartedAt: Date | null },
): Promise<void> {
  const data = {
    outcome: link.outcome,
    patientId: link.outcome === 'matched' ? (link.patientId ?? null) : null,
    method: link.method,
    checkedAt: link.checkedAt,
    recentChecks: link.recentChecks,
    windowStartedAt: link.windowStartedAt,
  };
  await db.careRecordLink.upsert({ where: { userId }, create: { userId, ...data }, update: data });
}
