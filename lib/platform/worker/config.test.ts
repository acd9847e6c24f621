import { describe, expect, it } from 'vitest';
import { ConfigError } from '@/lib/platform/config';
import { workerSettings } from './config';

describe("the worker's settings", () => {
  it('look often enough by default for a page to see "received"', () => {
    expect(workerSettings({})).toMatchObject({ pollMs: 250, rollupIntervalMs: 5_000 });
    expect(workerSettings({ WORKER_POLL_MS: '1000', WORKER_ROLLUP_INTERVAL_MS: '60000' })).toMatchObject({ pollMs: 1_000, rollupIntervalMs: 60_000 });
  });

  it('apply retention hourly unless told otherwise', () => {
    expect(workerSettings({}).retentionIntervalMs).toBe(3_600_000);
    expect(workerSettings({ WORKER_RETENTION_INTERVAL_MS: '600000' }).retentionIntervalMs).toBe(600_000);
    expect(() => workerSettings({ WORKER_RETENTION_INTERVAL_MS: '10' })).toThrow(/WORKER_RETENTION_INTERVAL_MS/);
    expect(() => workerSettings({ WORKER_RETENTION_INTERVAL_MS: 'hourly' })).toThrow(ConfigError);
  });

  it('count invitations again every five minutes unless told otherwise', () => {
    expect(workerSettings({}).invitationCountsIntervalMs).toBe(300_000);
    expect(workerSettings({ WORKER_INVITATION_COUNTS_INTERVAL_MS: '60000' }).invitationCountsIntervalMs).toBe(60_000);
    expect(() => workerSettings({ WORKER_INVITATION_COUNTS_INTERVAL_MS: '999' })).toThrow(/WORKER_INVITATION_COUNTS_INTERVAL_MS/);
    expect(() => workerSettings({ WORKER_INVITATION_COUNTS_INTERVAL_MS: 'often' })).toThrow(ConfigError);
  });

  it('refuse what is not a sensible number, so the worker does not start', () => {
    expect(() => workerSettings({ WORKER_POLL_MS: 'often' })).toThrow(ConfigError);
    expect(() => workerSettings({ WORKER_POLL_MS: '0' })).toThrow(/WORKER_POLL_MS/);
  });
});
