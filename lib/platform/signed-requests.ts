import crypto, { createHash, createHmac, randomBytes } from 'node:crypto';

/**
 * Requests between us and another organisation, signed with a secret we share with that
 * organisation (HMAC-SHA256, one key per organisation, configured as PARTNER_KEYS).
 *
 * The signature covers the time, a random nonce, the method, the path and query, and a hash of
 * the body, so that a request cannot be changed, sent to another address, or sent much later.
 * Within the allowed clock skew a request could still be sent again as it is: whoever verifies
 * also remembers the nonces it has seen for that long and refuses one it has seen before.
 */

export const SIGNATURE_HEADERS = {
  organisation: 'x-phr-organisation',
  timestamp: 'x-phr-timestamp',
  nonce: 'x-phr-nonce',
  signature: 'x-phr-signature',
} as const;

/** How far a request's time may be from ours, either way, in seconds. */
export const DEFAULT_MAX_SKEW_SECONDS = 300;

type Body = string | Uint8Array | null | undefined;

export type SignRequestInput = {
  /** Who is sending: the id the receiver knows us by. */
  organisationId: string;
  secret: string;
  method: string;
  /** The full address (or just the path and query) the request is sent to. */
  url: string;
  body?: Body;
  now?: Date;
};

export type VerifyRequestInput = {
  method: string;
  url: string;
  headers: Headers | Record<string, string | string[] | undefined>;
  body?: Body;
  /** Each organisation's secret, by organisation id. */
  keys: ReadonlyMap<string, string>;
  now?: Date;
  maxSkewSeconds?: number;
};

export type VerifyResult =
  | { ok: true; organisationId: string; nonce: string; timestamp: number }
  | { ok: false; reason: 'missing' | 'unknown-organisation' | 'bad-signature' | 'stale' };

/** The headers to send with a request: who sent it, when, a nonce and the signature. */
export function signRequest({ organisationId, secret, method, url, body, now = new Date() }: SignRequestInput): Record<string, string> {
  const timestamp = String(Math.floor(now.getTime() / 1000));
  const nonce = randomBytes(16).toString('hex');
  return {
    [SIGNATURE_HEADERS.organisation]: organisationId,
    [SIGNATURE_HEADERS.timestamp]: timestamp,
    [SIGNATURE_HEADERS.nonce]: nonce,
    [SIGNATURE_HEADERS.signature]: `v1=${signature(secret, timestamp, nonce, method, url, body)}`,
  };
}

/**
 * Checks a request's signature with the sending organisation's key, in constant time, and that
 * it was made within maxSkewSeconds of now. The caller must also refuse a nonce it has seen.
 */
export function verifyRequest({
  method,
  url,
  headers,
  body,
  keys,
  now = new Date(),
  maxSkewSeconds = DEFAULT_MAX_SKEW_SECONDS,
}: VerifyRequestInput): VerifyResult {
  const organisationId = header(headers, SIGNATURE_HEADERS.organisation);
  const timestamp = header(headers, SIGNATURE_HEADERS.timestamp);
  const nonce = header(headers, SIGNATURE_HEADERS.nonce);
  const given = header(headers, SIGNATURE_HEADERS.signature);
  if (!organisationId || !timestamp || !nonce || !given) return { ok: false, reason: 'missing' };
  const secret = keys.get(organisationId);
  if (secret === undefined) return { ok: false, reason: 'unknown-organisation' };
  if (!/^\d{1,12}$/.test(timestamp) || !/^[A-Za-z0-9_-]{16,128}$/.test(nonce) || !given.startsWith('v1=')) {
    return { ok: false, reason: 'bad-signature' };
  }
  const expected = Buffer.from(signature(secret, timestamp, nonce, method, url, body), 'utf8');
  const actual = Buffer.from(given.slice(3), 'utf8');
  // timingSafeEqual needs equal lengths: compare against itself so a wrong length takes as long.
  const same = actual.length === expected.length ? crypto.timingSafeEqual(actual, expected) : !crypto.timingSafeEqual(expected, expected);
  if (!same) return { ok: false, reason: 'bad-signature' };
  const seconds = Number(timestamp);
  if (Math.abs(Math.floor(now.getTime() / 1000) - seconds) > maxSkewSeconds) return { ok: false, reason: 'stale' };
  return { ok: true, organisationId, nonce, timestamp: seconds };
}

function signature(secret: string, timestamp: string, nonce: string, method: string, url: string, body: Body): string {
  const canonical = [timestamp, nonce, method.toUpperCase(), pathAndQuery(url), sha256Hex(body)].join('\n');
  return createHmac('sha256', secret).update(canonical, 'utf8').digest('hex');
}

/** "/path?query" of a full address or of a path: the part that is the same for sender and receiver. */
export function pathAndQuery(url: string): string {
  const parsed = new URL(url, 'http://localhost');
  return `${parsed.pathname}${parsed.search}`;
}

function sha256Hex(body: Body): string {
  const hash = createHash('sha256');
  if (typeof body === 'string') hash.update(body, 'utf8');
  else if (body) hash.update(body);
  return hash.digest('hex');
}

function header(headers: VerifyRequestInput['headers'], name: string): string | undefined {
  if (typeof (headers as Headers).get === 'function') return (headers as Headers).get(name)?.trim() || undefined;
  const record = headers as Record<string, string | string[] | undefined>;
  const value = record[name] ?? Object.entries(record).find(([key]) => key.toLowerCase() === name)?.[1];
  const single = Array.isArray(value) ? value[0] : value;
  return single?.trim() || undefined;
}

/**
 * "organisation=secret,organisation=secret" (PARTNER_KEYS) as a map. Organisation ids are lower
 * case letters, digits and hyphens; each secret is at least 32 characters. Throws on anything else.
 */
export function parsePartnerKeys(value: string): Map<string, string> {
  const keys = new Map<string, string>();
  for (const part of value
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean)) {
    const [rawName = '', rawSecret = ''] = part.split(/=(.*)/s, 2);
    const name = rawName.trim();
    const secret = rawSecret.trim();
    if (!/^[a-z][a-z0-9-]*$/.test(name) || secret.length < 32) {
      throw new Error(`"${name}=…" is not organisation=secret (a secret of 32+ characters)`);
    }
    keys.set(name, secret);
  }
  return keys;
}
