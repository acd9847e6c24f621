import crypto from 'node:crypto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { SIGNATURE_HEADERS, signRequest, verifyRequest } from './signed-requests';

const SECRET = 'a-test-secret-of-at-least-thirty-two-characters';
const OTHER = 'another-organisations-secret-of-32-or-more-chars';
const keys = new Map([
  ['council', SECRET],
  ['care-record', OTHER],
]);
const NOW = new Date('2026-12-03T10:00:00Z');
const URL_ = 'http://council.example:3600/address-changes?x=1';
const BODY = JSON.stringify({ nhsNumber: '9434765919', postcode: 'LS1 4AP' });

function signed(overrides: Partial<Parameters<typeof signRequest>[0]> = {}) {
  return signRequest({ organisationId: 'council', secret: SECRET, method: 'POST', url: URL_, body: BODY, now: NOW, ...overrides });
}

function verify(headers: Record<string, string>, overrides: Partial<Parameters<typeof verifyRequest>[0]> = {}) {
  return verifyRequest({ method: 'POST', url: '/address-changes?x=1', headers, body: BODY, keys, now: NOW, ...overrides });
}

afterEach(() => vi.restoreAllMocks());

describe('signed requests', () => {
  it('signs with the organisation, time, a nonce and a v1 HMAC, and a good signature is accepted', () => {
    const headers = signed();
    expect(headers[SIGNATURE_HEADERS.organisation]).toBe('council');
    expect(headers[SIGNATURE_HEADERS.timestamp]).toBe(String(NOW.getTime() / 1000));
    expect(headers[SIGNATURE_HEADERS.nonce]).toMatch(/^[0-9a-f]{32}$/);
    expect(headers[SIGNATURE_HEADERS.signature]).toMatch(/^v1=[0-9a-f]{64}$/);
    const result = verify(headers);
    expect(result).toEqual({ ok: true, organisationId: 'council', nonce: headers[SIGNATURE_HEADERS.nonce], timestamp: NOW.getTime() / 1000 });
    // Full address or path, Headers or a plain object (any case), string or bytes: the same.
    expect(verify(headers, { url: URL_, headers: new Headers(headers), body: Buffer.from(BODY) }).ok).toBe(true);
    expect(verify(Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toUpperCase(), v]))).ok).toBe(true);
  });

  it('is the documented HMAC over timestamp, nonce, method, path and query, and the body hash', () => {
    const headers = signed();
    const bodyHash = crypto.createHash('sha256').update(BODY).digest('hex');
    const canonical = `${headers[SIGNATURE_HEADERS.timestamp]}\n${headers[SIGNATURE_HEADERS.nonce]}\nPOST\n/address-changes?x=1\n${bodyHash}`;
    expect(headers[SIGNATURE_HEADERS.signature]).toBe(`v1=${crypto.createHmac('sha256', SECRET).update(canonical).digest('hex')}`);
  });

  it('signs an empty body (a GET) too', () => {
    const headers = signed({ method: 'get', url: 'http://x/received', body: undefined });
    expect(verify(headers, { method: 'GET', url: '/received', body: '' }).ok).toBe(true);
    expect(verify(headers, { method: 'GET', url: '/received?all=1', body: '' })).toEqual({ ok: false, reason: 'bad-signature' });
  });

  it('refuses a changed body, path, query, method, timestamp, nonce or signature', () => {
    const headers = signed();
    expect(verify(headers, { body: BODY.replace('LS1', 'LS2') })).toEqual({ ok: false, reason: 'bad-signature' });
    expect(verify(headers, { url: '/contact-preferences?x=1' })).toEqual({ ok: false, reason: 'bad-signature' });
    expect(verify(headers, { url: '/address-changes?x=2' })).toEqual({ ok: false, reason: 'bad-signature' });
    expect(verify(headers, { method: 'PUT' })).toEqual({ ok: false, reason: 'bad-signature' });
    const later = String(Number(headers[SIGNATURE_HEADERS.timestamp]) + 1);
    expect(verify({ ...headers, [SIGNATURE_HEADERS.timestamp]: later })).toEqual({ ok: false, reason: 'bad-signature' });
    expect(verify({ ...headers, [SIGNATURE_HEADERS.nonce]: 'f'.repeat(32) })).toEqual({ ok: false, reason: 'bad-signature' });
    const flipped = (headers[SIGNATURE_HEADERS.signature] ?? '').replace(/.$/, (c) => (c === '0' ? '1' : '0'));
    expect(verify({ ...headers, [SIGNATURE_HEADERS.signature]: flipped })).toEqual({ ok: false, reason: 'bad-signature' });
    expect(verify({ ...headers, [SIGNATURE_HEADERS.signature]: 'v1=abc' })).toEqual({ ok: false, reason: 'bad-signature' });
    expect(verify({ ...headers, [SIGNATURE_HEADERS.signature]: (headers[SIGNATURE_HEADERS.signature] ?? '').replace('v1=', 'v2=') })).toEqual({
      ok: false,
      reason: 'bad-signature',
    });
    expect(verify({ ...headers, [SIGNATURE_HEADERS.timestamp]: 'soon' })).toEqual({ ok: false, reason: 'bad-signature' });
  });

  it('refuses a wrong key, and another organisation’s key', () => {
    expect(verify(signed({ secret: 'a-wrong-secret-of-at-least-thirty-two-chars' }))).toEqual({ ok: false, reason: 'bad-signature' });
    // Signed with care-record's own key but claiming to be the council.
    expect(verify(signed({ secret: OTHER }))).toEqual({ ok: false, reason: 'bad-signature' });
  });

  it('refuses an organisation it has no key for', () => {
    expect(verify(signed({ organisationId: 'someone-else' }))).toEqual({ ok: false, reason: 'unknown-organisation' });
  });

  it('refuses a request more than 300 seconds (or the given skew) from now, either way', () => {
    const at = (offsetSeconds: number) => new Date(NOW.getTime() + offsetSeconds * 1000);
    expect(verify(signed(), { now: at(300) }).ok).toBe(true);
    expect(verify(signed(), { now: at(-300) }).ok).toBe(true);
    expect(verify(signed(), { now: at(301) })).toEqual({ ok: false, reason: 'stale' });
    expect(verify(signed(), { now: at(-301) })).toEqual({ ok: false, reason: 'stale' });
    expect(verify(signed(), { now: at(61), maxSkewSeconds: 60 })).toEqual({ ok: false, reason: 'stale' });
  });

  it('refuses a request without all four headers', () => {
    const headers = signed();
    for (const name of Object.values(SIGNATURE_HEADERS)) {
      const without = Object.fromEntries(Object.entries(headers).filter(([key]) => key !== name));
      expect(verify(without)).toEqual({ ok: false, reason: 'missing' });
      expect(verify({ ...headers, [name]: '  ' })).toEqual({ ok: false, reason: 'missing' });
    }
    expect(verify({})).toEqual({ ok: false, reason: 'missing' });
  });

  it('compares signatures in constant time', () => {
    const compare = vi.spyOn(crypto, 'timingSafeEqual');
    const headers = signed();
    verify(headers);
    expect(compare).toHaveBeenCalledTimes(1);
    compare.mockClear();
    verify({ ...headers, [SIGNATURE_HEADERS.signature]: 'v1=short' });
    expect(compare).toHaveBeenCalledTimes(1);
  });

  it('makes a new nonce for every request', () => {
    const nonces = new Set(Array.from({ length: 20 }, () => signed()[SIGNATURE_HEADERS.nonce]));
    expect(nonces.size).toBe(20);
  });
});
