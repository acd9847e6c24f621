import type { HumanName, Patient } from '@medplum/fhirtypes';
import { log } from '@/lib/platform/log';
import { firstWord, normalisedName } from '@/lib/platform/names';
import { NHS_NUMBER_SYSTEM, nhsNumberDigits } from '@/lib/platform/nhs-number';
import { normalisePostcode, samePostcode } from '@/lib/platform/postcode';
import { CareRecordUnavailable, careRecordClient, type CareRecordClient } from './client';

/**
 * Finding the citizen's own record in the shared care record, from what the identity provider
 * verified. Never a guess: one clear match links; anything else is said honestly, so that no
 * one is ever shown another person's record. Nothing the citizen types is used.
 */

/** What the identity provider verified about the citizen. */
export interface VerifiedPerson {
  /** From NHS login. */
  nhsNumber?: string;
  familyName: string;
  givenName: string;
  /** YYYY-MM-DD */
  birthDate: string;
  /** Of the current address GOV.UK One Login verified: never one the citizen typed. */
  postcode?: string;
}

export type RecordLink =
  /** version: the Patient's meta.versionId when it was matched, to notice later that it changed. */
  { outcome: 'linked'; patientId: string; version?: string } | { outcome: 'noMatch' } | { outcome: 'severalMatches' } | { outcome: 'unavailable' };

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

/**
 * Whether the person NHS login proved (by NHS number) is the person GOV.UK One Login proved (by
 * name, birth date and the address it checked): their records in the shared care record must be
 * one and the same. Used before joining two ways of signing in, where one provider knows the NHS
 * number and the other the address.
 */
export async function samePersonInCareRecord(
  byNhsNumber: VerifiedPerson & { nhsNumber: string },
  byAddress: VerifiedPerson & { postcode: string },
  client: CareRecordClient = careRecordClient(),
): Promise<'same' | 'not-same' | 'unavailable'> {
  const [first, second] = await Promise.all([
    findCitizensRecord({ ...byNhsNumber, postcode: undefined }, client),
    findCitizensRecord({ ...byAddress, nhsNumber: undefined }, client),
  ]);
  if (first.outcome === 'unavailable' || second.outcome === 'unavailable') return 'unavailable';
  return first.outcome === 'linked' && second.outcome === 'linked' && first.patientId === second.patientId ? 'same' : 'not-same';
}

async function byNhsNumber(person: VerifiedPerson, nhsNumber: string, client: CareRecordClient): Promise<RecordLink> {
  const found = await client.search<Patient>('Patient', { identifier: `${NHS_NUMBER_SYSTEM}|${nhsNumberDigits(nhsNumber)}` });
  const patients = found.filter(isCurrentRecord);
  if (patients.length === 0) return { outcome: 'noMatch' };
  if (patients.length > 1) return { outcome: 'severalMatches' };
  const patient = patients[0]!;
  // The NHS number alone is not enough: a mistyped or reused number must not open someone else's record.
  const mismatch = mismatchWith(person, patient);
  if (mismatch) {
    log.warn('care-record.link-mismatch', { method: 'nhs-number', mismatch });
    return { outcome: 'noMatch' };
  }
  return linkedTo(patient);
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
  const matches = found.filter((patient) => isCurrentRecord(patient) && !mismatchWith(person, patient) && livesAt(patient, postcode));
  if (matches.length === 0) return { outcome: 'noMatch' };
  if (matches.length > 1) return { outcome: 'severalMatches' };
  return linkedTo(matches[0]!);
}

function linkedTo(patient: Patient): RecordLink {
  return { outcome: 'linked', patientId: patient.id!, ...(patient.meta?.versionId ? { version: patient.meta.versionId } : {}) };
}

/** Not a record anyone should be linked to: made inactive, or merged into another (replaced-by). */
function isCurrentRecord(patient: Patient): boolean {
  return patient.active !== false && !(patient.link ?? []).some((link) => link.type === 'replaced-by');
}

/**
 * Whether a Patient matched earlier is still this person's, by what the identity provider
 * verified now: still a current record, at the version we matched, and still agreeing (the NHS
 * number, or the postcode One Login verified, with the name and birth date). Anything else means
 * looking again rather than showing a record that may no longer be theirs.
 */
export function stillMatches(person: VerifiedPerson, patient: Patient, matchedVersion: string | null): boolean {
  if (!isCurrentRecord(patient) || mismatchWith(person, patient)) return false;
  if ((patient.meta?.versionId ?? null) !== matchedVersion) return false;
  if (person.nhsNumber) {
    const digits = nhsNumberDigits(person.nhsNumber);
    return (patient.identifier ?? []).some((identifier) => identifier.system === NHS_NUMBER_SYSTEM && identifier.value === digits);
  }
  const postcode = person.postcode ? normalisePostcode(person.postcode) : null;
  return postcode !== null && livesAt(patient, postcode);
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
