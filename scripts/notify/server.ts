import { randomUUID } from 'node:crypto';
import http from 'node:http';
import { jwtVerify } from 'jose';
import { DEVELOPMENT_NOTIFY_API_KEY } from '../../lib/notifications/config';
import { runAsCommand } from '../dev-server';
import { fill, placeholdersOf, STORED_TEMPLATES, type StoredTemplate } from './templates';
import { closeServer, json, listenOn, readBody } from '../lib/http';

/**
 * A local stand-in for GOV.UK Notify's API (development, the demo and tests only): the service
 * sends to it with the official client (notifications-node-client), and it shows what was sent.
 *
 *   POST /v2/notifications/email   {template_id, email_address, personalisation, reference}
 *   POST /v2/notifications/sms     {template_id, phone_number, personalisation, reference}
 *        as Notify: a bearer JWT (HS256, signed with the API key's secret, iss the service id,
 *        iat within 30 seconds) or 403 AuthError; an unknown template, a missing placeholder
 *        or a bad address or number is 400 (BadRequestError, ValidationError); 201 with the
 *        notification's id, content, template and reference.
 *   GET  /            an HTML page of what was sent, newest first (for the demo)
 *   GET  /sent        the same as JSON (for tests); DELETE /sent forgets it
 *   POST /test/down   every send answers 500 until POST /test/up (Notify down, then up)
 *   GET  /health
 *
 * NOTIFY_SERVER_PORT (default 3800), NOTIFY_SERVER_API_KEY (default the development key the
 * service uses in development, lib/notifications/config.ts). What was sent is kept in memory.
 */

export type SentNotification = {
  id: string;
  type: 'email' | 'sms';
  to: string;
  templateId: string;
  templateName: string;
  reference: string | null;
  personalisation: Record<string, string>;
  subject?: string;
  body: string;
  sentAt: string;
};

type NotifyError = { status: number; error: string; message: string };

const MAX_BODY = 64 * 1024;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
// Notify's own checks are fuller; these are enough to see a bad address refused.
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@.]{2,}$/;
const UK_MOBILE = /^(?:\+44|0044|0)7\d{9}$/;

/** An API key's parts: `<key name>-<service id>-<secret>`, both UUIDs. */
export function parseApiKey(apiKey: string): { serviceId: string; secret: string } {
  const secret = apiKey.slice(-36);
  const serviceId = apiKey.slice(-73, -37);
  if (!UUID.test(secret) || !UUID.test(serviceId)) throw new Error('Not a Notify API key');
  return { serviceId, secret };
}

/** Notify's error shape. */
function fail(res: http.ServerResponse, { status, error, message }: NotifyError) {
  json(res, status, { status_code: status, errors: [{ error, message }] });
}

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function page(sent: readonly SentNotification[], down: boolean): string {
  const rows = [...sent]
    .reverse()
    .map(
      (n) => `<tr><td>${escapeHtml(n.sentAt)}</td><td>${n.type === 'email' ? 'Email' : 'Text message'}</td><td>${escapeHtml(n.to)}</td>
<td>${escapeHtml(n.templateName)}</td><td>${n.subject ? `<strong>${escapeHtml(n.subject)}</strong><br>` : ''}${escapeHtml(n.body).replace(/\n/g, '<br>')}</td><td>${escapeHtml(n.reference ?? '')}</td></tr>`,
    )
    .join('\n');
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Local Notify: what was sent</title>
<style>body{font-family:sans-serif;margin:2em}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.4em;vertical-align:top;text-align:left}</style></head>
<body><h1>Local GOV.UK Notify stand-in</h1><p>${down ? 'Notify is <strong>down</strong> (POST /test/up to bring it back).' : 'Notify is up.'} ${sent.length} sent.</p>
<table><thead><tr><th>Sent</th><th>Type</th><th>To</th><th>Template</th><th>Message</th><th>Reference</th></tr></thead><tbody>
${rows || '<tr><td colspan="6">Nothing sent yet</td></tr>'}</tbody></table></body></html>`;
}

export function createNotifyServer(options: { apiKey?: string; now?: () => Date; /** Print each send (the demo). */ verbose?: boolean } = {}) {
  const { serviceId, secret } = parseApiKey(options.apiKey ?? DEVELOPMENT_NOTIFY_API_KEY);
  const key = new TextEncoder().encode(secret);
  const now = options.now ?? (() => new Date());
  const sent: SentNotification[] = [];
  let down = false;
  let requests = 0;

  /** Notify's check of the bearer token; null when it is good. */
  async function authError(req: http.IncomingMessage): Promise<NotifyError | null> {
    const header = req.headers.authorization ?? '';
    const token = header.startsWith('Bearer ') ? header.slice(7) : '';
    const refuse = (message: string): NotifyError => ({ status: 403, error: 'AuthError', message });
    if (!token) return refuse('Unauthorized: authentication token must be provided');
    try {
      const { payload } = await jwtVerify(token, key, { algorithms: ['HS256'], issuer: serviceId, currentDate: now() });
      if (typeof payload.iat !== 'number' || Math.abs(now().getTime() / 1000 - payload.iat) > 30)
        return refuse('Error: Your system clock must be accurate to within 30 seconds');
      return null;
    } catch {
      return refuse('Invalid token: API key not found');
    }
  }

  function notification(type: 'email' | 'sms', body: Record<string, unknown>): SentNotification | NotifyError {
    const templateId = body.template_id;
    const to = type === 'email' ? body.email_address : body.phone_number;
    const bad = (message: string, error = 'BadRequestError'): NotifyError => ({ status: 400, error, message });
    if (typeof templateId !== 'string' || !UUID.test(templateId)) return bad('template_id is not a valid UUID', 'ValidationError');
    const template: StoredTemplate | undefined = STORED_TEMPLATES.get(templateId);
    if (!template) return bad('Template not found');
    if (template.type !== type) return bad(`${type} template is not suitable for ${template.type} notification`);
    if (typeof to !== 'string') return bad(`${type === 'email' ? 'email_address' : 'phone_number'} is a required property`, 'ValidationError');
    if (type === 'email' && !EMAIL.test(to)) return bad('email_address Not a valid email address', 'ValidationError');
    if (type === 'sms' && !UK_MOBILE.test(to.replace(/[\s()-]/g, ''))) return bad('phone_number Not a UK mobile number', 'ValidationError');
    const personalisation = (body.personalisation ?? {}) as Record<string, unknown>;
    if (typeof personalisation !== 'object' || Array.isArray(personalisation)) return bad('personalisation is not of type object', 'ValidationError');
    const values = Object.fromEntries(Object.entries(personalisation).map(([k, v]) => [k, String(v)]));
    const missing = placeholdersOf(`${template.subject ?? ''} ${template.body}`).filter((name) => !(name in values));
    if (missing.length > 0) return bad(`Missing personalisation: ${missing.join(', ')}`);
    const reference = typeof body.reference === 'string' ? body.reference : null;
    return {
      id: randomUUID(),
      type,
      to,
      templateId,
      templateName: template.name,
      reference,
      personalisation: values,
      ...(template.subject ? { subject: fill(template.subject, values) } : {}),
      body: fill(template.body, values),
      sentAt: now().toISOString(),
    };
  }

  function created(n: SentNotification, base: string) {
    const template = { id: n.templateId, version: 1, uri: `${base}/services/${serviceId}/templates/${n.templateId}` };
    const uri = `${base}/v2/notifications/${n.id}`;
    if (n.type === 'email')
      return {
        id: n.id,
        reference: n.reference,
        content: { subject: n.subject, body: n.body, from_email: 'phr.local@notifications.service.gov.uk' },
        uri,
        template,
      };
    return { id: n.id, reference: n.reference, content: { body: n.body, from_number: 'PHR' }, uri, template };
  }

  const server = http.createServer(async (req, res) => {
    try {
      const url = new URL(req.url ?? '/', 'http://notify');
      const base = `http://${req.headers.host ?? 'localhost'}`;
      if (req.method === 'GET' && url.pathname === '/health') return json(res, 200, { status: 'ok', down });
      if (req.method === 'GET' && url.pathname === '/') {
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
        return res.end(page(sent, down));
      }
      if (req.method === 'GET' && url.pathname === '/sent') return json(res, 200, sent);
      if (req.method === 'DELETE' && url.pathname === '/sent') {
        sent.length = 0;
        return json(res, 200, { sent: 0 });
      }
      if (req.method === 'POST' && (url.pathname === '/test/down' || url.pathname === '/test/up')) {
        down = url.pathname === '/test/down';
        return json(res, 200, { down });
      }
      const type =
        req.method === 'POST' && url.pathname === '/v2/notifications/email'
          ? 'email'
          : req.method === 'POST' && url.pathname === '/v2/notifications/sms'
            ? 'sms'
            : null;
      if (!type) return fail(res, { status: 404, error: 'NotFound', message: 'The requested URL was not found on the server.' });
      requests += 1;
      const text = await readBody(req, MAX_BODY);
      if (down) return fail(res, { status: 500, error: 'Exception', message: 'Internal server error' });
      const refused = await authError(req);
      if (refused) return fail(res, refused);
      let body: Record<string, unknown>;
      try {
        body = JSON.parse(text) as Record<string, unknown>;
      } catch {
        return fail(res, { status: 400, error: 'BadRequestError', message: 'Invalid JSON supplied in POST data' });
      }
      const result = notification(type, body ?? {});
      if ('status' in result) return fail(res, result);
      sent.push(result);
      if (options.verbose) process.stdout.write(`Notify (local): ${result.type} "${result.templateName}" to ${result.to}\n`);
      return json(res, 201, created(result, base));
    } catch {
      if (!res.headersSent) fail(res, { status: 400, error: 'BadRequestError', message: 'Bad request' });
    }
  });

  return {
    server,
    sent: () => [...sent],
    /** Sends asked for (refused ones included). */
    requests: () => requests,
    setDown(value: boolean) {
      down = value;
    },
    listen: (port = 0, host = '127.0.0.1') => listenOn(server, port, host),
    close: () => closeServer(server),
  };
}

export type NotifyServer = ReturnType<typeof createNotifyServer>;

/** What the local Notify has sent (GET /sent), for tests. */
export async function readSent(baseUrl: string): Promise<SentNotification[]> {
  const response = await fetch(`${baseUrl.replace(/\/+$/, '')}/sent`);
  if (!response.ok) throw new Error(`${baseUrl}/sent answered ${response.status}`);
  return (await response.json()) as SentNotification[];
}

async function main() {
  const notify = createNotifyServer({ apiKey: process.env.NOTIFY_SERVER_API_KEY || undefined, verbose: true });
  const url = await notify.listen(Number(process.env.NOTIFY_SERVER_PORT ?? 3800), process.env.NOTIFY_SERVER_HOST ?? 'localhost');
  process.stdout.write(`Local GOV.UK Notify stand-in at ${url} (what was sent: ${url}/)\n`);
  return notify;
}

runAsCommand(import.meta.filename, 'the local Notify', main);
