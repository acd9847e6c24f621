import { createLocalJWKSet, jwtVerify, type JSONWebKeySet, type JWTPayload } from 'jose';
import { ageOn, OWN_ACCOUNT_AGE } from '@/lib/platform/age';
import { isValidNhsNumber } from '@/lib/platform/nhs-number';
import { normalisePostcode } from '@/lib/platform/postcode';

/**
 * What the identity providers tell us about a person, turned into the identity we keep,
 * and the rules on it. We never trust the level we asked for: only the level that comes
 * back, in signed claims, counts.
 */

export const CORE_IDENTITY_CLAIM = 'https://vocab.account.gov.uk/v1/coreIdentityJWT';
/** The addresses One Login checked in the identity check (userinfo, when the claims parameter asks). */
export const ADDRESS_CLAIM = 'https://vocab.account.gov.uk/v1/address';

/** The lowest age at which someone may use the service on their own (a parent's access to their record ends then: lib/proxy). */
export const MINIMUM_AGE = OWN_ACCOUNT_AGE;

export type VerifiedIdentity = {
  givenName: string;
  familyName: string;
  /** YYYY-MM-DD */
  birthDate: string;
  nhsNumber: string | null;
  /** The postcode of the current address One Login checked ("LS1 4AP"); NHS login gives none. */
  postcode?: string;
  level: 'P2' | 'P9';
};

/** Why a sign-in that reached us is refused. */
export type Refusal = 'identity-not-proven' | 'under-16';

export type IdentityResult = { ok: true; identity: VerifiedIdentity } | { ok: false; refusal: Refusal };

const DATE = /^\d{4}-\d{2}-\d{2}$/;

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() ? value.trim() : undefined;
}

function validDate(value: unknown): string | undefined {
  if (typeof value !== 'string' || !DATE.test(value)) return undefined;
  const date = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().startsWith(value) ? value : undefined;
}

type NamePart = { type?: unknown; value?: unknown };

/**
 * The verified name and birth date in a One Login core identity credential, when its
 * vot is P2. Several given-name parts (middle names) are joined with spaces.
 */
export function coreIdentityClaims(payload: JWTPayload): IdentityResult {
  if (payload.vot !== 'P2') return { ok: false, refusal: 'identity-not-proven' };
  const subject = (payload.vc as { credentialSubject?: Record<string, unknown> } | undefined)?.credentialSubject;
  const names = subject?.name as { nameParts?: NamePart[] }[] | undefined;
  const parts = names?.[0]?.nameParts ?? [];
  const partsOf = (type: string) =>
    parts
      .filter((part) => part.type === type)
      .map((part) => text(part.value))
      .filter(Boolean)
      .join(' ');
  const birthDates = subject?.birthDate as { value?: unknown }[] | undefined;
  const givenName = partsOf('GivenName');
  const familyName = partsOf('FamilyName');
  const birthDate = validDate(birthDates?.[0]?.value);
  if (!givenName || !familyName || !birthDate) return { ok: false, refusal: 'identity-not-proven' };
  return { ok: true, identity: { givenName, familyName, birthDate, nhsNumber: null, level: 'P2' } };
}

/**
 * Verifies a core identity JWT with the keys One Login publishes in its DID document,
 * for this client and this person (the id_token's sub), then reads it.
 * Anything that does not verify means the identity is not proven.
 */
export async function verifyCoreIdentity(
  jwt: unknown,
  expected: { didDocument: unknown; issuer: string; audience: string; subject: string },
): Promise<IdentityResult> {
  if (typeof jwt !== 'string') return { ok: false, refusal: 'identity-not-proven' };
  try {
    const keys = didDocumentKeys(expected.didDocument);
    const { payload } = await jwtVerify(jwt, createLocalJWKSet(keys), {
      algorithms: ['ES256'],
      issuer: expected.issuer,
      audience: expected.audience,
      subject: expected.subject,
      requiredClaims: ['exp', 'iat', 'nbf'],
    });
    return coreIdentityClaims(payload);
  } catch {
    return { ok: false, refusal: 'identity-not-proven' };
  }
}

/**
 * One Login's answer from userinfo: the verified core identity, with the postcode of the current
 * address it checked when it sent one. The address claim is not signed like the core identity,
 * but it comes only from userinfo, over the back channel, for this person's access token.
 */
export async function oneLoginIdentity(
  userinfo: Record<string, unknown>,
  expected: { didDocument: unknown; issuer: string; audience: string; subject: string },
): Promise<IdentityResult> {
  const result = await verifyCoreIdentity(userinfo[CORE_IDENTITY_CLAIM], expected);
  if (!result.ok) return result;
  const postcode = currentPostcode(userinfo[ADDRESS_CLAIM]);
  return postcode ? { ok: true, identity: { ...result.identity, postcode } } : result;
}

type Address = { postalCode?: unknown; validFrom?: unknown; validUntil?: unknown };

/**
 * The postcode of the current address in One Login's address claim (an array of addresses, old
 * ones with validUntil): among those without validUntil, the one with the newest validFrom.
 * None when there is no current address or its postcode is not a real one: an old address is
 * never used to find someone's records.
 */
export function currentPostcode(claim: unknown): string | undefined {
  if (!Array.isArray(claim)) return undefined;
  const current = (claim as unknown[])
    .filter((address): address is Address => typeof address === 'object' && address !== null)
    .filter((address) => address.validUntil === undefined || address.validUntil === null || address.validUntil === '')
    .map((address) => ({
      from: validDate(address.validFrom) ?? '',
      postcode: typeof address.postalCode === 'string' ? normalisePostcode(address.postalCode) : null,
    }))
    .sort((a, b) => b.from.localeCompare(a.from));
  const [newest, next] = current;
  // Two current addresses from the same day that disagree: we cannot tell which is theirs.
  if (!newest?.postcode || (next && next.from === newest.from && next.postcode !== newest.postcode)) return undefined;
  return newest.postcode;
}

/** The assertion keys of a DID document as a JWK set, each with its full DID URL as kid. */
export function didDocumentKeys(document: unknown): JSONWebKeySet {
  const methods = (document as { assertionMethod?: unknown[] } | null)?.assertionMethod ?? [];
  const keys = methods.flatMap((method) => {
    const { id, publicKeyJwk } = (method ?? {}) as { id?: unknown; publicKeyJwk?: Record<string, unknown> };
    return typeof id === 'string' && publicKeyJwk ? [{ ...publicKeyJwk, kid: id }] : [];
  });
  return { keys } as JSONWebKeySet;
}

/** NHS login: proven only at P9, with name, birth date and NHS number from userinfo. */
export function nhsLoginClaims(userinfo: Record<string, unknown>): IdentityResult {
  if (userinfo.identity_proofing_level !== 'P9') return { ok: false, refusal: 'identity-not-proven' };
  const givenName = text(userinfo.given_name);
  const familyName = text(userinfo.family_name);
  const birthDate = validDate(userinfo.birthdate);
  const nhsNumber = text(userinfo.nhs_number);
  if (!givenName || !familyName || !birthDate || !nhsNumber || !isValidNhsNumber(nhsNumber, { digitsOnly: true })) {
    return { ok: false, refusal: 'identity-not-proven' };
  }
  return { ok: true, identity: { givenName, familyName, birthDate, nhsNumber, level: 'P9' } };
}

export { ageOn };

/** The last check before an account is made: old enough to use the service alone. */
export function admit(result: IdentityResult, today: Date): IdentityResult {
  if (result.ok && ageOn(result.identity.birthDate, today) < MINIMUM_AGE) return { ok: false, refusal: 'under-16' };
  return result;
}
