import { beforeAll, describe, expect, it } from 'vitest';
import { reloadConfig } from '@/lib/platform/config';
import { checkSignInAttempts, takeSignInAttempt, tooManySignInAttempts } from './sign-in-limit';

beforeAll(() => {
  reloadConfig({ ...process.env, SIGN_IN_RATE_LIMIT: '2', CLIENT_ADDRESS_HEADER: 'X-Real-IP' });
});

const from = (address: string) => new Request('http://localhost:3000/sign-in', { method: 'POST', headers: { 'x-real-ip': address } });

describe('sign-in rate limit', () => {
  it('limits each client address, from the configured header', () => {
    expect(takeSignInAttempt(from('198.51.100.1')).ok).toBe(true);
    expect(takeSignInAttempt(from('198.51.100.1')).ok).toBe(true);
    expect(checkSignInAttempts(from('198.51.100.1')).ok).toBe(false);
    expect(takeSignInAttempt(from('198.51.100.1'))).toEqual({ ok: false, retryAfterSeconds: 300 });
    expect(takeSignInAttempt(from('198.51.100.2')).ok).toBe(true);
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
