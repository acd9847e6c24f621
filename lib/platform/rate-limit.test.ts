import { afterAll, describe, expect, it } from 'vitest';
import { reloadConfig } from './config';
import { clientAddress, privateKey, secondsUntilToken, SharedTokenBucket, tokensAt } from './rate-limit';

// The arithmetic every take and check uses (the database statement repeats it in SQL; the
// database tests check both agree). Times in ms.
describe('token bucket arithmetic', () => {
  const size = { capacity: 3, refillSeconds: 60 };

  it('starts full, and refills evenly over its window', () => {
    expect(tokensAt(null, 0, size)).toBe(3);
    expect(tokensAt({ tokens: 0, at: 1_000_000 }, 1_000_000, size)).toBe(0);
    expect(tokensAt({ tokens: 0, at: 1_000_000 }, 1_019_000, size)).toBeLessThan(1);
    expect(tokensAt({ tokens: 0, at: 1_000_000 }, 1_020_000, size)).toBeGreaterThanOrEqual(1);
    expect(tokensAt({ tokens: 0.5, at: 0 }, 10_000, size)).toBeCloseTo(1);
  });

  it('never holds more than its capacity, however long the wait', () => {
    expect(tokensAt({ tokens: 0, at: 0 }, 10_000_000, size)).toBe(3);
    expect(tokensAt({ tokens: 2.5, at: 0 }, 30_000, size)).toBe(3);
  });

  it('gives nothing for a clock behind the stored time', () => {
    expect(tokensAt({ tokens: 1.5, at: 60_000 }, 30_000, size)).toBe(1.5);
  });

  it('says how long until a whole token, in whole seconds, at least one', () => {
    expect(secondsUntilToken(0, size)).toBe(20);
    expect(secondsUntilToken(0.5, size)).toBe(10);
    expect(secondsUntilToken(0.99, size)).toBe(1);
    expect(secondsUntilToken(0, { capacity: 1200, refillSeconds: 600 })).toBe(1);
  });

  it('refuses a bucket that would outlive pruning, or that can never hold a token', () => {
    expect(() => new SharedTokenBucket('x', { capacity: 1, refillSeconds: 7200 })).toThrow(/within 3600 seconds/);
    expect(() => new SharedTokenBucket('x', { capacity: 0, refillSeconds: 60 })).toThrow();
  });
});

describe('private keys', () => {
  afterAll(() => reloadConfig(process.env));

  it('name a client without holding its address or token, the same on every instance', () => {
    reloadConfig({ ...process.env, APP_SECRET: 'a'.repeat(40) });
    const key = privateKey('198.51.100.7');
    expect(key).not.toContain('198.51.100.7');
    expect(key).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(privateKey('198.51.100.7')).toBe(key);
    expect(privateKey('198.51.100.8')).not.toBe(key);
    // Keyed with the app's secret: without it, a list of addresses cannot be matched to keys.
    reloadConfig({ ...process.env, APP_SECRET: 'b'.repeat(40) });
    expect(privateKey('198.51.100.7')).not.toBe(key);
  });
});

describe('client address', () => {
  const request = (headers: Record<string, string>) => new Request('http://localhost/', { headers });
  const xff = (value: string) => request({ 'x-forwarded-for': value });

  it('trusts nothing a client sends when no proxy of ours is configured', () => {
    expect(clientAddress(xff('198.51.100.7'), 'x-forwarded-for', 0)).toBeNull();
    expect(clientAddress(request({}), 'x-forwarded-for', 0)).toBeNull();
  });

  it('takes the address our own proxies saw, not one the client made up', () => {
    // One proxy: it appended the address it saw; anything before it came from the client.
    expect(clientAddress(xff('203.0.113.9, 198.51.100.7'), 'x-forwarded-for', 1)).toBe('198.51.100.7');
    expect(clientAddress(xff('1.2.3.4, 5.6.7.8, 198.51.100.7'), 'x-forwarded-for', 1)).toBe('198.51.100.7');
    // Two proxies (a CDN, then a load balancer): the client is the one the CDN saw.
    expect(clientAddress(xff('1.2.3.4, 198.51.100.7, 10.0.0.5'), 'x-forwarded-for', 2)).toBe('198.51.100.7');
    expect(clientAddress(request({ 'x-real-ip': '198.51.100.7' }), 'x-real-ip', 1)).toBe('198.51.100.7');
  });

  it('trusts nothing when the request did not pass through every proxy', () => {
    expect(clientAddress(xff('198.51.100.7'), 'x-forwarded-for', 2)).toBeNull();
    expect(clientAddress(request({}), 'x-forwarded-for', 1)).toBeNull();
  });
});
