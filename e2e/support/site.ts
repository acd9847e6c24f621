import path from 'node:path';
import { loadConfig } from '../../lib/platform/config';

/** Where scripts/e2e-server.sh serves the app: also its PUBLIC_URL, so form posts' Origin matches. */
export const BASE_URL = 'http://localhost:3100';

/** The demo identity providers (scripts/oidc-provider), started beside the app. */
export const OIDC_URL = 'http://localhost:3200';

/** The development keys the app and the demo providers share (scripts/e2e-server.sh uses the same folder). */
export const DEV_KEYS_DIR = path.join(__dirname, '../../.tmp/dev-keys');

/** The database scripts/e2e-server.sh creates afresh for each run. */
export const DATABASE_FILE = path.join(__dirname, '../../.tmp/e2e.db');

// The e2e server runs with the configuration defaults, so its pages carry these names.
const { service } = loadConfig({});

/** Every page title ends with this; the start page's title is exactly this. */
export const TITLE_SUFFIX = `${service.name} – ${service.organisationName}`;

export const SERVICE_NAME = service.name;
