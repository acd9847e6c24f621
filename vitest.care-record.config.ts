import { defineConfig } from 'vitest/config';

// The demo care record (scripts/care-record): the generator, and the FHIR server over HTTP,
// started inside the tests on a free port.
export default defineConfig({
  test: {
    include: ['scripts/care-record/**/*.test.ts'],
    environment: 'node',
    testTimeout: 15_000,
    hookTimeout: 30_000,
    env: { LOG_LEVEL: 'silent' },
  },
});
