import { LISTED_CONDITIONS } from '@/lib/about-me/public';
import { readingGuidance, VERY_HIGH } from '@/lib/blood-pressure/public';
import { readAuditEvent, searchAuditEvents } from './audit-event';
import { CARE_RECORD_SEARCH_PARAMETERS, careRecordRoutes } from './care-record';
import { createCondition, readCondition, searchConditions } from './condition';
import { readConsent, searchConsents } from './consent';
import type { FhirContext } from './context';
import type { FhirResponse } from './outcome';
import { createObservation, readObservation, searchObservations } from './observation';
import { readPatient, searchPatients } from './patient';

/**
 * The resource types the API serves and what it does with each: the router (api.ts) and the
 * CapabilityStatement are both made from this one list, so they cannot disagree.
 */

export type SearchParameterType = 'token' | 'date' | 'reference';

export type ResourceRoutes = {
  read?: (context: FhirContext, id: string) => Promise<FhirResponse>;
  search?: (context: FhirContext, query: URLSearchParams) => Promise<FhirResponse>;
  create?: (context: FhirContext) => Promise<FhirResponse>;
  searchParameters: readonly { name: string; type: SearchParameterType; documentation: string }[];
  documentation: string;
};

const patientReference = (name: string) => ({ name, type: 'reference' as const, documentation: 'Only the citizen’s own Patient; any other is refused (403)' });

/** What every type from the care record shares, after what it holds. */
const FROM_THE_CARE_RECORD = [
  'Read only, from the city’s shared care record, as the care record holds it (UK Core), with what the citizen’s own care-record pages leave out left out (entered in error, and as said above), newest first.',
  'Ids are cr-<the care record’s id>. A reference to the citizen is to their Patient here; one to another resource of a type served here is to its cr- id; any other (practitioner, organisation, location, encounter) keeps only its display, identifier and type.',
  'Paging: _count (default 20, at most 100) and _offset.',
  'Only a care record the citizen has linked on their care-record page is reached: with none, a search finds nothing (total 0) and a read is a 404.',
  'When the care record cannot answer, 503 with an OperationOutcome (transient) and Retry-After: try again later.',
].join(' ');

/** The urgent advice the web form shows for a very high reading, in one line (guidance.ts holds the words). */
function veryHighAdvice(): string {
  const advice = readingGuidance(VERY_HIGH);
  return [...advice.paragraphs, (advice.list ?? []).join('; ')].join(' ');
}

export const RESOURCES: Record<string, ResourceRoutes> = {
  Patient: {
    read: readPatient,
    search: searchPatients,
    searchParameters: [
      { name: '_id', type: 'token', documentation: 'The citizen’s own id' },
      { name: 'identifier', type: 'token', documentation: 'Their NHS number: https://fhir.nhs.uk/Id/nhs-number|<number>' },
    ],
    documentation:
      'The citizen who connected the app, at their own id, and no one else: name and date of birth as their identity provider verified them, NHS number when known, current address, the email or mobile they gave (rank 1 for the one they chose to be contacted by) and the interpreter they need. Read or search with patient/Patient.r or patient/Patient.s.',
  },
  Observation: {
    read: readObservation,
    search: searchObservations,
    create: createObservation,
    searchParameters: [
      {
        name: 'code',
        type: 'token',
        documentation:
          'Readings: http://loinc.org|85354-9 (or 85354-9), the only code held. Test results: any of the result’s codes, like http://loinc.org|3016-3',
      },
      {
        name: 'category',
        type: 'token',
        documentation:
          'laboratory (or http://terminology.hl7.org/CodeSystem/observation-category|laboratory): test results from the care record; anything else searches the readings (vital-signs)',
      },
      {
        name: 'date',
        type: 'date',
        documentation:
          'When the reading was taken, or the test’s sample (effectiveDateTime), with eq, ge, gt, le or lt; a date without an offset is on UK time',
      },
      patientReference('patient'),
      patientReference('subject'),
    ],
    documentation: [
      'The citizen’s home blood pressure readings as UK Core vital-signs blood pressure Observations (LOINC 85354-9 panel, components 8480-6 systolic and 8462-4 diastolic in mm[Hg]), newest first.',
      'A search with no code and no category returns all their readings (and never test results).',
      'Their test results from the care record: search with category=laboratory (and code, date); read at Observation/cr-<id>. These are read only:',
      FROM_THE_CARE_RECORD,
      'Paging: _count (default 20, at most 100) and _offset; follow the Bundle’s next and previous links.',
      'Create (patient/Observation.c) takes one reading: status final, code 85354-9, effectiveDateTime with a time and offset, both components in mm[Hg], bodySite (SNOMED CT 368208006 left or 368209003 right upper arm) and the observation-bodyPosition extension (SNOMED CT 33586001 sitting, or the position used). The web form’s rules apply, with its messages (422): systolic 70 to 250, diastolic 40 to 150, whole numbers, systolic higher than diastolic, not in the future, not more than 5 years ago.',
      `A reading of ${VERY_HIGH.systolic}/${VERY_HIGH.diastolic} or more is returned with interpretation HH and a note that the citizen was advised to act today: the app must show the citizen this advice when it sends one: ${veryHighAdvice()}`,
    ].join(' '),
  },
  Condition: {
    read: readCondition,
    search: searchConditions,
    create: createCondition,
    searchParameters: [
      { name: 'code', type: 'token', documentation: 'A SNOMED CT code, like http://snomed.info/sct|195967001' },
      { name: 'category', type: 'token', documentation: 'problem-list-item: all of them' },
      { name: 'clinical-status', type: 'token', documentation: 'active: all of them' },
      patientReference('patient'),
      patientReference('subject'),
    ],
    documentation: [
      'The long-term conditions the citizen told this service about, in the order they added them: active problem-list items asserted by the patient (not confirmed by a clinician here), SNOMED CT coded when chosen from our list, otherwise in their own words (code.text).',
      'Create (patient/Condition.c) takes one condition under the web form’s rules and messages (422): a SNOMED CT code from our list, or its name in code.text (100 characters at most); a condition already on their list is refused.',
      `Our list: ${LISTED_CONDITIONS.map((condition) => `${condition.code} ${condition.name}`).join('; ')}.`,
    ].join(' '),
  },
  Consent: {
    read: readConsent,
    search: searchConsents,
    searchParameters: [patientReference('patient'), { name: 'status', type: 'token', documentation: 'active: all of them' }],
    documentation:
      'The citizen’s sharing choices: for each kind of information they add (communication needs, top three things, conditions, blood pressure readings, in provision.code), whether the professionals caring for them may see it (provision.type permit or deny). A choice never made is shared by default and has no dateTime. Read and search only: the citizen changes them on the sharing page.',
  },
  AllergyIntolerance: {
    ...careRecordRoutes('AllergyIntolerance'),
    searchParameters: CARE_RECORD_SEARCH_PARAMETERS.AllergyIntolerance.map(patientReference),
    documentation: `The citizen’s allergies and intolerances. Read or search with patient/AllergyIntolerance.rs. ${FROM_THE_CARE_RECORD}`,
  },
  MedicationStatement: {
    ...careRecordRoutes('MedicationStatement'),
    searchParameters: CARE_RECORD_SEARCH_PARAMETERS.MedicationStatement.map(patientReference),
    documentation: `The citizen’s medicines, current (active, intended, on hold) and past. Read or search with patient/MedicationStatement.rs. ${FROM_THE_CARE_RECORD}`,
  },
  Immunization: {
    ...careRecordRoutes('Immunization'),
    searchParameters: CARE_RECORD_SEARCH_PARAMETERS.Immunization.map(patientReference),
    documentation: `The citizen’s vaccinations: those given (status completed). Read or search with patient/Immunization.rs. ${FROM_THE_CARE_RECORD}`,
  },
  Appointment: {
    ...careRecordRoutes('Appointment'),
    searchParameters: CARE_RECORD_SEARCH_PARAMETERS.Appointment.map(patientReference),
    documentation: `The citizen’s appointments, past, upcoming and cancelled (newest first by start). Read or search with patient/Appointment.rs. ${FROM_THE_CARE_RECORD}`,
  },
  DocumentReference: {
    ...careRecordRoutes('DocumentReference'),
    searchParameters: CARE_RECORD_SEARCH_PARAMETERS.DocumentReference.map(patientReference),
    documentation: `Letters about the citizen’s care (status current), each with its content inline: the letter as HTML, and as a PDF when the care record holds one. The HTML is the care record’s, not made safe: sanitise it before showing it. Read or search with patient/DocumentReference.rs. ${FROM_THE_CARE_RECORD}`,
  },
  AuditEvent: {
    read: readAuditEvent,
    search: searchAuditEvents,
    searchParameters: [patientReference('patient')],
    documentation:
      'Who has viewed the citizen’s information, newest first, as the citizen’s own page lists it: each look, download and emergency access by a professional, and each read and addition by an app they connected. entity.description says what, in the citizen’s words.',
  },
};
