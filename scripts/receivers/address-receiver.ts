import { createHmac } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import { DEVELOPMENT_PARTNER_KEYS } from '../../lib/platform/config';
import { DEFAULT_MAX_SKEW_SECONDS, parsePartnerKeys, signRequest, verifyRequest } from '../../lib/platform/signed-requests';
import { runAsCommand } from '../dev-server';
import { closeServer, json, listenOn, readBody } from '../lib/http';

/**
 * A demo receiver for changes of contact details: stands in for one organisation's system
 * (the care record system, the council's customer record), as its own process and port.
 *
 *   POST /address-changes, POST /contact-preferences   a change, with an Idempotency-Key header:
 *        the first with a key is kept (201); a repeat is answered 200 and kept no more. A change
 *        sent to the council (signed as `council`) is answered with the council's reference for
 *        the person, `{ "reference": "LCC-…" }` (councilReferenceFor); the care record's, none.
 *   GET  /received          what was kept, for tests and the demo
 *   POST /_faults           {"mode": "none|down|slow|error500", "count": n, "slowMs": n}:
 *                           misbehave for the next n changes (all of them when no count)
 *   GET  /health            (the only request that needs no signature)
 *
 * Every other request must be signed (lib/platform/signed-requests.ts) with a key it shares,
 * named by its organisation: RECEIVER_KEYS ("organisation=secret,…", as PARTNER_KEYS), by
 * default the development keys of the demo care record system and council. Unsigned, changed,
 * stale (more than 5 minutes off) and replayed requests (a nonce seen in the last 5 minutes or so)
 * are refused with 401 and logged to stderr. `readReceived` reads /received so signed.
 *
 * The council's reference is "LCC-" and 8 upper-case hex digits of an HMAC-SHA256, with
 * RECEIVER_REFERENCE_KEY (by default a development-only key), of the person's NHS number, or of
 * their name and date of birth when the change has no NHS number: the same person always gets the
 * same reference, as a council's customer record would give.
 *
 * Fault modes: down (the connection is dropped, as if nothing listened), slow (keeps the change,
 * then answers after slowMs: a response lost to a timeout), error500 (keeps nothing, answers 500).
 * Development and tests only.
 */

export type FaultMode = 'none' | 'down' | 'slow' | 'error500';
export type Fault = { mode: FaultMode; count?: number; slowMs?: number };
export type ReceivedChange = { key: string; path: string; receivedAt: string; body: unknown };
export type Refusal = { at: string; method: string; path: string; organisation?: string; reason: string };

/** The demo organisations' development keys: what a receiver accepts when not told otherwise. */
export function demoReceiverKeys(): Map<string, string> {
  return new Map(['care-record', 'council'].map((id) => [id, DEVELOPMENT_PARTNER_KEYS[id] as string]));
}

/** The development-only keys as PARTNER_KEYS, for the scripts that run the production build on this machine. */
export function printDevelopmentPartnerKeys(): void {
  process.stdout.write(
    Object.entries(DEVELOPMENT_PARTNER_KEYS)
      .map(([organisation, secret]) => `${organisation}=${secret}`)
      .join(','),
  );
}

/** What a receiver kept, asked for with a signed GET /received (by default as a demo organisation). */
export async function readReceived(
  baseUrl: string,
  { organisationId = 'council', secret = DEVELOPMENT_PARTNER_KEYS[organisationId] ?? '' }: { organisationId?: string; secret?: string } = {},
): Promise<ReceivedChange[]> {
  const url = `${baseUrl.replace(/\/+$/, '')}/received`;
  const response = await fetch(url, { headers: signRequest({ organisationId, secret, method: 'GET', url, body: '' }) });
  if (!response.ok) throw new Error(`${url} answered ${response.status}`);
  return (await response.json()) as ReceivedChange[];
}

/** The demo council's key for making references: development only (RECEIVER_REFERENCE_KEY replaces it). */
export const DEMO_REFERENCE_KEY = 'demo-council-reference-key-for-development-only';

/** The organisations whose demo receiver answers with a reference (the care record's answers none). */
const GIVES_REFERENCES = new Set(['council']);

/**
 * The demo council's reference for the person a change is about: stable, derived from their NHS
 * number, or from their name and date of birth when there is none; null when the change names
 * neither.
 */
export function councilReferenceFor(citizen: unknown, key: string = DEMO_REFERENCE_KEY): string | null {
  if (!citizen || typeof citizen !== 'object') return null;
  const { nhsNumber, givenName, familyName, birthDate } = citizen as Record<string, unknown>;
  const text = (value: unknown) => (typeof value === 'string' ? value.trim().toLowerCase() : '');
  const who =
    typeof nhsNumber === 'string' && /^\d{10}$/.test(nhsNumber)
      ? `nhs:${nhsNumber}`
      : text(givenName) && text(familyName) && text(birthDate)
        ? `person:${text(givenName)}|${text(familyName)}|${text(birthDate)}`
        : null;
  if (!who) return null;
  return `LCC-${createHmac('sha256', key).update(who, 'utf8').digest('hex').slice(0, 8).toUpperCase()}`;
}

const PATHS = new Set(['/address-changes', '/contact-preferences']);
const MAX_BODY = 64 * 1024;

export function parseFault(value: string): Fault {
  const [mode = 'none', slowMs] = value.split(':');
  if (!['none', 'down', 'slow', 'error500'].includes(mode)) throw new Error(`Unknown fault mode ${mode}`);
  return { mode: mode as FaultMode, ...(slowMs ? { slowMs: Number(slowMs) } : {}) };
}

export function createAddressReceiver(options: {
  name: string;
  fault?: Fault;
  storeFile?: string;
  /** The keys it accepts, by organisation (default: the demo organisations' development keys). */
  keys?: ReadonlyMap<string, string>;
  /** Where refusals are logged (default: a JSON line on stderr). */
  log?: (refusal: Refusal) => void;
  /** The council's key for making references (default: DEMO_REFERENCE_KEY). */
  referenceKey?: string;
  now?: () => Date;
}) {
  let fault: Fault = options.fault ?? { mode: 'none' };
  const received = new Map<string, ReceivedChange>();
  const keys = options.keys ?? demoReceiverKeys();
  const now = options.now ?? (() => new Date());
  const referenceKey = options.referenceKey ?? DEMO_REFERENCE_KEY;
  const log = options.log ?? ((refusal: Refusal) => process.stderr.write(`${JSON.stringify({ level: 'warn', msg: 'request refused', ...refusal })}\n`));
  const refusals: Refusal[] = [];
  // Nonces seen, by organisation and nonce, until a request carrying them would be stale anyway.
  const seen = new Map<string, number>();
  let requests = 0;
  if (options.storeFile && fs.existsSync(options.storeFile)) {
    for (const change of JSON.parse(fs.readFileSync(options.storeFile, 'utf8')) as ReceivedChange[]) received.set(change.key, change);
  }
  const persist = () => {
    if (options.storeFile) fs.writeFileSync(options.storeFile, JSON.stringify([...received.values()], null, 2));
  };

  /** The fault for this change, counting it down. */
  function takeFault(): Fault {
    const current = fault;
    if (current.mode !== 'none' && current.count !== undefined) {
      fault = current.count > 1 ? { ...current, count: current.count - 1 } : { mode: 'none' };
    }
    return current;
  }

  /** Checks the request's signature and that its nonce is new: who signed it, or null (answered 401, and logged). */
  function authenticated(req: http.IncomingMessage, res: http.ServerResponse, body: string): string | null {
    const at = now();
    const result = verifyRequest({ method: req.method ?? 'GET', url: req.url ?? '/', headers: req.headers, body, keys, now: at });
    let reason: string | undefined = result.ok ? undefined : result.reason;
    if (result.ok) {
      for (const [nonce, until] of seen) if (until < at.getTime()) seen.delete(nonce);
      const nonce = `${result.organisationId} ${result.nonce}`;
      if (seen.has(nonce)) reason = 'replayed';
      // Kept until the request's time is further than the allowed skew from now.
      else seen.set(nonce, (result.timestamp + DEFAULT_MAX_SKEW_SECONDS + 1) * 1000);
    }
    if (reason === undefined) return result.ok ? result.organisationId : null;
    const organisation = req.headers['x-phr-organisation'];
    const refusal: Refusal = {
      at: at.toISOString(),
      method: req.method ?? '',
      path: new URL(req.url ?? '/', 'http://receiver').pathname,
      ...(typeof organisation === 'string' ? { organisation: organisation.slice(0, 64) } : {}),
      reason,
    };
    refusals.push(refusal);
    log(refusal);
    json(res, 401, { error: 'not authenticated', reason });
    return null;
  }

  const server = http.createServer(async (req, res) => {
    try {
      const url = new URL(req.url ?? '/', 'http://receiver');
      if (req.method === 'GET' && url.pathname === '/health') return json(res, 200, { status: 'ok', name: options.name });
      if (req.method === 'GET' && url.pathname === '/received') {
        if (!authenticated(req, res, await readBody(req, MAX_BODY))) return;
        return json(res, 200, [...received.values()]);
      }
      if (req.method === 'POST' && url.pathname === '/_faults') {
        const text = await readBody(req, MAX_BODY);
        if (!authenticated(req, res, text)) return;
        const next = JSON.parse(text) as Fault;
        fault = parseFault(next.mode ?? 'none');
        if (next.count !== undefined) fault.count = next.count;
        if (next.slowMs !== undefined) fault.slowMs = next.slowMs;
        return json(res, 200, fault);
      }
      if (req.method !== 'POST' || !PATHS.has(url.pathname)) return json(res, 404, { error: 'not found' });

      requests += 1;
      const current = takeFault();
      if (current.mode === 'down') {
        req.socket.destroy();
        return;
      }
      const text = await readBody(req, MAX_BODY);
      const organisation = authenticated(req, res, text);
      if (!organisation) return;
      const key = req.headers['idempotency-key'];
      if (typeof key !== 'string' || !/^[\w-]{8,100}$/.test(key)) return json(res, 400, { error: 'Idempotency-Key header required' });
      let body: unknown;
      try {
        body = JSON.parse(text);
      } catch {
        return json(res, 400, { error: 'body must be JSON' });
      }
      if (current.mode === 'error500') return json(res, 500, { error: 'simulated failure' });

      const repeat = received.has(key);
      if (!repeat) {
        received.set(key, { key, path: url.pathname, receivedAt: new Date().toISOString(), body });
        persist();
      }
      if (current.mode === 'slow') await new Promise((resolve) => setTimeout(resolve, current.slowMs ?? 10_000));
      const reference = GIVES_REFERENCES.has(organisation) ? councilReferenceFor((body as { citizen?: unknown } | null)?.citizen, referenceKey) : null;
      return json(res, repeat ? 200 : 201, { received: true, repeat, ...(reference ? { reference } : {}) });
    } catch {
      if (!res.headersSent) json(res, 400, { error: 'bad request' });
    }
  });

  return {
    server,
    received: () => [...received.values()],
    /** How many changes were sent to it (repeats and refused ones included). */
    requests: () => requests,
    /** The requests it refused as not authenticated, oldest first. */
    refusals: () => [...refusals],
    setFault(next: Fault) {
      fault = next;
    },
    listen: (port = 0, host = '127.0.0.1') => listenOn(server, port, host),
    close: () => closeServer(server),
  };
}

async function main() {
  const name = process.env.RECEIVER_NAME ?? 'demo receiver';
  const port = Number(process.env.RECEIVER_PORT ?? 3500);
  const fault = process.env.RECEIVER_FAULT ? parseFault(process.env.RECEIVER_FAULT) : undefined;
  const keys = process.env.RECEIVER_KEYS?.trim() ? parsePartnerKeys(process.env.RECEIVER_KEYS) : undefined;
  const referenceKey = process.env.RECEIVER_REFERENCE_KEY?.trim() || undefined;
  const receiver = createAddressReceiver({ name, fault, keys, referenceKey, storeFile: process.env.RECEIVER_STORE_FILE });
  const url = await receiver.listen(port, process.env.RECEIVER_HOST ?? 'localhost');
  process.stdout.write(`${name}: receiving contact detail changes at ${url}${fault ? ` (fault mode ${fault.mode})` : ''}\n`);
  return receiver;
}

runAsCommand(import.meta.filename, 'the demo receiver', main);
