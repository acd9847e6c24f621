// Staff sessions and the per-request staff check, on the database under test.
import { randomUUID } from 'node:crypto';
import { encode } from 'next-auth/jwt';
import { describe, expect, it } from 'vitest';
import { useDatabaseUnderTest } from '@/lib/platform/db-test-support';
import { config } from '@/lib/platform/config';
import { getDb } from '@/lib/platform/db';
import { currentCitizen } from './citizen';
import { sessionCookieName } from './session-cookie';
import { recordStaffSignIn, revokeStaffSession, STAFF_PROVIDER } from './staff';
import { currentStaff } from './staff-page';

const { provider } = useDatabaseUnderTest({ SESSION_IDLE_MINUTES_STAFF: '30' });

async function signIn(now: Date) {
  const subject = randomUUID();
  const member = {
    subject,
    givenName: 'Grace',
    familyName: 'Practiceton',
    organisation: { code: 'ZZ0001', name: 'Demo Lane Surgery' },
    jobRole: 'General Practitioner',
    roles: ['care-professional' as const],
  };
  const sid = await recordStaffSignIn(getDb(), member, { idToken: 'id-token', idleSeconds: config().identity.staff.idleSeconds, maxSeconds: 12 * 3600 }, now);
  const token = await encode({ token: { sid, sub: subject, provider: STAFF_PROVIDER }, secret: config().appSecret });
  return { sid, req: new Request('http://localhost:3000/staff', { headers: { cookie: `${sessionCookieName()}=${token}` } }) };
}

describe(`staff sessions on ${provider}`, () => {
  it('knows the member of staff and their roles, and is never a citizen', async () => {
    const now = new Date();
    const { req } = await signIn(now);
    const lookup = await currentStaff(req, now);
    expect(lookup.state).toBe('signed-in');
    if (lookup.state === 'signed-in') expect(lookup.staff.roleList).toEqual(['care-professional']);
    expect((await currentCitizen(req, now)).state).toBe('signed-out');
  });

  it('ends after 30 idle minutes, and when revoked', async () => {
    const start = new Date('2026-11-23T09:00:00Z');
    const idle = await signIn(start);
    expect((await currentStaff(idle.req, new Date(start.getTime() + 29 * 60_000))).state).toBe('signed-in');
    expect((await currentStaff(idle.req, new Date(start.getTime() + 60 * 60_000))).state).toBe('ended');

    const revoked = await signIn(new Date());
    await revokeStaffSession(getDb(), revoked.sid);
    expect((await currentStaff(revoked.req)).state).toBe('ended');
  });
});
