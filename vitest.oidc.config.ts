import { defineConfig } from 'vitest/config';

// The demo OpenID providers (scripts/oidc-provider): real flows over HTTP against a server
// started inside the tests on a free port.
export default defineConfig({
  test: {
    include: ['scripts/oidc-provider/**/*.test.ts'],
    environment: 'node',
    testTimeout: 15_000,
    hookTimeout: 30_000,
    env: { LOG_LEVEL: 'silent' },
  },
});
