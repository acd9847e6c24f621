import { describe, expect, it } from 'vitest';
import { readingFromObservation } from './blood-pressure-input';
import { sentReading } from './test-support';

const now = new Date('2026-11-30T12:00:00Z');

const problemsOf = (observation: Record<string, unknown>) => {
  const result = readingFromObservation(observation, now);
  if ('reading' in result) throw new Error('expected problems');
  return { status: result.status, diagnostics: result.issues.map((issue) => issue.diagnostics), expressions: result.issues.map((issue) => issue.expression) };
};

describe('a blood pressure Observation an app sends', () => {
  it('is read into the reading the form would have made', () => {
    expect(readingFromObservation(sentReading(), now)).toEqual({
      reading: { systolic: 132, diastolic: 84, measuredAt: new Date('2026-11-30T08:15:00Z'), arm: 'right', sitting: true },
    });
  });

  it('takes SNOMED CT codes for the panel and components, an offset, and another position as not sitting', () => {
    const standing = sentReading({
      code: { coding: [{ system: 'http://snomed.info/sct', code: '75367002' }] },
      effectiveDateTime: '2026-07-01T09:30:00+01:00',
      bodySite: { coding: [{ system: 'http://snomed.info/sct', code: '368208006' }] },
      extension: [
        {
          url: 'http://hl7.org/fhir/StructureDefinition/observation-bodyPosition',
          valueCodeableConcept: { coding: [{ system: 'http://snomed.info/sct', code: '10904000' }] },
        },
      ],
      component: [
        { code: { coding: [{ system: 'http://snomed.info/sct', code: '72313002' }] }, valueQuantity: { value: 118, code: 'mm[Hg]' } },
        { code: { coding: [{ system: 'http://snomed.info/sct', code: '1091811000000102' }] }, valueQuantity: { value: 76, code: 'mm[Hg]' } },
      ],
    });
    expect(readingFromObservation(standing, now)).toEqual({
      reading: { systolic: 118, diastolic: 76, measuredAt: new Date('2026-07-01T08:30:00Z'), arm: 'left', sitting: false },
    });
  });

  it('is refused with the form’s own messages when the reading breaks its rules (422)', () => {
    expect(problemsOf(sentReading({}, { systolic: 300, diastolic: 30 }))).toMatchObject({
      status: 422,
      diagnostics: ['Systolic (top number) must be between 70 and 250', 'Diastolic (bottom number) must be between 40 and 150'],
    });
    expect(problemsOf(sentReading({}, { systolic: 80, diastolic: 95 })).diagnostics).toEqual([
      'Systolic (top number) must be higher than diastolic (bottom number)',
    ]);
    expect(problemsOf(sentReading({}, { systolic: 128.5 })).diagnostics).toEqual(['Systolic (top number) must be a whole number, like 120']);
    expect(problemsOf(sentReading({ effectiveDateTime: '2026-11-30T13:00:00Z' })).diagnostics).toEqual([
      'Date you took this reading must be now or in the past',
    ]);
    expect(problemsOf(sentReading({ effectiveDateTime: '2020-11-30T13:00:00Z' })).diagnostics).toEqual([
      'Date you took this reading must be in the last 5 years',
    ]);
  });

  it('is refused (422) when it is not a blood pressure reading we can keep, saying what to send', () => {
    const cases: [Record<string, unknown>, string, string][] = [
      [sentReading({ code: { coding: [{ system: 'http://loinc.org', code: '8867-4' }] } }), 'code must be a blood pressure panel', 'Observation.code'],
      [sentReading({ status: 'preliminary' }), 'status must be final', 'Observation.status'],
      [sentReading({ effectiveDateTime: undefined }), 'effectiveDateTime is required', 'Observation.effectiveDateTime'],
      [sentReading({ effectiveDateTime: '2026-11-30' }), 'with a UTC offset', 'Observation.effectiveDateTime'],
      [sentReading({ effectiveDateTime: '2026-11-30T08:15:00' }), 'with a UTC offset', 'Observation.effectiveDateTime'],
      [sentReading({ effectiveDateTime: '2026-02-30T08:15:00Z' }), 'a real date and time', 'Observation.effectiveDateTime'],
      [sentReading({ bodySite: undefined }), 'bodySite must say which arm', 'Observation.bodySite'],
      [sentReading({ extension: undefined }), 'Say whether the person was sitting', 'Observation.extension'],
      [sentReading({ component: undefined }), 'component must hold', 'Observation.component'],
      [sentReading({ valueQuantity: { value: 120 } }), 'in components, not in valueQuantity', 'Observation.valueQuantity'],
    ];
    for (const [observation, words, expression] of cases) {
      const problems = problemsOf(observation);
      expect(problems.status, words).toBe(422);
      expect(problems.diagnostics.join(' '), words).toContain(words);
      expect(problems.expressions, words).toContain(expression);
    }
  });

  it('refuses a component it does not take, a missing or doubled one, and a pressure not in mm[Hg]', () => {
    const base = sentReading();
    const [systolic, diastolic] = base.component as Record<string, unknown>[];
    const pulse = { code: { coding: [{ system: 'http://loinc.org', code: '8867-4' }] }, valueQuantity: { value: 70, code: '/min' } };
    expect(problemsOf({ ...base, component: [systolic, diastolic, pulse] }).diagnostics[0]).toContain('Only the systolic');
    expect(problemsOf({ ...base, component: [systolic] }).diagnostics).toEqual(['The diastolic blood pressure (LOINC 8462-4) is missing from component']);
    expect(problemsOf({ ...base, component: [systolic, systolic, diastolic] }).diagnostics[0]).toContain('There must be one systolic');
    const inKilopascals = { ...systolic, valueQuantity: { value: 17, system: 'http://unitsofmeasure.org', code: 'kPa' } };
    expect(problemsOf({ ...base, component: [inKilopascals, diastolic] }).diagnostics).toEqual([
      'The systolic blood pressure (LOINC 8480-6) must be in mm[Hg] (UCUM, system http://unitsofmeasure.org)',
    ]);
  });

  it('is refused as unsound (400) when required elements are missing or of the wrong type', () => {
    expect(problemsOf(sentReading({ status: undefined }))).toMatchObject({ status: 400, expressions: ['Observation.status'] });
    expect(problemsOf(sentReading({ status: 'done' })).status).toBe(400);
    expect(problemsOf(sentReading({ code: undefined })).status).toBe(400);
    expect(problemsOf(sentReading({}, { systolic: '132' }))).toMatchObject({ status: 400, expressions: ['Observation.component[0].valueQuantity.value'] });
    expect(problemsOf(sentReading({ effectiveDateTime: 20261130 })).status).toBe(400);
    expect(problemsOf(sentReading({ component: ['systolic'] })).status).toBe(400);
  });
});
