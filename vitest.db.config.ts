import path from 'node:path';
import { defineConfig } from 'vitest/config';

// Database tests, run once per database by scripts/db/test-both.sh with DATABASE_URL set.
export default defineConfig({
  resolve: { alias: { '@': path.resolve(__dirname) } },
  test: {
    include: ['lib/**/*.db.test.ts', 'scripts/db/**/*.test.ts'],
    // Files share one database server and spawn the migrate CLI: one at a time on 2 cores.
    fileParallelism: false,
    testTimeout: 120_000,
    hookTimeout: 60_000,
    env: { LOG_LEVEL: 'silent' },
  },
});
