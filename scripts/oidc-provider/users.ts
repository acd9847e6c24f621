/**
 * Demo accounts for the demo identity providers. Every person, organisation, email
 * address, phone number and NHS number here is made up:
 * - emails use example.com / example.org (reserved for documentation, RFC 2606);
 * - phone numbers are in the 07700 900xxx range Ofcom reserves for drama;
 * - NHS numbers start 999 (never issued to patients) and pass the modulus 11 check.
 * One password for every account: it is shown on every sign-in page, so it is no secret.
 */

export const DEMO_PASSWORD = 'demo-password-1';

/** What happens when the account goes through the (pretend) identity check. */
export type IdentityCheck = 'passes' | 'not-proven' | 'fails';
/** NHS login identity proofing levels used here. */
export type NhsLoginLevel = 'P0' | 'P5' | 'P9';

export interface Citizen {
  kind: 'citizen';
  email: string;
  givenName: string;
  familyName: string;
  /** ISO 8601 date. */
  birthDate: string;
  phoneNumber: string;
  /** Subject identifiers: the same person, as each provider knows them. */
  oneLoginSub: string;
  nhsLoginSub: string;
  identityCheck: IdentityCheck;
  nhsLoginLevel: NhsLoginLevel;
  /** Only people proven to P9 have one here. */
  nhsNumber?: string;
  summary: string;
}

export type StaffRole = 'care-professional' | 'engagement-coordinator' | 'programme-admin';

export interface Organisation {
  /** ODS-style code; the ZZ prefix is not allocated to real organisations. */
  code: string;
  name: string;
}

export interface StaffMember {
  kind: 'staff';
  email: string;
  givenName: string;
  familyName: string;
  sub: string;
  roles: StaffRole[];
  organisation: Organisation;
  jobRole: string;
  summary: string;
}

/** A birth date that makes someone `years` old today, well away from a birthday. */
export function birthDateForAge(years: number, today: Date = new Date()): string {
  const date = new Date(Date.UTC(today.getUTCFullYear() - years, today.getUTCMonth(), today.getUTCDate() - 120));
  return date.toISOString().slice(0, 10);
}

export const citizens: readonly Citizen[] = [
  {
    kind: 'citizen',
    email: 'amelia.testwell@example.com',
    givenName: 'Amelia',
    familyName: 'Testwell',
    birthDate: '1984-03-17',
    phoneNumber: '+447700900101',
    oneLoginSub: 'urn:fdc:gov.uk:2022:demo-citizen-0001',
    nhsLoginSub: 'demo-nhslogin-0001',
    identityCheck: 'passes',
    nhsLoginLevel: 'P9',
    nhsNumber: '9990012377',
    summary: 'Adult with a verified identity',
  },
  {
    kind: 'citizen',
    email: 'ben.sampleton@example.com',
    givenName: 'Ben',
    familyName: 'Sampleton',
    birthDate: '1990-11-02',
    phoneNumber: '+447700900102',
    oneLoginSub: 'urn:fdc:gov.uk:2022:demo-citizen-0002',
    nhsLoginSub: 'demo-nhslogin-0002',
    identityCheck: 'not-proven',
    nhsLoginLevel: 'P5',
    summary: 'Signed in only: identity never verified',
  },
  {
    kind: 'citizen',
    email: 'chloe.testwell@example.com',
    givenName: 'Chloe',
    familyName: 'Testwell',
    birthDate: birthDateForAge(14),
    phoneNumber: '+447700900103',
    oneLoginSub: 'urn:fdc:gov.uk:2022:demo-citizen-0003',
    nhsLoginSub: 'demo-nhslogin-0003',
    identityCheck: 'passes',
    nhsLoginLevel: 'P9',
    nhsNumber: '9990037116',
    summary: 'Verified identity, aged 14 today',
  },
  {
    kind: 'citizen',
    email: 'dev.nomatch@example.com',
    givenName: 'Dev',
    familyName: 'Nomatch',
    birthDate: '1975-06-30',
    phoneNumber: '+447700900104',
    oneLoginSub: 'urn:fdc:gov.uk:2022:demo-citizen-0004',
    nhsLoginSub: 'demo-nhslogin-0004',
    identityCheck: 'fails',
    nhsLoginLevel: 'P0',
    summary: 'Identity check always fails',
  },
  {
    kind: 'citizen',
    email: 'farah.newbury@example.com',
    givenName: 'Farah',
    familyName: 'Newbury',
    birthDate: '1968-09-05',
    phoneNumber: '+447700900105',
    oneLoginSub: 'urn:fdc:gov.uk:2022:demo-citizen-0005',
    nhsLoginSub: 'demo-nhslogin-0005',
    identityCheck: 'passes',
    nhsLoginLevel: 'P9',
    nhsNumber: '9990050007',
    summary: 'Adult with a verified identity, kept for the first-time registration tests',
  },
  {
    kind: 'citizen',
    email: 'hana.printwell@example.com',
    givenName: 'Hana',
    familyName: 'Printwell',
    birthDate: '1990-02-14',
    phoneNumber: '+447700900106',
    oneLoginSub: 'urn:fdc:gov.uk:2022:demo-citizen-0006',
    nhsLoginSub: 'demo-nhslogin-0006',
    identityCheck: 'passes',
    nhsLoginLevel: 'P9',
    nhsNumber: '9990080003',
    summary: 'Adult with a verified identity, kept for the small-screen and print tests',
  },
];

const demoSurgery: Organisation = { code: 'ZZ0001', name: 'Demo Lane Surgery' };
const demoCommunityTrust: Organisation = { code: 'ZZ0002', name: 'Demo Community Health Trust' };
const demoCouncil: Organisation = { code: 'ZZ0003', name: 'Demo City Council' };

export const staff: readonly StaffMember[] = [
  {
    kind: 'staff',
    email: 'grace.practiceton@staff.example.org',
    givenName: 'Grace',
    familyName: 'Practiceton',
    sub: 'demo-staff-0001',
    roles: ['care-professional'],
    organisation: demoSurgery,
    jobRole: 'General Practitioner',
    summary: 'Care professional at a GP practice',
  },
  {
    kind: 'staff',
    email: 'omar.wardsworth@staff.example.org',
    givenName: 'Omar',
    familyName: 'Wardsworth',
    sub: 'demo-staff-0002',
    roles: ['care-professional'],
    organisation: demoCommunityTrust,
    jobRole: 'Community Nurse',
    summary: 'Care professional at a community health trust',
  },
  {
    kind: 'staff',
    email: 'priya.connector@staff.example.org',
    givenName: 'Priya',
    familyName: 'Connector',
    sub: 'demo-staff-0003',
    roles: ['engagement-coordinator'],
    organisation: demoCouncil,
    jobRole: 'Engagement Coordinator',
    summary: 'Engagement coordinator at the council',
  },
  {
    kind: 'staff',
    email: 'sam.adminson@staff.example.org',
    givenName: 'Sam',
    familyName: 'Adminson',
    sub: 'demo-staff-0004',
    roles: ['programme-admin'],
    organisation: demoCouncil,
    jobRole: 'Programme Administrator',
    summary: 'Programme administrator at the council',
  },
];

/** The proofing level One Login reaches for a citizen (GPG 45 medium confidence or none). */
export function oneLoginLevel(citizen: Citizen): 'P0' | 'P2' {
  return citizen.identityCheck === 'passes' ? 'P2' : 'P0';
}
