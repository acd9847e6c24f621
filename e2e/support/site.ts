import path from 'node:path';
import { loadConfig } from '../../lib/platform/config';

/** Where scripts/e2e-server.sh serves the app: also its PUBLIC_URL, so form posts' Origin matches. */
export const BASE_URL = 'http://localhost:3100';

/** The database scripts/e2e-server.sh creates afresh for each run. */
export const DATABASE_FILE = path.join(__dirname, '../../.tmp/e2e.db');

// The e2e server runs with the configuration defaults, so its pages carry these names.
const { service } = loadConfig({});

/** Every page title ends with this; the start page's title is exactly this. */
export const TITLE_SUFFIX = `${service.name} – ${service.organisationName}`;

export const SERVICE_NAME = service.name;
