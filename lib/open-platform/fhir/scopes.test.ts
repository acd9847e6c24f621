import { describe, expect, it } from 'vitest';
import { allows, parseScope } from './scopes';

describe('SMART v2 scopes', () => {
  it('reads patient/<Type>.<permissions> with c r u d s in that order', () => {
    expect(parseScope('patient/Observation.rs')).toEqual({ type: 'Observation', permissions: new Set(['r', 's']) });
    expect(parseScope('patient/*.cruds')?.permissions).toEqual(new Set(['c', 'r', 'u', 'd', 's']));
    expect(parseScope('patient/Observation.c')?.permissions).toEqual(new Set(['c']));
  });

  it('grants nothing for other forms: out of order, empty, v1, user/system, or narrowed by a query', () => {
    for (const scope of [
      'patient/Observation.sr',
      'patient/Observation.',
      'patient/Observation',
      'patient/Observation.read',
      'patient/Observation.write',
      'patient/Observation.*',
      'user/Observation.rs',
      'system/*.rs',
      'patient/Observation.rs?category=vital-signs',
      'openid',
      'launch/patient',
      'Patient/Observation.rs',
    ]) {
      expect(parseScope(scope), scope).toBeNull();
    }
  });

  it('read needs r, search s, create c; * covers every type', () => {
    const scopes = new Set(['patient/Observation.rs', 'patient/Patient.r', 'openid']);
    expect(allows(scopes, 'Observation', 'r')).toBe(true);
    expect(allows(scopes, 'Observation', 's')).toBe(true);
    expect(allows(scopes, 'Observation', 'c')).toBe(false);
    expect(allows(scopes, 'Patient', 's')).toBe(false);
    expect(allows(scopes, 'Condition', 'r')).toBe(false);
    expect(allows(new Set(['patient/*.rs']), 'Condition', 's')).toBe(true);
    expect(allows(new Set(['patient/*.rs']), 'Condition', 'c')).toBe(false);
    expect(allows(new Set(['patient/Observation.c']), 'Observation', 'c')).toBe(true);
    expect(allows(new Set(), 'Observation', 'r')).toBe(false);
  });
});
