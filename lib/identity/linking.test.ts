import { describe, expect, it } from 'vitest';
import { identitiesAgree, type LinkableIdentity } from './linking';

const oneLogin: LinkableIdentity = { givenName: 'Gita Maya', familyName: 'Linkwell', birthDate: '1979-04-21', nhsNumber: null, postcode: 'LS1 4AP' };
const nhsLogin: LinkableIdentity = { givenName: 'Gita', familyName: 'Linkwell', birthDate: '1979-04-21', nhsNumber: '9990012377' };

describe('when two verified identities are one person', () => {
  it('agrees on the first given name, family name and birth date, whichever side is the account', () => {
    expect(identitiesAgree(oneLogin, nhsLogin)).toEqual({ agree: true });
    expect(identitiesAgree(nhsLogin, oneLogin)).toEqual({ agree: true });
  });

  it('ignores case, accents, middle names and spacing around hyphens and apostrophes', () => {
    expect(identitiesAgree({ ...nhsLogin, givenName: 'GÍTA', familyName: 'o ’ brien-smith' }, { ...oneLogin, familyName: "O'Brien - Smith" })).toEqual({
      agree: true,
    });
  });

  it('refuses a different first given name or family name', () => {
    expect(identitiesAgree(oneLogin, { ...nhsLogin, givenName: 'Maya' })).toEqual({ agree: false, reason: 'name' });
    expect(identitiesAgree(oneLogin, { ...nhsLogin, familyName: 'Linkwel' })).toEqual({ agree: false, reason: 'name' });
  });

  it('refuses a different birth date', () => {
    expect(identitiesAgree(oneLogin, { ...nhsLogin, birthDate: '1979-04-12' })).toEqual({ agree: false, reason: 'birth-date' });
  });

  it('refuses two different NHS numbers, and accepts the same one however it is written', () => {
    expect(identitiesAgree({ ...oneLogin, nhsNumber: '9990037116' }, nhsLogin)).toEqual({ agree: false, reason: 'nhs-number' });
    expect(identitiesAgree({ ...oneLogin, nhsNumber: '999 001 2377' }, nhsLogin)).toEqual({ agree: true });
  });

  it('compares postcodes only when both sides have one (NHS login gives none)', () => {
    expect(identitiesAgree(oneLogin, { ...nhsLogin, postcode: undefined })).toEqual({ agree: true });
    expect(identitiesAgree(oneLogin, { ...nhsLogin, postcode: 'ls14ap' })).toEqual({ agree: true });
    expect(identitiesAgree(oneLogin, { ...nhsLogin, postcode: 'LS6 1AA' })).toEqual({ agree: false, reason: 'postcode' });
  });
});
