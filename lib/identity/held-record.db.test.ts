// One person, one record: a record held for a child (their parent's request granted, lib/proxy)
// becomes theirs the first time they sign in with NHS login at 16, on the database under test.
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { config } from '@/lib/platform/config';
import { getDb } from '@/lib/platform/db';
import { makeCitizen, useDatabaseUnderTest } from '@/lib/platform/db-test-support';
import { decideRequest } from '@/lib/proxy/request-store';
import { ask, bornBefore, completeRequest, madeUpNhsNumber } from '@/lib/proxy/test-support';
import { recordSignIn } from './session-store';

const { provider } = useDatabaseUnderTest();

const verifier = {
  subject: 'verifier-1',
  givenName: 'Vera',
  familyName: 'Checkley',
  organisationName: 'Demo Lane Surgery',
  organisationCode: 'ZZ0001',
  jobRole: '',
};

/** A child's record, held for them since their parent's request was granted years ago; they are 16 now. */
async function heldRecord(options: { grant?: boolean } = {}) {
  const now = new Date();
  const grantedAt = new Date(now.getTime() - 2 * 365 * 86_400_000);
  const birthDate = bornBefore(now, 16, 10);
  const nhsNumber = madeUpNhsNumber();
  const parentNhs = madeUpNhsNumber();
  const parent = { id: await makeCitizen({ givenName: 'Nora', nhsNumber: parentNhs }), givenName: 'Nora', familyName: 'Parentwell', nhsNumber: parentNhs };
  const asked = await ask(parent, completeRequest('parent', { givenName: 'Jay', familyName: 'Parentwell', birthDate, nhsNumber }), grantedAt);
  if (!asked.sent) throw new Error('not sent');
  if (options.grant !== false) await decideRequest(getDb(), asked.id, verifier, { decision: 'grant', permissions: ['blood-pressure'] }, grantedAt);
  const access = await getDb().proxyAccess.findUniqueOrThrow({ where: { id: asked.id } });
  return { personId: access.personId, accessId: access.id, birthDate, nhsNumber };
}

function signIn(identity: { birthDate: string; nhsNumber: string | null; level?: 'P2' | 'P9' }, provider = 'nhslogin', subject: string = randomUUID()) {
  return recordSignIn(
    getDb(),
    {
      provider,
      subject,
      identity: { givenName: 'Jay', familyName: 'Parent-Well', level: identity.level ?? 'P9', birthDate: identity.birthDate, nhsNumber: identity.nhsNumber },
      idToken: 'id-token',
      sharedDevice: false,
      deviceKind: 'mobile',
    },
    config().identity.session,
  );
}

describe(`a record held for someone, when they first sign in themselves, on ${provider}`, () => {
  it("becomes theirs, with everything in it, to register themselves; their parent's access ends", async () => {
    const held = await heldRecord();
    await getDb().bloodPressureReading.create({
      data: {
        userId: held.personId,
        systolic: 118,
        diastolic: 76,
        measuredAt: new Date(),
        arm: 'left',
        sitting: true,
        enteredByName: 'Nora Parentwell',
        enteredByRelationship: 'parent',
      },
    });

    const signedIn = await signIn(held);
    expect(signedIn.userId).toBe(held.personId);
    const user = await getDb().user.findUniqueOrThrow({ where: { id: held.personId }, include: { identities: true, bloodPressureReadings: true } });
    expect(user).toMatchObject({ heldForPersonSince: null, registeredAt: null, consentVersion: null, identityLevel: 'P9', familyName: 'Parent-Well' });
    expect(user.identities.map((identity) => identity.provider)).toEqual(['nhslogin']);
    expect(user.bloodPressureReadings).toHaveLength(1);
    expect(await getDb().proxyAccess.findUniqueOrThrow({ where: { id: held.accessId } })).toMatchObject({ status: 'ended', endedReason: 'turned-16' });
    expect(await getDb().auditEntry.findFirst({ where: { citizenId: held.personId, action: 'proxy-access-ended' } })).toMatchObject({
      actorKind: 'system',
      reason: 'turned-16',
    });

    // From now on it is simply their account.
    const again = await signIn(held, 'nhslogin', (await getDb().userIdentity.findFirstOrThrow({ where: { userId: held.personId } })).subject);
    expect(again).toMatchObject({ userId: held.personId, isNewUser: false });
    // Nobody else takes it over: it is no longer held.
    expect((await signIn(held)).userId).not.toBe(held.personId);
  });

  it('is not taken over by a sign-in that does not match it (no NHS number, another date of birth)', async () => {
    const held = await heldRecord();
    expect((await signIn({ birthDate: held.birthDate, nhsNumber: null, level: 'P2' }, 'onelogin')).userId).not.toBe(held.personId);
    const otherDay = bornBefore(new Date(), 16, 11);
    expect((await signIn({ birthDate: otherDay, nhsNumber: held.nhsNumber })).userId).not.toBe(held.personId);
    expect(await getDb().user.findUniqueOrThrow({ where: { id: held.personId } })).toMatchObject({ heldForPersonSince: expect.any(Date) });
    expect((await getDb().proxyAccess.findUniqueOrThrow({ where: { id: held.accessId } })).status).toBe('active');
  });

  it('never takes over a record made for a request that was not granted', async () => {
    const requested = await heldRecord({ grant: false });
    expect((await signIn(requested)).userId).not.toBe(requested.personId);
    expect((await getDb().proxyAccess.findUniqueOrThrow({ where: { id: requested.accessId } })).status).toBe('requested');
  });
});
