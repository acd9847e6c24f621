import { describe, expect, it } from 'vitest';
import { clientAddress, TokenBucketLimiter } from './rate-limit';

describe('token bucket limiter', () => {
  it('allows a burst up to its capacity, then refuses with how long to wait', () => {
    const limiter = new TokenBucketLimiter(3, 60);
    const now = 1_000_000;
    for (let attempt = 0; attempt < 3; attempt += 1) expect(limiter.take('a', now)).toEqual({ ok: true });
    expect(limiter.take('a', now)).toEqual({ ok: false, retryAfterSeconds: 20 });
    expect(limiter.check('a', now)).toEqual({ ok: false, retryAfterSeconds: 20 });
  });

  it('refills evenly over its window', () => {
    const limiter = new TokenBucketLimiter(3, 60);
    const now = 1_000_000;
    for (let attempt = 0; attempt < 3; attempt += 1) limiter.take('a', now);
    expect(limiter.take('a', now + 19_000).ok).toBe(false);
    expect(limiter.take('a', now + 20_000).ok).toBe(true);
    expect(limiter.take('a', now + 20_000).ok).toBe(false);
    // Never more than the capacity, however long the wait.
    for (let attempt = 0; attempt < 3; attempt += 1) expect(limiter.take('a', now + 10_000_000).ok).toBe(true);
    expect(limiter.take('a', now + 10_000_000).ok).toBe(false);
  });

  it('keeps each client to its own bucket', () => {
    const limiter = new TokenBucketLimiter(1, 60);
    expect(limiter.take('a', 0).ok).toBe(true);
    expect(limiter.take('a', 0).ok).toBe(false);
    expect(limiter.take('b', 0).ok).toBe(true);
  });

  it('checking counts nothing', () => {
    const limiter = new TokenBucketLimiter(1, 60);
    expect(limiter.check('a', 0).ok).toBe(true);
    expect(limiter.check('a', 0).ok).toBe(true);
    expect(limiter.take('a', 0).ok).toBe(true);
  });

  it('forgets the least recently seen client when full', () => {
    const limiter = new TokenBucketLimiter(1, 60, 2);
    limiter.take('a', 0);
    limiter.take('b', 0);
    limiter.take('c', 0);
    // a was forgotten, so starts afresh; c is still limited.
    expect(limiter.take('a', 0).ok).toBe(true);
    expect(limiter.take('c', 0).ok).toBe(false);
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
