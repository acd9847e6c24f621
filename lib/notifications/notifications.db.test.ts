// Notifications through the outbox to the local Notify (scripts/notify/server.ts), started here,
// with the official client, on the database under test (SQLite and PostgreSQL).
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createDispatcher as contactDetailsDispatcher } from '@/lib/contact-details/outbox';
import { tellCitizenChangeNotDelivered } from '@/lib/contact-details/delivery';
import { confirmAddress } from '@/lib/contact-details/test-support';
import { createActivity, publish, sendInvitations, updateDraft } from '@/lib/engagement/store';
import { DEVELOPMENT_PARTNER_KEYS } from '@/lib/platform/config';
import { getDb } from '@/lib/platform/db';
import { makeCitizen, useDatabaseUnderTest } from '@/lib/platform/db-test-support';
import { createDispatcher } from '@/lib/platform/outbox';
import { createAddressReceiver } from '@/scripts/receivers/address-receiver';
import { createNotifyServer, type NotifyServer } from '@/scripts/notify/server';
import { DEVELOPMENT_TEMPLATE_IDS, notifySettings } from './config';
import { queueAddressedNotification, queueNotification } from './queue';
import { notifySender } from './sender';
import { PERSONALISATION_KEYS } from './templates';

const { provider } = useDatabaseUnderTest();

let notify: NotifyServer;
let notifyUrl: string;
let clock: number;
const now = () => new Date(clock);

beforeAll(async () => {
  notify = createNotifyServer();
  notifyUrl = await notify.listen();
});
afterAll(() => notify.close());
beforeEach(async () => {
  // Only this test's messages: a dispatcher would otherwise pick up other tests' ones.
  await getDb().outboxMessage.deleteMany({});
  await fetch(`${notifyUrl}/sent`, { method: 'DELETE' });
  notify.setDown(false);
  clock = Date.parse('2026-12-01T10:00:00Z');
});

function dispatcher() {
  const settings = notifySettings({ NOTIFY_BASE_URL: notifyUrl, NOTIFY_TIMEOUT_MS: '2000' });
  return createDispatcher({
    db: getDb(),
    senders: { notify: notifySender(getDb(), settings) },
    maxAttempts: 5,
    backoffBaseMs: 1_000,
    backoffMaxMs: 60_000,
    leaseMs: 10_000,
    now,
  });
}

type Preference = { channel: string; email?: string; mobile?: string };
const citizen = (givenName: string, preference?: Preference) =>
  makeCitizen({ givenName, ...(preference ? { contactPreference: { create: { ...preference, changeId: randomUUID() } } } : {}) });

const queue = (userId: string, subjectId = 'letter-1') =>
  getDb().$transaction((tx) =>
    queueNotification(tx, { userId, template: 'new-letter', personalisation: { sender: 'Leeds Teaching Hospitals' }, subjectId }, now()),
  );

describe(`notifications on ${provider}`, () => {
  it('sends an email to a citizen who chose email, once, with nothing but the allowed personalisation', async () => {
    const userId = await citizen('Amelia', { channel: 'email', email: 'amelia@example.com' });
    expect(await queue(userId)).toBe('email');
    // The caller running again (a retry, a double click) queues nothing more.
    expect(await queue(userId)).toBe('email');
    expect(await getDb().outboxMessage.count({ where: { userId } })).toBe(1);

    expect(await dispatcher().runOnce()).toEqual({ delivered: 1, retrying: 0, failed: 0 });
    expect(await dispatcher().runOnce()).toEqual({ delivered: 0, retrying: 0, failed: 0 });
    const message = await getDb().outboxMessage.findFirstOrThrow({ where: { userId } });
    expect(message).toMatchObject({ destination: 'notify', topic: 'new-letter', status: 'delivered' });
    // What waits in the outbox holds no address and no name: they are read when it is sent.
    expect(message.payload).not.toContain('amelia');

    const sent = notify.sent();
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({ type: 'email', to: 'amelia@example.com', templateId: DEVELOPMENT_TEMPLATE_IDS['new-letter'].email, reference: message.id });
    expect(sent[0]!.body).toContain('Dear Amelia');
    expect(sent[0]!.body).toContain('from Leeds Teaching Hospitals');
    for (const key of Object.keys(sent[0]!.personalisation)) expect(PERSONALISATION_KEYS).toContain(key);
  });

  it('sends a text message to a citizen who chose text messages', async () => {
    const userId = await citizen('Ben', { channel: 'text', mobile: '07700 900982' });
    expect(await queue(userId)).toBe('sms');
    await dispatcher().runOnce();
    expect(notify.sent()).toEqual([expect.objectContaining({ type: 'sms', to: '07700 900982', templateId: DEVELOPMENT_TEMPLATE_IDS['new-letter'].sms })]);
  });

  it('queues nothing for a citizen who chose post, only the service, or nothing', async () => {
    for (const preference of [{ channel: 'post' }, { channel: 'service-only' }, undefined]) {
      const userId = await citizen('Chloe', preference);
      expect(await queue(userId)).toBe('none');
      expect(await getDb().outboxMessage.count({ where: { userId } })).toBe(0);
    }
  });

  it('sends nothing if the citizen has since chosen post', async () => {
    const userId = await citizen('Dev', { channel: 'email', email: 'dev@example.com' });
    await queue(userId);
    await getDb().contactPreference.update({ where: { userId }, data: { channel: 'post' } });
    expect(await dispatcher().runOnce()).toMatchObject({ delivered: 1 });
    expect(notify.sent()).toEqual([]);
  });

  it('tries again while Notify is down, and sends once when it is back', async () => {
    const userId = await citizen('Farah', { channel: 'email', email: 'farah@example.com' });
    await queue(userId);
    const before = notify.requests();
    notify.setDown(true);
    expect(await dispatcher().runOnce()).toEqual({ delivered: 0, retrying: 1, failed: 0 });
    clock += 1_000;
    expect(await dispatcher().runOnce()).toEqual({ delivered: 0, retrying: 1, failed: 0 });
    const waiting = await getDb().outboxMessage.findFirstOrThrow({ where: { userId } });
    expect(waiting).toMatchObject({ status: 'pending', attempts: 2, lastError: 'HTTP 500 Exception' });
    notify.setDown(false);
    // Not before its backoff (2 seconds after the second attempt).
    clock += 1_000;
    expect(await dispatcher().runOnce()).toEqual({ delivered: 0, retrying: 0, failed: 0 });
    clock += 1_000;
    expect(await dispatcher().runOnce()).toEqual({ delivered: 1, retrying: 0, failed: 0 });
    expect(notify.sent()).toHaveLength(1);
    expect(notify.requests() - before).toBe(3);
  });

  it('tries again when Notify cannot be reached at all', async () => {
    const userId = await citizen('Gita', { channel: 'email', email: 'gita@example.com' });
    await queue(userId);
    const unreachable = notifySettings({ NOTIFY_BASE_URL: 'http://127.0.0.1:9', NOTIFY_TIMEOUT_MS: '2000' });
    const offline = createDispatcher({
      db: getDb(),
      senders: { notify: notifySender(getDb(), unreachable) },
      maxAttempts: 5,
      backoffBaseMs: 1_000,
      backoffMaxMs: 60_000,
      leaseMs: 10_000,
      now,
    });
    expect(await offline.runOnce()).toEqual({ delivered: 0, retrying: 1, failed: 0 });
    expect((await getDb().outboxMessage.findFirstOrThrow({ where: { userId } })).lastError).toMatch(/could not connect/);
  });

  it('gives up at once on what Notify refuses (400): an address it will not send to', async () => {
    const userId = await citizen('Hal', { channel: 'email', email: 'not-an-email' });
    await queue(userId);
    expect(await dispatcher().runOnce()).toEqual({ delivered: 0, retrying: 0, failed: 1 });
    const message = await getDb().outboxMessage.findFirstOrThrow({ where: { userId } });
    expect(message).toMatchObject({ status: 'failed', attempts: 1, lastError: 'HTTP 400 ValidationError' });
    clock += 3_600_000;
    expect(await dispatcher().runOnce()).toEqual({ delivered: 0, retrying: 0, failed: 0 });
    expect(notify.sent()).toEqual([]);
  });

  it('tells each invited citizen who chose email or text, in the transaction that invites them', async () => {
    const topic = `topic-${randomUUID().slice(0, 8)}`;
    const org = `ZN${randomUUID().slice(0, 6)}`;
    const engagement = { create: { wantsInvitations: true, topics: topic, monthlyLimit: 5 } };
    const byEmail = await makeCitizen({
      givenName: 'Ivy',
      engagementPreference: engagement,
      contactPreference: { create: { channel: 'email', email: 'ivy@example.com', changeId: randomUUID() } },
    });
    const byText = await makeCitizen({
      givenName: 'Jo',
      engagementPreference: engagement,
      contactPreference: { create: { channel: 'text', mobile: '07700 900123', changeId: randomUUID() } },
    });
    const byPost = await makeCitizen({
      givenName: 'Kay',
      engagementPreference: engagement,
      contactPreference: { create: { channel: 'post', changeId: randomUUID() } },
    });
    const at = new Date('2026-12-10T12:00:00Z');
    const activity = await createActivity(
      { organisationCode: org, organisationName: 'Leeds Health Partnership', subject: 'coordinator' },
      { title: 'Living with diabetes: what would help?', purpose: 'To test' },
    );
    await updateDraft(activity, org, {
      startsOn: '2026-12-01',
      endsOn: '2026-12-31',
      topics: topic,
      audienceKind: 'everyone',
      audienceValue: null,
      method: null,
    });
    await publish(activity, org, at);
    await sendInvitations(activity, org, at);
    // Sending again invites (and tells) no one twice.
    await sendInvitations(activity, org, at);

    const messages = await getDb().outboxMessage.findMany({ where: { destination: 'notify', userId: { in: [byEmail, byText, byPost] } } });
    expect(messages.map((m) => [m.userId, m.topic, m.subjectId]).sort()).toEqual(
      [
        [byEmail, 'engagement-invitation', activity],
        [byText, 'engagement-invitation', activity],
      ].sort(),
    );
    clock = at.getTime();
    while ((await dispatcher().runOnce()).delivered > 0);
    const ours = notify.sent().filter((n) => ['ivy@example.com', '07700 900123'].includes(n.to));
    expect(ours.map((n) => n.type).sort()).toEqual(['email', 'sms']);
    for (const n of ours) {
      expect(n.body).toContain('Leeds Health Partnership would like to hear from you');
      // Not the activity's title: it can name a condition.
      expect(n.body).not.toMatch(/diabetes/i);
    }
  });

  it('tells the citizen once when their change could not be delivered, however many organisations it missed', async () => {
    const userId = await makeCitizen({
      givenName: 'Lee',
      nhsNumber: '9990012377',
      contactPreference: { create: { channel: 'email', email: 'lee@example.com', changeId: randomUUID() } },
    });
    const careRecord = createAddressReceiver({ name: 'care record', log: () => undefined, fault: { mode: 'error500' } });
    const council = createAddressReceiver({ name: 'council', log: () => undefined, fault: { mode: 'error500' } });
    try {
      const receivers = { 'care-record': await careRecord.listen(), council: await council.listen() };
      const keys = { 'care-record': DEVELOPMENT_PARTNER_KEYS['care-record']!, council: DEVELOPMENT_PARTNER_KEYS.council! };
      const addressId = await confirmAddress(getDb(), userId, undefined, now());
      const changes = contactDetailsDispatcher({
        db: getDb(),
        receivers,
        keys,
        timeoutMs: 2_000,
        maxAttempts: 1,
        backoffBaseMs: 1_000,
        backoffMaxMs: 60_000,
        now,
        onFailed: tellCitizenChangeNotDelivered,
      });
      expect(await changes.runOnce()).toEqual({ delivered: 0, retrying: 0, failed: 2 });
      const told = await getDb().outboxMessage.findMany({ where: { userId, destination: 'notify' } });
      expect(told).toEqual([expect.objectContaining({ topic: 'change-not-delivered', subjectId: addressId })]);

      await dispatcher().runOnce();
      expect(notify.sent()).toEqual([expect.objectContaining({ to: 'lee@example.com', templateId: DEVELOPMENT_TEMPLATE_IDS['change-not-delivered'].email })]);
      expect(notify.sent()[0]!.body).toContain('We could not pass on a change you made to your contact details');
    } finally {
      await Promise.all([careRecord.close(), council.close()]);
    }
  });
});

describe(`messages to an address someone gave, on ${provider}`, () => {
  it('are queued once per subject, kept without address or name, and sent as their capability says when sent', async () => {
    const userId = await citizen('Amelia', { channel: 'post' });
    const queueInvitation = () =>
      getDb().$transaction((tx) => queueAddressedNotification(tx, { userId, template: 'proxy-invitation', subjectId: 'access-1' }, now()));
    await queueInvitation();
    await queueInvitation();
    const [message] = await getDb().outboxMessage.findMany({ where: { userId } });
    expect(message).toMatchObject({
      topic: 'proxy-invitation',
      subjectId: 'access-1',
      payload: JSON.stringify({ template: 'proxy-invitation', personalisation: {} }),
    });
    expect(await getDb().outboxMessage.count({ where: { userId } })).toBe(1);

    const asked: string[] = [];
    const settings = notifySettings({ NOTIFY_BASE_URL: notifyUrl, NOTIFY_TIMEOUT_MS: '2000' });
    const addressed = createDispatcher({
      db: getDb(),
      senders: {
        notify: notifySender(getDb(), settings, undefined, {
          'proxy-invitation': async (_db, subjectId) => {
            asked.push(subjectId);
            return {
              channel: 'sms',
              to: '07700 900123',
              personalisation: { first_name: 'Walt Helpwell', sender: 'Amelia Testwell' },
              linkPath: '/acting-for/invitations/abc',
            };
          },
        }),
      },
      maxAttempts: 5,
      backoffBaseMs: 1_000,
      backoffMaxMs: 60_000,
      leaseMs: 10_000,
      now,
    });
    expect(await addressed.runOnce()).toEqual({ delivered: 1, retrying: 0, failed: 0 });
    expect(asked).toEqual(['access-1']);
    expect(notify.sent()).toEqual([expect.objectContaining({ type: 'sms', to: '07700 900123', templateId: DEVELOPMENT_TEMPLATE_IDS['proxy-invitation'].sms })]);
    expect(notify.sent()[0]!.body).toContain('Amelia Testwell has invited you to act for them');
  });

  it("fail at once when nothing says where they go, and never go through a citizen's own queue", async () => {
    const userId = await citizen('Ben', { channel: 'email', email: 'ben@example.com' });
    await getDb().$transaction((tx) => queueAddressedNotification(tx, { userId, template: 'proxy-invitation', subjectId: 'access-2' }, now()));
    expect(await dispatcher().runOnce()).toEqual({ delivered: 0, retrying: 0, failed: 1 });
    expect(notify.sent()).toEqual([]);
    await expect(getDb().$transaction((tx) => queueNotification(tx, { userId, template: 'proxy-invitation', personalisation: {} }, now()))).rejects.toThrow(
      /address someone gave/,
    );
    await expect(getDb().$transaction((tx) => queueAddressedNotification(tx, { userId, template: 'new-letter', subjectId: 'x' }, now()))).rejects.toThrow(
      /own address/,
    );
  });
});
