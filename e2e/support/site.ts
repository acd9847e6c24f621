import path from 'node:path';
import { loadConfig } from '../../lib/platform/config';

/**
 * E2E_PORT_OFFSET (default 0) moves every e2e server, so two checkouts (git worktrees) can run
 * their end-to-end tests at the same time: app 3100+n, identity provider 3200+n, care record 3400+n,
 * the demo receivers of contact-detail changes 3500+n (care record system) and 3600+n (council),
 * the market app 3700+n, the local Notify 3800+n, and the same app in the NHS brand (BRAND=nhs) 3300+n.
 */
export const PORT_OFFSET = Number(process.env.E2E_PORT_OFFSET ?? 0);
export const APP_PORT = 3100 + PORT_OFFSET;
export const OIDC_PORT = 3200 + PORT_OFFSET;
export const CARE_RECORD_PORT = 3400 + PORT_OFFSET;
export const CARE_RECORD_RECEIVER_PORT = 3500 + PORT_OFFSET;
export const COUNCIL_RECEIVER_PORT = 3600 + PORT_OFFSET;
export const MARKET_APP_PORT = 3700 + PORT_OFFSET;
export const NOTIFY_PORT = 3800 + PORT_OFFSET;
export const NHS_APP_PORT = 3300 + PORT_OFFSET;

/** Where scripts/e2e-server.sh serves the app: also its PUBLIC_URL, so form posts' Origin matches. */
export const BASE_URL = `http://localhost:${APP_PORT}`;

/**
 * The same build served in the NHS brand (BRAND=nhs), beside the council brand's server, with the
 * same database, identity providers, care record and receivers: e2e/nhs-brand.spec.ts runs against it.
 */
export const NHS_BASE_URL = `http://localhost:${NHS_APP_PORT}`;

/** The demo identity providers (scripts/oidc-provider), started beside the app. */
export const OIDC_URL = `http://localhost:${OIDC_PORT}`;

/** The demo care record (scripts/care-record: FHIR R4, synthetic patients), started beside the app. */
export const CARE_RECORD_URL = `http://localhost:${CARE_RECORD_PORT}`;

/** The demo receivers of address and contact preference changes (scripts/receivers), one per organisation. */
export const CARE_RECORD_RECEIVER_URL = `http://localhost:${CARE_RECORD_RECEIVER_PORT}`;
export const COUNCIL_RECEIVER_URL = `http://localhost:${COUNCIL_RECEIVER_PORT}`;

/** The example market app (scripts/market-app), a SMART app on its own port, registered as bp-diary. */
export const MARKET_APP_URL = `http://localhost:${MARKET_APP_PORT}`;

/** The local GOV.UK Notify stand-in (scripts/notify): what the worker sent is at /sent. */
export const NOTIFY_URL = `http://localhost:${NOTIFY_PORT}`;

/** The development keys the app and the demo providers share (scripts/e2e-server.sh uses the same folder). */
export const DEV_KEYS_DIR = path.join(__dirname, '../../.tmp/dev-keys');

/** The database scripts/e2e-server.sh creates afresh for each run. */
export const DATABASE_FILE = path.join(__dirname, '../../.tmp/e2e.db');

// The e2e server runs with the configuration defaults, so its pages carry these names.
const { service } = loadConfig({});

/** Every page title ends with this; the start page's title is exactly this. */
export const TITLE_SUFFIX = `${service.name} – ${service.organisationName}`;

export const SERVICE_NAME = service.name;

export const ORGANISATION_NAME = service.organisationName;
