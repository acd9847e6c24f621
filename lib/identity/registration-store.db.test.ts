// Creating the account at the end of the registration journey, on the database under test.
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { useDatabaseUnderTest } from '@/lib/platform/db-test-support';
import { config } from '@/lib/platform/config';
import { getDb } from '@/lib/platform/db';
import { TERMS_VERSION } from './registration';
import { completeRegistration, saveDetailsConfirmed, saveTermsAgreed } from './registration-store';
import { recordSignIn } from './session-store';

const { provider } = useDatabaseUnderTest();

const identity = { givenName: 'Farah', familyName: 'Newbury', birthDate: '1968-09-05', nhsNumber: '9990050007', level: 'P9' as const };

function signIn(subject: string) {
  return recordSignIn(
    getDb(),
    { provider: 'nhslogin', subject, identity, idToken: 'id-token', sharedDevice: false, deviceKind: 'computer' },
    config().identity.session,
  );
}

const user = (id: string) => getDb().user.findUniqueOrThrow({ where: { id } });

describe(`registration store on ${provider}`, () => {
  it('creates nothing until every answer is in, then registers the user with the terms version', async () => {
    const { sessionId, userId } = await signIn(randomUUID());
    expect(await completeRegistration(getDb(), sessionId)).toBe(false);
    await saveTermsAgreed(getDb(), sessionId, TERMS_VERSION);
    expect(await completeRegistration(getDb(), sessionId)).toBe(false);
    expect((await user(userId)).registeredAt).toBeNull();

    await saveDetailsConfirmed(getDb(), sessionId);
    const now = new Date('2026-11-23T12:00:00Z');
    expect(await completeRegistration(getDb(), sessionId, now)).toBe(true);
    expect(await user(userId)).toMatchObject({ registeredAt: now, consentVersion: TERMS_VERSION, consentedAt: now });
  });

  it('keeps answers per session, and registers a user only once', async () => {
    const subject = randomUUID();
    const first = await signIn(subject);
    const second = await signIn(subject);
    for (const { sessionId } of [first, second]) {
      await saveTermsAgreed(getDb(), sessionId, TERMS_VERSION);
      await saveDetailsConfirmed(getDb(), sessionId);
    }
    expect(await completeRegistration(getDb(), first.sessionId)).toBe(true);
    expect(await completeRegistration(getDb(), second.sessionId)).toBe(false);
  });
});
