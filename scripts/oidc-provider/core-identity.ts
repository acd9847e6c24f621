/**
 * The demo One Login's core identity claim: a JWT signed with a key of its own (ES256),
 * separate from the id_token keys, shaped like
 * https://vocab.account.gov.uk/v1/coreIdentityJWT.
 *
 * Like One Login, the public key is published in a DID document (assertionMethod entries
 * with publicKeyJwk) at a fixed address: <issuer>/identity/.well-known/did.json. The JWT's
 * `kid` is "<DID>#<key id>". Relying parties trust that one address, never a DID resolver.
 */
import { importJWK, SignJWT, type JWK } from 'jose';
import { publicPart } from './dev-keys';
import type { Citizen } from './users';

export const CORE_IDENTITY_CLAIM = 'https://vocab.account.gov.uk/v1/coreIdentityJWT';
/** The addresses checked in the identity check: a plain JSON array in userinfo, not signed. */
export const ADDRESS_CLAIM = 'https://vocab.account.gov.uk/v1/address';

export interface CoreIdentityIssuer {
  /** `iss` of the identity JWTs. */
  issuer: string;
  didUrl: string;
  /** did:web identifier of the key's controller. */
  did: string;
  didDocument(): Record<string, unknown>;
  sign(citizen: Citizen, options: { sub: string; audience: string; trustmark: string }): Promise<string>;
}

/** Identity JWTs stay valid for an hour, long enough for the app to check them on sign-in. */
const LIFETIME_SECONDS = 3600;

export async function createCoreIdentityIssuer(oneLoginIssuer: string, privateJwk: JWK): Promise<CoreIdentityIssuer> {
  const issuer = `${oneLoginIssuer}/identity`;
  const url = new URL(issuer);
  // did:web writes the port's colon as %3A and path segments after colons.
  const did = ['did:web', encodeURIComponent(url.host), ...url.pathname.split('/').filter(Boolean)].join(':');
  const kid = `${did}#${privateJwk.kid}`;
  const key = await importJWK(privateJwk, 'ES256');
  const { kid: _kid, alg: _alg, use: _use, ...publicKeyJwk } = publicPart(privateJwk);

  return {
    issuer,
    did,
    didUrl: `${issuer}/.well-known/did.json`,
    didDocument: () => ({
      '@context': ['https://www.w3.org/ns/did/v1', 'https://w3id.org/security/jwk/v1'],
      id: did,
      assertionMethod: [{ id: kid, type: 'JsonWebKey', controller: did, publicKeyJwk }],
    }),
    async sign(citizen, { sub, audience, trustmark }) {
      const now = Math.floor(Date.now() / 1000);
      return new SignJWT({
        vot: 'P2',
        vtm: trustmark,
        vc: {
          type: ['VerifiableCredential', 'VerifiableIdentityCredential'],
          credentialSubject: {
            name: [
              {
                nameParts: [
                  { type: 'GivenName', value: citizen.givenName },
                  { type: 'FamilyName', value: citizen.familyName },
                ],
              },
            ],
            birthDate: [{ value: citizen.birthDate }],
          },
        },
      })
        .setProtectedHeader({ alg: 'ES256', kid, typ: 'JWT' })
        .setIssuer(issuer)
        .setSubject(sub)
        .setAudience(audience)
        .setIssuedAt(now)
        .setNotBefore(now)
        .setExpirationTime(now + LIFETIME_SECONDS)
        .sign(key);
    },
  };
}
