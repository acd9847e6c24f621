// For the database tests of every capability (lib/*/*.db.test.ts): the database under test
// (SQLite or PostgreSQL, chosen by scripts/db/test-both.sh), migrated as production migrates it,
// with the app's configuration pointed at it; and registered citizens to test with.
import { randomBytes, randomUUID } from 'node:crypto';
import { encode } from 'next-auth/jwt';
import { afterAll, beforeAll } from 'vitest';
import type { Prisma } from '@/lib/generated/sqlite/client';
import { deploy } from '@/scripts/db/lib/commands';
import { resolveTarget, type Provider } from '@/scripts/db/lib/target';
import { databaseUnderTest } from '@/scripts/db/test-support';
import { sessionCookieName } from '@/lib/identity/session-cookie';
import { STAFF_PROVIDER } from '@/lib/identity/staff';
import { config, reloadConfig } from './config';
import { disconnectDb, getDb, type Db } from './db';

/**
 * Call once at the top of a test file: before its tests the database under test is migrated and
 * the configuration reloaded with it (and `env`, the settings the file needs); after them, the
 * app's client is disconnected. Hooks the file registers after this run after the migration, and
 * their afterAll hooks before the disconnection.
 */
export function useDatabaseUnderTest(env: Record<string, string> = {}): { url: string; provider: Provider } {
  const target = databaseUnderTest();
  beforeAll(async () => {
    await deploy(resolveTarget(target.url));
    reloadConfig({ ...process.env, DATABASE_URL: target.url, ...env });
  });
  afterAll(async () => {
    await disconnectDb();
  });
  return target;
}

/** A registered, verified (P9) citizen of their own; `details` overrides any field. Returns the id. */
export async function makeCitizen(details: Partial<Prisma.UserUncheckedCreateInput> = {}, db: Db = getDb()): Promise<string> {
  const user = await db.user.create({
    data: {
      givenName: 'Test',
      familyName: `Citizen-${randomUUID().slice(0, 8)}`,
      birthDate: '1980-01-01',
      identityLevel: 'P9',
      registeredAt: new Date(),
      ...details,
    },
  });
  return user.id;
}

/** The cookie header of a signed-in citizen's session (as a sign-in would leave it), for in-process requests. */
export async function citizenSessionCookie(userId: string, db: Db = getDb()): Promise<string> {
  const id = randomBytes(32).toString('base64url');
  const now = new Date();
  await db.session.create({
    data: {
      id,
      userId,
      provider: 'nhslogin',
      idToken: 'test-id-token',
      sharedDevice: false,
      idleSeconds: 1800,
      lastSeenAt: now,
      absoluteExpiresAt: new Date(now.getTime() + 3_600_000),
      deviceKind: 'computer',
    },
  });
  return sessionCookieHeader({ sid: id, sub: userId, provider: 'nhslogin' });
}

/** The cookie header of a signed-in member of staff with these roles (comma-separated). */
export async function staffSessionCookie(roles: string, db: Db = getDb()): Promise<string> {
  const id = randomBytes(32).toString('base64url');
  const subject = `test-staff-${randomUUID()}`;
  const now = new Date();
  await db.staffSession.create({
    data: {
      id,
      subject,
      givenName: 'Test',
      familyName: 'Staff',
      organisationCode: 'ZZ0001',
      organisationName: 'Demo Lane Surgery',
      jobRole: 'General Practitioner',
      roles,
      idToken: 'test-id-token',
      idleSeconds: 1800,
      lastSeenAt: now,
      absoluteExpiresAt: new Date(now.getTime() + 3_600_000),
    },
  });
  return sessionCookieHeader({ sid: id, sub: subject, provider: STAFF_PROVIDER });
}

async function sessionCookieHeader(claims: { sid: string; sub: string; provider: string }): Promise<string> {
  const value = await encode({ token: claims, secret: config().appSecret, maxAge: 3600 });
  return `${sessionCookieName()}=${value}`;
}
