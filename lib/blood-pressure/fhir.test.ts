import type { Observation } from '@medplum/fhirtypes';
import { describe, expect, it } from 'vitest';
import { NHS_NUMBER_SYSTEM } from '@/lib/platform/nhs-number';
import { bloodPressureObservation, homeAverageObservation, observationProblems, pulseObservation, type SavedReading } from './fhir';

const reading: SavedReading = {
  id: 'reading-1',
  systolic: 142,
  diastolic: 91,
  pulse: 68,
  measuredAt: new Date('2026-07-01T07:30:00Z'),
  arm: 'left',
  sitting: true,
};
const patient = { id: 'citizen-7', nhsNumber: '9000000009' };

const coding = (system: string, code: string) => expect.objectContaining({ system, code });

describe('a reading as a FHIR blood pressure Observation', () => {
  const observation = bloodPressureObservation(reading, patient);

  it('passes the structural checks', () => {
    expect(observationProblems(observation)).toEqual([]);
  });

  it('is a final vital sign coded with LOINC and SNOMED CT', () => {
    expect(observation.resourceType).toBe('Observation');
    expect(observation.id).toBe('reading-1');
    expect(observation.status).toBe('final');
    expect(observation.meta?.profile).toEqual(['https://fhir.hl7.org.uk/StructureDefinition/UKCore-Observation-VitalSigns-BloodPressure']);
    expect(observation.category?.[0]?.coding).toEqual([coding('http://terminology.hl7.org/CodeSystem/observation-category', 'vital-signs')]);
    expect(observation.code.coding).toEqual([coding('http://loinc.org', '85354-9'), coding('http://snomed.info/sct', '75367002')]);
  });

  it('has systolic and diastolic components in mm[Hg]', () => {
    const [systolic, diastolic] = observation.component ?? [];
    expect(systolic?.code.coding).toEqual([coding('http://loinc.org', '8480-6'), coding('http://snomed.info/sct', '72313002')]);
    expect(systolic?.valueQuantity).toEqual({ value: 142, unit: 'millimeter of mercury', system: 'http://unitsofmeasure.org', code: 'mm[Hg]' });
    expect(diastolic?.code.coding).toEqual([coding('http://loinc.org', '8462-4'), coding('http://snomed.info/sct', '1091811000000102')]);
    expect(diastolic?.valueQuantity).toMatchObject({ value: 91, code: 'mm[Hg]' });
    expect(observation.valueQuantity).toBeUndefined();
  });

  it('names the patient as subject and performer, with their NHS number', () => {
    const expected = { reference: 'Patient/citizen-7', identifier: { system: NHS_NUMBER_SYSTEM, value: '9000000009' }, type: 'Patient' };
    expect(observation.subject).toEqual(expected);
    expect(observation.performer).toEqual([expected]);
    expect(observation.note).toEqual([{ text: 'Measured by the patient at home' }]);
  });

  it('says who typed it in when someone acting for the patient did (the patient still measured it), on the pulse too', () => {
    const byProxy = { ...reading, enteredBy: { name: 'Walt Helpwell', relationship: 'Carer' } };
    const typedIn = { authorString: 'Walt Helpwell', text: 'Typed in by Walt Helpwell (carer), who acts for the patient' };
    expect(bloodPressureObservation(byProxy, patient).note).toEqual([{ text: 'Measured by the patient at home' }, typedIn]);
    expect(pulseObservation(byProxy, patient)?.note).toEqual([{ text: 'Measured by the patient at home' }, typedIn]);
    expect(observationProblems(bloodPressureObservation(byProxy, patient))).toEqual([]);
  });

  it('is dated when it was measured, on UK clocks with the offset', () => {
    expect(observation.effectiveDateTime).toBe('2026-07-01T08:30:00+01:00');
    expect(bloodPressureObservation({ ...reading, measuredAt: new Date('2026-12-01T07:30:00Z') }, patient).effectiveDateTime).toBe('2026-12-01T07:30:00+00:00');
  });

  it('records the arm and sitting position', () => {
    expect(observation.bodySite?.coding).toEqual([coding('http://snomed.info/sct', '368208006')]);
    expect(bloodPressureObservation({ ...reading, arm: 'right' }, patient).bodySite?.coding).toEqual([coding('http://snomed.info/sct', '368209003')]);
    expect(observation.extension?.[0]?.valueCodeableConcept?.coding).toEqual([coding('http://snomed.info/sct', '33586001')]);
    expect(bloodPressureObservation({ ...reading, sitting: false }, patient).extension).toBeUndefined();
  });

  it('works with only an NHS number, or only an id', () => {
    const byNhsNumber = bloodPressureObservation(reading, { nhsNumber: '9000000009' });
    expect(byNhsNumber.subject).toEqual({ identifier: { system: NHS_NUMBER_SYSTEM, value: '9000000009' }, type: 'Patient' });
    expect(observationProblems(byNhsNumber)).toEqual([]);
    expect(bloodPressureObservation(reading, { id: 'citizen-7' }).subject).toEqual({ reference: 'Patient/citizen-7', type: 'Patient' });
  });
});

describe('the pulse as a heart rate Observation', () => {
  it('is its own vital sign in beats a minute, or nothing when no pulse was taken', () => {
    const observation = pulseObservation(reading, patient)!;
    expect(observationProblems(observation)).toEqual([]);
    expect(observation.code.coding).toEqual([coding('http://loinc.org', '8867-4'), coding('http://snomed.info/sct', '78564009')]);
    expect(observation.valueQuantity).toEqual({ value: 68, unit: 'beats/minute', system: 'http://unitsofmeasure.org', code: '/min' });
    expect(observation.effectiveDateTime).toBe('2026-07-01T08:30:00+01:00');
    expect(pulseObservation({ ...reading, pulse: undefined }, patient)).toBeUndefined();
  });
});

describe('the home average as an Observation', () => {
  const average = { systolic: 138, diastolic: 86, readingCount: 24, from: new Date('2026-11-03T07:30:00Z'), to: new Date('2026-11-08T19:31:00Z') };
  const observation = homeAverageObservation(average, patient, ['reading-2', 'reading-3']);

  it('is coded as a mean blood pressure over the week, linked to its readings', () => {
    expect(observationProblems(observation)).toEqual([]);
    expect(observation.code.coding).toEqual([coding('http://loinc.org', '96607-7')]);
    expect(observation.component?.map((c) => [c.code.coding?.[0]?.code, c.valueQuantity?.value])).toEqual([
      ['96608-5', 138],
      ['96609-3', 86],
    ]);
    expect(observation.effectivePeriod).toEqual({ start: '2026-11-03T07:30:00+00:00', end: '2026-11-08T19:31:00+00:00' });
    expect(observation.effectiveDateTime).toBeUndefined();
    expect(observation.derivedFrom).toEqual([{ reference: 'Observation/reading-2' }, { reference: 'Observation/reading-3' }]);
    expect(observation.note?.map((note) => note.text)).toContain('Measured by the patient at home');
  });

  it('is never mistaken for a single reading', () => {
    expect(observation.code.coding?.some((c) => c.code === '85354-9')).toBe(false);
  });
});

describe('the structural checks', () => {
  const good = bloodPressureObservation(reading, patient);
  const broken = (change: (o: Observation) => Observation) => observationProblems(change(structuredClone(good)));

  it.each<[string, (o: Observation) => Observation, string]>([
    ['no category', (o) => ({ ...o, category: [] }), 'category must include vital-signs'],
    ['no subject', (o) => ({ ...o, subject: undefined }), 'subject is required'],
    ['no performer', (o) => ({ ...o, performer: [] }), 'performer is required'],
    ['a date with no time', (o) => ({ ...o, effectiveDateTime: '2026-07-01' }), 'effectiveDateTime is required, with a time and an offset'],
    ['a time with no offset', (o) => ({ ...o, effectiveDateTime: '2026-07-01T08:30:00' }), 'effectiveDateTime is required, with a time and an offset'],
    ['no SNOMED CT panel code', (o) => ({ ...o, code: { coding: o.code.coding?.slice(0, 1) } }), 'code: SNOMED CT 75367002 is missing'],
    ['no diastolic', (o) => ({ ...o, component: o.component?.slice(0, 1) }), 'component 8462-4: expected exactly 1, found 0'],
    [
      'the wrong unit',
      (o) => ({ ...o, component: o.component?.map((c) => ({ ...c, valueQuantity: { ...c.valueQuantity, code: 'mmHg' } })) }),
      'component 8480-6: unit code must be mm[Hg]',
    ],
    [
      'a bad NHS number',
      (o) => ({ ...o, subject: { identifier: { system: NHS_NUMBER_SYSTEM, value: '123' } } }),
      `subject identifier must be a valid 10-digit NHS number with system ${NHS_NUMBER_SYSTEM}`,
    ],
    [
      'an NHS number with the wrong check digit',
      (o) => ({ ...o, subject: { identifier: { system: NHS_NUMBER_SYSTEM, value: '9000000008' } } }),
      `subject identifier must be a valid 10-digit NHS number with system ${NHS_NUMBER_SYSTEM}`,
    ],
    ['a coding with no system', (o) => ({ ...o, code: { coding: [{ code: '85354-9' }] } }), 'every coding needs a system and a code'],
    [
      'an unknown code',
      (o) => ({ ...o, code: { coding: [{ system: 'http://loinc.org', code: '1234-5' }] } }),
      'code must be a blood pressure panel, a heart rate or an average blood pressure',
    ],
  ])('finds %s', (_, change, problem) => {
    expect(broken(change)).toContain(problem);
  });
});
