import { accessIsActive } from './active';
import { appendAuditEntry, auditedTransaction, citizenActor } from '@/lib/audit/public';
import type { Db } from '@/lib/platform/db';
import { sentTo } from './invitations';
import { parsePermissions, storedPermissions, type ProxyPermission } from './permissions';

/**
 * Who acts for a person and whom a proxy acts for (ProxyAccess rows, whatever their basis): the
 * person's list and one access, changing what someone may do and ending it; the proxy's list and
 * choosing whom to act for in this browser (Session.actingForId). Every query about an access is
 * scoped to the signed-in person (or proxy): another person's id finds nothing.
 */

/** Where an access is, as the person reads it. */
export type AccessState = 'active' | 'waiting' | 'requested' | 'expired' | 'declined' | 'withdrawn' | 'refused' | 'ended';

type Row = {
  status: string;
  acceptedAt: Date | null;
  endsAt: Date | null;
  endedReason: string | null;
  invitationExpiresAt: Date | null;
};

export function stateOf(row: Row, now: Date): AccessState {
  switch (row.status) {
    case 'active':
      return row.endsAt && row.endsAt <= now ? 'ended' : 'active';
    case 'invited':
      return row.invitationExpiresAt && row.invitationExpiresAt <= now ? 'expired' : 'waiting';
    case 'requested':
      return 'requested';
    case 'refused':
      return 'refused';
    default:
      if (row.acceptedAt) return 'ended';
      return row.endedReason === 'by-proxy' ? 'declined' : 'withdrawn';
  }
}

/** An access as its person sees it. */
export type PersonsAccess = {
  id: string;
  /** The proxy's proven name once they accepted; until then the name the person gave. */
  name: string;
  basis: string;
  state: AccessState;
  permissions: ProxyPermission[];
  /** Where the invitation was sent (invitations only). */
  sentTo: string | null;
  createdAt: Date;
  acceptedAt: Date | null;
  endsAt: Date | null;
  endedAt: Date | null;
  invitationExpiresAt: Date | null;
};

const INCLUDE_PROXY = { proxy: { select: { givenName: true, familyName: true } } } as const;

type PersonsRow = Row & {
  id: string;
  basis: string;
  permissions: string;
  invitedName: string | null;
  invitedEmail: string | null;
  invitedMobile: string | null;
  createdAt: Date;
  endedAt: Date | null;
  proxy: { givenName: string; familyName: string } | null;
};

function asPersonsAccess(row: PersonsRow, now: Date): PersonsAccess {
  return {
    id: row.id,
    name: row.proxy ? `${row.proxy.givenName} ${row.proxy.familyName}` : (row.invitedName ?? 'Someone'),
    basis: row.basis,
    state: stateOf(row, now),
    permissions: parsePermissions(row.permissions),
    sentTo: sentTo(row),
    createdAt: row.createdAt,
    acceptedAt: row.acceptedAt,
    endsAt: row.endsAt,
    endedAt: row.endedAt ?? (row.status === 'active' ? row.endsAt : null),
    invitationExpiresAt: row.invitationExpiresAt,
  };
}

/** How many past accesses the list shows (newest first). */
export const HISTORY_SHOWN = 50;

/** The person's list: who can act for them now, who is invited (or asked, waiting for staff), and what has ended. */
export async function accessesOfPerson(
  db: Db,
  personId: string,
  now: Date,
): Promise<{ active: PersonsAccess[]; waiting: PersonsAccess[]; history: PersonsAccess[] }> {
  const rows = await db.proxyAccess.findMany({ where: { personId }, include: INCLUDE_PROXY, orderBy: { createdAt: 'desc' } });
  const accesses = rows.map((row) => asPersonsAccess(row, now));
  return {
    active: accesses.filter((access) => access.state === 'active'),
    waiting: accesses.filter((access) => access.state === 'waiting' || access.state === 'requested'),
    history: accesses.filter((access) => !['active', 'waiting', 'requested'].includes(access.state)).slice(0, HISTORY_SHOWN),
  };
}

/** One of the person's accesses; null for an id that is not theirs. */
export async function accessOfPerson(db: Db, personId: string, id: string, now: Date): Promise<PersonsAccess | null> {
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(id)) return null;
  const row = await db.proxyAccess.findFirst({ where: { id, personId }, include: INCLUDE_PROXY });
  return row ? asPersonsAccess(row, now) : null;
}

/** Whether the person can still change or end it: while it is active or the invitation waits. */
export function canChange(access: PersonsAccess): boolean {
  return access.state === 'active' || access.state === 'waiting';
}

type Person = { id: string; givenName: string; familyName: string };

/** The statuses an access can be changed or ended in (an active one past its end date has ended). */
const CHANGEABLE = (now: Date) => ({
  OR: [
    { status: 'active', OR: [{ endsAt: null }, { endsAt: { gt: now } }] },
    { status: 'invited', invitationExpiresAt: { gt: now } },
  ],
});

/** Changes what they may do, at once (a proxy acting now has the new permissions from their next page). False when it cannot be changed. */
export async function changePermissions(db: Db, person: Person, id: string, permissions: ProxyPermission[], now: Date): Promise<boolean> {
  if (permissions.length === 0) return false;
  return auditedTransaction(db, async (tx) => {
    const { count } = await tx.proxyAccess.updateMany({
      where: { id, personId: person.id, ...CHANGEABLE(now) },
      data: { permissions: storedPermissions(permissions) },
    });
    if (count === 0) return false;
    await appendAuditEntry(
      tx,
      {
        ...citizenActor(person),
        citizenId: person.id,
        action: 'proxy-permissions-changed',
        detail: { accessId: id, permissions: storedPermissions(permissions) },
      },
      now,
    );
    return true;
  });
}

/**
 * Ends an access (or withdraws an invitation) at once, by the person: every session acting under
 * it stops acting in the same transaction. False when there was nothing to end.
 */
export async function endAccess(db: Db, person: Person, id: string, now: Date): Promise<boolean> {
  return auditedTransaction(db, async (tx) => {
    const { count } = await tx.proxyAccess.updateMany({
      where: { id, personId: person.id, ...CHANGEABLE(now) },
      data: { status: 'ended', endedAt: now, endedReason: 'by-person' },
    });
    if (count === 0) return false;
    await tx.session.updateMany({ where: { actingForId: id }, data: { actingForId: null } });
    await appendAuditEntry(tx, { ...citizenActor(person), citizenId: person.id, action: 'proxy-ended', detail: { accessId: id } }, now);
    return true;
  });
}

/** Someone the proxy can act for now. */
export type ActingForOption = { id: string; personName: string; basis: string; permissions: ProxyPermission[]; endsAt: Date | null };

const ACTIVE_NOW = (now: Date) => ({ status: 'active', OR: [{ endsAt: null }, { endsAt: { gt: now } }] });

/** The people this proxy can act for now, by name. */
export async function peopleProxyActsFor(db: Db, proxyId: string, now: Date): Promise<ActingForOption[]> {
  const rows = await db.proxyAccess.findMany({
    where: { proxyId, ...ACTIVE_NOW(now) },
    include: { person: { select: { givenName: true, familyName: true } } },
    orderBy: { acceptedAt: 'asc' },
  });
  return rows.map((row) => ({
    id: row.id,
    personName: `${row.person.givenName} ${row.person.familyName}`,
    basis: row.basis,
    permissions: parsePermissions(row.permissions),
    endsAt: row.endsAt,
  }));
}

/**
 * This browser acts for the person of an access from now on (Session.actingForId): only an active
 * access of this proxy's own. False (nothing changed) otherwise. Whether it still holds is checked
 * again on every request (lib/identity), so one ended meanwhile stops at once.
 */
export async function startActing(db: Db, session: { id: string; proxyId: string }, accessId: string, now: Date): Promise<boolean> {
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(accessId)) return false;
  const access = await db.proxyAccess.findFirst({
    where: { id: accessId, proxyId: session.proxyId, ...ACTIVE_NOW(now) },
    select: { id: true, status: true, endsAt: true, basis: true, person: { select: { birthDate: true } } },
  });
  // The same rule every request is held to (a parent's access ends when the child is 16).
  if (!access || !accessIsActive(access, access.person, now)) return false;
  const { count } = await db.session.updateMany({ where: { id: session.id, userId: session.proxyId }, data: { actingForId: access.id, actingSince: now } });
  return count === 1;
}

/** This browser is the proxy's own again. */
export async function stopActing(db: Db, sessionId: string): Promise<void> {
  await db.session.updateMany({ where: { id: sessionId }, data: { actingForId: null, actingSince: null } });
}
