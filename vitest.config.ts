import path from 'node:path';
import { defineConfig } from 'vitest/config';

// Unit and integration tests that need no database server: lib/**/*.test.ts.
// Database tests (*.db.test.ts) run under vitest.db.config.ts, once per database.
export default defineConfig({
  resolve: { alias: { '@': path.resolve(__dirname) } },
  test: {
    include: ['lib/**/*.test.ts', 'scripts/**/*.test.ts'],
    exclude: ['**/*.db.test.ts', 'scripts/db/**', 'scripts/oidc-provider/**', 'scripts/care-record/**', 'scripts/instances/**', 'node_modules/**'],
    env: { LOG_LEVEL: 'silent' },
  },
});
