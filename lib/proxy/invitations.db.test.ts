// Invitations to act for someone and the accesses they become, on the database under test
// (SQLite and PostgreSQL): the secret never stored, one answer per invitation, expiry by the
// clock given, every refusal, and ending an access stopping every session acting under it. The
// message is sent through the notifications outbox to the local Notify (scripts/notify/server.ts).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { notifySettings } from '@/lib/notifications/config';
import { notifySender } from '@/lib/notifications/sender';
import { getDb } from '@/lib/platform/db';
import { citizenSessionCookie, makeCitizen, useDatabaseUnderTest } from '@/lib/platform/db-test-support';
import { createDispatcher } from '@/lib/platform/outbox';
import { createNotifyServer, type NotifyServer } from '@/scripts/notify/server';
import { accessesOfPerson, accessOfPerson, changePermissions, endAccess, peopleProxyActsFor, startActing, stopActing } from './accesses';
import type { CompleteInvite } from './invite-answers';
import { answerInvitation, invitationFor, invitationMessage, invitationsSentToday, invitationToken, invite, openInvitationAddresses } from './invitations';

const { provider } = useDatabaseUnderTest();

const NOW = new Date('2027-03-10T12:00:00Z');
const DAY = 86_400_000;
const later = (ms: number) => new Date(NOW.getTime() + ms);

let notify: NotifyServer;
let notifyUrl: string;
beforeAll(async () => {
  notify = createNotifyServer();
  notifyUrl = await notify.listen();
});
afterAll(() => notify.close());

type Person = { id: string; givenName: string; familyName: string; identityLevel: string };

async function person(givenName: string, identityLevel = 'P9'): Promise<Person> {
  const id = await makeCitizen({ givenName, identityLevel });
  const user = await getDb().user.findUniqueOrThrow({ where: { id } });
  return { id, givenName, familyName: user.familyName, identityLevel };
}

const answers = (overrides: Partial<CompleteInvite> = {}): CompleteInvite => ({
  name: 'Walt Helpwell',
  contact: { channel: 'email', email: `walt-${Math.random().toString(36).slice(2, 8)}@example.com` },
  permissions: ['care-record', 'blood-pressure'],
  howLong: { until: 'stopped' },
  ...overrides,
});

/** The session row of a signed-in browser of this user (as a sign-in leaves it). */
async function sessionOf(userId: string): Promise<string> {
  await citizenSessionCookie(userId);
  const session = await getDb().session.findFirstOrThrow({ where: { userId }, orderBy: { createdAt: 'desc' } });
  return session.id;
}

describe(`invitations on ${provider}`, () => {
  it('keeps only a hash of the secret: not in the row, the outbox or the audit log, and the link finds it', async () => {
    const amelia = await person('Amelia');
    const { id, token } = await invite(getDb(), amelia, answers({ contact: { channel: 'email', email: 'walt@example.com' } }), NOW);
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(token).toBe(invitationToken(id));

    const row = await getDb().proxyAccess.findUniqueOrThrow({ where: { id } });
    expect(row).toMatchObject({
      personId: amelia.id,
      basis: 'invited',
      status: 'invited',
      proxyId: null,
      permissions: 'care-record,blood-pressure',
      invitedName: 'Walt Helpwell',
    });
    expect(row.invitationExpiresAt).toEqual(later(14 * DAY));
    expect(row.invitationTokenHash).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(row)).not.toContain(token);

    const message = await getDb().outboxMessage.findFirstOrThrow({ where: { subjectId: id } });
    expect(message).toMatchObject({ destination: 'notify', topic: 'proxy-invitation', userId: amelia.id, status: 'pending' });
    expect(message.payload).not.toContain(token);
    expect(message.payload).not.toContain('walt');
    const audit = await getDb().auditEntry.findMany({ where: { citizenId: amelia.id } });
    expect(audit.map((entry) => entry.action)).toEqual(['proxy-invited']);
    expect(JSON.stringify(audit)).not.toContain(token);

    const walt = await person('Walt');
    expect(await invitationFor(getDb(), token, walt, NOW)).toMatchObject({
      invitation: { id, personName: `Amelia ${amelia.familyName}`, permissions: ['care-record', 'blood-pressure'] },
      refusal: null,
    });
  });

  it('sends the message through Notify to the address given, with the link, and nothing once withdrawn', async () => {
    await getDb().outboxMessage.deleteMany({});
    await fetch(`${notifyUrl}/sent`, { method: 'DELETE' });
    const amelia = await person('Amelia');
    const byEmail = await invite(getDb(), amelia, answers({ contact: { channel: 'email', email: 'walt.sent@example.com' } }), new Date());
    const byText = await invite(getDb(), amelia, answers({ name: 'Tess Helpwell', contact: { channel: 'text', mobile: '07700 900982' } }), new Date());
    const withdrawn = await invite(getDb(), amelia, answers({ name: 'Uma Helpwell', contact: { channel: 'email', email: 'uma@example.com' } }), new Date());
    expect(await endAccess(getDb(), amelia, withdrawn.id, new Date())).toBe(true);

    const dispatcher = createDispatcher({
      db: getDb(),
      senders: {
        notify: notifySender(getDb(), notifySettings({ NOTIFY_BASE_URL: notifyUrl, NOTIFY_TIMEOUT_MS: '2000' }), undefined, {
          'proxy-invitation': invitationMessage,
        }),
      },
      maxAttempts: 3,
      backoffBaseMs: 1_000,
      backoffMaxMs: 10_000,
      leaseMs: 10_000,
    });
    expect(await dispatcher.runOnce()).toEqual({ delivered: 3, retrying: 0, failed: 0 });
    const sent = notify.sent();
    expect(sent.map((message) => message.to).sort()).toEqual(['07700 900982', 'walt.sent@example.com']);
    const email = sent.find((message) => message.type === 'email')!;
    expect(email.subject).toBe(`Amelia ${amelia.familyName} has invited you to act for them`);
    expect(email.body).toContain('Dear Walt Helpwell');
    expect(email.body).toContain(`/acting-for/invitations/${byEmail.token}`);
    expect(Object.keys(email.personalisation).sort()).toEqual(['first_name', 'link', 'sender', 'service_name']);
    expect(sent.find((message) => message.type === 'sms')!.body).toContain(`/acting-for/invitations/${byText.token}`);
  });

  it('tells the sender nothing to send once an invitation has expired or been answered', async () => {
    const amelia = await person('Amelia');
    const { id, token } = await invite(getDb(), amelia, answers(), NOW);
    expect(await invitationMessage(getDb(), id, later(14 * DAY - 1))).toMatchObject({ channel: 'email' });
    expect(await invitationMessage(getDb(), id, later(14 * DAY))).toBeNull();
    const walt = await person('Walt');
    expect(await answerInvitation(getDb(), token, walt, 'accept', NOW)).toMatchObject({ ok: true });
    expect(await invitationMessage(getDb(), id, NOW)).toBeNull();
    expect(await invitationMessage(getDb(), 'no-such-access', NOW)).toBeNull();
  });

  it('is accepted once: the invitee acts for the person from then on, and the link is used up', async () => {
    const amelia = await person('Amelia');
    const { id, token } = await invite(getDb(), amelia, answers(), NOW);
    const walt = await person('Walt');
    expect(await answerInvitation(getDb(), token, walt, 'accept', later(DAY))).toMatchObject({ ok: true, invitation: { id } });
    expect(await getDb().proxyAccess.findUniqueOrThrow({ where: { id } })).toMatchObject({ status: 'active', proxyId: walt.id, acceptedAt: later(DAY) });
    expect((await peopleProxyActsFor(getDb(), walt.id, later(DAY))).map((option) => option.personName)).toEqual([`Amelia ${amelia.familyName}`]);

    // The same link again, by the same person or anyone else: used.
    expect(await answerInvitation(getDb(), token, walt, 'accept', later(DAY))).toMatchObject({ ok: false, refusal: 'used' });
    const ben = await person('Ben');
    expect(await answerInvitation(getDb(), token, ben, 'decline', later(DAY))).toMatchObject({ ok: false, refusal: 'used' });
    expect(await getDb().proxyAccess.findUniqueOrThrow({ where: { id } })).toMatchObject({ status: 'active', proxyId: walt.id });
    const actions = (await getDb().auditEntry.findMany({ where: { citizenId: amelia.id }, orderBy: { seq: 'asc' } })).map((entry) => [
      entry.action,
      entry.actorId,
    ]);
    expect(actions).toEqual([
      ['proxy-invited', amelia.id],
      ['proxy-accepted', walt.id],
    ]);
  });

  it('counts one answer when two come at once', async () => {
    const amelia = await person('Amelia');
    const { id, token } = await invite(getDb(), amelia, answers(), NOW);
    const walt = await person('Walt');
    const ben = await person('Ben');
    const results = await Promise.all([answerInvitation(getDb(), token, walt, 'accept', NOW), answerInvitation(getDb(), token, ben, 'accept', NOW)]);
    expect(results.filter((result) => result?.ok)).toHaveLength(1);
    expect(results.filter((result) => result && !result.ok && result.refusal === 'used')).toHaveLength(1);
    const row = await getDb().proxyAccess.findUniqueOrThrow({ where: { id } });
    expect([walt.id, ben.id]).toContain(row.proxyId);
  });

  it('expires 14 days after it was sent, by the clock given', async () => {
    const amelia = await person('Amelia');
    const { token } = await invite(getDb(), amelia, answers(), NOW);
    const walt = await person('Walt');
    expect((await invitationFor(getDb(), token, walt, later(14 * DAY - 1)))?.refusal).toBeNull();
    expect((await invitationFor(getDb(), token, walt, later(14 * DAY)))?.refusal).toBe('expired');
    expect(await answerInvitation(getDb(), token, walt, 'accept', later(15 * DAY))).toMatchObject({ ok: false, refusal: 'expired' });
    expect((await accessesOfPerson(getDb(), amelia.id, later(15 * DAY))).history.map((access) => access.state)).toEqual(['expired']);
  });

  it('is refused to the person who sent it, to an unproven identity, and to someone already acting for them', async () => {
    const amelia = await person('Amelia');
    const { token } = await invite(getDb(), amelia, answers(), NOW);
    expect(await answerInvitation(getDb(), token, amelia, 'accept', NOW)).toMatchObject({ ok: false, refusal: 'to-yourself' });
    for (const level of ['none', 'P5', 'P0']) {
      const unproven = await person('Una', level);
      expect(await answerInvitation(getDb(), token, unproven, 'accept', NOW)).toMatchObject({ ok: false, refusal: 'unproven' });
    }
    const walt = await person('Walt');
    const first = await invite(getDb(), amelia, answers(), NOW);
    expect(await answerInvitation(getDb(), first.token, walt, 'accept', NOW)).toMatchObject({ ok: true });
    expect(await answerInvitation(getDb(), token, walt, 'accept', NOW)).toMatchObject({ ok: false, refusal: 'already-acting' });
    // Nothing changed by any refusal: still waiting for an answer.
    expect((await invitationFor(getDb(), token, await person('Ben'), NOW))?.refusal).toBeNull();
  });

  it('is refused once withdrawn, and once declined; an unknown or malformed link finds nothing', async () => {
    const amelia = await person('Amelia');
    const walt = await person('Walt');
    const withdrawn = await invite(getDb(), amelia, answers(), NOW);
    expect(await endAccess(getDb(), amelia, withdrawn.id, NOW)).toBe(true);
    expect(await answerInvitation(getDb(), withdrawn.token, walt, 'accept', NOW)).toMatchObject({ ok: false, refusal: 'withdrawn' });

    const declined = await invite(getDb(), amelia, answers(), NOW);
    expect(await answerInvitation(getDb(), declined.token, walt, 'decline', NOW)).toMatchObject({ ok: true });
    expect(await getDb().proxyAccess.findUniqueOrThrow({ where: { id: declined.id } })).toMatchObject({
      status: 'ended',
      endedReason: 'by-proxy',
      proxyId: null,
    });
    expect(await answerInvitation(getDb(), declined.token, walt, 'accept', NOW)).toMatchObject({ ok: false, refusal: 'used' });

    expect(await invitationFor(getDb(), 'A'.repeat(43), walt, NOW)).toBeNull();
    expect(await invitationFor(getDb(), `${declined.token}x`, walt, NOW)).toBeNull();
    expect(await answerInvitation(getDb(), '../../etc', walt, 'accept', NOW)).toBeNull();
    expect((await accessesOfPerson(getDb(), amelia.id, NOW)).history.map((access) => access.state).sort()).toEqual(['declined', 'withdrawn']);
  });

  it('is refused once the date the access was to end has passed', async () => {
    const amelia = await person('Amelia');
    const { token } = await invite(getDb(), amelia, answers({ howLong: { until: 'date', lastDay: '2027-03-12' } }), NOW);
    const walt = await person('Walt');
    expect(await answerInvitation(getDb(), token, walt, 'accept', new Date('2027-03-13T00:00:00Z'))).toMatchObject({ ok: false, refusal: 'expired' });
  });

  it('counts what the person sent in the last day, and the addresses already invited or acting', async () => {
    const amelia = await person('Amelia');
    await invite(getDb(), amelia, answers({ contact: { channel: 'email', email: 'one@example.com' } }), NOW);
    const second = await invite(getDb(), amelia, answers({ contact: { channel: 'text', mobile: '07700 900111' } }), later(-DAY + 1000));
    await invite(getDb(), amelia, answers({ contact: { channel: 'email', email: 'old@example.com' } }), later(-20 * DAY));
    expect(await invitationsSentToday(getDb(), amelia.id, NOW)).toBe(2);
    expect(await openInvitationAddresses(getDb(), amelia.id, NOW)).toEqual(
      expect.arrayContaining([
        { email: 'one@example.com', mobile: null },
        { email: null, mobile: '07700 900111' },
      ]),
    );
    expect(await openInvitationAddresses(getDb(), amelia.id, NOW)).toHaveLength(2);
    await endAccess(getDb(), amelia, second.id, NOW);
    expect(await openInvitationAddresses(getDb(), amelia.id, NOW)).toHaveLength(1);
  });
});

describe(`accesses on ${provider}`, () => {
  async function activeAccess(options: Partial<CompleteInvite> = {}) {
    const amelia = await person('Amelia');
    const walt = await person('Walt');
    const { id, token } = await invite(getDb(), amelia, answers(options), NOW);
    await answerInvitation(getDb(), token, walt, 'accept', NOW);
    return { amelia, walt, id };
  }

  it("lists the person's own only: another person's id finds nothing", async () => {
    const { amelia, walt, id } = await activeAccess();
    const lists = await accessesOfPerson(getDb(), amelia.id, NOW);
    expect(lists.active).toEqual([
      expect.objectContaining({ id, name: `Walt ${walt.familyName}`, state: 'active', permissions: ['care-record', 'blood-pressure'] }),
    ]);
    expect(lists.waiting).toEqual([]);
    expect(await accessOfPerson(getDb(), walt.id, id, NOW)).toBeNull();
    expect(await accessOfPerson(getDb(), amelia.id, 'not/an id', NOW)).toBeNull();
    expect(await endAccess(getDb(), walt, id, NOW)).toBe(false);
    expect(await changePermissions(getDb(), walt, id, ['sharing'], NOW)).toBe(false);
  });

  it('changes what they may do at once, and not once ended', async () => {
    const { amelia, id } = await activeAccess();
    expect(await changePermissions(getDb(), amelia, id, ['sharing', 'about-me'], NOW)).toBe(true);
    expect((await accessOfPerson(getDb(), amelia.id, id, NOW))?.permissions).toEqual(['about-me', 'sharing']);
    expect(await changePermissions(getDb(), amelia, id, [], NOW)).toBe(false);
    await endAccess(getDb(), amelia, id, NOW);
    expect(await changePermissions(getDb(), amelia, id, ['care-record'], NOW)).toBe(false);
    expect((await accessOfPerson(getDb(), amelia.id, id, NOW))?.permissions).toEqual(['about-me', 'sharing']);
  });

  it('lets the proxy act only under an active access of their own, and ending it stops every session acting under it', async () => {
    const { amelia, walt, id } = await activeAccess();
    const ben = await person('Ben');
    const waltsPhone = await sessionOf(walt.id);
    const waltsLaptop = await sessionOf(walt.id);
    const bensSession = await sessionOf(ben.id);
    expect(await startActing(getDb(), { id: bensSession, proxyId: ben.id }, id, NOW)).toBe(false);
    expect(await startActing(getDb(), { id: bensSession, proxyId: walt.id }, id, NOW)).toBe(false);
    expect(await startActing(getDb(), { id: waltsPhone, proxyId: walt.id }, id, NOW)).toBe(true);
    expect(await startActing(getDb(), { id: waltsLaptop, proxyId: walt.id }, id, NOW)).toBe(true);
    expect((await getDb().session.findUniqueOrThrow({ where: { id: bensSession } })).actingForId).toBeNull();

    await stopActing(getDb(), waltsLaptop);
    expect((await getDb().session.findUniqueOrThrow({ where: { id: waltsLaptop } })).actingForId).toBeNull();
    await startActing(getDb(), { id: waltsLaptop, proxyId: walt.id }, id, NOW);

    expect(await endAccess(getDb(), amelia, id, later(DAY))).toBe(true);
    const sessions = await getDb().session.findMany({ where: { id: { in: [waltsPhone, waltsLaptop] } } });
    expect(sessions.map((session) => session.actingForId)).toEqual([null, null]);
    expect(await getDb().proxyAccess.findUniqueOrThrow({ where: { id } })).toMatchObject({ status: 'ended', endedReason: 'by-person', endedAt: later(DAY) });
    expect(await startActing(getDb(), { id: waltsPhone, proxyId: walt.id }, id, later(DAY))).toBe(false);
    expect(await peopleProxyActsFor(getDb(), walt.id, later(DAY))).toEqual([]);
    expect(await endAccess(getDb(), amelia, id, later(DAY))).toBe(false);
    expect((await accessesOfPerson(getDb(), amelia.id, later(DAY))).history.map((access) => access.state)).toEqual(['ended']);
  });

  it('ends by itself after its last day', async () => {
    const { amelia, walt, id } = await activeAccess({ howLong: { until: 'date', lastDay: '2027-03-20' } });
    expect((await peopleProxyActsFor(getDb(), walt.id, new Date('2027-03-20T23:59:59Z'))).map((option) => option.id)).toEqual([id]);
    const after = new Date('2027-03-21T00:00:00Z');
    expect(await peopleProxyActsFor(getDb(), walt.id, after)).toEqual([]);
    expect(await startActing(getDb(), { id: await sessionOf(walt.id), proxyId: walt.id }, id, after)).toBe(false);
    expect((await accessOfPerson(getDb(), amelia.id, id, after))?.state).toBe('ended');
  });

  it('goes with the account of the person who closes it', async () => {
    const { amelia, walt, id } = await activeAccess();
    const session = await sessionOf(walt.id);
    await startActing(getDb(), { id: session, proxyId: walt.id }, id, NOW);
    await getDb().user.delete({ where: { id: amelia.id } });
    expect(await getDb().proxyAccess.findUnique({ where: { id } })).toBeNull();
    expect((await getDb().session.findUniqueOrThrow({ where: { id: session } })).actingForId).toBeNull();
  });
});
