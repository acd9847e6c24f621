import { readBounded } from '@/lib/platform/bounded-body';
import { randomUUID } from 'node:crypto';
import { requestTime } from '@/lib/platform/clock';
import { config } from '@/lib/platform/config';
import { getDb, isDatabaseUnavailable } from '@/lib/platform/db';
import { errorFields, log } from '@/lib/platform/log';
import { paths } from '@/lib/platform/paths';
import { verifyRequest } from '@/lib/platform/signed-requests';
import { MAX_BODY_BYTES } from './config';
import { isLetterSender } from './senders';
import { deliverLetter, lettersToPost, rememberNonce, senderLetter, type LetterSummary } from './store';
import { isIdempotencyKey, validateLetter, type FieldError } from './validation';

/**
 * The letters API (/api/letters/v1/letters), for partner organisations' systems, not people:
 * every request is signed with the organisation's own key (lib/platform/signed-requests.ts,
 * PARTNER_KEYS), so it takes no cookies and needs no CSRF token; answers are JSON, refusals
 * "problem details" (RFC 9457) saying what to fix. Nothing is stored unless the whole letter is
 * accepted.
 *
 * - POST: deliver a letter (see validation.ts for the body). Idempotency-Key header required.
 *   201 with the letter's status; the same key and letter again: the same letter, 201 again.
 * - GET /api/letters/v1/letters?postRequestedSince=<ISO instant>: the sender's letters it has
 *   been asked to post since then (the citizen chose post, or did not read the letter in time),
 *   oldest first, 100 at a time; `next` is the address of the next page (null on the last).
 * - GET /api/letters/v1/letters/<id>: one of the sender's letters: delivered, read (when) or
 *   post-requested (when, and why).
 */

const PROBLEM_JSON = 'application/problem+json';
/** Letters to post in one answer; `next` gives the rest. */
export const TO_POST_PAGE = 100;

type Problem = { status: number; code: string; title: string; detail?: string; errors?: FieldError[] };

function problem({ status, code, title, detail, errors }: Problem): Response {
  return new Response(
    JSON.stringify({ type: `urn:phr:letters:problem:${code}`, title, status, ...(detail ? { detail } : {}), ...(errors ? { errors } : {}) }),
    {
      status,
      headers: { 'content-type': `${PROBLEM_JSON}; charset=utf-8`, 'cache-control': 'no-store' },
    },
  );
}

function json(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', ...headers },
  });
}

/** A letter's status as its sender sees it. */
export function letterStatus(letter: LetterSummary) {
  return {
    id: letter.id,
    status: letter.postRequestedAt ? 'post-requested' : letter.readAt ? 'read' : 'delivered',
    deliveredAt: letter.receivedAt.toISOString(),
    readAt: letter.readAt?.toISOString() ?? null,
    postRequestedAt: letter.postRequestedAt?.toISOString() ?? null,
    postedReason: letter.postedReason,
    kind: letter.kind,
    title: letter.title,
    letterDate: letter.letterDate,
    self: `${config().publicUrl}${paths.letters.apiLetter(letter.id)}`,
  };
}

const SIGNATURE_PROBLEMS: Record<string, string> = {
  missing: 'Sign the request: the x-phr-organisation, x-phr-timestamp, x-phr-nonce and x-phr-signature headers are needed',
  'unknown-organisation': 'We do not know this organisation: ask the programme team for a key',
  'bad-signature': 'The signature does not match the request: sign the method, path, body, time and nonce with your own key',
  stale: "The request's time is more than 5 minutes from ours: sign it again just before sending",
};

type Caller = { organisationId: string; now: Date; requestId: string };

/**
 * Who is calling (a signed request from a known organisation, not seen before), or the refusal.
 * Each refusal is logged with the reason (never the body).
 */
async function signedCaller(req: Request, body: Uint8Array, requestId: string): Promise<Caller | Response> {
  const now = requestTime(req);
  const url = new URL(req.url);
  const verified = verifyRequest({ method: req.method, url: `${url.pathname}${url.search}`, headers: req.headers, body, keys: config().partnerKeys, now });
  if (!verified.ok) {
    log.warn('letters-api-refused', { requestId, method: req.method, reason: verified.reason });
    return problem({
      status: 401,
      code: `signature-${verified.reason}`,
      title: 'The request is not signed by an organisation we know',
      detail: SIGNATURE_PROBLEMS[verified.reason],
    });
  }
  if (!(await rememberNonce(getDb(), verified.organisationId, verified.nonce, now))) {
    log.warn('letters-api-refused', { requestId, method: req.method, reason: 'replayed', organisation: verified.organisationId });
    return problem({
      status: 409,
      code: 'replayed',
      title: 'This request was already received',
      detail: 'Each request needs a new nonce: sign it again to retry (keep the same Idempotency-Key)',
    });
  }
  return { organisationId: verified.organisationId, now, requestId };
}

/** Runs a handler, turning an unexpected failure into a problem answer (503 while the database is down). */
async function handled(req: Request, handler: (requestId: string) => Promise<Response>): Promise<Response> {
  const requestId = randomUUID();
  try {
    return await handler(requestId);
  } catch (error) {
    if (isDatabaseUnavailable(error)) {
      log.error('dependency-unavailable', { requestId, path: new URL(req.url).pathname, ...errorFields(error) });
      return problem({ status: 503, code: 'unavailable', title: 'The service is unavailable', detail: 'Try again later: nothing was stored' });
    }
    log.error('unhandled-error', { requestId, method: req.method, path: new URL(req.url).pathname, ...errorFields(error) });
    return problem({ status: 500, code: 'error', title: 'Something went wrong', detail: 'Try again later: nothing was stored' });
  }
}

async function deliver(req: Request, requestId: string): Promise<Response> {
  const body = await readBounded(req, MAX_BODY_BYTES);
  if (body === 'too-large') {
    log.warn('letters-api-refused', { requestId, method: 'POST', reason: 'too-large' });
    return problem({ status: 413, code: 'too-large', title: 'The request is too large', detail: 'A letter’s PDF must be 5 MB or smaller' });
  }
  const caller = await signedCaller(req, body, requestId);
  if (caller instanceof Response) return caller;
  const { organisationId, now } = caller;
  const refuse = (p: Problem) => {
    log.warn('letters-api-refused', { requestId, method: 'POST', organisation: organisationId, reason: p.code });
    return problem(p);
  };
  if (!isLetterSender(organisationId)) return refuse({ status: 403, code: 'not-a-sender', title: 'This organisation may not send letters' });
  const key = req.headers.get('idempotency-key');
  if (!isIdempotencyKey(key)) {
    return refuse({
      status: 400,
      code: 'idempotency-key',
      title: 'An Idempotency-Key header is needed',
      detail: '1 to 100 letters, digits and . _ : - , one for each letter',
    });
  }
  const contentType = (req.headers.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
  if (contentType !== 'application/json')
    return refuse({ status: 415, code: 'content-type', title: 'Send the letter as JSON', detail: 'Content-Type: application/json' });
  let input: unknown;
  try {
    input = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(body));
  } catch {
    return refuse({ status: 400, code: 'json', title: 'The body is not valid JSON (UTF-8)' });
  }
  const checked = validateLetter(input);
  if (!checked.ok) return refuse({ status: 422, code: 'invalid-letter', title: 'The letter has problems: nothing was stored', errors: checked.errors });
  if (checked.letter.sender !== organisationId) {
    return refuse({
      status: 403,
      code: 'wrong-sender',
      title: 'An organisation can only send letters as itself',
      detail: 'sender must be the organisation that signed the request',
    });
  }
  const result = await deliverLetter(getDb(), organisationId, key, checked.letter, now);
  if (result.kind === 'key-reused') {
    return refuse({
      status: 422,
      code: 'idempotency-key-reused',
      title: 'This Idempotency-Key was used for another letter',
      detail: 'Use a new key for each letter',
    });
  }
  if (result.kind === 'no-account') {
    return refuse({
      status: 404,
      code: 'no-account',
      title: 'No account for this person',
      detail: `Nobody with this ${checked.letter.councilReference === null ? 'NHS number' : 'council reference'} has an account with this service: post the letter. Nothing was stored`,
    });
  }
  log.info('letters-api-delivered', { requestId, organisation: organisationId, replayed: result.replayed });
  return json(letterStatus(result.letter), 201, {
    location: paths.letters.apiLetter(result.letter.id),
    ...(result.replayed ? { 'idempotent-replayed': 'true' } : {}),
  });
}

async function listToPost(req: Request, requestId: string): Promise<Response> {
  const caller = await signedCaller(req, new Uint8Array(), requestId);
  if (caller instanceof Response) return caller;
  if (!isLetterSender(caller.organisationId)) return problem({ status: 403, code: 'not-a-sender', title: 'This organisation may not send letters' });
  const sinceText = new URL(req.url).searchParams.get('postRequestedSince') ?? '';
  const since = new Date(sinceText);
  if (!/^\d{4}-\d{2}-\d{2}T/.test(sinceText) || Number.isNaN(since.getTime())) {
    return problem({ status: 400, code: 'since', title: 'Say since when', detail: 'postRequestedSince=<ISO 8601 instant>, e.g. 2026-12-01T00:00:00Z' });
  }
  const after = new URL(req.url).searchParams.get('after') ?? undefined;
  if (after !== undefined && !/^[a-z0-9]{1,40}$/.test(after)) {
    return problem({ status: 400, code: 'after', title: 'Give the id of the last letter you had', detail: 'after=<a letter id from the page before>' });
  }
  const letters = await lettersToPost(getDb(), caller.organisationId, since, TO_POST_PAGE, after);
  const last = letters.length === TO_POST_PAGE ? letters.at(-1) : undefined;
  // A full page may have more after it: the address of the next page, from the last letter on this one.
  const next = last?.postRequestedAt
    ? `${paths.letters.api}?${new URLSearchParams({ postRequestedSince: last.postRequestedAt.toISOString(), after: last.id }).toString()}`
    : null;
  return json({ letters: letters.map(letterStatus), next });
}

async function oneLetter(req: Request, id: string, requestId: string): Promise<Response> {
  const caller = await signedCaller(req, new Uint8Array(), requestId);
  if (caller instanceof Response) return caller;
  const letter = /^[a-z0-9]{1,40}$/.test(id) ? await senderLetter(getDb(), caller.organisationId, id) : null;
  if (!letter) return problem({ status: 404, code: 'not-found', title: 'No letter of yours has this id' });
  return json(letterStatus(letter));
}

type Context = { params?: Promise<Record<string, string | string[] | undefined>> };

/** POST and GET /api/letters/v1/letters. */
export const lettersCollection = {
  POST: (req: Request) => handled(req, (requestId) => deliver(req, requestId)),
  GET: (req: Request) => handled(req, (requestId) => listToPost(req, requestId)),
};

/** GET /api/letters/v1/letters/<id>. */
export const letterResource = {
  GET: async (req: Request, context?: Context) => {
    const id = (await context?.params)?.id;
    return handled(req, (requestId) => oneLetter(req, typeof id === 'string' ? id : '', requestId));
  },
};
