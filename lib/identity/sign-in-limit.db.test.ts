// The sign-in limits counted in the database under test, as every instance counts them.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { reloadConfig } from '@/lib/platform/config';
import { getDb } from '@/lib/platform/db';
import { useDatabaseUnderTest } from '@/lib/platform/db-test-support';
import { SharedTokenBucket } from '@/lib/platform/rate-limit';
import { checkSignInAttempts, resetSignInLimits, takeSignInAttempt } from './sign-in-limit';

const { url } = useDatabaseUnderTest();

const limits = async (env: Record<string, string>) => {
  reloadConfig({ ...process.env, DATABASE_URL: url, ...env });
  await resetSignInLimits();
};

beforeEach(() => limits({ SIGN_IN_RATE_LIMIT: '2', SIGN_IN_RATE_LIMIT_GLOBAL: '100', TRUSTED_PROXIES: '1', CLIENT_ADDRESS_HEADER: 'X-Real-IP' }));
afterEach(() => vi.restoreAllMocks());

const from = (address: string) => new Request('http://localhost:3000/sign-in', { method: 'POST', headers: { 'x-real-ip': address } });
const forwardedFor = (value: string) => new Request('http://localhost:3000/sign-in', { method: 'POST', headers: { 'x-forwarded-for': value } });

describe('sign-in rate limit', () => {
  it('limits each client address, from the configured header, when a proxy of ours is trusted', async () => {
    expect((await takeSignInAttempt(from('198.51.100.1'))).ok).toBe(true);
    expect((await takeSignInAttempt(from('198.51.100.1'))).ok).toBe(true);
    expect((await checkSignInAttempts(from('198.51.100.1'))).ok).toBe(false);
    expect(await takeSignInAttempt(from('198.51.100.1'))).toEqual({ ok: false, retryAfterSeconds: 300 });
    expect((await takeSignInAttempt(from('198.51.100.2'))).ok).toBe(true);
  });

  it('with no trusted proxy, a made-up address per request still meets the limit for everyone', async () => {
    await limits({ SIGN_IN_RATE_LIMIT: '2', SIGN_IN_RATE_LIMIT_GLOBAL: '3', TRUSTED_PROXIES: '0' });
    for (const address of ['203.0.113.1', '203.0.113.2', '203.0.113.3']) expect((await takeSignInAttempt(forwardedFor(address))).ok).toBe(true);
    expect((await takeSignInAttempt(forwardedFor('203.0.113.4'))).ok).toBe(false);
    expect((await checkSignInAttempts(forwardedFor('203.0.113.5'))).ok).toBe(false);
  });

  it('behind a trusted proxy, a client cannot get a fresh allowance by sending its own X-Forwarded-For', async () => {
    await limits({ SIGN_IN_RATE_LIMIT: '2', SIGN_IN_RATE_LIMIT_GLOBAL: '100', TRUSTED_PROXIES: '1' });
    // The proxy appends the address it saw (198.51.100.9) after whatever the client sent.
    expect((await takeSignInAttempt(forwardedFor('1.1.1.1, 198.51.100.9'))).ok).toBe(true);
    expect((await takeSignInAttempt(forwardedFor('2.2.2.2, 198.51.100.9'))).ok).toBe(true);
    expect((await takeSignInAttempt(forwardedFor('3.3.3.3, 198.51.100.9'))).ok).toBe(false);
    expect((await takeSignInAttempt(forwardedFor('198.51.100.10'))).ok).toBe(true);
  });

  it('keeps no address in the database: clients are known by a keyed hash', async () => {
    await takeSignInAttempt(from('198.51.100.77'));
    const keys = (await getDb().rateLimitBucket.findMany({ where: { key: { startsWith: 'sign-in:' } }, select: { key: true } })).map((row) => row.key);
    expect(keys).toContain('sign-in:all');
    expect(keys.some((key) => key.startsWith('sign-in:client:'))).toBe(true);
    expect(keys.join(' ')).not.toContain('198.51.100.77');
  });

  it('resetting forgets every sign-in bucket', async () => {
    await limits({ SIGN_IN_RATE_LIMIT: '1', SIGN_IN_RATE_LIMIT_GLOBAL: '100', TRUSTED_PROXIES: '1', CLIENT_ADDRESS_HEADER: 'X-Real-IP' });
    await takeSignInAttempt(from('198.51.100.3'));
    expect((await checkSignInAttempts(from('198.51.100.3'))).ok).toBe(false);
    await resetSignInLimits();
    expect((await checkSignInAttempts(from('198.51.100.3'))).ok).toBe(true);
  });

  it('lets the attempt through when a query fails (fails open), and still counts when it works again', async () => {
    vi.spyOn(SharedTokenBucket.prototype, 'check').mockRejectedValue(new Error('connection lost'));
    expect(await takeSignInAttempt(from('198.51.100.4'))).toEqual({ ok: true });
    expect(await checkSignInAttempts(from('198.51.100.4'))).toEqual({ ok: true });
    vi.restoreAllMocks();
    vi.spyOn(SharedTokenBucket.prototype, 'take').mockRejectedValue(new Error('connection lost'));
    expect(await takeSignInAttempt(from('198.51.100.4'))).toEqual({ ok: true });
    vi.restoreAllMocks();
    expect((await takeSignInAttempt(from('198.51.100.4'))).ok).toBe(true);
    expect((await takeSignInAttempt(from('198.51.100.4'))).ok).toBe(true);
    expect((await takeSignInAttempt(from('198.51.100.4'))).ok).toBe(false);
  });
});
