import type { HumanName, Patient } from '@medplum/fhirtypes';
import { log } from '@/lib/platform/log';
import { NHS_NUMBER_SYSTEM, nhsNumberDigits } from '@/lib/platform/nhs-number';
import { normalisePostcode, samePostcode } from '@/lib/platform/postcode';
import { CareRecordUnavailable, careRecordClient, type CareRecordClient } from './client';

/**
 * Finding the citizen's own record in the shared care record, from what the identity provider
 * verified. Never a guess: one clear match links; anything else is said honestly, so that no
 * one is ever shown another person's record.
 */

/** What the identity provider verified about the citizen. */
export interface VerifiedPerson {
  nhsNumber?: string;
  familyName: string;
  givenName: string;
  /** YYYY-MM-DD */
  birthDate: string;
  postcode?: string;
}

export type RecordLink = { outcome: 'linked'; patientId: string } | { outcome: 'noMatch' } | { outcome: 'severalMatches' } | { outcome: 'unavailable' };

type Method = 'nhs-number' | 'demographics';
type Mismatch = 'birth-date' | 'family-name' | 'given-name';

export async function findCitizensRecord(person: VerifiedPerson, client: CareRecordClient = careRecordClient()): Promise<RecordLink> {
  const method: Method = person.nhsNumber ? 'nhs-number' : 'demographics';
  let link: RecordLink;
  try {
    link = person.nhsNumber ? await byNhsNumber(person, person.nhsNumber, client) : await byDemographics(person, client);
  } catch (error) {
    if (!(error instanceof CareRecordUnavailable)) throw error;
    link = { outcome: 'unavailable' };
  }
  log.info('care-record.link', { method, outcome: link.outcome });
  return link;
}

async function byNhsNumber(person: VerifiedPerson, nhsNumber: string, client: CareRecordClient): Promise<RecordLink> {
  const found = await client.search<Patient>('Patient', { identifier: `${NHS_NUMBER_SYSTEM}|${nhsNumberDigits(nhsNumber)}` });
  const patients = found.filter((patient) => patient.active !== false);
  if (patients.length === 0) return { outcome: 'noMatch' };
  if (patients.length > 1) return { outcome: 'severalMatches' };
  const patient = patients[0]!;
  // The NHS number alone is not enough: a mistyped or reused number must not open someone else's record.
  const mismatch = mismatchWith(person, patient);
  if (mismatch) {
    log.warn('care-record.link-mismatch', { method: 'nhs-number', mismatch });
    return { outcome: 'noMatch' };
  }
  return { outcome: 'linked', patientId: patient.id! };
}

async function byDemographics(person: VerifiedPerson, client: CareRecordClient): Promise<RecordLink> {
  // Not a real postcode: nothing to look for, and never a guess.
  const postcode = person.postcode ? normalisePostcode(person.postcode) : null;
  if (!postcode) return { outcome: 'noMatch' };
  // The search matches names from their start; the exact comparison is ours, below.
  const found = await client.search<Patient>('Patient', {
    family: person.familyName,
    given: firstWord(person.givenName),
    birthdate: person.birthDate,
    'address-postalcode': postcode,
  });
  const matches = found.filter((patient) => patient.active !== false && !mismatchWith(person, patient) && livesAt(patient, postcode));
  if (matches.length === 0) return { outcome: 'noMatch' };
  if (matches.length > 1) return { outcome: 'severalMatches' };
  return { outcome: 'linked', patientId: matches[0]!.id! };
}

function mismatchWith(person: VerifiedPerson, patient: Patient): Mismatch | undefined {
  if (patient.birthDate !== person.birthDate) return 'birth-date';
  const names = patient.name ?? [];
  if (!names.some((name) => same(name.family, person.familyName))) return 'family-name';
  if (!names.some((name) => givenMatches(name, person.givenName))) return 'given-name';
  return undefined;
}

/** First given names must agree: systems differ in whether they hold middle names. */
function givenMatches(name: HumanName, givenName: string): boolean {
  const first = name.given?.[0];
  return first !== undefined && same(firstWord(first), firstWord(givenName));
}

function livesAt(patient: Patient, postcode: string): boolean {
  return (patient.address ?? []).some((address) => address.use !== 'old' && !address.period?.end && samePostcode(address.postalCode ?? '', postcode));
}

function same(a: string | undefined, b: string): boolean {
  return a !== undefined && normalisedName(a) === normalisedName(b);
}

/** Case, accents, and spacing around hyphens and apostrophes differ between systems; the name does not. */
function normalisedName(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[’`]/g, "'")
    .replace(/\s*([-'])\s*/g, '$1')
    .replace(/\s+/g, ' ')
    .trim();
}

function firstWord(text: string): string {
  return text.trim().split(/\s+/)[0] ?? text;
}
