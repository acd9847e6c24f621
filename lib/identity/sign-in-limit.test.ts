import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reloadConfig } from '@/lib/platform/config';
import { checkSignInAttempts, resetSignInLimits, takeSignInAttempt, tooManySignInAttempts } from './sign-in-limit';

const limits = (env: Record<string, string>) => {
  reloadConfig({ ...process.env, ...env });
  resetSignInLimits();
};

beforeAll(() => limits({ SIGN_IN_RATE_LIMIT: '2', SIGN_IN_RATE_LIMIT_GLOBAL: '100', TRUSTED_PROXIES: '1', CLIENT_ADDRESS_HEADER: 'X-Real-IP' }));
afterAll(() => limits({}));

const from = (address: string) => new Request('http://localhost:3000/sign-in', { method: 'POST', headers: { 'x-real-ip': address } });
const forwardedFor = (value: string) => new Request('http://localhost:3000/sign-in', { method: 'POST', headers: { 'x-forwarded-for': value } });

describe('sign-in rate limit', () => {
  it('limits each client address, from the configured header, when a proxy of ours is trusted', () => {
    expect(takeSignInAttempt(from('198.51.100.1')).ok).toBe(true);
    expect(takeSignInAttempt(from('198.51.100.1')).ok).toBe(true);
    expect(checkSignInAttempts(from('198.51.100.1')).ok).toBe(false);
    expect(takeSignInAttempt(from('198.51.100.1'))).toEqual({ ok: false, retryAfterSeconds: 300 });
    expect(takeSignInAttempt(from('198.51.100.2')).ok).toBe(true);
  });

  it('with no trusted proxy, a made-up address per request still meets the limit for everyone', () => {
    limits({ SIGN_IN_RATE_LIMIT: '2', SIGN_IN_RATE_LIMIT_GLOBAL: '3', TRUSTED_PROXIES: '0' });
    for (const address of ['203.0.113.1', '203.0.113.2', '203.0.113.3']) expect(takeSignInAttempt(forwardedFor(address)).ok).toBe(true);
    expect(takeSignInAttempt(forwardedFor('203.0.113.4')).ok).toBe(false);
    expect(checkSignInAttempts(forwardedFor('203.0.113.5')).ok).toBe(false);
  });

  it('behind a trusted proxy, a client cannot get a fresh allowance by sending its own X-Forwarded-For', () => {
    limits({ SIGN_IN_RATE_LIMIT: '2', SIGN_IN_RATE_LIMIT_GLOBAL: '100', TRUSTED_PROXIES: '1' });
    // The proxy appends the address it saw (198.51.100.9) after whatever the client sent.
    expect(takeSignInAttempt(forwardedFor('1.1.1.1, 198.51.100.9')).ok).toBe(true);
    expect(takeSignInAttempt(forwardedFor('2.2.2.2, 198.51.100.9')).ok).toBe(true);
    expect(takeSignInAttempt(forwardedFor('3.3.3.3, 198.51.100.9')).ok).toBe(false);
    expect(takeSignInAttempt(forwardedFor('198.51.100.10')).ok).toBe(true);
  });

  it('answers 429 with Retry-After and a page saying how long to wait', async () => {
    const response = tooManySignInAttempts(300);
    expect(response.status).toBe(429);
    expect(response.headers.get('retry-after')).toBe('300');
    expect(response.headers.get('cache-control')).toBe('no-store');
    const html = await response.text();
    expect(html).toContain('Sorry, there have been too many attempts to sign in');
    expect(html).toContain('wait 5 minutes');
  });
});
