import { createPrivateKey, randomUUID, type KeyObject } from 'node:crypto';
import { SignJWT, importJWK, type JWK } from 'jose';
import type { ClientKey } from '@/lib/platform/config';

/**
 * private_key_jwt client authentication, built here rather than by openid-client v5,
 * which puts the issuer in `aud`: One Login wants the token endpoint.
 */

const LIFETIME_SECONDS = 60;

async function signingKey(key: ClientKey): Promise<{ key: KeyObject | CryptoKey | Uint8Array; alg: string; kid: string }> {
  if ('jwk' in key) {
    const alg = key.jwk.alg ?? (key.jwk.kty === 'RSA' ? 'RS256' : 'ES256');
    return { key: await importJWK(key.jwk as JWK, alg), alg, kid: key.jwk.kid as string };
  }
  const keyObject = createPrivateKey(key.pem);
  return { key: keyObject, alg: keyObject.asymmetricKeyType === 'rsa' ? 'RS256' : 'ES256', kid: key.kid };
}

export async function clientAssertion(options: { clientId: string; tokenEndpoint: string; key: ClientKey; now?: Date }): Promise<string> {
  const { key, alg, kid } = await signingKey(options.key);
  const now = Math.floor((options.now ?? new Date()).getTime() / 1000);
  return new SignJWT({})
    .setProtectedHeader({ alg, kid, typ: 'JWT' })
    .setIssuer(options.clientId)
    .setSubject(options.clientId)
    .setAudience(options.tokenEndpoint)
    .setIssuedAt(now)
    .setExpirationTime(now + LIFETIME_SECONDS)
    .setJti(randomUUID())
    .sign(key);
}

export const CLIENT_ASSERTION_TYPE = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';
