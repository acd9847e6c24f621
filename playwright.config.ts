import { defineConfig } from '@playwright/test';
import {
  APP_PORT,
  BASE_URL,
  CARE_RECORD_PORT,
  CARE_RECORD_RECEIVER_PORT,
  CARE_RECORD_RECEIVER_URL,
  CARE_RECORD_URL,
  COUNCIL_RECEIVER_PORT,
  COUNCIL_RECEIVER_URL,
  DEV_KEYS_DIR,
  MARKET_APP_PORT,
  MARKET_APP_URL,
  NHS_APP_PORT,
  NHS_BASE_URL,
  NOTIFY_PORT,
  NOTIFY_URL,
  OIDC_PORT,
  OIDC_URL,
} from './e2e/support/site';

/** Specs whose tests must not run beside any other (see the serial project). */
const SERIAL_SPECS = /care-record-serial\.spec\.ts$/;
/** The NHS brand: a smoke pass through the journeys, and every page (see the nhs-js-on and nhs-js-off projects). */
const NHS_SPECS = /nhs-(brand|every-page)\.spec\.ts$/;
const NHS_SMOKE_SPEC = /nhs-brand\.spec\.ts$/;

/** What scripts/e2e-server.sh is given, for the app in either brand. */
const APP_SERVER_ENV = {
  E2E_OIDC_URL: OIDC_URL,
  E2E_CARE_RECORD_URL: CARE_RECORD_URL,
  // The serial care-record tests switch the care record's faults on and off: a short cache
  // and circuit-breaker cool-down let each see the care record as it is now.
  CARE_RECORD_CACHE_SECONDS: '1',
  CARE_RECORD_BREAKER_COOL_DOWN_SECONDS: '1',
  E2E_ADDRESS_RECEIVERS: `care-record=${CARE_RECORD_RECEIVER_URL},council=${COUNCIL_RECEIVER_URL}`,
  E2E_MARKET_APP_URL: MARKET_APP_URL,
  E2E_NOTIFY_URL: NOTIFY_URL,
};

/**
 * End-to-end tests against a production build (`npm run build` first).
 * Every spec runs twice: with JavaScript on, and off, because every journey
 * must work without it.
 */
export default defineConfig({
  testDir: 'e2e',
  outputDir: '.tmp/test-results',
  fullyParallel: true,
  // 2 cores: one for each browser worker would starve the server.
  workers: 2,
  // A flaky test is a bug to fix, not to retry.
  retries: 0,
  forbidOnly: Boolean(process.env.CI),
  // Generous: CI runs every journey on 2 busy cores, and a JS-off page's axe check loads it twice.
  // Long journeys mark themselves test.slow() (three times this). A slow test is not a failure here;
  // speed is measured by the benchmarks (scripts/bench), not by timeouts.
  timeout: 90_000,
  reporter: [['list'], ['json', { outputFile: '.tmp/results/e2e.json' }]],
  use: {
    baseURL: BASE_URL,
    browserName: 'chromium',
    // Playwright's own browser download is unreachable here: use Debian's chromium
    // (scripts/install-browser.sh).
    launchOptions: {
      executablePath: '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--disable-background-networking'],
    },
    trace: 'retain-on-failure',
  },
  projects: [
    { name: 'js-on', use: { javaScriptEnabled: true }, testIgnore: [SERIAL_SPECS, NHS_SPECS] },
    { name: 'js-off', use: { javaScriptEnabled: false }, testIgnore: [SERIAL_SPECS, NHS_SPECS] },
    // Every journey above runs in the council brand; a smoke pass runs against the same build
    // served in the NHS brand (BRAND=nhs, its own server on NHS_APP_PORT), JavaScript on and off,
    // and every page in the NHS brand is visited with JavaScript on (its HTML without JavaScript
    // is the same page, checked in-process in lib/platform/every-page.db.test.ts): a second sweep
    // with JavaScript off took 4 of CI's 45 minutes.
    { name: 'nhs-js-on', testMatch: NHS_SPECS, use: { baseURL: NHS_BASE_URL, javaScriptEnabled: true } },
    { name: 'nhs-js-off', testMatch: NHS_SMOKE_SPEC, use: { baseURL: NHS_BASE_URL, javaScriptEnabled: false } },
    // Journeys that change what every other test would see (the care record's fault mode):
    // after every other project, one at a time. They choose JavaScript on or off themselves.
    {
      name: 'serial',
      testMatch: SERIAL_SPECS,
      dependencies: ['js-on', 'js-off', 'nhs-js-on', 'nhs-js-off'],
      fullyParallel: false,
      use: { javaScriptEnabled: true },
    },
  ],
  webServer: [
    {
      command: 'bash scripts/e2e-server.sh',
      url: `${BASE_URL}/health`,
      env: { ...APP_SERVER_ENV, E2E_APP_PORT: String(APP_PORT) },
      // Always our own server: it starts from a fresh database the tests read.
      reuseExistingServer: false,
      timeout: 60_000,
      stdout: 'ignore',
      stderr: 'pipe',
    },
    {
      // The same build in the NHS brand, for e2e/nhs-brand.spec.ts. Web servers start one after
      // another in this order, so the database the server above made afresh is ready: this one
      // shares it (E2E_SHARED_DATABASE), and the worker above sends what either queues.
      command: 'bash scripts/e2e-server.sh',
      url: `${NHS_BASE_URL}/health`,
      env: { ...APP_SERVER_ENV, E2E_APP_PORT: String(NHS_APP_PORT), BRAND: 'nhs', E2E_SHARED_DATABASE: '1' },
      reuseExistingServer: false,
      timeout: 60_000,
      stdout: 'ignore',
      stderr: 'pipe',
    },
    {
      // The demo identity providers (scripts/oidc-provider), real OpenID Connect, sending
      // people back to the e2e app; they share the app's development client key.
      command: 'node_modules/.bin/tsx scripts/oidc-provider/server.ts',
      url: `${OIDC_URL}/health`,
      reuseExistingServer: false,
      timeout: 60_000,
      // Both brands' servers are the same client, sending people back to their own address.
      env: { OIDC_APP_URL: `${BASE_URL},${NHS_BASE_URL}`, OIDC_PORT: String(OIDC_PORT), DEV_KEYS_DIR: DEV_KEYS_DIR, LOG_LEVEL: 'silent' },
      stdout: 'ignore',
      stderr: 'pipe',
    },
    {
      // The city's shared care record (scripts/care-record: FHIR R4, synthetic patients). It
      // registers the app's development care-record client key in the same keys folder.
      command: 'node_modules/.bin/tsx scripts/care-record/server.ts',
      url: `${CARE_RECORD_URL}/health`,
      reuseExistingServer: false,
      timeout: 60_000,
      env: { CARE_RECORD_PORT: String(CARE_RECORD_PORT), DEV_KEYS_DIR: DEV_KEYS_DIR, LOG_LEVEL: 'silent' },
      stdout: 'ignore',
      stderr: 'pipe',
    },
    // The two organisations' systems that receive changes of address and contact preferences
    // (scripts/receivers): separate processes, as the real ones are.
    ...[
      { name: 'care record system', port: CARE_RECORD_RECEIVER_PORT, url: CARE_RECORD_RECEIVER_URL },
      { name: 'council customer record', port: COUNCIL_RECEIVER_PORT, url: COUNCIL_RECEIVER_URL },
    ].map((receiver) => ({
      command: 'node_modules/.bin/tsx scripts/receivers/address-receiver.ts',
      url: `${receiver.url}/health`,
      reuseExistingServer: false,
      timeout: 60_000,
      env: { RECEIVER_NAME: receiver.name, RECEIVER_PORT: String(receiver.port) },
      stdout: 'ignore' as const,
      stderr: 'pipe' as const,
    })),
    {
      // The example market app (scripts/market-app): a third party's SMART app, its own process.
      command: 'node_modules/.bin/tsx scripts/market-app/server.ts',
      url: `${MARKET_APP_URL}/health`,
      reuseExistingServer: false,
      timeout: 60_000,
      env: { MARKET_APP_PORT: String(MARKET_APP_PORT), MARKET_APP_URL, PHR_URL: BASE_URL },
      stdout: 'ignore',
      stderr: 'pipe',
    },
    {
      // The local GOV.UK Notify stand-in (scripts/notify): the worker sends emails and text
      // messages to it with the official client; e2e/notifications.spec.ts reads what it sent.
      command: 'node_modules/.bin/tsx scripts/notify/server.ts',
      url: `${NOTIFY_URL}/health`,
      reuseExistingServer: false,
      timeout: 60_000,
      env: { NOTIFY_SERVER_PORT: String(NOTIFY_PORT) },
      stdout: 'ignore',
      stderr: 'pipe',
    },
  ],
});
