import { describe, expect, it } from 'vitest';
import { loadConfig } from './config';
import { requestTime, TEST_CLOCK_HEADER } from './clock';

const withClock = (value: string) => new Request('http://localhost/', { headers: { [TEST_CLOCK_HEADER]: value } });

describe('requestTime', () => {
  it('is the real time unless the test clock is on', () => {
    const before = Date.now();
    const at = requestTime(withClock('2020-01-01T10:00:00Z'), false).getTime();
    expect(at).toBeGreaterThanOrEqual(before);
  });

  it('takes the time a test browser sends when the test clock is on', () => {
    expect(requestTime(withClock('2026-11-25T08:30:00Z'), true).toISOString()).toBe('2026-11-25T08:30:00.000Z');
  });

  it('ignores a time it cannot read', () => {
    const before = Date.now();
    expect(requestTime(withClock('next tuesday'), true).getTime()).toBeGreaterThanOrEqual(before);
  });

  it('is refused by the configuration anywhere but this machine', () => {
    expect(loadConfig({ TEST_CLOCK: '1', PUBLIC_URL: 'http://localhost:3100' }).testClock).toBe(true);
    expect(() => loadConfig({ TEST_CLOCK: '1', PUBLIC_URL: 'https://health.example.org' })).toThrow(/TEST_CLOCK/);
    expect(loadConfig({ PUBLIC_URL: 'https://health.example.org' }).testClock).toBe(false);
  });
});
