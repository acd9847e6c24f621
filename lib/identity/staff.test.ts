import { describe, expect, it } from 'vitest';
import { hasRole, parseRoles, staffFromClaims } from './staff';
import { staffAccess, type SignedInStaff } from './staff-page';

const claims = {
  sub: 'demo-staff-0001',
  given_name: 'Grace',
  family_name: 'Practiceton',
  organisation: { code: 'ZZ0001', name: 'Demo Lane Surgery' },
  job_role: 'General Practitioner',
  roles: ['care-professional'],
};

describe('staff from the directory claims', () => {
  it('reads who they are, their organisation and their roles', () => {
    expect(staffFromClaims(claims)).toEqual({
      subject: 'demo-staff-0001',
      givenName: 'Grace',
      familyName: 'Practiceton',
      organisation: { code: 'ZZ0001', name: 'Demo Lane Surgery' },
      jobRole: 'General Practitioner',
      roles: ['care-professional'],
    });
  });

  it('drops roles this service does not know, and repeats', () => {
    const member = staffFromClaims({ ...claims, roles: ['programme-admin', 'superuser', 'programme-admin', 7] });
    expect(member?.roles).toEqual(['programme-admin']);
  });

  it('gives no roles when the claim is missing or not a list', () => {
    expect(staffFromClaims({ ...claims, roles: undefined })?.roles).toEqual([]);
    expect(staffFromClaims({ ...claims, roles: 'programme-admin' })?.roles).toEqual([]);
  });

  it('refuses claims without a subject, a name or an organisation', () => {
    expect(staffFromClaims({ ...claims, sub: '' })).toBeNull();
    expect(staffFromClaims({ ...claims, family_name: undefined })).toBeNull();
    expect(staffFromClaims({ ...claims, organisation: { code: 'ZZ0001' } })).toBeNull();
  });

  it('reads stored roles back, ignoring anything unknown', () => {
    expect(parseRoles('care-professional,made-up')).toEqual(['care-professional']);
    expect(parseRoles('')).toEqual([]);
    expect(hasRole(['engagement-coordinator'], 'programme-admin')).toBe(false);
  });
});

describe('the staff page guard', () => {
  const signedIn = (roles: SignedInStaff['roleList']) => ({ state: 'signed-in' as const, staff: { roleList: roles } as SignedInStaff });

  it('sends anyone not signed in as staff to staff sign-in', () => {
    expect(staffAccess({ state: 'signed-out' }, null)).toBe('sign-in');
    expect(staffAccess({ state: 'ended' }, 'care-professional')).toBe('sign-in');
  });

  it('lets any member of staff see pages that need no role', () => {
    expect(staffAccess(signedIn([]), null)).toBe('allowed');
  });

  it('allows a role page only to staff with that role', () => {
    expect(staffAccess(signedIn(['care-professional']), 'care-professional')).toBe('allowed');
    expect(staffAccess(signedIn(['care-professional']), 'engagement-coordinator')).toBe('forbidden');
    expect(staffAccess(signedIn([]), 'programme-admin')).toBe('forbidden');
  });
});
