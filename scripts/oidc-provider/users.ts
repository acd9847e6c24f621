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

/**
 * An address as One Login's address claim gives it (https://vocab.account.gov.uk/v1/address):
 * the current one has no validUntil. UPRNs here are made up.
 */
export interface VerifiedAddress {
  uprn?: string;
  buildingNumber?: string;
  buildingName?: string;
  subBuildingName?: string;
  streetName: string;
  addressLocality: string;
  postalCode: string;
  addressCountry: 'GB';
  /** ISO 8601 dates. */
  validFrom?: string;
  validUntil?: string;
}

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
  /** The addresses One Login checked (people it proves only), newest last; the care record has the current one. */
  addresses?: VerifiedAddress[];
  summary: string;
}

export type StaffRole = 'care-professional' | 'engagement-coordinator' | 'programme-admin' | 'proxy-verifier';

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

/** Amelia and her daughter Chloe live together: One Login verified the same address for both. */
const AMELIA_AND_CHLOE_HOME: VerifiedAddress = {
  uprn: '990000000102',
  buildingNumber: '14',
  streetName: 'Example Terrace',
  addressLocality: 'Leeds',
  postalCode: 'LS6 2QR',
  addressCountry: 'GB',
  validFrom: '2016-09-01',
};

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
    addresses: [
      {
        uprn: '990000000101',
        buildingNumber: '3',
        streetName: 'Sample Mews',
        addressLocality: 'Leeds',
        postalCode: 'LS7 3JB',
        addressCountry: 'GB',
        validFrom: '2009-05-01',
        validUntil: '2016-08-31',
      },
      AMELIA_AND_CHLOE_HOME,
    ],
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
    addresses: [AMELIA_AND_CHLOE_HOME],
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
    addresses: [
      {
        uprn: '990000000105',
        buildingNumber: '41',
        streetName: 'Prototype Close',
        addressLocality: 'Leeds',
        postalCode: 'LS17 6DN',
        addressCountry: 'GB',
        validFrom: '1998-03-14',
      },
    ],
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
    addresses: [
      {
        uprn: '990000000106',
        subBuildingName: 'Flat 2',
        buildingNumber: '9',
        streetName: 'Trial Grove',
        addressLocality: 'Leeds',
        postalCode: 'LS8 4PT',
        addressCountry: 'GB',
        validFrom: '2019-11-01',
      },
    ],
    summary: 'Adult with a verified identity, kept for the small-screen and print tests',
  },
  {
    // Nadia Blankley, born 2001-08-23, is in the demo care record at LS2 7EW. This is another
    // woman with the same name and birth date, living elsewhere: her record must never be shown.
    kind: 'citizen',
    email: 'nadia.blankley@example.com',
    givenName: 'Nadia',
    familyName: 'Blankley',
    birthDate: '2001-08-23',
    phoneNumber: '+447700900107',
    oneLoginSub: 'urn:fdc:gov.uk:2022:demo-citizen-0007',
    nhsLoginSub: 'demo-nhslogin-0007',
    identityCheck: 'passes',
    nhsLoginLevel: 'P5',
    addresses: [
      {
        uprn: '990000000107',
        buildingNumber: '5',
        streetName: 'Fixture Street',
        addressLocality: 'Leeds',
        postalCode: 'LS15 8QG',
        addressCountry: 'GB',
        validFrom: '2022-07-01',
      },
    ],
    summary: 'Verified by One Login only; same name and birth date as someone else in the care record, another address',
  },
  {
    kind: 'citizen',
    email: 'nora.parentwell@example.com',
    givenName: 'Nora',
    familyName: 'Parentwell',
    birthDate: '1983-06-21',
    phoneNumber: '+447700900131',
    oneLoginSub: 'urn:fdc:gov.uk:2022:demo-citizen-0131',
    nhsLoginSub: 'demo-nhslogin-0131',
    identityCheck: 'passes',
    nhsLoginLevel: 'P9',
    nhsNumber: '9990152004',
    addresses: [
      {
        uprn: '990000010131',
        buildingNumber: '31',
        streetName: 'Example Gardens',
        addressLocality: 'Leeds',
        postalCode: 'LS8 2HE',
        addressCountry: 'GB',
        validFrom: '2012-04-01',
      },
    ],
    summary: 'A parent: asks to act for her child (the e2e request journey with JavaScript on, checked by a proxy verifier)',
  },
  {
    kind: 'citizen',
    email: 'owen.parentwell@example.com',
    givenName: 'Owen',
    familyName: 'Parentwell',
    birthDate: '1981-10-09',
    phoneNumber: '+447700900132',
    oneLoginSub: 'urn:fdc:gov.uk:2022:demo-citizen-0132',
    nhsLoginSub: 'demo-nhslogin-0132',
    identityCheck: 'passes',
    nhsLoginLevel: 'P9',
    nhsNumber: '9990153000',
    addresses: [
      {
        uprn: '990000010132',
        buildingNumber: '33',
        streetName: 'Example Gardens',
        addressLocality: 'Leeds',
        postalCode: 'LS8 2HE',
        addressCountry: 'GB',
        validFrom: '2012-04-01',
      },
    ],
    summary: 'A parent too: the e2e request journey with JavaScript off (Nora has it on), so the two never share one draft',
  },
  {
    kind: 'citizen',
    email: 'gita.linkwell@example.com',
    givenName: 'Gita',
    familyName: 'Linkwell',
    birthDate: '1979-04-21',
    phoneNumber: '+447700900121',
    oneLoginSub: 'urn:fdc:gov.uk:2022:demo-citizen-0101',
    nhsLoginSub: 'demo-nhslogin-0101',
    identityCheck: 'passes',
    nhsLoginLevel: 'P9',
    nhsNumber: '9990111006',
    addresses: [
      {
        uprn: '990000010101',
        buildingNumber: '14',
        streetName: 'Sample Close',
        addressLocality: 'Leeds',
        postalCode: 'LS8 2HT',
        addressCountry: 'GB',
        validFrom: '2015-03-01',
      },
    ],
    summary: 'Both accounts agree: adds NHS login to her One Login account (sign-in methods tests, JavaScript on)',
  },
  {
    kind: 'citizen',
    email: 'harun.linkwell@example.com',
    givenName: 'Harun',
    familyName: 'Linkwell',
    birthDate: '1982-07-09',
    phoneNumber: '+447700900122',
    oneLoginSub: 'urn:fdc:gov.uk:2022:demo-citizen-0102',
    nhsLoginSub: 'demo-nhslogin-0102',
    identityCheck: 'passes',
    nhsLoginLevel: 'P9',
    nhsNumber: '9990112002',
    addresses: [
      {
        uprn: '990000010102',
        buildingNumber: '16',
        streetName: 'Sample Close',
        addressLocality: 'Leeds',
        postalCode: 'LS8 2HT',
        addressCountry: 'GB',
        validFrom: '2015-03-01',
      },
    ],
    summary: 'Both accounts agree: adds NHS login to his One Login account (sign-in methods tests, JavaScript off)',
  },
  {
    kind: 'citizen',
    email: 'kofi.joinwell@example.com',
    givenName: 'Kofi',
    familyName: 'Joinwell',
    birthDate: '1971-12-03',
    phoneNumber: '+447700900123',
    oneLoginSub: 'urn:fdc:gov.uk:2022:demo-citizen-0103',
    nhsLoginSub: 'demo-nhslogin-0103',
    identityCheck: 'passes',
    nhsLoginLevel: 'P9',
    nhsNumber: '9990113009',
    addresses: [
      {
        uprn: '990000010103',
        buildingNumber: '3',
        streetName: 'Fixture Walk',
        addressLocality: 'Leeds',
        postalCode: 'LS12 4PL',
        addressCountry: 'GB',
        validFrom: '2015-03-01',
      },
    ],
    summary: 'Both accounts agree: an account with each, joined into one (sign-in methods tests, JavaScript on)',
  },
  {
    kind: 'citizen',
    email: 'lena.joinwell@example.com',
    givenName: 'Lena',
    familyName: 'Joinwell',
    birthDate: '1988-02-27',
    phoneNumber: '+447700900124',
    oneLoginSub: 'urn:fdc:gov.uk:2022:demo-citizen-0104',
    nhsLoginSub: 'demo-nhslogin-0104',
    identityCheck: 'passes',
    nhsLoginLevel: 'P9',
    nhsNumber: '9990114005',
    addresses: [
      {
        uprn: '990000010104',
        buildingNumber: '5',
        streetName: 'Fixture Walk',
        addressLocality: 'Leeds',
        postalCode: 'LS12 4PL',
        addressCountry: 'GB',
        validFrom: '2015-03-01',
      },
    ],
    summary: 'Both accounts agree: an account with each, joined into one (sign-in methods tests, JavaScript off)',
  },
  {
    kind: 'citizen',
    email: 'isla.mismatch@example.com',
    givenName: 'Isla',
    familyName: 'Mismatch',
    birthDate: '1993-10-15',
    phoneNumber: '+447700900125',
    oneLoginSub: 'urn:fdc:gov.uk:2022:demo-citizen-0105',
    nhsLoginSub: 'demo-nhslogin-0105',
    identityCheck: 'passes',
    nhsLoginLevel: 'P9',
    nhsNumber: '9990115001',
    addresses: [
      {
        uprn: '990000010105',
        buildingNumber: '21',
        streetName: 'Example Row',
        addressLocality: 'Leeds',
        postalCode: 'LS9 6NE',
        addressCountry: 'GB',
        validFrom: '2015-03-01',
      },
    ],
    summary: 'Tries to add the NHS login account of someone else (Jon Otherly): refused',
  },
  {
    kind: 'citizen',
    email: 'jon.otherly@example.com',
    givenName: 'Jon',
    familyName: 'Otherly',
    birthDate: '1965-05-30',
    phoneNumber: '+447700900126',
    oneLoginSub: 'urn:fdc:gov.uk:2022:demo-citizen-0106',
    nhsLoginSub: 'demo-nhslogin-0106',
    identityCheck: 'passes',
    nhsLoginLevel: 'P9',
    nhsNumber: '9990116008',
    addresses: [
      {
        uprn: '990000010106',
        buildingNumber: '8',
        streetName: 'Example Row',
        addressLocality: 'Leeds',
        postalCode: 'LS9 6NE',
        addressCountry: 'GB',
        validFrom: '2015-03-01',
      },
    ],
    summary: 'Another person: his NHS login account cannot be added to the account of Isla Mismatch',
  },
  {
    kind: 'citizen',
    email: 'mo.appleby@example.com',
    givenName: 'Mo',
    familyName: 'Appleby',
    birthDate: '1978-02-14',
    phoneNumber: '+447700900127',
    oneLoginSub: 'urn:fdc:gov.uk:2022:demo-citizen-0127',
    nhsLoginSub: 'demo-nhslogin-0127',
    identityCheck: 'passes',
    nhsLoginLevel: 'P9',
    nhsNumber: '9990117004',
    addresses: [
      {
        uprn: '990000010127',
        buildingNumber: '10',
        streetName: 'Example Row',
        addressLocality: 'Leeds',
        postalCode: 'LS9 6NE',
        addressCountry: 'GB',
        validFrom: '2015-03-01',
      },
    ],
    summary: 'Connects apps to the record (the example market app)',
  },
  {
    kind: 'citizen',
    email: 'tess.appleby@example.com',
    givenName: 'Tess',
    familyName: 'Appleby',
    birthDate: '1981-07-09',
    phoneNumber: '+447700900128',
    oneLoginSub: 'urn:fdc:gov.uk:2022:demo-citizen-0128',
    nhsLoginSub: 'demo-nhslogin-0128',
    identityCheck: 'passes',
    nhsLoginLevel: 'P9',
    nhsNumber: '9990118000',
    addresses: [
      {
        uprn: '990000010128',
        buildingNumber: '12',
        streetName: 'Example Row',
        addressLocality: 'Leeds',
        postalCode: 'LS9 6NE',
        addressCountry: 'GB',
        validFrom: '2015-03-01',
      },
    ],
    summary: 'Connects apps too: her readings must never reach the apps of Mo Appleby',
  },
  {
    kind: 'citizen',
    email: 'rosa.closewell@example.com',
    givenName: 'Rosa',
    familyName: 'Closewell',
    birthDate: '1972-04-18',
    phoneNumber: '+447700900129',
    oneLoginSub: 'urn:fdc:gov.uk:2022:demo-citizen-0129',
    nhsLoginSub: 'demo-nhslogin-0129',
    identityCheck: 'passes',
    nhsLoginLevel: 'P9',
    nhsNumber: '9990149003',
    addresses: [
      {
        uprn: '990000010129',
        buildingNumber: '29',
        streetName: 'Prototype Close',
        addressLocality: 'Leeds',
        postalCode: 'LS17 6DN',
        addressCountry: 'GB',
        validFrom: '2009-06-01',
      },
    ],
    summary: 'Adult with a verified identity; the e2e close-your-account test registers, closes and registers again with her',
  },
  // Acting for someone else (lib/proxy): e2e/proxy-invitations.spec.ts alone uses these two.
  {
    kind: 'citizen',
    email: 'vera.invitewell@example.com',
    givenName: 'Vera',
    familyName: 'Invitewell',
    birthDate: '1948-06-21',
    phoneNumber: '+447700900151',
    oneLoginSub: 'urn:fdc:gov.uk:2022:demo-citizen-0151',
    nhsLoginSub: 'demo-nhslogin-0151',
    identityCheck: 'passes',
    nhsLoginLevel: 'P9',
    nhsNumber: '9990151008',
    addresses: [
      {
        uprn: '990000010151',
        buildingNumber: '51',
        streetName: 'Sample Gardens',
        addressLocality: 'Leeds',
        postalCode: 'LS8 2QT',
        addressCountry: 'GB',
        validFrom: '1990-04-01',
      },
    ],
    summary: 'Older adult with a verified identity who invites Walt Helpwell to act for her',
  },
  {
    kind: 'citizen',
    email: 'walt.helpwell@example.com',
    givenName: 'Walt',
    familyName: 'Helpwell',
    birthDate: '1979-09-09',
    phoneNumber: '+447700900152',
    oneLoginSub: 'urn:fdc:gov.uk:2022:demo-citizen-0152',
    nhsLoginSub: 'demo-nhslogin-0152',
    identityCheck: 'passes',
    nhsLoginLevel: 'P9',
    nhsNumber: '9990153019',
    addresses: [
      {
        uprn: '990000010152',
        buildingNumber: '12',
        streetName: 'Example Row',
        addressLocality: 'Leeds',
        postalCode: 'LS12 3AB',
        addressCountry: 'GB',
        validFrom: '2012-07-01',
      },
    ],
    summary: 'Adult with a verified identity who accepts an invitation to act for Vera Invitewell',
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
  {
    kind: 'staff',
    email: 'vera.checkley@staff.example.org',
    givenName: 'Vera',
    familyName: 'Checkley',
    sub: 'demo-staff-0005',
    roles: ['proxy-verifier'],
    organisation: demoSurgery,
    jobRole: 'Practice Manager',
    summary: 'Proxy verifier at a GP practice: checks requests from parents and attorneys to act for someone',
  },
];

/** The address One Login holds as current: no validUntil, the newest validFrom. */
export function currentAddress(citizen: Citizen): VerifiedAddress | undefined {
  return (citizen.addresses ?? []).filter((address) => !address.validUntil).sort((a, b) => (b.validFrom ?? '').localeCompare(a.validFrom ?? ''))[0];
}

/** The proofing level One Login reaches for a citizen (GPG 45 medium confidence or none). */
export function oneLoginLevel(citizen: Citizen): 'P0' | 'P2' {
  return citizen.identityCheck === 'passes' ? 'P2' : 'P0';
}
