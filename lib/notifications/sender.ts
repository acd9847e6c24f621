import { NotifyClient } from 'notifications-node-client';
import { contactPreferencesOf } from '@/lib/contact-details/public';
import { config } from '@/lib/platform/config';
import { getDb, type Db } from '@/lib/platform/db';
import { log } from '@/lib/platform/log';
import { createDispatcher, type ClaimedMessage, type Dispatcher, type Sender, type SendOutcome } from '@/lib/platform/outbox';
import { notifySettings, type NotifySettings } from './config';
import { NOTIFY_DESTINATION, type NotificationPayload } from './queue';
import { fullPersonalisation, isTemplate, PersonalisationError, TEMPLATE_FIELDS, type Template } from './templates';

/**
 * Sends queued notifications through GOV.UK Notify with its official client
 * (notifications-node-client), one outbox message at a time:
 *
 * - by the channel the citizen chooses now (email or text message; if they have since chosen
 *   post, nothing is sent), with the first name they have now;
 * - Notify's `reference` is the outbox message's id, so what Notify sent can be traced to it;
 * - 5xx, 408, 429, a timeout or no connection: tried again with the outbox's backoff; any other
 *   4xx (an address Notify refuses, a template that does not fit): failed at once, logged for
 *   staff, never tried again.
 */

/** What the sender needs of Notify's client: the two calls it makes. */
export type NotifyApi = Pick<NotifyClient, 'sendEmail' | 'sendSms'>;

const RETRY_STATUSES = new Set([408, 425, 429]);

/** The official client, pointed at settings.baseUrl, giving up on a request after settings.timeoutMs. */
export function notifyClient(settings: Pick<NotifySettings, 'baseUrl' | 'apiKey' | 'timeoutMs'>): NotifyApi {
  const client = new NotifyClient(settings.baseUrl, settings.apiKey);
  // The client sends through axios without a timeout: the same client with one.
  const send = (client.apiClient as { restClient: (options: object) => Promise<unknown> }).restClient;
  const withTimeout = ((options: object) => send({ ...options, timeout: settings.timeoutMs })) as unknown as Parameters<NotifyClient['setClient']>[0];
  client.setClient(withTimeout);
  return client;
}

/** An error from the client: Notify's answer (status and its errors), or none (timeout, no connection). */
function outcomeOf(error: unknown): SendOutcome {
  const failure = error as { response?: { status?: number; data?: { errors?: { error?: string; message?: string }[] } }; code?: string; name?: string };
  const status = failure.response?.status;
  if (status === undefined) {
    const timedOut = failure.code === 'ECONNABORTED' || failure.code === 'ETIMEDOUT';
    return { ok: false, retry: true, error: timedOut ? 'timed out' : `could not connect (${failure.code ?? failure.name ?? 'Error'})` };
  }
  // Notify's error names (BadRequestError, ValidationError...), never its message, which can quote the address.
  const names = (failure.response?.data?.errors ?? []).map((e) => e.error).filter(Boolean);
  return { ok: false, retry: status >= 500 || RETRY_STATUSES.has(status), error: `HTTP ${status}${names.length ? ` ${names.join(', ')}` : ''}` };
}

/**
 * Where an addressed message (an invitation to act for someone) goes and what fills it, as the
 * capability that queued it says when it is sent: null when it is no longer to be sent (withdrawn,
 * expired, answered, or the account closed).
 */
export type AddressedMessage = {
  channel: 'email' | 'sms';
  to: string;
  /** The template's caller keys (checked as a caller's are). */
  personalisation: Record<string, string>;
  /** The page of the service the link opens. */
  linkPath: string;
};
export type AddressedMessages = Partial<Record<Template, (db: Db, subjectId: string, now: Date) => Promise<AddressedMessage | null>>>;

export function notifySender(db: Db, settings: NotifySettings, client: NotifyApi = notifyClient(settings), addressed: AddressedMessages = {}): Sender {
  /** An addressed message: sent as its capability says now, never with a name or address kept in the outbox. */
  const sendAddressed = async (message: ClaimedMessage, template: Template, now: Date): Promise<SendOutcome> => {
    const resolve = addressed[template];
    if (!resolve) return { ok: false, retry: false, error: `nothing says where ${template} goes` };
    const found = await resolve(db, message.subjectId, now);
    if (!found) {
      log.info('notification-not-needed', { messageId: message.id, template });
      return { ok: true };
    }
    const { service, publicUrl } = config();
    let personalisation;
    try {
      personalisation = fullPersonalisation(template, found.personalisation, { firstName: '', serviceName: service.name, publicUrl, linkPath: found.linkPath });
    } catch (error) {
      if (error instanceof PersonalisationError) return { ok: false, retry: false, error: 'personalisation refused' };
      throw error;
    }
    const templateId = settings.templateIds[template][found.channel];
    try {
      if (found.channel === 'email') await client.sendEmail(templateId, found.to, { personalisation, reference: message.id });
      else await client.sendSms(templateId, found.to, { personalisation, reference: message.id });
      log.info('notification-sent', { messageId: message.id, template, channel: found.channel });
      return { ok: true };
    } catch (error) {
      return outcomeOf(error);
    }
  };

  return async (message, now) => {
    const payload = JSON.parse(message.payload) as NotificationPayload;
    if (!isTemplate(payload.template)) return { ok: false, retry: false, error: `no template ${String(payload.template)}` };
    if (TEMPLATE_FIELDS[payload.template].addressed) return sendAddressed(message, payload.template, now);
    const [preferences, user] = await Promise.all([
      contactPreferencesOf(db, message.userId),
      db.user.findUnique({ where: { id: message.userId }, select: { givenName: true } }),
    ]);
    const channel = preferences.channel === 'email' && preferences.email ? 'email' : preferences.channel === 'text' && preferences.mobile ? 'sms' : null;
    if (!user || !channel) {
      // The account was closed, or they no longer want email or texts: nothing to send, and done.
      log.info('notification-not-needed', { messageId: message.id, template: payload.template });
      return { ok: true };
    }
    const { service, publicUrl } = config();
    const personalisation = fullPersonalisation(payload.template, payload.personalisation, {
      firstName: user.givenName,
      serviceName: service.name,
      publicUrl,
    });
    const templateId = settings.templateIds[payload.template][channel];
    try {
      if (channel === 'email') await client.sendEmail(templateId, preferences.email!, { personalisation, reference: message.id });
      else await client.sendSms(templateId, preferences.mobile!, { personalisation, reference: message.id });
      log.info('notification-sent', { messageId: message.id, template: payload.template, channel });
      return { ok: true };
    } catch (error) {
      return outcomeOf(error);
    }
  };
}

/** The dispatcher for notifications, in the worker, with the service's delivery settings (DELIVERY_*). */
export function notificationsDispatcher(
  db: Db = getDb(),
  settings: NotifySettings = notifySettings(),
  client?: NotifyApi,
  addressed: AddressedMessages = {},
): Dispatcher {
  const { maxAttempts, backoffBaseMs, backoffMaxMs } = config().contactDetails.delivery;
  return createDispatcher({
    db,
    senders: { [NOTIFY_DESTINATION]: notifySender(db, settings, client ?? notifyClient(settings), addressed) },
    maxAttempts,
    backoffBaseMs,
    backoffMaxMs,
    leaseMs: settings.timeoutMs * 2 + 5_000,
  });
}
