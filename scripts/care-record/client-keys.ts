/**
 * The development key pair the app uses to authenticate to the demo care record
 * (SMART backend services: private_key_jwt, ES256). Made on first use in .tmp/dev-keys/
 * (gitignored), next to the identity providers' keys and in the same safe way; a separate
 * key, because a real care record and the identity providers never share a client key.
 *
 * Development and tests only: a real deployment registers a key made and held by the
 * deployment with the care record's operator.
 */
import type { JWK } from 'jose';
import { devKeysDir, loadOrCreateJwk, publicPart } from '../oidc-provider/dev-keys';

/** The client id the demo care record registers for the app. */
export const CARE_RECORD_CLIENT_ID = 'phr-care-record';

export interface CareRecordClientKeys {
  privateJwk: JWK;
  publicJwk: JWK;
  kid: string;
}

export function ensureCareRecordClientKeys(dir: string = devKeysDir()): CareRecordClientKeys {
  const privateJwk = loadOrCreateJwk(dir, 'phr-care-record-client.es256.private.jwk.json', 'ES256');
  return { privateJwk, publicJwk: publicPart(privateJwk), kid: privateJwk.kid as string };
}
