import { SignJWT, exportJWK, generateKeyPair, type JWTPayload } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  ADDRESS_CLAIM,
  CORE_IDENTITY_CLAIM,
  admit,
  ageOn,
  coreIdentityClaims,
  currentPostcode,
  nhsLoginClaims,
  oneLoginIdentity,
  verifyCoreIdentity,
} from './claims';

const ISSUER = 'http://localhost:3200/onelogin/identity';
const DID = 'did:web:localhost%3A3200:onelogin:identity';
const KID = `${DID}#key-1`;
const AMELIA = {
  vot: 'P2',
  vtm: 'http://localhost:3200/onelogin/trustmark',
  vc: {
    credentialSubject: {
      name: [
        {
          nameParts: [
            { type: 'GivenName', value: 'Amelia' },
            { type: 'GivenName', value: 'Jane' },
            { type: 'FamilyName', value: 'Testwell' },
          ],
        },
      ],
      birthDate: [{ value: '1984-03-17' }],
    },
  },
};

let keys: Awaited<ReturnType<typeof generateKeyPair>>;
let didDocument: unknown;

beforeAll(async () => {
  keys = await generateKeyPair('ES256');
  didDocument = { id: DID, assertionMethod: [{ id: KID, type: 'JsonWebKey', controller: DID, publicKeyJwk: await exportJWK(keys.publicKey) }] };
});

async function coreIdentityJwt(payload: JWTPayload, options: { audience?: string; subject?: string; key?: CryptoKey; kid?: string } = {}) {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT(payload)
    .setProtectedHeader({ alg: 'ES256', kid: options.kid ?? KID })
    .setIssuer(ISSUER)
    .setSubject(options.subject ?? 'user-sub')
    .setAudience(options.audience ?? 'phr-onelogin')
    .setIssuedAt(now)
    .setNotBefore(now)
    .setExpirationTime(now + 3600)
    .sign(options.key ?? keys.privateKey);
}

const expected = () => ({ didDocument, issuer: ISSUER, audience: 'phr-onelogin', subject: 'user-sub' });

describe('One Login core identity', () => {
  it('takes the verified name and birth date from a P2 credential', async () => {
    const result = await verifyCoreIdentity(await coreIdentityJwt(AMELIA), expected());
    expect(result).toEqual({
      ok: true,
      identity: { givenName: 'Amelia Jane', familyName: 'Testwell', birthDate: '1984-03-17', nhsNumber: null, level: 'P2' },
    });
  });

  it('refuses a credential that is missing, for another client or person, or signed with another key', async () => {
    const other = await generateKeyPair('ES256');
    const refused = { ok: false, refusal: 'identity-not-proven' };
    expect(await verifyCoreIdentity(undefined, expected())).toEqual(refused);
    expect(await verifyCoreIdentity(await coreIdentityJwt(AMELIA, { audience: 'someone-else' }), expected())).toEqual(refused);
    expect(await verifyCoreIdentity(await coreIdentityJwt(AMELIA, { subject: 'another-person' }), expected())).toEqual(refused);
    expect(await verifyCoreIdentity(await coreIdentityJwt(AMELIA, { key: other.privateKey }), expected())).toEqual(refused);
    expect(await verifyCoreIdentity(await coreIdentityJwt(AMELIA, { kid: `${DID}#unknown` }), expected())).toEqual(refused);
    expect(await verifyCoreIdentity(await coreIdentityJwt(AMELIA), { ...expected(), didDocument: {} })).toEqual(refused);
  });

  it('counts an identity as proven only at vot P2 with a whole name and a real date', () => {
    expect(coreIdentityClaims({ ...AMELIA, vot: 'P1' })).toEqual({ ok: false, refusal: 'identity-not-proven' });
    expect(coreIdentityClaims({ vot: 'P2' })).toEqual({ ok: false, refusal: 'identity-not-proven' });
    const badDate = { ...AMELIA, vc: { credentialSubject: { ...AMELIA.vc.credentialSubject, birthDate: [{ value: '1984-02-30' }] } } };
    expect(coreIdentityClaims(badDate)).toEqual({ ok: false, refusal: 'identity-not-proven' });
  });
});

describe('One Login verified address', () => {
  const home = { buildingNumber: '14', streetName: 'EXAMPLE TERRACE', addressLocality: 'LEEDS', postalCode: 'ls62qr', validFrom: '2016-09-01' };
  const old = {
    buildingNumber: '3',
    streetName: 'SAMPLE MEWS',
    addressLocality: 'LEEDS',
    postalCode: 'LS7 3JB',
    validFrom: '2009-05-01',
    validUntil: '2016-08-31',
  };

  it('puts the postcode of the current address, written the standard way, on the verified identity', async () => {
    const userinfo = { [CORE_IDENTITY_CLAIM]: await coreIdentityJwt(AMELIA), [ADDRESS_CLAIM]: [old, home] };
    expect(await oneLoginIdentity(userinfo, expected())).toEqual({
      ok: true,
      identity: { givenName: 'Amelia Jane', familyName: 'Testwell', birthDate: '1984-03-17', nhsNumber: null, postcode: 'LS6 2QR', level: 'P2' },
    });
  });

  it('gives no postcode without an address claim, and no identity without the core identity', async () => {
    const withoutAddress = await oneLoginIdentity({ [CORE_IDENTITY_CLAIM]: await coreIdentityJwt(AMELIA) }, expected());
    expect(withoutAddress.ok && withoutAddress.identity.postcode).toBe(undefined);
    expect(await oneLoginIdentity({ [ADDRESS_CLAIM]: [home] }, expected())).toEqual({ ok: false, refusal: 'identity-not-proven' });
  });

  it('takes the current address: no validUntil, the newest validFrom', () => {
    expect(currentPostcode([old, home])).toBe('LS6 2QR');
    expect(currentPostcode([home, { ...home, postalCode: 'LS1 4AP', validFrom: '2024-01-31' }])).toBe('LS1 4AP');
    expect(currentPostcode([{ ...home, validFrom: undefined }])).toBe('LS6 2QR');
  });

  it('never uses an old address, a postcode that is not real, or one of two current addresses it cannot choose between', () => {
    expect(currentPostcode([old])).toBeUndefined();
    expect(currentPostcode([{ ...home, postalCode: 'not a postcode' }])).toBeUndefined();
    expect(currentPostcode([home, { ...home, postalCode: 'LS1 4AP' }])).toBeUndefined();
    expect(currentPostcode([home, { ...home, postalCode: 'LS6 2QR' }])).toBe('LS6 2QR');
    for (const claim of [undefined, null, 'LS6 2QR', {}, [], [null, 'x']]) expect(currentPostcode(claim)).toBeUndefined();
  });
});

describe('NHS login claims', () => {
  const p9 = { identity_proofing_level: 'P9', given_name: 'Amelia', family_name: 'Testwell', birthdate: '1984-03-17', nhs_number: '9990012377' };

  it('takes name, birth date and NHS number at P9', () => {
    expect(nhsLoginClaims(p9)).toEqual({
      ok: true,
      identity: { givenName: 'Amelia', familyName: 'Testwell', birthDate: '1984-03-17', nhsNumber: '9990012377', level: 'P9' },
    });
  });

  it('refuses a lower level, whatever else is there, and an invalid NHS number', () => {
    expect(nhsLoginClaims({ ...p9, identity_proofing_level: 'P5' })).toEqual({ ok: false, refusal: 'identity-not-proven' });
    expect(nhsLoginClaims({ ...p9, identity_proofing_level: undefined })).toEqual({ ok: false, refusal: 'identity-not-proven' });
    expect(nhsLoginClaims({ ...p9, nhs_number: '9990012378' })).toEqual({ ok: false, refusal: 'identity-not-proven' });
  });

  it('takes the NHS number only as NHS login sends it: 10 digits, no spaces', () => {
    expect(nhsLoginClaims({ ...p9, nhs_number: '9990037116' }).ok).toBe(true);
    expect(nhsLoginClaims({ ...p9, nhs_number: '999 001 2377' })).toEqual({ ok: false, refusal: 'identity-not-proven' });
    expect(nhsLoginClaims({ ...p9, nhs_number: '999-001-2377' })).toEqual({ ok: false, refusal: 'identity-not-proven' });
  });
});

describe('age', () => {
  it('counts whole years, turning on the birthday', () => {
    expect(ageOn('2010-06-15', new Date('2026-06-14T12:00:00Z'))).toBe(15);
    expect(ageOn('2010-06-15', new Date('2026-06-15T00:00:00Z'))).toBe(16);
  });

  it('refuses people under 16 and admits people of 16', () => {
    const identity = (birthDate: string) => ({
      ok: true as const,
      identity: { givenName: 'A', familyName: 'B', birthDate, nhsNumber: null, level: 'P2' as const },
    });
    const today = new Date('2026-11-23T10:00:00Z');
    expect(admit(identity('2010-11-24'), today)).toEqual({ ok: false, refusal: 'under-16' });
    expect(admit(identity('2010-11-23'), today).ok).toBe(true);
    expect(admit({ ok: false, refusal: 'identity-not-proven' }, today)).toEqual({ ok: false, refusal: 'identity-not-proven' });
  });
});
