/**
 * Development-only key pairs, made on first use and kept in .tmp/dev-keys/ (gitignored).
 *
 * The app's private_key_jwt client key lives here so that the app (which signs client
 * assertions) and the demo identity providers (which register its public half) agree
 * without anyone copying keys around. The providers' own signing keys live here too, so
 * their JWKS survive a restart and the app's cached keys stay valid.
 *
 * Never used outside development and tests: real deployments register a key made and
 * held by the deployment, never one from this folder.
 */
import { createHash, generateKeyPairSync, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { JWK } from 'jose';

export type SigningAlg = 'ES256' | 'RS256' | 'RS512';

export interface DevClientKeys {
  /** ES256 private key (JWK with kid, alg, use) for signing client assertions. */
  privateJwk: JWK;
  /** Its public half, as registered with the three demo providers. */
  publicJwk: JWK;
  kid: string;
}

/** The client key's algorithm: One Login accepts ES256 and RS256; EC keys are small and fast. */
export const DEV_CLIENT_ALG = 'ES256';

/**
 * Where the keys live. DEV_KEYS_DIR wins, because the standalone Next server runs with
 * another working directory (.next/standalone) and must still find the same files.
 */
export function devKeysDir(): string {
  return process.env.DEV_KEYS_DIR ?? path.join(process.cwd(), '.tmp', 'dev-keys');
}

export function ensureDevClientKeys(dir: string = devKeysDir()): DevClientKeys {
  const privateJwk = loadOrCreateJwk(dir, 'phr-client.es256.private.jwk.json', DEV_CLIENT_ALG);
  return { privateJwk, publicJwk: publicPart(privateJwk), kid: privateJwk.kid as string };
}

export function publicPart(jwk: JWK): JWK {
  // Every private member of EC and RSA JWKs; what is left is the public key and its metadata.
  const { d: _d, p: _p, q: _q, dp: _dp, dq: _dq, qi: _qi, ...publicJwk } = jwk;
  return publicJwk;
}

/**
 * Reads the key in `file`, or makes one. Safe when several processes start at once (app,
 * provider, test runners): each writes a private temporary file and hard-links it into
 * place, which fails if another process got there first, so every reader sees one
 * complete key.
 */
export function loadOrCreateJwk(dir: string, file: string, alg: SigningAlg): JWK {
  const target = path.join(dir, file);
  const existing = readJwk(target);
  if (existing) return existing;

  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const temporary = `${target}.${randomUUID()}.tmp`;
  fs.writeFileSync(temporary, `${JSON.stringify(generateJwk(alg), null, 2)}\n`, { mode: 0o600 });
  try {
    fs.linkSync(temporary, target);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  } finally {
    fs.unlinkSync(temporary);
  }
  const stored = readJwk(target);
  if (!stored) throw new Error(`Could not create the development key ${target}`);
  return stored;
}

function readJwk(file: string): JWK | undefined {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as JWK;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

function generateJwk(alg: SigningAlg): JWK {
  const { privateKey } = alg === 'ES256' ? generateKeyPairSync('ec', { namedCurve: 'P-256' }) : generateKeyPairSync('rsa', { modulusLength: 2048 });
  const jwk = privateKey.export({ format: 'jwk' }) as JWK;
  return { ...jwk, kid: thumbprint(jwk), alg, use: 'sig' };
}

/** RFC 7638 JWK thumbprint (SHA-256, base64url): a stable key id derived from the key itself. */
export function thumbprint(jwk: JWK): string {
  const members = jwk.kty === 'EC' ? { crv: jwk.crv, kty: jwk.kty, x: jwk.x, y: jwk.y } : { e: jwk.e, kty: jwk.kty, n: jwk.n };
  return createHash('sha256').update(JSON.stringify(members)).digest('base64url');
}
