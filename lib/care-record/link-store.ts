import type { Db, Tx } from '@/lib/platform/db';

/**
 * The citizen's link to their record in the shared care record (the CareRecordLink table):
 * what we found the last time we looked, and how often they asked us to look lately.
 */

export type LinkOutcome = 'matched' | 'no-match' | 'several-matches';
/** nhs-number: from NHS login. demographics: the name, birth date and postcode One Login verified. */
export type LinkMethod = 'nhs-number' | 'demographics';

export interface StoredLink {
  outcome: LinkOutcome;
  patientId: string | null;
  /** The Patient's meta.versionId when it was matched (null when the care record gave none). */
  patientVersion: string | null;
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
    patientVersion: row.patientVersion,
    method: row.method as LinkMethod,
    checkedAt: row.checkedAt,
    recentChecks: row.recentChecks,
    windowStartedAt: row.windowStartedAt,
  };
}

/** The care record's Patient id this citizen was last matched to, or null when they are not matched (yet). */
export async function linkedPatientId(db: Db, userId: string): Promise<string | null> {
  const row = await db.careRecordLink.findUnique({ where: { userId }, select: { outcome: true, patientId: true } });
  return row?.outcome === 'matched' ? row.patientId : null;
}

/** Records what one look found. A match keeps its patient id and version; anything else keeps neither. */
export async function saveLink(
  db: Db | Tx,
  userId: string,
  link: {
    outcome: LinkOutcome;
    patientId?: string;
    patientVersion?: string;
    method: LinkMethod;
    checkedAt: Date;
    recentChecks: number;
    windowStartedAt: Date | null;
  },
): Promise<void> {
  const matched = link.outcome === 'matched';
  const data = {
    outcome: link.outcome,
    patientId: matched ? (link.patientId ?? null) : null,
    patientVersion: matched ? (link.patientVersion ?? null) : null,
    method: link.method,
    checkedAt: link.checkedAt,
    recentChecks: link.recentChecks,
    windowStartedAt: link.windowStartedAt,
  };
  await db.careRecordLink.upsert({ where: { userId }, create: { userId, ...data }, update: data });
}
