// Citizens and members of staff to test with, and their session cookies for in-process requests:
// for the database tests (through db-test-support.ts) and for scripts such as the benchmarks,
// which cannot load vitest.
import { randomBytes, randomUUID } from 'node:crypto';
import { encode } from 'next-auth/jwt';
import type { Prisma } from '@/lib/generated/sqlite/client';
import { sessionCookieName } from '@/lib/identity/session-cookie';
import { STAFF_PROVIDER } from '@/lib/identity/staff';
import { config } from '../config';
import { getDb, type Db } from '../db';

/** A registered, verified (P9) citizen of their own; `details` overrides any field. Returns the id. */
export async function makeCitizen(details: Partial<Prisma.UserUncheckedCreateInput> = {}, db: Db = getDb()): Promise<string> {
  const user = await db.user.create({
    data: {
      givenName: 'Test',
      // Letters only, as a name is: digits map to g to p, so it stays unique. (Six digits in a row
      // would be refused in a message's personalisation, as a number that could identify someone.)
      familyName: `Citizen-${randomUUID()
        .slice(0, 8)
        .replace(/\d/g, (digit) => 'ghijklmnop'.charAt(Number(digit)))}`,
      birthDate: '1980-01-01',
      identityLevel: 'P9',
      registeredAt: new Date(),
      ...details,
    },
  });
  return user.id;
}

/**
 * The cookie header of a signed-in citizen's session (as a sign-in would leave it), for in-process
 * requests; `actingForId`: the session is acting for someone else under that access (lib/proxy).
 */
export async function citizenSessionCookie(userId: string, db: Db = getDb(), options: { actingForId?: string } = {}): Promise<string> {
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
      actingForId: options.actingForId ?? null,
      actingSince: options.actingForId ? now : null,
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
