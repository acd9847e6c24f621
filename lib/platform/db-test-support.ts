// For the database tests of every capability (lib/*/*.db.test.ts): the database under test
// (SQLite or PostgreSQL, chosen by scripts/db/test-both.sh), migrated as production migrates it,
// with the app's configuration pointed at it; and registered citizens to test with.
import { afterAll, beforeAll } from 'vitest';
import { deploy } from '@/scripts/db/lib/commands';
import { resolveTarget, type Provider } from '@/scripts/db/lib/target';
import { databaseUnderTest } from '@/scripts/db/test-support';
import { reloadConfig } from './config';
import { disconnectDb } from './db';

export { citizenSessionCookie, makeCitizen, staffSessionCookie } from './testing/people';

/**
 * Call once at the top of a test file: before its tests the database under test is migrated and
 * the configuration reloaded with it (and `env`, the settings the file needs); after them, the
 * app's client is disconnected. Hooks the file registers after this run after the migration, and
 * their afterAll hooks before the disconnection.
 */
export function useDatabaseUnderTest(env: Record<string, string> = {}): { url: string; provider: Provider } {
  const target = databaseUnderTest();
  beforeAll(async () => {
    await deploy(resolveTarget(target.url));
    reloadConfig({ ...process.env, DATABASE_URL: target.url, ...env });
  });
  afterAll(async () => {
    await disconnectDb();
  });
  return target;
}
