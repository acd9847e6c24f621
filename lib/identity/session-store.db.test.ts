// The account and session store, and the per-request session check, on the database under
// test (SQLite and PostgreSQL, see scripts/db/test-both.sh).
import { randomUUID } from 'node:crypto';
import { encode } from 'next-auth/jwt';
import { describe, expect, it } from 'vitest';
import { useDatabaseUnderTest } from '@/lib/platform/db-test-support';
import { config } from '@/lib/platform/config';
import { getDb } from '@/lib/platform/db';
import { currentCitizen } from './citizen';
import { sessionCookieName } from './session-cookie';
import { recentSignIns, recordSignIn, revokeOtherSessions, revokeSession, sessionWithUser } from './session-store';

const { provider } = useDatabaseUnderTest({ SESSION_IDLE_MINUTES: '30', SESSION_IDLE_MINUTES_SHARED: '10' });

const identity = { givenName: 'Amelia', familyName: 'Testwell', birthDate: '1984-03-17', nhsNumber: '9990012377', level: 'P9' as const };

function signIn(subject: string, options: { sharedDevice?: boolean; now?: Date } = {}) {
  return recordSignIn(
    getDb(),
    { provider: 'nhslogin', subject, identity, idToken: 'id-token', sharedDevice: options.sharedDevice ?? false, deviceKind: 'computer' },
    config().identity.session,
    options.now,
  );
}

async function requestFor(signedIn: { sessionId: string; userId: string }): Promise<Request> {
  const token = await encode({ token: { sid: signedIn.sessionId, sub: signedIn.userId, provider: 'nhslogin' }, secret: config().appSecret });
  return new Request('http://localhost:3000/account', { headers: { cookie: `${sessionCookieName()}=${token}` } });
}

describe(`session store on ${provider}`, () => {
  it('makes the user once, and a new session with a new id at every sign-in', async () => {
    const subject = randomUUID();
    const first = await signIn(subject);
    const second = await signIn(subject, { sharedDevice: true });
    expect(first.isNewUser).toBe(true);
    expect(second.isNewUser).toBe(false);
    expect(second.userId).toBe(first.userId);
    expect(second.sessionId).not.toBe(first.sessionId);
    expect(Buffer.from(first.sessionId, 'base64url')).toHaveLength(32);

    const history = await recentSignIns(getDb(), first.userId);
    expect(history.map((event) => event.sharedDevice)).toEqual([true, false]);
    expect(history[0]).toMatchObject({ provider: 'nhslogin', deviceKind: 'computer', outcome: 'signed-in' });
  });

  it('reads a session with its account directly just as Prisma reads it, every column, null or not', async () => {
    const db = getDb();
    const bare = await signIn(randomUUID());
    const full = await signIn(randomUUID(), { sharedDevice: true });
    // Every column that may be null given a value (milliseconds too), on the session and its account.
    const at = new Date('2026-03-29T00:59:59.123Z');
    await db.session.update({
      where: { id: full.sessionId },
      data: { revokedAt: at, registrationTermsVersion: 'v2', registrationDetailsConfirmedAt: at, actingSince: at },
    });
    await db.user.update({
      where: { id: full.userId },
      data: { nhsNumber: '9990012377', verifiedPostcode: 'LS1 4AP', registeredAt: at, consentVersion: 'c1', consentedAt: at, heldForPersonSince: at },
    });
    for (const { sessionId } of [bare, full]) {
      const direct = await sessionWithUser(db, sessionId);
      expect(direct).toEqual(await db.session.findUnique({ where: { id: sessionId }, include: { user: true } }));
      expect(direct?.createdAt).toBeInstanceOf(Date);
      expect(typeof direct?.sharedDevice).toBe('boolean');
    }
    expect((await sessionWithUser(db, full.sessionId))?.revokedAt).toEqual(at);
    expect(await sessionWithUser(db, 'no-such-session')).toBeNull();
  });

  it('keeps the postcode One Login verified, and updates it at each sign-in (none from NHS login)', async () => {
    const subject = randomUUID();
    const oneLogin = { ...identity, nhsNumber: null, level: 'P2' as const };
    const at = (postcode: string | undefined) =>
      recordSignIn(
        getDb(),
        { provider: 'onelogin', subject, identity: { ...oneLogin, postcode }, idToken: 'id-token', sharedDevice: false, deviceKind: 'computer' },
        config().identity.session,
      );
    const { userId } = await at('LS6 2QR');
    expect(await getDb().user.findUnique({ where: { id: userId } })).toMatchObject({ verifiedPostcode: 'LS6 2QR', nhsNumber: null });
    await at('LS1 4AP');
    expect((await getDb().user.findUnique({ where: { id: userId } }))!.verifiedPostcode).toBe('LS1 4AP');
    await at(undefined);
    expect((await getDb().user.findUnique({ where: { id: userId } }))!.verifiedPostcode).toBeNull();
    const byNhsLogin = await signIn(randomUUID());
    expect((await getDb().user.findUnique({ where: { id: byNhsLogin.userId } }))!.verifiedPostcode).toBeNull();
  });

  it('signs out every other session, keeping this one', async () => {
    const subject = randomUUID();
    const here = await signIn(subject);
    const elsewhere = await signIn(subject);
    expect(await revokeOtherSessions(getDb(), here.userId, here.sessionId)).toBe(1);
    expect((await currentCitizen(await requestFor(here))).state).toBe('signed-in');
    expect((await currentCitizen(await requestFor(elsewhere))).state).toBe('ended');
  });

  it('ends a session after the idle timeout, sooner on a shared computer, and never revives it', async () => {
    const start = new Date();
    const minutes = (n: number) => new Date(start.getTime() + n * 60_000);
    const personal = await signIn(randomUUID(), { now: start });
    const shared = await signIn(randomUUID(), { sharedDevice: true, now: start });

    expect((await currentCitizen(await requestFor(shared), minutes(9))).state).toBe('signed-in');
    expect((await currentCitizen(await requestFor(shared), minutes(19))).state).toBe('ended');
    expect((await currentCitizen(await requestFor(shared), minutes(9))).state).toBe('ended');

    const seen = await currentCitizen(await requestFor(personal), minutes(29));
    expect(seen.state === 'signed-in' && seen.citizen.user.givenName).toBe('Amelia');
    // Used at 29 minutes, so still signed in at 58.
    expect((await currentCitizen(await requestFor(personal), minutes(58))).state).toBe('signed-in');
    expect((await currentCitizen(await requestFor(personal), minutes(89))).state).toBe('ended');
  });

  it('refuses a revoked session, a forged cookie and a cookie naming someone else', async () => {
    const signedIn = await signIn(randomUUID());
    const other = await signIn(randomUUID());
    const crossed = await requestFor({ sessionId: signedIn.sessionId, userId: other.userId });
    expect((await currentCitizen(crossed)).state).toBe('ended');
    const forged = new Request('http://localhost:3000/account', { headers: { cookie: `${sessionCookieName()}=not-a-token` } });
    expect((await currentCitizen(forged)).state).toBe('signed-out');
    await revokeSession(getDb(), signedIn.sessionId);
    expect((await currentCitizen(await requestFor(signedIn))).state).toBe('ended');
  });
});
