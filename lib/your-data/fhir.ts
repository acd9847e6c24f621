import type { Bundle, BundleEntry, CodeableConcept, Condition, Observation, Patient, Reference, Resource } from '@medplum/fhirtypes';
import { communicationNeedsFlag, topThreeFlag } from '@/lib/about-me/public';
import { readingEntries, weekEntries } from '@/lib/blood-pressure/public';
import { patientAddress, patientTelecom } from '@/lib/open-platform/public';
import { NHS_NUMBER_SYSTEM } from '@/lib/platform/nhs-number';
import type { Snapshot } from './snapshot';

/**
 * The download as a FHIR R4 Bundle of type "collection", for another health app or system:
 * the person as a Patient; each blood pressure reading as a UK Core blood pressure Observation
 * (and its pulse as a heart rate one), each finished home-monitoring week as its average, built
 * by lib/blood-pressure exactly as the shared care record receives them; top three things and
 * communication needs as the Flags the care record receives (lib/about-me); long-term conditions
 * as Conditions, SNOMED CT coded when chosen from our list (as the open platform API gives them).
 *
 * A deleted reading is kept with status entered-in-error, as FHIR marks a record withdrawn.
 * Everything else in the download (sign-ins, sharing choices, who has viewed, what was sent
 * where) has no place a receiving system would use, so it is in the JSON file only.
 *
 * Each entry's fullUrl is where the service's FHIR API would answer for it, so the resources'
 * "Patient/<id>" references resolve to the Patient in the Bundle.
 */

const SNOMED = 'http://snomed.info/sct';
const CLINICAL = 'http://terminology.hl7.org/CodeSystem/condition-clinical';
const CATEGORY = 'http://terminology.hl7.org/CodeSystem/condition-category';

function patientOf(snapshot: Snapshot): Patient {
  const { person, contactDetails } = snapshot;
  const preference = contactDetails.preference;
  const telecom = preference ? patientTelecom(preference) : [];
  // Newest first: the first is where they live now.
  const address = contactDetails.addresses[0];
  return {
    resourceType: 'Patient',
    id: person.id,
    ...(person.nhsNumber ? { identifier: [{ system: NHS_NUMBER_SYSTEM, value: person.nhsNumber }] } : {}),
    active: true,
    name: [{ use: 'official', family: person.familyName, given: [person.givenName] }],
    ...(telecom.length > 0 ? { telecom } : {}),
    birthDate: person.birthDate,
    ...(address ? { address: [patientAddress(address)] } : {}),
  };
}

function readingResources(snapshot: Snapshot): Observation[] {
  const patientId = snapshot.person.id;
  return snapshot.bloodPressure.readings.flatMap((reading) => {
    const entries = readingEntries(
      reading.id,
      {
        measuredAt: new Date(reading.measuredAt),
        systolic: reading.systolic,
        diastolic: reading.diastolic,
        ...(reading.pulse === null ? {} : { pulse: reading.pulse }),
        arm: reading.arm === 'right' ? 'right' : 'left',
        sitting: reading.sitting,
      },
      patientId,
    );
    const resources = entries.flatMap((entry) => (entry.resource && entry.resourceType === 'Observation' ? [entry.resource] : []));
    return reading.deletedAt ? resources.map((resource) => ({ ...resource, status: 'entered-in-error' as const })) : resources;
  });
}

function weekResources(snapshot: Snapshot): Observation[] {
  return snapshot.bloodPressure.homeMonitoringWeeks.flatMap((week) =>
    weekEntries(
      week.id,
      {
        finishedAt: week.finishedAt ? new Date(week.finishedAt) : null,
        result: week.result,
        systolic: week.systolic,
        diastolic: week.diastolic,
        readingCount: week.readingCount,
        readings: week.readingsAveraged === null ? null : JSON.stringify(week.readingsAveraged),
      },
      snapshot.person.id,
    ).flatMap((entry) => (entry.resource && entry.resourceType === 'Observation' ? [entry.resource] : [])),
  );
}

function flagResources(snapshot: Snapshot): Resource[] {
  const { person, aboutMe } = snapshot;
  const current = aboutMe.topThreeThings[0];
  const things = Array.isArray(current?.things) ? (current.things as { title: string; description: string }[]) : [];
  const topThree = current ? topThreeFlag(things, new Date(current.savedAt), person.id, person.id) : undefined;
  const needs = aboutMe.communicationNeeds;
  const communication = needs
    ? communicationNeedsFlag(
        {
          formats: needs.formats as Parameters<typeof communicationNeedsFlag>[0]['formats'],
          interpreterLanguage: needs.interpreterLanguage,
          carerName: needs.carerName,
          carerContact: needs.carerContact,
          otherNeeds: needs.otherNeeds,
          updatedAt: new Date(needs.updatedAt),
        },
        person.id,
        person.id,
      )
    : undefined;
  return [topThree, communication].filter((flag) => flag !== undefined);
}

const active: CodeableConcept = { coding: [{ system: CLINICAL, code: 'active', display: 'Active' }] };
const problemList: CodeableConcept[] = [{ coding: [{ system: CATEGORY, code: 'problem-list-item', display: 'Problem List Item' }] }];

function conditionResources(snapshot: Snapshot): Condition[] {
  const patient: Reference<Patient> = { reference: `Patient/${snapshot.person.id}`, type: 'Patient' };
  return snapshot.aboutMe.conditions.map((condition) => ({
    resourceType: 'Condition',
    id: condition.id,
    clinicalStatus: active,
    category: problemList,
    code: condition.snomedCode
      ? { coding: [{ system: SNOMED, code: condition.snomedCode, display: condition.name }], text: condition.name }
      : { text: condition.name },
    subject: patient,
    recordedDate: condition.addedAt,
    recorder: patient,
    asserter: patient,
  }));
}

/** The snapshot as a FHIR R4 collection Bundle; `baseUrl` is the service's FHIR API (…/fhir/r4). */
export function fhirBundle(snapshot: Snapshot, baseUrl: string): Bundle {
  const resources: Resource[] = [
    patientOf(snapshot),
    ...flagResources(snapshot),
    ...conditionResources(snapshot),
    ...readingResources(snapshot),
    ...weekResources(snapshot),
  ];
  const entry: BundleEntry[] = resources.map((resource) => ({ fullUrl: `${baseUrl}/${resource.resourceType}/${resource.id}`, resource }));
  return {
    resourceType: 'Bundle',
    meta: { lastUpdated: snapshot.preparedAt },
    type: 'collection',
    timestamp: snapshot.preparedAt,
    entry,
  };
}
