import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { DEVELOPMENT_PARTNER_KEYS } from '../../../lib/platform/config';
import { ensureCareRecordClientKeys } from '../../care-record/client-keys';
import { ensureDevClientKeys } from '../../oidc-provider/dev-keys';

/**
 * The settings production mode requires, made up for a benchmark on this machine: the pages run
 * as in production (templates compiled once and kept) against a throwaway database.
 */
export function productionSettings(options: {
  databaseUrl: string;
  publicUrl: string;
  appSecret: string;
  /** Where the made-up keys are kept (the demo's own key files are made there if missing). */
  devKeys: string;
  /** A folder beside the throwaway database, for the audit log's anchor file. */
  scratchDir: string;
  /** The demo care-record server the care record page fetches from; none runs at a made-up address. */
  careRecordUrl?: string;
}): Record<string, string> & { NODE_ENV: 'production' } {
  return {
    NODE_ENV: 'production',
    PUBLIC_URL: options.publicUrl,
    APP_SECRET: options.appSecret,
    DATABASE_URL: options.databaseUrl,
    // Production mode requires the audit log's key and anchor file: made up, beside the throwaway database.
    AUDIT_HMAC_KEY: `bench-only-audit-${randomBytes(24).toString('hex')}`,
    AUDIT_ANCHOR_FILE: path.join(options.scratchDir, 'audit-anchors.jsonl'),
    // Production mode requires the sign-in client key; the benchmark never signs in, so the dev key will do.
    IDENTITY_CLIENT_KEY: JSON.stringify(ensureDevClientKeys(options.devKeys).privateJwk),
    CARE_RECORD_BASE_URL: options.careRecordUrl ?? 'http://127.0.0.1:9',
    CARE_RECORD_CLIENT_KEY: JSON.stringify(ensureCareRecordClientKeys(options.devKeys).privateJwk),
    // Production mode requires the receivers of contact-detail changes and a key for each: the
    // benchmark sends none, so the demo receivers' addresses and development keys will do.
    ADDRESS_RECEIVERS: 'care-record=http://localhost:3500,council=http://localhost:3600',
    PARTNER_KEYS: Object.entries(DEVELOPMENT_PARTNER_KEYS)
      .map(([organisation, secret]) => `${organisation}=${secret}`)
      .join(','),
    // Production refuses the demo address lookup unless told this is not a real service.
    ALLOW_DEMO_ADDRESS_LOOKUP: '1',
  };
}
