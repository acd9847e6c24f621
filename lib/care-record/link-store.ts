import type { CareRecordLink } from '@/lib/generated/sqlite/client';
import type { Db, Tx } from '@/lib/platform/db';
import { directReads, rowOf, selectList, type Columns } from '@/lib/platform/direct-reads';

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

const linkColumns: Columns<Omit<CareRecordLink, 'userId'>> = {
  outcome: 'text',
  patientId: 'text?',
  method: 'text',
  checkedAt: 'date',
  patientVersion: 'text?',
  recentChecks: 'int',
  windowStartedAt: 'date?',
};
const FIND_LINK = `SELECT ${selectList('l', linkColumns)} FROM "CareRecordLink" l WHERE l."userId" = ?`;

/** What we found the last time we looked, or null: read directly (lib/platform/direct-reads.ts), as every care record page reads it. */
export async function findLink(db: Db, userId: string): Promise<StoredLink | null> {
  const [values] = await directReads(db).rows(FIND_LINK, [userId]);
  if (!values) return null;
  const row = rowOf(linkColumns, values);
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
