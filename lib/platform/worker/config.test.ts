import { describe, expect, it } from 'vitest';
import { ConfigError } from '@/lib/platform/config';
import { workerSettings } from './config';

describe("the worker's settings", () => {
  it('look often enough by default for a page to see "received"', () => {
    expect(workerSettings({})).toEqual({ pollMs: 250, rollupIntervalMs: 5_000 });
    expect(workerSettings({ WORKER_POLL_MS: '1000', WORKER_ROLLUP_INTERVAL_MS: '60000' })).toEqual({ pollMs: 1_000, rollupIntervalMs: 60_000 });
  });

  it('refuse what is not a sensible number, so the worker does not start', () => {
    expect(() => workerSettings({ WORKER_POLL_MS: 'often' })).toThrow(ConfigError);
    expect(() => workerSettings({ WORKER_POLL_MS: '0' })).toThrow(/WORKER_POLL_MS/);
  });
});
