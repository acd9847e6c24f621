import type { CodeableConcept, Coding, Identifier, Observation, ObservationComponent, Patient, Quantity, Reference } from '@medplum/fhirtypes';
import { isValidNhsNumber, NHS_NUMBER_SYSTEM } from '@/lib/platform/nhs-number';
import { readingCategory, VERY_HIGH } from './guidance';
import type { HomeAverage } from './home-monitoring';
import { londonIsoDateTime } from '@/lib/platform/london-time';
import type { Arm, BloodPressureReading } from './reading';

/**
 * Readings as FHIR R4 Observations for the care team, following the UK Core
 * vital-signs profiles (UKCore-Observation-VitalSigns-BloodPressure and
 * -HeartRate, which derive from the FHIR vital-signs profiles).
 *
 * Choices:
 * - The panel is coded with both LOINC 85354-9 and SNOMED CT 75367002; each
 *   component with LOINC and SNOMED CT, and the code.text the UK Core profile
 *   fixes (its slices are told apart by code.text). The UK Core profile also
 *   fixes the unit text to "millimeter of mercury", so we use that, not "mmHg".
 * - Pulse is its own heart-rate Observation (LOINC 8867-4, SNOMED CT 78564009
 *   "Pulse rate", as measured by a cuff), as the vital-signs profiles expect;
 *   it is not a component of the blood pressure panel.
 * - The home average is its own Observation coded LOINC 96607-7 "Blood pressure
 *   panel mean systolic and mean diastolic", components 96608-5 and 96609-3,
 *   with effectivePeriod. It deliberately does not carry 85354-9, so systems
 *   looking for single readings never mistake an average for one.
 * - A very high reading (180/120 or more, guidance.ts) carries interpretation HH "Critical
 *   high" (v3 ObservationInterpretation) and a note of what the citizen was told to do, so a
 *   clinician's system can pick it out.
 * - Sitting is recorded with the core observation-bodyPosition extension
 *   (SNOMED CT 33586001); "not sitting" is left out, as we do not know whether
 *   the person was standing or lying down.
 */

const LOINC = 'http://loinc.org';
const SNOMED = 'http://snomed.info/sct';
const UCUM = 'http://unitsofmeasure.org';
const CATEGORY_SYSTEM = 'http://terminology.hl7.org/CodeSystem/observation-category';
const BODY_POSITION_EXTENSION = 'http://hl7.org/fhir/StructureDefinition/observation-bodyPosition';
const MEASURED_AT_HOME = 'Measured by the patient at home';

const profiles = {
  bloodPressure: 'https://fhir.hl7.org.uk/StructureDefinition/UKCore-Observation-VitalSigns-BloodPressure',
  heartRate: 'https://fhir.hl7.org.uk/StructureDefinition/UKCore-Observation-VitalSigns-HeartRate',
  observation: 'https://fhir.hl7.org.uk/StructureDefinition/UKCore-Observation',
} as const;

const codes = {
  panel: { loinc: '85354-9', snomed: '75367002' },
  systolic: { loinc: '8480-6', snomed: '72313002' },
  diastolic: { loinc: '8462-4', snomed: '1091811000000102' },
  heartRate: { loinc: '8867-4', snomed: '78564009' },
  averagePanel: { loinc: '96607-7' },
  averageSystolic: { loinc: '96608-5' },
  averageDiastolic: { loinc: '96609-3' },
} as const;

const armSites: Record<Arm, Coding> = {
  left: { system: SNOMED, code: '368208006', display: 'Left upper arm structure' },
  right: { system: SNOMED, code: '368209003', display: 'Right upper arm structure' },
};

const SITTING = '33586001';

/** What a blood pressure Observation is recognised by, for reading one that arrives (the open platform API). */
export const bloodPressureCoding = {
  loinc: LOINC,
  snomed: SNOMED,
  ucum: UCUM,
  categorySystem: CATEGORY_SYSTEM,
  bodyPositionExtension: BODY_POSITION_EXTENSION,
  panel: codes.panel,
  systolic: codes.systolic,
  diastolic: codes.diastolic,
  arms: { left: armSites.left.code!, right: armSites.right.code! },
  sitting: SITTING,
} as const;

/** The patient, by FHIR id, NHS number, or both. */
export type PatientIdentity = { id: string; nhsNumber?: string } | { id?: string; nhsNumber: string };

/** A saved reading: the id, when given, becomes the Observation's id. */
/**
 * A reading as kept: `enteredBy` when someone acting for the citizen typed it in (lib/proxy), so a
 * professional reading it in the care record knows who did.
 */
export type SavedReading = BloodPressureReading & { id?: string; enteredBy?: EnteredBy };
export type EnteredBy = { name: string; relationship: string | null };

/** Who typed a reading in for the citizen, as professionals see it: "Sam Jones (daughter)". */
export function enteredByText(enteredBy: EnteredBy): string {
  return `${enteredBy.name} (${(enteredBy.relationship ?? 'acting for them').toLowerCase()})`;
}

function patientReference(patient: PatientIdentity): Reference<Patient> {
  const identifier: Identifier | undefined = patient.nhsNumber ? { system: NHS_NUMBER_SYSTEM, value: patient.nhsNumber } : undefined;
  return {
    ...(patient.id ? { reference: `Patient/${patient.id}` } : {}),
    ...(identifier ? { identifier } : {}),
    type: 'Patient',
  };
}

const INTERPRETATION_SYSTEM = 'http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation';
export const criticalHigh: CodeableConcept = { coding: [{ system: INTERPRETATION_SYSTEM, code: 'HH', display: 'Critical high' }], text: 'Very high' };
export const high: CodeableConcept = { coding: [{ system: INTERPRETATION_SYSTEM, code: 'H', display: 'High' }], text: 'High' };
const VERY_HIGH_ADVICE = `Very high (${VERY_HIGH.systolic}/${VERY_HIGH.diastolic} or more): the patient was advised to contact their GP practice today, or 999 with symptoms`;

const vitalSigns: CodeableConcept[] = [{ coding: [{ system: CATEGORY_SYSTEM, code: 'vital-signs', display: 'Vital Signs' }] }];

const millimetresOfMercury = (value: number): Quantity => ({ value, unit: 'millimeter of mercury', system: UCUM, code: 'mm[Hg]' });

function component(text: string, coding: Coding[], value: number): ObservationComponent {
  return { code: { coding, text }, valueQuantity: millimetresOfMercury(value) };
}

function measuredByPatient(patient: PatientIdentity, enteredBy?: SavedReading['enteredBy']) {
  const reference = patientReference(patient);
  const typedInBy = enteredBy
    ? [
        {
          authorString: enteredBy.name,
          text: `Typed in by ${enteredByText(enteredBy)}, who acts for the patient`,
        },
      ]
    : [];
  return { subject: reference, performer: [reference], note: [{ text: MEASURED_AT_HOME }, ...typedInBy] };
}

export function bloodPressureObservation(reading: SavedReading, patient: PatientIdentity): Observation {
  const veryHigh = readingCategory(reading) === 'very-high';
  const byPatient = measuredByPatient(patient, reading.enteredBy);
  return {
    resourceType: 'Observation',
    ...(reading.id ? { id: reading.id } : {}),
    meta: { profile: [profiles.bloodPressure] },
    ...(reading.sitting
      ? {
          extension: [{ url: BODY_POSITION_EXTENSION, valueCodeableConcept: { coding: [{ system: SNOMED, code: SITTING, display: 'Sitting position' }] } }],
        }
      : {}),
    status: 'final',
    category: vitalSigns,
    code: {
      coding: [
        { system: LOINC, code: codes.panel.loinc, display: 'Blood pressure panel with all children optional' },
        { system: SNOMED, code: codes.panel.snomed, display: 'Blood pressure' },
      ],
      text: 'Blood pressure',
    },
    effectiveDateTime: londonIsoDateTime(reading.measuredAt),
    ...byPatient,
    ...(veryHigh ? { interpretation: [criticalHigh], note: [...byPatient.note, { text: VERY_HIGH_ADVICE }] } : {}),
    bodySite: { coding: [armSites[reading.arm]] },
    component: [
      component(
        'Systolic blood pressure',
        [
          { system: LOINC, code: codes.systolic.loinc, display: 'Systolic blood pressure' },
          { system: SNOMED, code: codes.systolic.snomed, display: 'Systolic arterial pressure' },
        ],
        reading.systolic,
      ),
      component(
        'Diastolic blood pressure',
        [
          { system: LOINC, code: codes.diastolic.loinc, display: 'Diastolic blood pressure' },
          { system: SNOMED, code: codes.diastolic.snomed, display: 'Diastolic arterial pressure' },
        ],
        reading.diastolic,
      ),
    ],
  };
}

/** The pulse taken with a reading, or undefined when none was entered. */
export function pulseObservation(reading: SavedReading, patient: PatientIdentity): Observation | undefined {
  if (reading.pulse === undefined) return undefined;
  return {
    resourceType: 'Observation',
    ...(reading.id ? { id: `${reading.id}-pulse` } : {}),
    meta: { profile: [profiles.heartRate] },
    status: 'final',
    category: vitalSigns,
    code: {
      coding: [
        { system: LOINC, code: codes.heartRate.loinc, display: 'Heart rate' },
        { system: SNOMED, code: codes.heartRate.snomed, display: 'Pulse rate' },
      ],
      text: 'Pulse rate',
    },
    effectiveDateTime: londonIsoDateTime(reading.measuredAt),
    ...measuredByPatient(patient, reading.enteredBy),
    valueQuantity: { value: reading.pulse, unit: 'beats/minute', system: UCUM, code: '/min' },
  };
}

/**
 * A home-monitoring week's average (see home-monitoring.ts). `readingIds`, when
 * known, link it to the readings it was worked out from.
 */
export function homeAverageObservation(average: HomeAverage, patient: PatientIdentity, readingIds: readonly string[] = []): Observation {
  const { note, ...byPatient } = measuredByPatient(patient);
  return {
    resourceType: 'Observation',
    meta: { profile: [profiles.observation] },
    status: 'final',
    category: vitalSigns,
    code: {
      coding: [{ system: LOINC, code: codes.averagePanel.loinc, display: 'Blood pressure panel mean systolic and mean diastolic' }],
      text: 'Average home blood pressure',
    },
    effectivePeriod: { start: londonIsoDateTime(average.from), end: londonIsoDateTime(average.to) },
    ...byPatient,
    note: [
      ...note,
      {
        text: `Average of ${average.readingCount} readings from a home monitoring week, first day left out (NICE NG136), rounded to whole mmHg`,
      },
    ],
    ...(readingIds.length > 0 ? { derivedFrom: readingIds.map((id) => ({ reference: `Observation/${id}` })) } : {}),
    component: [
      component(
        'Systolic blood pressure mean',
        [{ system: LOINC, code: codes.averageSystolic.loinc, display: 'Systolic blood pressure mean' }],
        average.systolic,
      ),
      component(
        'Diastolic blood pressure mean',
        [{ system: LOINC, code: codes.averageDiastolic.loinc, display: 'Diastolic blood pressure mean' }],
        average.diastolic,
      ),
    ],
  };
}

// --- Checking: the structural rules the profiles demand, for tests and for anything received back. ---

const ISO_WITH_OFFSET = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;

const hasCoding = (concept: CodeableConcept | undefined, system: string, code: string) =>
  concept?.coding?.some((coding) => coding.system === system && coding.code === code) ?? false;

function checkQuantity(quantity: Quantity | undefined, where: string, unit: { code: string; text?: string }, problems: string[]) {
  if (!quantity) return void problems.push(`${where}: valueQuantity is required`);
  if (typeof quantity.value !== 'number' || !Number.isFinite(quantity.value)) problems.push(`${where}: value must be a number`);
  if (quantity.system !== UCUM) problems.push(`${where}: unit system must be ${UCUM}`);
  if (quantity.code !== unit.code) problems.push(`${where}: unit code must be ${unit.code}`);
  if (unit.text !== undefined && quantity.unit !== unit.text) problems.push(`${where}: unit must be "${unit.text}"`);
}

function checkReference(reference: Reference | undefined, where: string, problems: string[]) {
  if (!reference || (!reference.reference && !reference.identifier)) return void problems.push(`${where} is required`);
  if (reference.reference !== undefined && !/^Patient\/[A-Za-z0-9\-.]{1,64}$/.test(reference.reference)) problems.push(`${where} must refer to a Patient`);
  const identifier = reference.identifier;
  if (identifier && (identifier.system !== NHS_NUMBER_SYSTEM || !isValidNhsNumber(identifier.value ?? '', { digitsOnly: true })))
    problems.push(`${where} identifier must be a valid 10-digit NHS number with system ${NHS_NUMBER_SYSTEM}`);
}

function checkComponents(observation: Observation, expected: { text: string; loinc: string; snomed?: string }[], problems: string[]) {
  const components = observation.component ?? [];
  if (components.length !== expected.length) problems.push(`component: expected ${expected.length}, found ${components.length}`);
  for (const want of expected) {
    const found = components.filter((c) => hasCoding(c.code, LOINC, want.loinc));
    if (found.length !== 1) {
      problems.push(`component ${want.loinc}: expected exactly 1, found ${found.length}`);
      continue;
    }
    const match = found[0]!;
    if (match.code.text !== want.text) problems.push(`component ${want.loinc}: code.text must be "${want.text}"`);
    if (want.snomed && !hasCoding(match.code, SNOMED, want.snomed)) problems.push(`component ${want.loinc}: SNOMED CT ${want.snomed} is missing`);
    checkQuantity(match.valueQuantity, `component ${want.loinc}`, { code: 'mm[Hg]', text: 'millimeter of mercury' }, problems);
  }
}

/**
 * Problems with one of our Observations, as short technical messages; empty
 * when it is sound. Covers what the FHIR vital-signs and UK Core profiles
 * require (status, category, codes, subject, effective time, components and
 * units), not every rule of the full profile validation.
 */
export function observationProblems(observation: Observation): string[] {
  const problems: string[] = [];
  if (observation.resourceType !== 'Observation') problems.push('resourceType must be Observation');
  if (!['final', 'amended', 'corrected', 'preliminary', 'registered', 'cancelled', 'entered-in-error', 'unknown'].includes(observation.status))
    problems.push('status is required and must be a FHIR observation status');
  if (!observation.category?.some((category) => hasCoding(category, CATEGORY_SYSTEM, 'vital-signs'))) problems.push('category must include vital-signs');
  const codings = [observation.code?.coding ?? [], ...(observation.component ?? []).map((c) => c.code?.coding ?? [])].flat();
  if (codings.length === 0 || codings.some((coding) => !coding.system || !coding.code)) problems.push('every coding needs a system and a code');
  checkReference(observation.subject, 'subject', problems);
  if (!observation.performer?.length) problems.push('performer is required');
  for (const [index, performer] of (observation.performer ?? []).entries()) checkReference(performer, `performer[${index}]`, problems);

  const isAverage = hasCoding(observation.code, LOINC, codes.averagePanel.loinc);
  if (isAverage) {
    const period = observation.effectivePeriod;
    if (!period?.start || !ISO_WITH_OFFSET.test(period.start) || !period.end || !ISO_WITH_OFFSET.test(period.end))
      problems.push('effectivePeriod needs a start and an end, with times and offsets');
    else if (Date.parse(period.start) > Date.parse(period.end)) problems.push('effectivePeriod must not end before it starts');
  } else if (!observation.effectiveDateTime || !ISO_WITH_OFFSET.test(observation.effectiveDateTime)) {
    problems.push('effectiveDateTime is required, with a time and an offset');
  }

  if (hasCoding(observation.code, LOINC, codes.panel.loinc)) {
    if (!hasCoding(observation.code, SNOMED, codes.panel.snomed)) problems.push(`code: SNOMED CT ${codes.panel.snomed} is missing`);
    if (observation.valueQuantity) problems.push('a blood pressure panel has no value of its own, only components');
    checkComponents(
      observation,
      [
        { text: 'Systolic blood pressure', loinc: codes.systolic.loinc, snomed: codes.systolic.snomed },
        { text: 'Diastolic blood pressure', loinc: codes.diastolic.loinc, snomed: codes.diastolic.snomed },
      ],
      problems,
    );
  } else if (hasCoding(observation.code, LOINC, codes.heartRate.loinc)) {
    if (observation.component?.length) problems.push('a heart rate has no components');
    checkQuantity(observation.valueQuantity, 'valueQuantity', { code: '/min' }, problems);
  } else if (isAverage) {
    checkComponents(
      observation,
      [
        { text: 'Systolic blood pressure mean', loinc: codes.averageSystolic.loinc },
        { text: 'Diastolic blood pressure mean', loinc: codes.averageDiastolic.loinc },
      ],
      problems,
    );
  } else {
    problems.push('code must be a blood pressure panel, a heart rate or an average blood pressure');
  }
  return problems;
}
