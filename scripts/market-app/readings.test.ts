import type { Bundle, Observation } from '@medplum/fhirtypes';
import { describe, expect, it } from 'vitest';
import {
  bloodPressureObservation,
  formatTakenAt,
  fromLondonClock,
  isOnServer,
  isVeryHigh,
  outcomeErrors,
  pageLinks,
  readingForm,
  readingsIn,
  validateReading,
  type ReadingForm,
} from './readings';

const NOW = new Date('2026-12-02T16:00:00Z');
const form = (values: Partial<ReadingForm>): ReadingForm => ({ systolic: '', diastolic: '', date: '', time: '', arm: 'left', position: 'sitting', ...values });
const errorsFor = (values: Partial<ReadingForm>) => {
  const result = validateReading(form(values), NOW);
  return 'errors' in result ? result.errors : [];
};

describe('the add-a-reading form', () => {
  it('reads the fields it knows, trimmed', () => {
    expect(readingForm(new URLSearchParams('systolic=+128+&diastolic=82&arm=right&extra=x'))).toEqual({
      systolic: '128',
      diastolic: '82',
      date: '',
      time: '',
      arm: 'right',
      position: '',
    });
  });

  it('takes a reading as now when date and time are both empty', () => {
    expect(validateReading(form({ systolic: '128', diastolic: '82' }), NOW)).toEqual({
      reading: { systolic: 128, diastolic: 82, takenAt: NOW, arm: 'left', position: 'sitting' },
    });
  });

  it('reads the date and time on UK clocks', () => {
    const summer = validateReading(form({ systolic: '128', diastolic: '82', date: '2026-07-01', time: '08:30' }), NOW);
    expect(summer).toEqual({ reading: { systolic: 128, diastolic: 82, takenAt: new Date('2026-07-01T07:30:00Z'), arm: 'left', position: 'sitting' } });
    const winter = validateReading(form({ systolic: '128', diastolic: '82', date: '1/12/2026', time: '8.30' }), NOW);
    expect(winter).toEqual({ reading: { systolic: 128, diastolic: 82, takenAt: new Date('2026-12-01T08:30:00Z'), arm: 'left', position: 'sitting' } });
  });

  it('says what is missing or wrong, field by field', () => {
    expect(errorsFor({})).toEqual([
      { field: 'systolic', text: 'Enter the top number (systolic)' },
      { field: 'diastolic', text: 'Enter the bottom number (diastolic)' },
    ]);
    expect(errorsFor({ systolic: '12.5', diastolic: 'eighty' })).toEqual([
      { field: 'systolic', text: 'The top number (systolic) must be a whole number, like 120' },
      { field: 'diastolic', text: 'The bottom number (diastolic) must be a whole number, like 80' },
    ]);
    expect(errorsFor({ systolic: '400', diastolic: '10' })).toEqual([
      { field: 'systolic', text: 'The top number (systolic) must be between 50 and 300' },
      { field: 'diastolic', text: 'The bottom number (diastolic) must be between 30 and 200' },
    ]);
    expect(errorsFor({ systolic: '120', diastolic: '80', arm: 'middle', position: '' })).toEqual([
      { field: 'arm', text: 'Select which arm you used' },
      { field: 'position', text: 'Select whether you were sitting, standing or lying down' },
    ]);
    expect(errorsFor({ systolic: '80', diastolic: '120' })).toEqual([
      { field: 'diastolic', text: 'The bottom number (diastolic) must be lower than the top number (systolic)' },
    ]);
  });

  it('needs both date and time, real ones, not in the future', () => {
    expect(errorsFor({ systolic: '120', diastolic: '80', date: '2026-12-01' })).toEqual([
      { field: 'time', text: 'Enter the time you took the reading, or leave the date empty to use now' },
    ]);
    expect(errorsFor({ systolic: '120', diastolic: '80', time: '09:00' })).toEqual([
      { field: 'date', text: 'Enter the date you took the reading, or leave the time empty to use now' },
    ]);
    expect(errorsFor({ systolic: '120', diastolic: '80', date: '2026-02-30', time: '25:00' })).toEqual([
      { field: 'date', text: 'Enter a real date, like 2/12/2026' },
      { field: 'time', text: 'Enter a real time on the 24-hour clock, like 17:30' },
    ]);
    expect(errorsFor({ systolic: '120', diastolic: '80', date: '2026-12-03', time: '09:00' })).toEqual([
      { field: 'date', text: 'The date and time must not be in the future' },
    ]);
    expect(errorsFor({ systolic: '120', diastolic: '80', date: '2026-12-02', time: '16:04' })).toEqual([]);
  });

  it('finds the instant for times around the clock changes', () => {
    expect(fromLondonClock(2026, 3, 29, 0, 30)).toEqual(new Date('2026-03-29T00:30:00Z'));
    expect(fromLondonClock(2026, 3, 29, 1, 30)).toEqual(new Date('2026-03-29T01:30:00Z')); // never shown: an hour later
    expect(fromLondonClock(2026, 3, 29, 2, 30)).toEqual(new Date('2026-03-29T01:30:00Z'));
    expect(fromLondonClock(2026, 10, 25, 1, 30)).toEqual(new Date('2026-10-25T00:30:00Z')); // shown twice: the first
  });

  it('shows times on UK clocks', () => {
    expect(formatTakenAt(new Date('2026-12-02T17:30:00Z'))).toBe('2 December 2026 at 5:30pm');
    expect(formatTakenAt(new Date('2026-07-01T07:05:00Z'))).toBe('1 July 2026 at 8:05am');
  });
});

describe('the FHIR the app sends and reads', () => {
  it('makes a vital-signs blood pressure Observation about the patient the PHR named', () => {
    const observation = bloodPressureObservation('abc', {
      systolic: 128,
      diastolic: 82,
      takenAt: new Date('2026-12-02T09:15:00Z'),
      arm: 'right',
      position: 'standing',
    });
    expect(observation).toMatchObject({
      resourceType: 'Observation',
      status: 'final',
      category: [{ coding: [{ code: 'vital-signs' }] }],
      code: { coding: [{ system: 'http://loinc.org', code: '85354-9' }] },
      subject: { reference: 'Patient/abc' },
      effectiveDateTime: '2026-12-02T09:15:00.000Z',
      bodySite: { coding: [{ system: 'http://snomed.info/sct', code: '368209003' }] },
      extension: [
        {
          url: 'http://hl7.org/fhir/StructureDefinition/observation-bodyPosition',
          valueCodeableConcept: { coding: [{ system: 'http://snomed.info/sct', code: '10904000' }] },
        },
      ],
      component: [
        { code: { coding: [{ code: '8480-6' }] }, valueQuantity: { value: 128, system: 'http://unitsofmeasure.org', code: 'mm[Hg]' } },
        { code: { coding: [{ code: '8462-4' }] }, valueQuantity: { value: 82, code: 'mm[Hg]' } },
      ],
    });
  });

  it('reads whole readings from a Bundle, newest first, and leaves out the rest', () => {
    const reading = (id: string, at: string) => ({
      resource: { ...bloodPressureObservation('abc', { systolic: 120, diastolic: 80, takenAt: new Date(at), arm: 'left', position: 'sitting' }), id },
    });
    const bundle: Bundle = {
      resourceType: 'Bundle',
      type: 'searchset',
      entry: [
        reading('older', '2026-11-01T08:00:00Z'),
        reading('newer', '2026-11-02T08:00:00Z'),
        { resource: { resourceType: 'Observation', id: 'no-components', status: 'final', code: {}, effectiveDateTime: '2026-11-03T08:00:00Z' } },
        { resource: { resourceType: 'OperationOutcome', issue: [] } },
      ],
    };
    expect(readingsIn(bundle).map((r) => r.id)).toEqual(['newer', 'older']);
  });

  it('keeps only paging links into the same FHIR server', () => {
    const base = 'http://phr.example/fhir/r4';
    const bundle: Bundle = {
      resourceType: 'Bundle',
      type: 'searchset',
      link: [
        { relation: 'next', url: `${base}/Observation?_page=2` },
        { relation: 'previous', url: 'http://elsewhere.example/fhir/r4/Observation?_page=1' },
      ],
    };
    expect(pageLinks(bundle, base)).toEqual({ next: `${base}/Observation?_page=2` });
    expect(isOnServer('http://phr.example/other/Observation', base)).toBe(false);
    expect(isOnServer('http://user:pw@phr.example/fhir/r4/Observation', base)).toBe(false);
    expect(isOnServer('not a url', base)).toBe(false);
  });
});

describe('very high readings', () => {
  it('are the ones the PHR marks HH, or at or over 180/120', () => {
    const flagged: Observation = { resourceType: 'Observation', status: 'final', code: {}, interpretation: [{ coding: [{ code: 'HH' }] }] };
    expect(isVeryHigh({ systolic: 150, diastolic: 90 }, flagged)).toBe(true);
    expect(isVeryHigh({ systolic: 180, diastolic: 90 })).toBe(true);
    expect(isVeryHigh({ systolic: 150, diastolic: 120 })).toBe(true);
    expect(isVeryHigh({ systolic: 179, diastolic: 119 })).toBe(false);
  });
});

describe('what the PHR said was wrong', () => {
  it('takes the diagnostics of the errors, linked to the field each is about', () => {
    const outcome = {
      resourceType: 'OperationOutcome',
      issue: [
        { severity: 'warning', code: 'informational', diagnostics: 'Just so you know' },
        { severity: 'error', code: 'value', diagnostics: 'The bottom number looks too high', expression: ['Observation.component[1].valueQuantity.value'] },
        { severity: 'error', code: 'value', details: { text: 'That date is before you were born' }, expression: ['Observation.effectiveDateTime'] },
        { severity: 'fatal', code: 'exception', diagnostics: '  ' },
      ],
    };
    expect(outcomeErrors(outcome)).toEqual([
      { field: 'diastolic', text: 'The bottom number looks too high' },
      { field: 'date', text: 'That date is before you were born' },
    ]);
  });

  it('places the PHR’s form-rule messages, which have no expression, by their first words', () => {
    const issue = (diagnostics: string) => ({ severity: 'error', code: 'business-rule', diagnostics });
    const outcome = {
      resourceType: 'OperationOutcome',
      issue: [
        issue('Systolic (top number) must be between 70 and 250'),
        issue('Diastolic (bottom number) must be between 40 and 150'),
        issue('Date you took this reading must be in the last 5 years'),
      ],
    };
    expect(outcomeErrors(outcome).map((error) => error.field)).toEqual(['systolic', 'diastolic', 'date']);
    const shape = {
      resourceType: 'OperationOutcome',
      issue: [{ severity: 'error', code: 'required', diagnostics: 'bodySite must say which arm', expression: ['Observation.bodySite'] }],
    };
    expect(outcomeErrors(shape)[0]!.field).toBe('arm');
  });

  it('uses warnings when there are no errors, and shortens long messages', () => {
    const long = 'x'.repeat(400);
    const [error] = outcomeErrors({ resourceType: 'OperationOutcome', issue: [{ severity: 'warning', code: 'value', diagnostics: long }] });
    expect(error!.field).toBe('systolic');
    expect(error!.text).toHaveLength(300);
    expect(error!.text.endsWith('…')).toBe(true);
  });

  it('finds nothing in what is not an OperationOutcome', () => {
    expect(outcomeErrors(undefined)).toEqual([]);
    expect(outcomeErrors({ error: 'invalid_grant' })).toEqual([]);
    expect(outcomeErrors('<html>')).toEqual([]);
  });
});
