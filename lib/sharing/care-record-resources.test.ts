// Every kind of resource we send to the shared care record is valid base FHIR R4 (Medplum's validator).
import type { Observation } from '@medplum/fhirtypes';
import { describe, expect, it } from 'vitest';
import { communicationNeedsFlag, topThreeFlag } from '@/lib/about-me/care-record';
import { readingEntries, weekEntries } from '@/lib/blood-pressure/care-record';
import { observationProblems } from '@/lib/blood-pressure/fhir';
import { r4Problems } from '@/lib/platform/testing/fhir-validation';

const PATIENT = 'amelia-1';
const reading = { measuredAt: new Date('2026-12-01T08:30:00Z'), systolic: 184, diastolic: 96, pulse: 71, arm: 'left' as const, sitting: true };

describe('what citizens add, as FHIR R4 resources for the care record', () => {
  it('a reading: a UK Core blood pressure Observation at our id, with our identifier, HH when very high, and its pulse', async () => {
    const [bloodPressure, pulse] = readingEntries('r1', reading, PATIENT);
    const observation = bloodPressure!.resource as Observation;
    expect(observation).toMatchObject({
      id: 'phr-bp-r1',
      status: 'final',
      identifier: [{ system: 'https://phr.example/id/blood-pressure-reading', value: 'r1' }],
    });
    expect(observation.subject).toMatchObject({ reference: `Patient/${PATIENT}` });
    expect(observation.interpretation?.[0]?.coding?.[0]).toMatchObject({ code: 'HH' });
    expect(observationProblems(observation)).toEqual([]);
    expect(await r4Problems(observation)).toEqual([]);
    expect(pulse!.resource).toMatchObject({ id: 'phr-bp-r1-pulse', valueQuantity: { value: 71 } });
    expect(await r4Problems(pulse!.resource!)).toEqual([]);

    const [ordinary] = readingEntries('r2', { ...reading, systolic: 128, diastolic: 78 }, PATIENT);
    expect((ordinary!.resource as Observation).interpretation).toBeUndefined();
    // Deleted (or not found): both withdrawn.
    expect(readingEntries('r3', null, PATIENT)).toEqual([
      { resourceType: 'Observation', id: 'phr-bp-r3' },
      { resourceType: 'Observation', id: 'phr-bp-r3-pulse' },
    ]);
  });

  it("a finished week's average: its own Observation, linked to the readings, H for a stage range", async () => {
    const readings = JSON.stringify([
      { id: 'a', measuredAt: '2026-12-02T07:00:00Z', systolic: 150, diastolic: 90 },
      { id: 'b', measuredAt: '2026-12-07T19:00:00Z', systolic: 146, diastolic: 88 },
    ]);
    const [week] = weekEntries('w1', { finishedAt: new Date(), result: 'stage-1-range', systolic: 148, diastolic: 89, readingCount: 2, readings }, PATIENT);
    const observation = week!.resource as Observation;
    expect(observation).toMatchObject({ id: 'phr-bp-week-w1', identifier: [{ system: 'https://phr.example/id/home-monitoring-week', value: 'w1' }] });
    expect(observation.code.coding?.[0]?.code).toBe('96607-7');
    expect(observation.derivedFrom).toEqual([{ reference: 'Observation/phr-bp-a' }, { reference: 'Observation/phr-bp-b' }]);
    expect(observation.interpretation?.[0]?.coding?.[0]?.code).toBe('H');
    expect(observationProblems(observation)).toEqual([]);
    expect(await r4Problems(observation)).toEqual([]);
    // Not enough readings: nothing to say, so withdrawn.
    expect(
      weekEntries(
        'w2',
        { finishedAt: new Date(), result: 'not-enough-readings', systolic: null, diastolic: null, readingCount: null, readings: '[]' },
        PATIENT,
      ),
    ).toEqual([{ resourceType: 'Observation', id: 'phr-bp-week-w2' }]);
  });

  it('top three things and communication needs: one Flag each, in their words', async () => {
    const top = topThreeFlag(
      [
        { title: 'I am deaf in my left ear', description: 'Please sit on my right' },
        { title: 'I care for my mother', description: '' },
      ],
      new Date('2026-11-30T10:00:00Z'),
      'u1',
      PATIENT,
    );
    expect(top).toMatchObject({
      resourceType: 'Flag',
      id: 'phr-top-three-u1',
      status: 'active',
      identifier: [{ system: 'https://phr.example/id/top-three-things', value: 'u1' }],
    });
    expect(top!.code.text).toContain('1. I am deaf in my left ear: Please sit on my right\n2. I care for my mother');
    expect(await r4Problems(top!)).toEqual([]);

    const needs = communicationNeedsFlag(
      {
        formats: ['large-print', 'spoken-language-interpreter'],
        interpreterLanguage: 'Polish',
        carerName: null,
        carerContact: null,
        otherNeeds: 'Call after 10am',
        updatedAt: new Date(),
      },
      'u1',
      PATIENT,
    );
    expect(needs).toMatchObject({ id: 'phr-communication-u1', category: [{ coding: [{ code: 'contact' }] }] });
    expect(needs!.code.text).toContain('Spoken language interpreter: Polish');
    expect(await r4Problems(needs!)).toEqual([]);
    expect(await r4Problems({ ...needs!, status: 'entered-in-error' })).toEqual([]);
    expect(topThreeFlag([], new Date(), 'u1', PATIENT)).toBeUndefined();
  });

  it('the validator does catch a broken resource', async () => {
    expect(await r4Problems({ resourceType: 'Flag', status: 'bogus' } as never)).not.toEqual([]);
  });
});
