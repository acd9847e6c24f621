import { describe, expect, it } from 'vitest';
import { MAX_BODY_BYTES, readResource, readSearchForm } from './body';
import { FhirError } from './outcome';

const statusOf = (work: () => unknown) => {
  try {
    work();
  } catch (error) {
    if (error instanceof FhirError) return error.status;
    throw error;
  }
  return 'accepted';
};

describe('a request body', () => {
  const observation = JSON.stringify({ resourceType: 'Observation', status: 'final' });

  it('is read as FHIR JSON or JSON, with any parameters', () => {
    expect(readResource(observation, 'application/fhir+json', 'Observation')).toEqual({ resourceType: 'Observation', status: 'final' });
    expect(statusOf(() => readResource(observation, 'application/json; charset=utf-8', 'Observation'))).toBe('accepted');
    expect(statusOf(() => readResource(observation, 'Application/FHIR+JSON; fhirVersion=4.0', 'Observation'))).toBe('accepted');
  });

  it('refuses a body too big (413), another media type (415), bad JSON or the wrong resource (400)', () => {
    const big = JSON.stringify({ resourceType: 'Observation', note: [{ text: 'x'.repeat(MAX_BODY_BYTES) }] });
    expect(statusOf(() => readResource(big, 'application/fhir+json', 'Observation'))).toBe(413);
    // Counted in bytes, not characters.
    expect(statusOf(() => readResource(`"${'é'.repeat(MAX_BODY_BYTES / 2)}"`, 'application/fhir+json', 'Observation'))).toBe(413);
    for (const type of [null, undefined, 'text/plain', 'application/xml', 'application/fhir+xml', 'application/x-www-form-urlencoded']) {
      expect(
        statusOf(() => readResource(observation, type, 'Observation')),
        String(type),
      ).toBe(415);
    }
    for (const body of [undefined, '', '{', 'null', '[]', '"Observation"', '42', '{"resourceType":"Patient"}', '{"status":"final"}']) {
      expect(
        statusOf(() => readResource(body, 'application/fhir+json', 'Observation')),
        String(body),
      ).toBe(400);
    }
  });

  it('of a POST search is a form', () => {
    expect(readSearchForm('code=85354-9&_count=5', 'application/x-www-form-urlencoded').get('_count')).toBe('5');
    expect(readSearchForm(undefined, null).toString()).toBe('');
    expect(statusOf(() => readSearchForm('{"code":"x"}', 'application/json'))).toBe(415);
  });
});
