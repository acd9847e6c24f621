import type { Address, ContactPoint, Patient, PatientCommunication } from '@medplum/fhirtypes';
import { readCommunicationNeeds } from '@/lib/about-me/public';
import { contactPreferencesOf, currentAddressOf } from '@/lib/contact-details/public';
import type { Db } from '@/lib/platform/db';
import { NHS_NUMBER_SYSTEM } from '@/lib/platform/nhs-number';
import { recordAppAccess } from './app-audit';
import { patientIdOf, requireScope, type FhirContext } from './context';
import { refuse, type FhirResponse } from './outcome';
import { readSearch, readTokens, searchBundle, tokenMatches, valuesOf } from './search';

/**
 * Patient: the citizen themselves, at their PHR user id, and no one else. What they hold here:
 * their verified name and date of birth (and NHS number, when their identity provider gave
 * one), their current address, their email or mobile (the one they chose to be contacted by
 * comes first: rank 1), and the interpreter they need, if any. Other communication needs
 * (large print, easy read, braille, someone to contact too) have no place in base FHIR's
 * Patient, so they are not here.
 *
 * Either patient/Patient.r or patient/Patient.s allows both read and search: there is only
 * ever the one Patient, their own.
 */

const TYPE = 'Patient';

const INTERPRETER_REQUIRED = 'http://hl7.org/fhir/StructureDefinition/patient-interpreterRequired';

const BRITISH_SIGN_LANGUAGE: PatientCommunication = {
  language: { coding: [{ system: 'urn:ietf:bcp:47', code: 'bfi', display: 'British Sign Language' }], text: 'British Sign Language' },
  preferred: true,
};

type PatientDetails = { resource: Patient; nhsNumber: string | null };

/** The citizen as a Patient; null when there is no such citizen (an account since joined to another). */
export async function patientOf(db: Db, userId: string): Promise<PatientDetails | null> {
  const user = await db.user.findUnique({ where: { id: userId }, select: { givenName: true, familyName: true, birthDate: true, nhsNumber: true } });
  if (!user) return null;
  const [preferences, address, needs] = await Promise.all([contactPreferencesOf(db, userId), currentAddressOf(db, userId), readCommunicationNeeds(db, userId)]);

  const telecom = patientTelecom(preferences);

  const communication: PatientCommunication[] = [];
  if (needs?.formats.includes('bsl-interpreter')) communication.push(BRITISH_SIGN_LANGUAGE);
  if (needs?.formats.includes('spoken-language-interpreter') && needs.interpreterLanguage) {
    communication.push({ language: { text: needs.interpreterLanguage }, preferred: true });
  }

  const resource: Patient = {
    resourceType: 'Patient',
    id: userId,
    ...(communication.length > 0 ? { extension: [{ url: INTERPRETER_REQUIRED, valueBoolean: true }] } : {}),
    ...(user.nhsNumber ? { identifier: [{ system: NHS_NUMBER_SYSTEM, value: user.nhsNumber }] } : {}),
    active: true,
    name: [{ use: 'official', family: user.familyName, given: [user.givenName] }],
    ...(telecom.length > 0 ? { telecom } : {}),
    birthDate: user.birthDate,
    ...(address ? { address: [patientAddress(address)] } : {}),
    ...(communication.length > 0 ? { communication } : {}),
  };
  return { resource, nhsNumber: user.nhsNumber };
}

export async function readPatient(context: FhirContext, id: string): Promise<FhirResponse> {
  requireScope(context, TYPE, 'r', 's');
  const { db, caller, request } = context;
  const patient = id === patientIdOf(context) ? await patientOf(db, caller.userId) : null;
  if (!patient) throw refuse.notFound(TYPE, id);
  await recordAppAccess(db, caller, { action: 'view', category: 'patient', interaction: 'read', resourceType: TYPE, id }, request.now);
  return { status: 200, body: patient.resource };
}

export const PATIENT_SEARCH_PARAMETERS = ['_id', 'identifier'] as const;

export async function searchPatients(context: FhirContext, query: URLSearchParams): Promise<FhirResponse> {
  requireScope(context, TYPE, 's', 'r');
  const { db, caller, request } = context;
  const search = readSearch(query, PATIENT_SEARCH_PARAMETERS);
  const patient = await patientOf(db, caller.userId);
  const ownId = [{ code: patientIdOf(context) }];
  const ownNhsNumber = patient?.nhsNumber ? [{ system: NHS_NUMBER_SYSTEM, code: patient.nhsNumber }] : [];
  const matches =
    patient !== null &&
    valuesOf(search, '_id').every((value) => tokenMatches(readTokens('_id', value), ownId)) &&
    valuesOf(search, 'identifier').every((value) => tokenMatches(readTokens('identifier', value), ownNhsNumber));
  const all = matches ? [patient.resource] : [];
  const resources = all.slice(search.offset, search.offset + search.count);
  await recordAppAccess(db, caller, { action: 'view', category: 'patient', interaction: 'search', resourceType: TYPE, matches: resources.length }, request.now);
  return { status: 200, body: searchBundle({ baseUrl: request.baseUrl, type: TYPE, search, total: all.length, resources, now: request.now }) };
}

/** A Patient's telecom from the citizen's contact details: the channel they chose to be contacted by ranks first. */
export function patientTelecom(preference: { channel?: string | null; email?: string | null; mobile?: string | null }): ContactPoint[] {
  const telecom: ContactPoint[] = [];
  if (preference.email) telecom.push({ system: 'email', value: preference.email, use: 'home', ...(preference.channel === 'email' ? { rank: 1 } : {}) });
  if (preference.mobile) telecom.push({ system: 'phone', value: preference.mobile, use: 'mobile', ...(preference.channel === 'text' ? { rank: 1 } : {}) });
  return telecom;
}

/** A Patient's home address from the citizen's current address. */
export function patientAddress(address: { line1: string; line2?: string | null; town: string; county?: string | null; postcode: string }): Address {
  return {
    use: 'home',
    line: [address.line1, ...(address.line2 ? [address.line2] : [])],
    city: address.town,
    ...(address.county ? { district: address.county } : {}),
    postalCode: address.postcode,
    country: 'GB',
  };
}
