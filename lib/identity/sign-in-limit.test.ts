import { afterAll, describe, expect, it } from 'vitest';
import { reloadConfig } from '@/lib/platform/config';
import { disconnectDb } from '@/lib/platform/db';
import { checkSignInAttempts, takeSignInAttempt, tooManySignInAttempts } from './sign-in-limit';

// The limits themselves are counted in the database: sign-in-limit.db.test.ts.

afterAll(async () => {
  await disconnectDb();
  reloadConfig(process.env);
});

describe('sign-in rate limit', () => {
  it('answers 429 with Retry-After and a page saying how long to wait', async () => {
    const response = tooManySignInAttempts(300);
    expect(response.status).toBe(429);
    expect(response.headers.get('retry-after')).toBe('300');
    expect(response.headers.get('cache-control')).toBe('no-store');
    const html = await response.text();
    expect(html).toContain('Sorry, there have been too many attempts to sign in');
    expect(html).toContain('wait 5 minutes');
  });

  it('lets the attempt through when the database cannot count it (fails open)', async () => {
    await disconnectDb();
    reloadConfig({ ...process.env, DATABASE_URL: 'file:/nonexistent-directory-for-this-test/phr.db', TRUSTED_PROXIES: '1' });
    const from = new Request('http://localhost:3000/sign-in', { method: 'POST', headers: { 'x-forwarded-for': '198.51.100.1' } });
    expect(await takeSignInAttempt(from)).toEqual({ ok: true });
    expect(await checkSignInAttempts(from)).toEqual({ ok: true });
  });
});
