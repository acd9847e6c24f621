import { appendAuditEntry, auditedTransaction } from '@/lib/audit/public';
import type { Db, Tx } from '@/lib/platform/db';
import { childHasTurned16 } from './active';
import { sixteenYearsBefore } from './request';

/**
 * At 16 a young person can have their own account, and their parent's access to their record
 * ends (unless the young person later invites them). Acting stops on the birthday itself
 * (accessIsActive, checked on every request); this marks it in the database: the access (or a
 * request still waiting for a check) is ended with the reason "turned-16", any session acting
 * under it stops acting, and the audit log says so. Run by the worker (turning-16 task), and when
 * the young person first signs in and takes their record over (lib/identity/held-record.ts).
 */

const STILL_OPEN = ['active', 'requested'];

/** The audit log's name for this service's own rule ending access. */
const SYSTEM_ACTOR = { actorKind: 'system', actorId: 'proxy-turning-16', actorName: null, actorOrganisation: null, actorRole: null } as const;

async function endAtSixteen(tx: Tx, access: { id: string; personId: string; status: string }, now: Date): Promise<number> {
  const { count } = await tx.proxyAccess.updateMany({
    where: { id: access.id, status: { in: STILL_OPEN } },
    data: { status: 'ended', endedAt: now, endedReason: 'turned-16' },
  });
  if (count === 0) return 0;
  await tx.session.updateMany({ where: { actingForId: access.id }, data: { actingForId: null } });
  await appendAuditEntry(
    tx,
    {
      ...SYSTEM_ACTOR,
      citizenId: access.personId,
      action: 'proxy-access-ended',
      category: 'proxy-access',
      reason: 'turned-16',
      detail: { accessId: access.id, was: access.status },
    },
    now,
  );
  return 1;
}

/** How many accesses one round ends at most: the rest are ended by the next round. */
const ROUND = 500;

/**
 * Ends every parent's access (and waiting request) whose child is 16 on `now`'s date, each in its
 * own transaction (two workers at once end each one once). The number ended.
 */
export async function endParentAccessAt16(db: Db, now: Date): Promise<number> {
  const due = await db.proxyAccess.findMany({
    // Dates of birth are YYYY-MM-DD text, so "on or before this day 16 years ago" is a text comparison.
    where: { basis: 'parent', status: { in: STILL_OPEN }, person: { birthDate: { lte: sixteenYearsBefore(now) } } },
    select: { id: true, personId: true, status: true, basis: true, person: { select: { birthDate: true } } },
    orderBy: { createdAt: 'asc' },
    take: ROUND,
  });
  let ended = 0;
  for (const access of due.filter((row) => childHasTurned16(row, row.person, now))) {
    ended += await auditedTransaction(db, (tx) => endAtSixteen(tx, access, now));
  }
  return ended;
}

/**
 * The young person has signed in themselves and taken their record over: every parent's access
 * to it ends now, inside the sign-in's transaction, whatever the date says.
 */
export async function endParentAccessOnOwnAccount(tx: Tx, personId: string, now: Date): Promise<number> {
  const open = await tx.proxyAccess.findMany({
    where: { personId, basis: 'parent', status: { in: STILL_OPEN } },
    select: { id: true, personId: true, status: true },
  });
  let ended = 0;
  for (const access of open) ended += await endAtSixteen(tx, access, now);
  return ended;
}

/**
 * Records made only for a request (never granted, never signed in to) that no request names any
 * more, because the person who asked closed their account: nothing else is kept for them.
 */
export async function removeUnusedRequestRecords(db: Db): Promise<number> {
  const { count } = await db.user.deleteMany({
    where: {
      identityLevel: 'none',
      registeredAt: null,
      heldForPersonSince: null,
      identities: { none: {} },
      sessions: { none: {} },
      proxiesForMe: { none: {} },
    },
  });
  return count;
}

/** The worker's round (lib/platform/worker/main.ts). */
export async function turning16Round(db: Db, now: Date): Promise<void> {
  await endParentAccessAt16(db, now);
  await removeUnusedRequestRecords(db);
}
