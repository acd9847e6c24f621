import { SignJWT } from 'jose';
import { NotifyClient } from 'notifications-node-client';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DEVELOPMENT_NOTIFY_API_KEY, DEVELOPMENT_TEMPLATE_IDS } from '../../lib/notifications/config';
import { createNotifyServer, parseApiKey, readSent, type NotifyServer } from './server';

// The local Notify stand-in, spoken to with the official client, as the service does.

let notify: NotifyServer;
let url: string;
beforeAll(async () => {
  notify = createNotifyServer();
  url = await notify.listen();
});
afterAll(() => notify.close());
beforeEach(async () => {
  notify.setDown(false);
  await fetch(`${url}/sent`, { method: 'DELETE' });
});

const personalisation = {
  first_name: 'Amelia',
  sender: 'Leeds Teaching Hospitals',
  service_name: 'Your health and care record',
  link: 'http://localhost:3000/care-record/letters',
};
const status = (error: unknown) => (error as { response?: { status?: number; data?: { errors?: { error: string; message: string }[] } } }).response;

describe('the local Notify', () => {
  it('sends an email with the official client and lists it', async () => {
    const client = new NotifyClient(url, DEVELOPMENT_NOTIFY_API_KEY);
    const response = await client.sendEmail(DEVELOPMENT_TEMPLATE_IDS['new-letter'].email, 'amelia@example.com', { personalisation, reference: 'message-1' });
    expect(response.status).toBe(201);
    expect(response.data).toMatchObject({
      reference: 'message-1',
      content: { subject: 'You have a new letter' },
      template: { id: DEVELOPMENT_TEMPLATE_IDS['new-letter'].email },
    });
    expect(response.data.content.body).toContain('Dear Amelia');
    expect(response.data.content.body).toContain('You have a new letter from Leeds Teaching Hospitals in Your health and care record.');
    const sent = await readSent(url);
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({ type: 'email', to: 'amelia@example.com', reference: 'message-1', templateName: 'new-letter (email)' });
    const page = await (await fetch(`${url}/`)).text();
    expect(page).toContain('amelia@example.com');
  });

  it('sends a text message', async () => {
    const client = new NotifyClient(url, DEVELOPMENT_NOTIFY_API_KEY);
    const response = await client.sendSms(DEVELOPMENT_TEMPLATE_IDS['engagement-invitation'].sms, '07700 900982', { personalisation, reference: 'message-2' });
    expect(response.status).toBe(201);
    expect((await readSent(url))[0]).toMatchObject({ type: 'sms', to: '07700 900982' });
  });

  it('refuses a token signed with another key, no token, or one from the wrong time (403 AuthError)', async () => {
    const other = 'other_key-8d0e4b9a-3f1c-4d2e-9a6b-1c2d3e4f5a6b-11111111-2222-4333-8444-555555555555';
    const wrongKey = new NotifyClient(url, other).sendEmail(DEVELOPMENT_TEMPLATE_IDS['new-letter'].email, 'a@example.com', { personalisation });
    await expect(wrongKey).rejects.toSatisfy((error) => status(error)?.status === 403 && status(error)?.data?.errors?.[0]?.error === 'AuthError');

    const body = JSON.stringify({ template_id: DEVELOPMENT_TEMPLATE_IDS['new-letter'].email, email_address: 'a@example.com', personalisation });
    const post = (authorization?: string) =>
      fetch(`${url}/v2/notifications/email`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(authorization ? { authorization } : {}) },
        body,
      });
    expect((await post()).status).toBe(403);
    const { serviceId, secret } = parseApiKey(DEVELOPMENT_NOTIFY_API_KEY);
    const key = new TextEncoder().encode(secret);
    const stale = await new SignJWT({})
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setIssuer(serviceId)
      .setIssuedAt(Math.floor(Date.now() / 1000) - 120)
      .sign(key);
    expect((await post(`Bearer ${stale}`)).status).toBe(403);
    const otherService = await new SignJWT({}).setProtectedHeader({ alg: 'HS256', typ: 'JWT' }).setIssuer('someone-else').setIssuedAt().sign(key);
    expect((await post(`Bearer ${otherService}`)).status).toBe(403);
    const good = await new SignJWT({}).setProtectedHeader({ alg: 'HS256', typ: 'JWT' }).setIssuer(serviceId).setIssuedAt().sign(key);
    expect((await post(`Bearer ${good}`)).status).toBe(201);
  });

  it('refuses an unknown template, a missing placeholder and a bad address (400)', async () => {
    const client = new NotifyClient(url, DEVELOPMENT_NOTIFY_API_KEY);
    const refused = async (sending: Promise<unknown>, error: string, message: RegExp) => {
      const failure = await sending.then(
        () => undefined,
        (e: unknown) => status(e),
      );
      expect(failure?.status).toBe(400);
      expect(failure?.data?.errors?.[0]).toMatchObject({ error, message: expect.stringMatching(message) });
    };
    await refused(client.sendEmail('6f1f1f1f-0000-4000-8000-000000000000', 'a@example.com', { personalisation }), 'BadRequestError', /Template not found/);
    await refused(
      client.sendEmail(DEVELOPMENT_TEMPLATE_IDS['new-letter'].email, 'a@example.com', { personalisation: { first_name: 'A' } }),
      'BadRequestError',
      /Missing personalisation: sender/,
    );
    await refused(client.sendEmail(DEVELOPMENT_TEMPLATE_IDS['new-letter'].email, 'not an email', { personalisation }), 'ValidationError', /email_address/);
    await refused(client.sendSms(DEVELOPMENT_TEMPLATE_IDS['new-letter'].sms, '01132 496000', { personalisation }), 'ValidationError', /phone_number/);
    await refused(client.sendSms(DEVELOPMENT_TEMPLATE_IDS['new-letter'].email, '07700 900982', { personalisation }), 'BadRequestError', /not suitable/);
    expect(await readSent(url)).toEqual([]);
  });

  it('answers 500 while down and sends again once up', async () => {
    const client = new NotifyClient(url, DEVELOPMENT_NOTIFY_API_KEY);
    const send = () => client.sendEmail(DEVELOPMENT_TEMPLATE_IDS['change-not-delivered'].email, 'a@example.com', { personalisation });
    await fetch(`${url}/test/down`, { method: 'POST' });
    await expect(send()).rejects.toSatisfy((error) => status(error)?.status === 500);
    await fetch(`${url}/test/up`, { method: 'POST' });
    expect((await send()).status).toBe(201);
    expect(await readSent(url)).toHaveLength(1);
  });
});
