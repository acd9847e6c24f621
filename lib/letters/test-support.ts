// For the letters tests: a signed request to the letters API, as a partner organisation's system
// would send it (in-process: a Request in, a Response out).
import { DEVELOPMENT_PARTNER_KEYS } from '@/lib/platform/config';
import { paths } from '@/lib/platform/paths';
import { signRequest } from '@/lib/platform/signed-requests';
import { samplePdf } from './sample-pdf';

export const SENDER = 'leeds-teaching-hospitals';
export const SENDER_KEY = DEVELOPMENT_PARTNER_KEYS[SENDER]!;

export function letterBody(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    sender: SENDER,
    nhsNumber: '9990012377',
    kind: 'appointment',
    title: 'Your eye clinic appointment',
    letterDate: '2026-12-01',
    html: '<p>Dear patient,</p><p>Your appointment is on 5 January at 10am.</p>',
    pdf: { contentType: 'application/pdf', data: Buffer.from(samplePdf(['Your appointment is on 5 January at 10am.'])).toString('base64') },
    ...overrides,
  };
}

export type SignedOptions = {
  organisationId?: string;
  secret?: string;
  idempotencyKey?: string | null;
  now?: Date;
  contentType?: string;
  headers?: Record<string, string>;
};

/** A signed request to the letters API: body as given (an object is sent as JSON). */
export function signedRequest(method: 'GET' | 'POST', path: string, body?: unknown, options: SignedOptions = {}): Request {
  const { organisationId = SENDER, secret = SENDER_KEY, idempotencyKey, now = new Date(), contentType = 'application/json' } = options;
  const text = body === undefined ? '' : typeof body === 'string' ? body : JSON.stringify(body);
  const url = `http://localhost:3000${path}`;
  const signature = signRequest({ organisationId, secret, method, url, body: text, now });
  const headers: Record<string, string> = { ...signature, ...(method === 'POST' ? { 'content-type': contentType } : {}), ...options.headers };
  if (idempotencyKey !== null && method === 'POST') headers['idempotency-key'] = idempotencyKey ?? `key-${Math.random().toString(36).slice(2)}`;
  return new Request(url, { method, headers, ...(method === 'POST' ? { body: text } : {}) });
}

export const postLetter = (body: unknown, options: SignedOptions = {}) => signedRequest('POST', paths.letters.api, body, options);
