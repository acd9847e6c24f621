import path from 'node:path';
import { defineConfig } from 'vitest/config';

// Several instances of the production build and the worker on one PostgreSQL database
// (scripts/instances): run by scripts/test.sh after the build.
export default defineConfig({
  resolve: { alias: { '@': path.resolve(__dirname) } },
  test: {
    include: ['scripts/instances/**/*.test.ts'],
    environment: 'node',
    fileParallelism: false,
    testTimeout: 90_000,
    hookTimeout: 180_000,
    env: { LOG_LEVEL: 'silent' },
  },
});
