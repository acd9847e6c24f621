import { randomBytes } from 'node:crypto';
import { config } from '@/lib/platform/config';
import { isPostgres, type Db } from '@/lib/platform/db';
import { errorFields, log } from '@/lib/platform/log';
import { collectSnapshot, type Snapshot } from './snapshot';

/**
 * Downloads of everything held about a citizen (DataExport): one at a time per citizen (a new
 * request replaces the one before, so an old link stops working). A small record is prepared in
 * the request that asks for it; a large one is left pending for the worker, which claims it
 * (several workers never prepare the same one: a lease in lockedUntil, taken by a conditional
 * update, and on PostgreSQL FOR UPDATE SKIP LOCKED). The copy is removed, content and all, when
 * it expires (DATA_EXPORT_HOURS after it was asked for, then after it was ready).
 */

/** Up to this many readings, the download is prepared at once: well under a second. */
export const PREPARE_AT_ONCE_READINGS = 2_000;

/** Longer than preparing the largest record takes: a worker that died is taken over after it. */
const LEASE_MS = 10 * 60_000;

/** After this many tries it is marked failed, and the page offers to try again. */
const MAX_ATTEMPTS = 3;

export type ExportStatus = 'pending' | 'working' | 'ready' | 'failed';

export type OwnExport = {
  id: string;
  status: ExportStatus;
  requestedAt: Date;
  readyAt: Date | null;
  expiresAt: Date;
};

/** 32 random bytes, base64url: an export's id is its address, so it cannot be guessed. */
const EXPORT_ID = /^[A-Za-z0-9_-]{43}$/;
export const isExportId = (id: unknown): id is string => typeof id === 'string' && EXPORT_ID.test(id);

const keptFor = () => config().yourData.exportMs;

/**
 * Asks for a new download, replacing any earlier one. Returns its id, and whether it is small
 * enough to prepare now (the caller then calls prepareExport).
 */
export async function requestExport(db: Db, userId: string, now: Date): Promise<{ id: string; atOnce: boolean }> {
  for (let attempt = 1; ; attempt += 1) {
    const id = randomBytes(32).toString('base64url');
    try {
      const [, , readings] = await db.$transaction([
        db.dataExport.deleteMany({ where: { userId } }),
        db.dataExport.create({ data: { id, userId, status: 'pending', requestedAt: now, expiresAt: new Date(now.getTime() + keptFor()) } }),
        db.bloodPressureReading.count({ where: { userId } }),
      ]);
      return { id, atOnce: readings <= PREPARE_AT_ONCE_READINGS };
    } catch (error) {
      // Two requests at once (a double click): the other one's row is there; replace it again.
      if (attempt >= 3 || (error as { code?: unknown }).code !== 'P2002') throw error;
    }
  }
}

/** The citizen's own download, if it has not expired; null for anyone else's, an unknown id or an expired one. */
export async function findOwnExport(db: Db, userId: string, id: string, now: Date): Promise<OwnExport | null> {
  if (!isExportId(id)) return null;
  const found = await db.dataExport.findFirst({
    where: { id, userId, expiresAt: { gt: now } },
    select: { id: true, status: true, requestedAt: true, readyAt: true, expiresAt: true },
  });
  return found ? { ...found, status: found.status as ExportStatus } : null;
}

/** What a ready download holds, for the citizen who owns it only. */
export async function readyContent(db: Db, userId: string, id: string, now: Date): Promise<Snapshot | null> {
  if (!isExportId(id)) return null;
  const found = await db.dataExport.findFirst({ where: { id, userId, status: 'ready', expiresAt: { gt: now } }, select: { content: true } });
  return found?.content ? (JSON.parse(found.content) as Snapshot) : null;
}

/** Free to take: waiting, or being prepared by a worker whose lease has run out. */
const claimable = (now: Date) => ({ OR: [{ status: 'pending' }, { status: 'working', lockedUntil: { lt: now } }] });

/** Takes one download to prepare; true for exactly one of several callers at once. */
async function claim(db: Db, id: string, now: Date): Promise<boolean> {
  const { count } = await db.dataExport.updateMany({
    where: { id, expiresAt: { gt: now }, ...claimable(now) },
    data: { status: 'working', lockedUntil: new Date(now.getTime() + LEASE_MS), attempts: { increment: 1 } },
  });
  return count === 1;
}

/** Prepares a claimed download: ready with its content, or (after MAX_ATTEMPTS) failed. */
async function build(db: Db, id: string, now: Date): Promise<ExportStatus> {
  const row = await db.dataExport.findUnique({ where: { id }, select: { userId: true, attempts: true } });
  if (!row) return 'failed';
  try {
    const snapshot = await collectSnapshot(db, row.userId, now);
    if (!snapshot) throw new Error('no such account');
    // Only while it is still ours: a newer request will have replaced (deleted) it.
    await db.dataExport.updateMany({
      where: { id, status: 'working' },
      data: { status: 'ready', content: JSON.stringify(snapshot), readyAt: now, expiresAt: new Date(now.getTime() + keptFor()), lockedUntil: null },
    });
    log.info('your-data-prepared', { readings: snapshot.bloodPressure.readings.length });
    return 'ready';
  } catch (error) {
    const failed = row.attempts >= MAX_ATTEMPTS;
    log.error('your-data-not-prepared', { attempts: row.attempts, failed, ...errorFields(error) });
    await db.dataExport.updateMany({ where: { id, status: 'working' }, data: { status: failed ? 'failed' : 'pending', lockedUntil: null } });
    return failed ? 'failed' : 'pending';
  }
}

/** Prepares this download now, unless another process has it. */
export async function prepareExport(db: Db, id: string, now: Date): Promise<ExportStatus | 'taken'> {
  if (!(await claim(db, id, now))) return 'taken';
  return build(db, id, now);
}

/**
 * Claims up to `limit` downloads waiting to be prepared, oldest first; each is claimed by one
 * caller only. On PostgreSQL in one statement that skips rows another worker is claiming; on
 * SQLite (one writer at a time) with a conditional update each.
 */
export async function claimWaitingExports(db: Db, now: Date, limit: number): Promise<string[]> {
  if (isPostgres()) {
    const until = new Date(now.getTime() + LEASE_MS);
    const rows = await db.$queryRaw<{ id: string }[]>`
      WITH due AS MATERIALIZED (
        SELECT "id" FROM "DataExport"
        WHERE "expiresAt" > ${now}
          AND ("status" = 'pending' OR ("status" = 'working' AND "lockedUntil" < ${now}))
        ORDER BY "requestedAt"
        LIMIT ${limit}
        FOR UPDATE SKIP LOCKED
      )
      UPDATE "DataExport" AS export SET "status" = 'working', "lockedUntil" = ${until}, "attempts" = export."attempts" + 1
      FROM due WHERE export."id" = due."id"
      RETURNING export."id"`;
    return rows.map((row) => row.id);
  }
  const waiting = await db.dataExport.findMany({
    where: { expiresAt: { gt: now }, ...claimable(now) },
    select: { id: true },
    orderBy: { requestedAt: 'asc' },
    take: limit,
  });
  const claimed: string[] = [];
  for (const { id } of waiting) if (await claim(db, id, now)) claimed.push(id);
  return claimed;
}

/** The worker's task: prepares the downloads waiting (large records), a few at a time. */
export async function prepareWaitingExports(db: Db, now: () => Date = () => new Date(), limit = 2): Promise<number> {
  const ids = await claimWaitingExports(db, now(), limit);
  for (const id of ids) await build(db, id, now());
  return ids.length;
}

/**
 * Removes downloads that have expired, content and all: at most `limit` (a batch of the retention
 * job, lib/platform/retention.ts). Returns how many.
 */
export async function removeExpiredExports(db: Db, now: Date, limit = 1_000): Promise<number> {
  const expired = await db.dataExport.findMany({ where: { expiresAt: { lte: now } }, select: { id: true }, take: limit });
  if (expired.length === 0) return 0;
  const { count } = await db.dataExport.deleteMany({ where: { id: { in: expired.map((row) => row.id) }, expiresAt: { lte: now } } });
  return count;
}
