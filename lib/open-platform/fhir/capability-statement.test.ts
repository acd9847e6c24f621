import { describe, expect, it } from 'vitest';
import { r4Problems } from '@/lib/platform/testing/fhir-validation';
import { capabilityStatement } from './capability-statement';

describe('the CapabilityStatement', () => {
  const statement = capabilityStatement('http://localhost:3000/fhir/r4', {
    authorize: 'http://localhost:3000/oauth/authorize',
    token: 'http://localhost:3000/oauth/token',
    revoke: 'http://localhost:3000/oauth/revoke',
  });

  it('is valid R4', async () => {
    expect(await r4Problems(statement)).toEqual([]);
  });

  it('says SMART on FHIR with the authorisation server’s addresses, and what each resource type allows', () => {
    const rest = statement.rest![0]!;
    expect(rest.security!.extension![0]!.extension).toEqual([
      { url: 'authorize', valueUri: 'http://localhost:3000/oauth/authorize' },
      { url: 'token', valueUri: 'http://localhost:3000/oauth/token' },
      { url: 'revoke', valueUri: 'http://localhost:3000/oauth/revoke' },
    ]);
    const observation = rest.resource!.find((resource) => resource.type === 'Observation')!;
    expect(observation.interaction!.map((interaction) => interaction.code)).toEqual(['read', 'search-type', 'create']);
    expect(observation.searchParam!.map((parameter) => parameter.name)).toEqual(['code', 'category', 'date', 'patient', 'subject']);
    expect(observation.documentation).toContain('Contact your GP practice today');
    const interactions = Object.fromEntries(rest.resource!.map((resource) => [resource.type, resource.interaction!.map((interaction) => interaction.code)]));
    expect(interactions).toEqual({
      Patient: ['read', 'search-type'],
      Observation: ['read', 'search-type', 'create'],
      Condition: ['read', 'search-type', 'create'],
      Consent: ['read', 'search-type'],
      AllergyIntolerance: ['read', 'search-type'],
      MedicationStatement: ['read', 'search-type'],
      Immunization: ['read', 'search-type'],
      Appointment: ['read', 'search-type'],
      DocumentReference: ['read', 'search-type'],
      AuditEvent: ['read', 'search-type'],
    });
    // A search with no code and no category is of the citizen's own readings, never test results.
    expect(observation.documentation).toContain('no code and no category');
  });
});
