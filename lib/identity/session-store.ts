import { randomBytes } from 'node:crypto';
import type { Session, User } from '@/lib/generated/sqlite/client';
import type { Db } from '@/lib/platform/db';
import { directReads, rowOf, selectList, type Columns } from '@/lib/platform/direct-reads';
import type { VerifiedIdentity } from './claims';
import type { DeviceKind } from './device';
import { takeOverHeldRecord } from './held-record';
import { newSessionTimes, type SessionLimits } from './session-rules';

/** The account, its sessions and its sign-in history, in the database. */

export type CompletedSignIn = {
  provider: string;
  subject: string;
  identity: VerifiedIdentity;
  idToken: string;
  sharedDevice: boolean;
  deviceKind: DeviceKind;
};

export function newSessionId(): string {
  return randomBytes(32).toString('base64url');
}

function isUniqueViolation(error: unknown): boolean {
  return (error as { code?: string } | null)?.code === 'P2002';
}

/**
 * Records a completed, proven sign-in: the user (made on first sign-in, or the record held for
 * them until then: lib/identity/held-record.ts; details refreshed from the provider's verified
 * claims after), a new session (a new id every time), and the sign-in history entry, all or nothing.
 */
export async function recordSignIn(db: Db, signIn: CompletedSignIn, limits: SessionLimits, now = new Date()) {
  const attempt = () =>
    db.$transaction(async (tx) => {
      const details = {
        givenName: signIn.identity.givenName,
        familyName: signIn.identity.familyName,
        birthDate: signIn.identity.birthDate,
        nhsNumber: signIn.identity.nhsNumber,
        verifiedPostcode: signIn.identity.postcode ?? null,
        identityLevel: signIn.identity.level,
      };
      const known = await tx.userIdentity.findUnique({ where: { provider_subject: { provider: signIn.provider, subject: signIn.subject } } });
      // An account may have both ways of signing in (lib/identity/account-links.ts): each refreshes
      // only what its provider verifies, never wiping what only the other gives (NHS login the NHS
      // number, One Login the postcode).
      const refreshed = { ...details, ...(signIn.provider === 'onelogin' ? { nhsNumber: undefined } : { verifiedPostcode: undefined }) };
      // First sign-in: a record held for them (their parent's until now) is theirs, else a new one.
      const userId = known
        ? (await tx.user.update({ where: { id: known.userId }, data: refreshed })).id
        : ((await takeOverHeldRecord(tx, signIn, details, now)) ??
          (await tx.user.create({ data: { ...details, identities: { create: { provider: signIn.provider, subject: signIn.subject } } } })).id);
      const session = await tx.session.create({
        data: {
          id: newSessionId(),
          userId,
          provider: signIn.provider,
          idToken: signIn.idToken,
          sharedDevice: signIn.sharedDevice,
          deviceKind: signIn.deviceKind,
          createdAt: now,
          ...newSessionTimes(signIn.sharedDevice, now, limits),
        },
      });
      await tx.signInEvent.create({
        data: { userId, at: now, provider: signIn.provider, deviceKind: signIn.deviceKind, sharedDevice: signIn.sharedDevice, outcome: 'signed-in' },
      });
      return { userId, sessionId: session.id, isNewUser: !known };
    });
  try {
    return await attempt();
  } catch (error) {
    // Two first sign-ins of one person at once: the loser finds the winner's user.
    if (isUniqueViolation(error)) return attempt();
    throw error;
  }
}

const sessionColumns: Columns<Session> = {
  id: 'text',
  userId: 'text',
  provider: 'text',
  idToken: 'text',
  sharedDevice: 'bool',
  idleSeconds: 'int',
  createdAt: 'date',
  lastSeenAt: 'date',
  absoluteExpiresAt: 'date',
  revokedAt: 'date?',
  deviceKind: 'text',
  registrationTermsVersion: 'text?',
  registrationDetailsConfirmedAt: 'date?',
  actingForId: 'text?',
  actingSince: 'date?',
};

const userColumns: Columns<User> = {
  id: 'text',
  createdAt: 'date',
  givenName: 'text',
  familyName: 'text',
  birthDate: 'text',
  nhsNumber: 'text?',
  verifiedPostcode: 'text?',
  identityLevel: 'text',
  registeredAt: 'date?',
  consentVersion: 'text?',
  consentedAt: 'date?',
  heldForPersonSince: 'date?',
};

const SESSION_WITH_USER = `SELECT ${selectList('s', sessionColumns)}, ${selectList('u', userColumns)}
  FROM "Session" s JOIN "User" u ON u."id" = s."userId" WHERE s."id" = ?`;
const SESSION_WIDTH = Object.keys(sessionColumns).length;

/**
 * A session and its account in one query (as `findUnique` with `include: { user: true }` gives
 * them), read directly (lib/platform/direct-reads.ts): every signed-in page reads it.
 */
export async function sessionWithUser(db: Db, id: string): Promise<(Session & { user: User }) | null> {
  const [row] = await directReads(db).rows(SESSION_WITH_USER, [id]);
  return row ? { ...rowOf(sessionColumns, row), user: rowOf(userColumns, row, SESSION_WIDTH) } : null;
}

/**
 * A session with its account, and the access it acts under when it acts for someone (lib/proxy). Read on every
 * signed-in page: most sessions act for nobody, so the access (two more queries) is only looked up
 * for those that do.
 */
export async function findSession(db: Db, id: string) {
  const session = await sessionWithUser(db, id);
  if (!session?.actingForId) return session && { ...session, actingFor: null };
  const actingFor = await db.proxyAccess.findUnique({ where: { id: session.actingForId }, include: { person: true } });
  return { ...session, actingFor };
}

export async function touchSession(db: Db, id: string, now = new Date()): Promise<void> {
  await db.session.updateMany({ where: { id, revokedAt: null }, data: { lastSeenAt: now } });
}

export async function revokeSession(db: Db, id: string, now = new Date()): Promise<void> {
  await db.session.updateMany({ where: { id, revokedAt: null }, data: { revokedAt: now } });
}

/** "Sign out of all other devices": every live session of the user but this one. */
export async function revokeOtherSessions(db: Db, userId: string, keepId: string, now = new Date()): Promise<number> {
  const { count } = await db.session.updateMany({ where: { userId, id: { not: keepId }, revokedAt: null }, data: { revokedAt: now } });
  return count;
}

export function recentSignIns(db: Db, userId: string, take = 20) {
  return db.signInEvent.findMany({ where: { userId }, orderBy: { at: 'desc' }, take });
}
