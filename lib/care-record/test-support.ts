import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ensureCareRecordClientKeys } from '../../scripts/care-record/client-keys';
import { startCareRecordServer, type FaultSettings, type RunningCareRecordServer } from '../../scripts/care-record/server';
import type { CareRecordConfig } from '@/lib/platform/config';

/**
 * For the care-record tests: the demo care record on a free port, with its own key pair and a
 * clock the tests can move (for the server, and separately for the client).
 */
export interface TestCareRecord {
  server: RunningCareRecordServer;
  /** Moves both clocks: the care record's and the client's. */
  clock: { offsetMs: number; serverOnlyOffsetMs: number; now: () => number };
  settings(overrides?: Partial<CareRecordConfig>): CareRecordConfig;
  setFault(fault: Partial<FaultSettings>): Promise<void>;
  close(): Promise<void>;
}

export async function startTestCareRecord(options: { accessTokenTtlSeconds?: number; dataClock?: Date } = {}): Promise<TestCareRecord> {
  const keysDir = fs.mkdtempSync(path.join(os.tmpdir(), 'care-record-client-test-'));
  const clock = { offsetMs: 0, serverOnlyOffsetMs: 0, now: () => Date.now() + clock.offsetMs };
  const server = await startCareRecordServer({
    port: 0,
    keysDir,
    accessTokenTtlSeconds: options.accessTokenTtlSeconds,
    // The synthetic record's dates count back from this (default: now).
    clock: options.dataClock,
    now: () => clock.now() + clock.serverOnlyOffsetMs,
    log: () => {},
  });
  const { privateJwk } = ensureCareRecordClientKeys(keysDir);
  return {
    server,
    clock,
    settings: (overrides = {}) => ({
      baseUrl: server.url,
      tokenUrl: server.tokenUrl,
      clientId: 'phr-care-record',
      scope: 'system/*.read system/Observation.write system/Flag.write',
      clientKey: () => ({ jwk: privateJwk }),
      timeoutMs: 1000,
      retries: 2,
      backoffMs: 5,
      maxRetryAfterMs: 50,
      cacheSeconds: 60,
      cacheEntries: 100,
      breakerFailures: 3,
      breakerCoolDownMs: 10_000,
      ...overrides,
    }),
    setFault: async (fault) => {
      const response = await fetch(`${server.url}/_faults`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(fault) });
      if (!response.ok) throw new Error(`setting the fault failed: ${response.status}`);
    },
    close: async () => {
      await server.close();
      fs.rmSync(keysDir, { recursive: true, force: true });
    },
  };
}
