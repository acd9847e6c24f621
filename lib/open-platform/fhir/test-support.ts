import type { FhirRequest } from './api';

/** For the FHIR API's tests: an app's blood pressure Observation, as a connected device would send it. */
export function sentReading(overrides: Record<string, unknown> = {}, numbers: { systolic?: unknown; diastolic?: unknown } = {}): Record<string, unknown> {
  const component = (loinc: string, value: unknown) => ({
    code: { coding: [{ system: 'http://loinc.org', code: loinc }] },
    valueQuantity: { value, unit: 'mmHg', system: 'http://unitsofmeasure.org', code: 'mm[Hg]' },
  });
  return {
    resourceType: 'Observation',
    status: 'final',
    category: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/observation-category', code: 'vital-signs' }] }],
    code: { coding: [{ system: 'http://loinc.org', code: '85354-9' }] },
    effectiveDateTime: '2026-11-30T08:15:00+00:00',
    extension: [
      {
        url: 'http://hl7.org/fhir/StructureDefinition/observation-bodyPosition',
        valueCodeableConcept: { coding: [{ system: 'http://snomed.info/sct', code: '33586001' }] },
      },
    ],
    bodySite: { coding: [{ system: 'http://snomed.info/sct', code: '368209003' }] },
    component: [component('8480-6', 'systolic' in numbers ? numbers.systolic : 132), component('8462-4', 'diastolic' in numbers ? numbers.diastolic : 84)],
    ...overrides,
  };
}

export const TEST_BASE_URL = 'http://localhost:3000/fhir/r4';

/** A request as the route would pass it: `address` is what follows /fhir/r4/, with its query; a body object is sent as FHIR JSON. */
export function fhirRequest(method: string, address: string, now: Date, options: { body?: unknown; contentType?: string | null } = {}): FhirRequest {
  const url = new URL(`${TEST_BASE_URL}/${address}`);
  const body = options.body === undefined || typeof options.body === 'string' ? options.body : JSON.stringify(options.body);
  return {
    method,
    path: url.pathname.slice(new URL(TEST_BASE_URL).pathname.length).split('/').filter(Boolean).map(decodeURIComponent),
    query: url.searchParams,
    body,
    contentType: options.contentType === undefined ? (body === undefined ? null : 'application/fhir+json') : options.contentType,
    baseUrl: TEST_BASE_URL,
    now,
  };
}
