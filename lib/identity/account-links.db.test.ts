import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { verifyAuditChain } from '@/lib/audit/audit-log';
import { getDb } from '@/lib/platform/db';
import { citizenSessionCookie, makeCitizen, useDatabaseUnderTest } from '@/lib/platform/db-test-support';
import { formPost, browserCsrf } from '@/lib/platform/testing/requests';
import { activeUsersReport } from '@/lib/reporting/active-users';
import { accountIdsOf, addSignInMethod, joinAccounts, joinQuestions, pendingJoin, saveJoinChoice, startJoin } from './account-links';
import { finishAddingSignInMethod, type SamePersonCheck } from './link-callback';
import { recordSignIn } from './session-store';
import { joinCheckAnswersPage, joinQuestionPage, signInMethodNotAddedPage, signInMethodsPage } from './sign-in-methods-pages';

useDatabaseUnderTest();

const DETAILS = { givenName: 'Kofi', familyName: 'Joinwell', birthDate: '1971-12-03' };
const NHS_NUMBER = '9990113009';

/** Two accounts of one person: this one (One Login) and the other (NHS login), each with something in every table. */
async function twoAccounts() {
  const db = getDb();
  const now = new Date();
  const familyName = `Joinwell-${randomUUID().slice(0, 6)}`;
  const mine = await makeCitizen({ ...DETAILS, familyName, identityLevel: 'P2', verifiedPostcode: 'LS12 4PL' });
  const other = await makeCitizen({ ...DETAILS, familyName, nhsNumber: NHS_NUMBER });
  const oneLoginSubject = `urn:test:${randomUUID()}`;
  const nhsSubject = `nhs-${randomUUID()}`;
  await db.userIdentity.create({ data: { userId: mine, provider: 'onelogin', subject: oneLoginSubject } });
  await db.userIdentity.create({ data: { userId: other, provider: 'nhslogin', subject: nhsSubject } });
  const activity = await db.engagementActivity.create({
    data: { organisationCode: 'ZZ0003', organisationName: 'Demo City Council', createdBy: 'staff-1', title: 'Buses', purpose: 'Buses', status: 'published' },
  });
  for (const [userId, label] of [
    [mine, 'mine'],
    [other, 'theirs'],
  ] as const) {
    await db.topThingsVersion.create({
      data: {
        userId,
        items: JSON.stringify([{ title: `Top ${label}`, description: 'x' }]),
        createdAt: new Date(now.getTime() - (label === 'mine' ? 60_000 : 120_000)),
      },
    });
    await db.communicationNeeds.create({ data: { userId, formats: label === 'mine' ? 'large-print' : 'braille' } });
    await db.contactPreference.create({
      data: { userId, channel: label === 'mine' ? 'email' : 'text', email: `${label}@example.com`, changeId: randomUUID() },
    });
    await db.engagementPreference.create({ data: { userId, wantsInvitations: label === 'mine', monthlyLimit: 2 } });
    await db.longTermCondition.create({ data: { userId, code: '38341003', name: 'High blood pressure' } });
    await db.signInEvent.create({
      data: { userId, at: now, provider: label === 'mine' ? 'onelogin' : 'nhslogin', deviceKind: 'computer', sharedDevice: false, outcome: 'signed-in' },
    });
    await db.engagementInvitation.create({ data: { userId, activityId: activity.id } });
    await db.engagementResponse.create({ data: { userId, activityId: activity.id, submittedAt: label === 'theirs' ? now : null } });
    await db.fewerLettersChoice.create({ data: { userId, organisation: 'council', fewerLetters: label === 'theirs' } });
    await db.letter.create({
      data: {
        userId,
        senderId: 'council',
        idempotencyKey: randomUUID(),
        requestHash: 'hash',
        kind: 'general',
        title: `Letter ${label}`,
        letterDate: '2026-11-01',
        receivedAt: now,
        html: '<p>Dear you</p>',
        pdf: new Uint8Array(Buffer.from('%PDF-1.4')),
        pdfBytes: 8,
        readAt: label === 'mine' ? now : null,
      },
    });
  }
  // Only the other account has these.
  await db.sharingConsent.create({ data: { userId: other, category: 'blood-pressure', shared: false } });
  const reading = await db.bloodPressureReading.create({ data: { userId: other, measuredAt: now, systolic: 128, diastolic: 82, arm: 'left', sitting: true } });
  await db.bloodPressureReadingChange.create({ data: { userId: other, readingId: reading.id, action: 'added' } });
  await db.homeMonitoringWeek.create({ data: { userId: other, startedOn: '2026-11-01', endsOn: '2026-11-07' } });
  await db.longTermCondition.create({ data: { userId: other, name: 'Asthma' } });
  await db.postalAddress.create({ data: { userId: other, line1: '5 Fixture Walk', town: 'Leeds', postcode: 'LS12 4PL', source: 'manual' } });
  await db.outboxMessage.create({
    data: { idempotencyKey: randomUUID(), destination: 'council', topic: 'address-changed', userId: other, subjectId: 'x', payload: '{}' },
  });
  await db.postToDigitalSwitch.create({ data: { userId: other, fromChannel: 'post', toChannel: 'text' } });
  const theirReference = `LCC-${randomUUID().slice(0, 8).toUpperCase()}`;
  await db.organisationReference.create({ data: { organisation: 'council', reference: theirReference, userId: other, updatedAt: now } });
  await db.careRecordLink.create({ data: { userId: other, outcome: 'matched', patientId: 'patient-1', method: 'nhs-number', checkedAt: now } });
  await db.draft.create({ data: { userId: other, journey: 'about-me/condition', answers: '{}', expiresAt: new Date(now.getTime() + 3_600_000) } });
  await db.identityLink.create({ data: { userId: other, at: now, provider: 'onelogin', kind: 'added' } });
  await citizenSessionCookie(other);
  await startJoin(db, mine, { otherUserId: other, provider: 'nhslogin', subject: nhsSubject }, now);
  return { mine, other, nhsSubject, oneLoginSubject, activityId: activity.id, theirReference };
}

/** Every row each account owns, table by table: to show that a failed join changed nothing. */
async function rowsOf(userId: string) {
  const db = getDb();
  const where = { userId };
  return {
    user: await db.user.findUnique({ where: { id: userId } }),
    identities: await db.userIdentity.count({ where }),
    links: await db.identityLink.count({ where }),
    sessions: await db.session.count({ where }),
    signIns: await db.signInEvent.count({ where }),
    readings: await db.bloodPressureReading.count({ where }),
    changes: await db.bloodPressureReadingChange.count({ where }),
    weeks: await db.homeMonitoringWeek.count({ where }),
    topThree: await db.topThingsVersion.count({ where }),
    conditions: await db.longTermCondition.count({ where }),
    needs: await db.communicationNeeds.findUnique({ where }),
    sharing: await db.sharingConsent.findMany({ where }),
    careRecord: await db.careRecordLink.findUnique({ where }),
    drafts: await db.draft.count({ where }),
    contact: await db.contactPreference.findUnique({ where }),
    fewerLetters: await db.fewerLettersChoice.findMany({ where }),
    addresses: await db.postalAddress.count({ where }),
    outbox: await db.outboxMessage.count({ where }),
    switches: await db.postToDigitalSwitch.count({ where }),
    letters: await db.letter.count({ where }),
    references: await db.organisationReference.findMany({ where, select: { organisation: true, reference: true } }),
    engagement: await db.engagementPreference.findUnique({ where }),
    responses: await db.engagementResponse.count({ where }),
    invitations: await db.engagementInvitation.count({ where }),
  };
}

async function answerEverything(mine: string, side: 'this' | 'other' = 'other') {
  const db = getDb();
  for (const question of await joinQuestions(db, mine, (await pendingJoin(db, mine))!.otherUserId)) {
    await saveJoinChoice(db, mine, (await pendingJoin(db, mine))!, question.key, side);
  }
}

describe('adding a way of signing in that is new to us', () => {
  it('adds the identity and the history entry, and the NHS number when the account had none', async () => {
    const db = getDb();
    const userId = await makeCitizen({ identityLevel: 'P2', nhsNumber: null });
    await addSignInMethod(db, userId, { provider: 'nhslogin', subject: `nhs-${randomUUID()}`, nhsNumber: '9990111006' });
    expect(await db.userIdentity.count({ where: { userId, provider: 'nhslogin' } })).toBe(1);
    expect(await db.identityLink.findMany({ where: { userId } })).toMatchObject([{ provider: 'nhslogin', kind: 'added', mergedUserId: null }]);
    expect((await db.user.findUnique({ where: { id: userId } }))?.nhsNumber).toBe('9990111006');
    expect(await db.auditEntry.count({ where: { citizenId: userId, action: 'sign-in-method-added' } })).toBe(1);
  });
});

describe('signing in to an account with both ways of signing in', () => {
  it('keeps the NHS number when signing in with One Login, and the postcode when signing in with NHS login', async () => {
    const db = getDb();
    const userId = await makeCitizen({ identityLevel: 'P2', nhsNumber: null, verifiedPostcode: 'LS8 2HT' });
    const [oneLogin, nhsLogin] = [`urn:test:${randomUUID()}`, `nhs-${randomUUID()}`];
    await db.userIdentity.create({ data: { userId, provider: 'onelogin', subject: oneLogin } });
    await addSignInMethod(db, userId, { provider: 'nhslogin', subject: nhsLogin, nhsNumber: '9990111006' });
    const user = await db.user.findUniqueOrThrow({ where: { id: userId } });
    const identity = { givenName: user.givenName, familyName: user.familyName, birthDate: user.birthDate };
    const limits = { idleSeconds: 1800, idleSecondsShared: 600, maxSeconds: 43_200, maxSecondsShared: 7200 };
    const common = { idToken: 'id-token', sharedDevice: false, deviceKind: 'computer' as const };
    await recordSignIn(
      db,
      { ...common, provider: 'onelogin', subject: oneLogin, identity: { ...identity, nhsNumber: null, postcode: 'LS8 2HT', level: 'P2' } },
      limits,
    );
    await recordSignIn(db, { ...common, provider: 'nhslogin', subject: nhsLogin, identity: { ...identity, nhsNumber: '9990111006', level: 'P9' } }, limits);
    expect(await db.user.findUniqueOrThrow({ where: { id: userId } })).toMatchObject({ nhsNumber: '9990111006', verifiedPostcode: 'LS8 2HT' });
  });
});

describe('joining the other account into this one', () => {
  it('asks about each thing both accounts have and only one can keep', async () => {
    const { mine, other } = await twoAccounts();
    const questions = await joinQuestions(getDb(), mine, other);
    expect(questions.map((question) => question.key)).toEqual([
      'top-three',
      'communication-needs',
      'contact-preferences',
      'taking-part',
      'sharing-blood-pressure',
    ]);
    expect(questions[0]).toMatchObject({ thisAccount: ['Top mine'], otherAccount: ['Top theirs'] });
    expect(await joinAccounts(getDb(), mine)).toEqual({ ok: false, reason: 'unanswered', question: 'top-three' });
  });

  it('moves every row to this account, keeps what was chosen, and deletes the other account', async () => {
    const db = getDb();
    const { mine, other, nhsSubject, theirReference } = await twoAccounts();
    const before = await rowsOf(other);
    await answerEverything(mine, 'other');
    const result = await joinAccounts(db, mine);
    expect(result).toMatchObject({ ok: true, counts: { bloodPressureReadings: 1, conditions: 2, signIns: 1, surveyResponses: 1 } });

    expect(await db.user.findUnique({ where: { id: other } })).toBeNull();
    const after = await rowsOf(mine);
    expect(after.user).toMatchObject({ nhsNumber: NHS_NUMBER, verifiedPostcode: 'LS12 4PL' });
    expect(await db.userIdentity.findUnique({ where: { provider_subject: { provider: 'nhslogin', subject: nhsSubject } } })).toMatchObject({ userId: mine });
    expect(after).toMatchObject({
      identities: 2,
      readings: before.readings,
      changes: before.changes,
      weeks: before.weeks,
      signIns: 2,
      addresses: 1,
      outbox: 1,
      switches: 1,
      // Both accounts' letters, in one inbox.
      letters: 2,
      // The council's reference for the other account: its letters now find this one.
      references: [{ organisation: 'council', reference: theirReference }],
      // The same condition is not listed twice; Asthma comes across.
      conditions: 2,
      // Both versions kept, and the chosen one made the newest.
      topThree: 3,
      needs: { formats: 'braille' },
      contact: { channel: 'text', email: 'theirs@example.com' },
      fewerLetters: [{ organisation: 'council', fewerLetters: true }],
      engagement: { wantsInvitations: false },
      sharing: [{ category: 'blood-pressure', shared: false }],
      careRecord: { patientId: 'patient-1' },
      responses: 1,
      invitations: 1,
      // The other account's half-finished condition came across; the join draft is used up.
      drafts: 1,
    });
    const newest = await db.topThingsVersion.findFirst({ where: { userId: mine }, orderBy: { createdAt: 'desc' } });
    expect(newest?.items).toContain('Top theirs');
    expect((await db.engagementResponse.findFirst({ where: { userId: mine } }))?.submittedAt).not.toBeNull();
    // Its sessions are gone: nobody is left signed in to an account that no longer exists.
    expect(await db.session.count({ where: { userId: other } })).toBe(0);

    // Nothing is left behind, anywhere.
    expect(Object.values(await rowsOf(other)).every((value) => value === null || value === 0 || (Array.isArray(value) && value.length === 0))).toBe(true);

    // Told, never silently: the history entry and an audit entry the citizen can read.
    const [link] = await db.identityLink.findMany({ where: { userId: mine, kind: 'merged' } });
    expect(link).toMatchObject({ provider: 'nhslogin', mergedUserId: other });
    expect(JSON.parse(link!.detail)).toMatchObject({ moved: { bloodPressureReadings: 1 }, choices: { 'top-three': 'other' } });
    expect(await db.auditEntry.count({ where: { citizenId: mine, action: 'accounts-joined' } })).toBe(1);
    expect(await accountIdsOf(db, mine)).toEqual([mine, other]);
    expect((await verifyAuditChain(db)).ok).toBe(true);

    // A second confirm does nothing.
    expect(await joinAccounts(db, mine)).toEqual({ ok: false, reason: 'no-join' });
  });

  it('keeps this account’s things when that is the choice', async () => {
    const db = getDb();
    const { mine } = await twoAccounts();
    await answerEverything(mine, 'this');
    expect((await joinAccounts(db, mine)).ok).toBe(true);
    const after = await rowsOf(mine);
    expect(after).toMatchObject({
      needs: { formats: 'large-print' },
      contact: { channel: 'email' },
      fewerLetters: [{ organisation: 'council', fewerLetters: false }],
      engagement: { wantsInvitations: true },
      sharing: [{ category: 'blood-pressure', shared: true }],
      topThree: 2,
    });
  });

  it('keeps this account’s reference when the council gave both accounts one; the other’s finds nobody any more', async () => {
    const db = getDb();
    const { mine, theirReference } = await twoAccounts();
    const myReference = `LCC-${randomUUID().slice(0, 8).toUpperCase()}`;
    await db.organisationReference.create({ data: { organisation: 'council', reference: myReference, userId: mine, updatedAt: new Date() } });
    await answerEverything(mine, 'other');
    expect((await joinAccounts(db, mine)).ok).toBe(true);
    expect((await rowsOf(mine)).references).toEqual([{ organisation: 'council', reference: myReference }]);
    expect(await db.organisationReference.count({ where: { reference: theirReference } })).toBe(0);
  });

  it('changes nothing at all when it fails half way', async () => {
    const db = getDb();
    const { mine, other } = await twoAccounts();
    await answerEverything(mine);
    const [mineBefore, otherBefore] = [await rowsOf(mine), await rowsOf(other)];
    const auditBefore = await db.auditEntry.count();
    const failing = joinAccounts(db, mine, new Date(), {
      afterStep: (step) => {
        if (step === 'sharing') throw new Error('interrupted');
      },
    });
    await expect(failing).rejects.toThrow('interrupted');
    expect(await rowsOf(mine)).toEqual(mineBefore);
    expect(await rowsOf(other)).toEqual(otherBefore);
    expect(await db.auditEntry.count()).toBe(auditBefore);
    // The citizen can still confirm again.
    expect(await pendingJoin(db, mine)).not.toBeNull();
  });

  it('counts one person in the active users report after a join', async () => {
    const db = getDb();
    const { mine } = await twoAccounts();
    // After their sign-ins: the report counts up to now.
    const now = new Date();
    const before = await activeUsersReport(db, now);
    await answerEverything(mine);
    await joinAccounts(db, mine, now);
    const after = await activeUsersReport(db, now);
    expect(after.active).toBe(before.active - 1);
    expect(after.registered).toBe(before.registered - 1);
  });
});

describe('the end of the provider sign-in, with a link intent', () => {
  async function signedIn(details: Parameters<typeof makeCitizen>[0]) {
    const userId = await makeCitizen(details);
    const cookie = await citizenSessionCookie(userId);
    const session = await getDb().session.findFirstOrThrow({ where: { userId } });
    const req = new Request('http://localhost:3000/api/auth/callback/nhslogin', { headers: { cookie } });
    const intent = { sessionId: session.id, userId, provider: 'nhslogin', expiresAt: Date.now() + 600_000 };
    return { userId, req, intent, cookie };
  }
  const nhsIdentity = (details: { givenName: string; familyName: string; birthDate: string }) => ({
    ok: true as const,
    identity: { ...details, nhsNumber: '9990111006', level: 'P9' as const },
  });

  it('refuses identities that disagree, storing nothing', async () => {
    const familyName = `Mismatch-${randomUUID().slice(0, 6)}`;
    const { userId, req, intent } = await signedIn({ givenName: 'Isla', familyName, birthDate: '1993-10-15', nhsNumber: null, identityLevel: 'P2' });
    const subject = `nhs-${randomUUID()}`;
    const to = await finishAddingSignInMethod(
      req,
      intent,
      'nhslogin',
      subject,
      nhsIdentity({ givenName: 'Jon', familyName: 'Otherly', birthDate: '1965-05-30' }),
    );
    expect(to).toBe('/account/sign-in-methods/not-added?reason=name');
    const birth = await finishAddingSignInMethod(req, intent, 'nhslogin', subject, nhsIdentity({ givenName: 'Isla', familyName, birthDate: '1993-10-16' }));
    expect(birth).toBe('/account/sign-in-methods/not-added?reason=birth-date');
    expect(await getDb().userIdentity.count({ where: { subject } })).toBe(0);
    expect(await getDb().identityLink.count({ where: { userId } })).toBe(0);
    expect((await getDb().user.findUnique({ where: { id: userId } }))?.nhsNumber).toBeNull();
  });

  it('refuses an intent from another session or for another provider', async () => {
    const { req, intent } = await signedIn({ identityLevel: 'P2', nhsNumber: null });
    const identity = nhsIdentity({ givenName: 'Test', familyName: 'x', birthDate: '1980-01-01' });
    expect(await finishAddingSignInMethod(req, { ...intent, sessionId: 'another' }, 'nhslogin', 'nhs-x', identity)).toContain('reason=session');
    expect(await finishAddingSignInMethod(req, intent, 'onelogin', 'nhs-x', identity)).toContain('reason=session');
  });

  it('adds an identity that agrees and is new to us, when the care record has one person for its NHS number and the verified address', async () => {
    const familyName = `Linkwell-${randomUUID().slice(0, 6)}`;
    const { userId, req, intent } = await signedIn({
      givenName: 'Gita Maya',
      familyName,
      birthDate: '1979-04-21',
      nhsNumber: null,
      verifiedPostcode: 'LS8 2HT',
      identityLevel: 'P2',
    });
    const asked: unknown[] = [];
    const samePerson: SamePersonCheck = async (...args) => (asked.push(args), 'same');
    const to = await finishAddingSignInMethod(
      req,
      intent,
      'nhslogin',
      `nhs-${randomUUID()}`,
      nhsIdentity({ givenName: 'GITA', familyName, birthDate: '1979-04-21' }),
      new Date(),
      samePerson,
    );
    expect(to).toBe('/account/sign-in-methods?added=nhslogin');
    expect(asked).toEqual([
      [
        { givenName: 'Gita Maya', familyName, birthDate: '1979-04-21', nhsNumber: '9990111006' },
        { givenName: 'Gita Maya', familyName, birthDate: '1979-04-21', postcode: 'LS8 2HT' },
      ],
    ]);
    expect((await getDb().user.findUnique({ where: { id: userId } }))?.nhsNumber).toBe('9990111006');
  });

  it('refuses when the care record does not hold that NHS number at that address, has no address to compare, or cannot be asked', async () => {
    const familyName = `Sameday-${randomUUID().slice(0, 6)}`;
    const details = { givenName: 'Nia', familyName, birthDate: '1990-02-02' };
    const withAddress = await signedIn({ ...details, nhsNumber: null, verifiedPostcode: 'LS6 2QR', identityLevel: 'P2' });
    const subject = `nhs-${randomUUID()}`;
    const add = (who: typeof withAddress, answer: 'not-same' | 'unavailable') =>
      finishAddingSignInMethod(who.req, who.intent, 'nhslogin', subject, nhsIdentity(details), new Date(), async () => answer);
    // Someone with the same name and date of birth, whose GP record is at another address.
    expect(await add(withAddress, 'not-same')).toBe('/account/sign-in-methods/not-added?reason=address');
    expect(await add(withAddress, 'unavailable')).toBe('/account/sign-in-methods/not-added?reason=unavailable');
    const noAddress = await signedIn({ ...details, nhsNumber: null, verifiedPostcode: null, identityLevel: 'P2' });
    expect(await add(noAddress, 'unavailable')).toBe('/account/sign-in-methods/not-added?reason=no-address');
    expect(await getDb().userIdentity.count({ where: { subject } })).toBe(0);
    expect(await getDb().identityLink.count({ where: { userId: { in: [withAddress.userId, noAddress.userId] } } })).toBe(0);
  });

  it('starts a join, with its first question, when the identity already has an account', async () => {
    const familyName = `Joinwell-${randomUUID().slice(0, 6)}`;
    const details = { givenName: 'Kofi', familyName, birthDate: '1971-12-03' };
    const { userId, req, intent } = await signedIn({ ...details, nhsNumber: null, verifiedPostcode: 'LS8 2HT', identityLevel: 'P2' });
    const other = await makeCitizen({ ...details, nhsNumber: '9990113009' });
    const subject = `nhs-${randomUUID()}`;
    await getDb().userIdentity.create({ data: { userId: other, provider: 'nhslogin', subject } });
    await getDb().topThingsVersion.createMany({ data: [userId, other].map((id) => ({ userId: id, items: '[{"title":"A","description":"b"}]' })) });
    const to = await finishAddingSignInMethod(req, intent, 'nhslogin', subject, nhsIdentity(details), new Date(), async () => 'same');
    expect(to).toBe('/account/sign-in-methods/join/top-three');
    expect(await pendingJoin(getDb(), userId)).toMatchObject({ otherUserId: other, provider: 'nhslogin', subject, choices: {} });
  });
});

describe('the pages', () => {
  it('refuses a question page sent with no answer (422, error summary, nothing stored)', async () => {
    const { mine } = await twoAccounts();
    const csrf = browserCsrf();
    const cookie = `${csrf.cookie}; ${await citizenSessionCookie(mine)}`;
    const params = { params: Promise.resolve({ question: 'top-three' }) };
    for (const keep of [undefined, 'both']) {
      const response = await joinQuestionPage.POST(
        formPost('/account/sign-in-methods/join/top-three', keep ? { keep } : {}, { csrf, headers: { cookie } }),
        params,
      );
      expect(response.status).toBe(422);
      const html = await response.text();
      expect(html).toContain('govuk-error-summary');
      expect(html).toContain('Select which top three things to keep');
      expect(html).toMatch(/<title>\s*Error: /);
    }
    expect((await pendingJoin(getDb(), mine))?.choices).toEqual({});

    // A good answer goes on to the next question; check answers sends people back to what is unanswered.
    const ok = await joinQuestionPage.POST(formPost('/account/sign-in-methods/join/top-three', { keep: 'other' }, { csrf, headers: { cookie } }), params);
    expect(ok.headers.get('location')).toBe('/account/sign-in-methods/join/communication-needs');
    const check = await joinCheckAnswersPage.GET(new Request('http://localhost:3000/account/sign-in-methods/join/check-answers', { headers: { cookie } }));
    expect(check.headers.get('location')).toBe('/account/sign-in-methods/join/communication-needs');

    // Confirm joins them, and the ways-you-sign-in page says so.
    await answerEverything(mine);
    const confirmed = await joinCheckAnswersPage.POST(formPost('/account/sign-in-methods/join/check-answers', {}, { csrf, headers: { cookie } }));
    expect(confirmed.headers.get('location')).toBe('/account/sign-in-methods/join/confirmation');
    const methods = await signInMethodsPage.GET(new Request('http://localhost:3000/account/sign-in-methods', { headers: { cookie } }));
    const html = await methods.text();
    expect(html).toContain('Your other account, which you signed in to with NHS login, was joined to this one on');
    expect(html).toContain('with 1 blood pressure reading');
  });

  it('starts no sign-in for a provider the account already has, or one that does not exist', async () => {
    const userId = await makeCitizen();
    await getDb().userIdentity.createMany({
      data: [
        { userId, provider: 'onelogin', subject: `urn:test:${randomUUID()}` },
        { userId, provider: 'nhslogin', subject: `nhs-${randomUUID()}` },
      ],
    });
    const csrf = browserCsrf();
    const cookie = `${csrf.cookie}; ${await citizenSessionCookie(userId)}`;
    for (const provider of ['nhslogin', 'staff', '']) {
      const response = await signInMethodsPage.POST(formPost('/account/sign-in-methods', { provider }, { csrf, headers: { cookie } }));
      expect(response.status).toBe(303);
      expect(response.headers.get('location')).toBe('/account/sign-in-methods');
    }
    const page = await (await signInMethodsPage.GET(new Request('http://localhost:3000/account/sign-in-methods', { headers: { cookie } }))).text();
    expect(page).not.toContain('Add NHS login');
  });

  it('explains a refusal in plain words', async () => {
    const cookie = await citizenSessionCookie(await makeCitizen());
    const response = await signInMethodNotAddedPage(
      new Request('http://localhost:3000/account/sign-in-methods/not-added?reason=birth-date', { headers: { cookie } }),
    );
    const html = await response.text();
    expect(html).toContain('The date of birth on the account you signed in to is not the same as the date of birth on this account.');
    expect(html).toContain('You are still signed in to your account');
  });
});
