import { describe, expect, it } from 'vitest';
import { achievedVector, identityStepNeeded, parseVtr, VtrError } from './vectors';

describe('parseVtr', () => {
  it('reads One Login and NHS login vectors into canonical form', () => {
    expect(parseVtr('onelogin', '["Cm.Cl.P2"]')).toEqual([{ credential: 'Cl.Cm', level: 'P2' }]);
    expect(parseVtr('nhslogin', '["P9.Cp.Cd","P5.Cp"]')).toEqual([
      { credential: 'Cp.Cd', level: 'P9' },
      { credential: 'Cp', level: 'P5' },
    ]);
  });

  it('uses the scheme default when vtr is absent', () => {
    expect(parseVtr('onelogin', undefined)).toEqual([{ credential: 'Cl.Cm', level: 'P0' }]);
    expect(parseVtr('nhslogin', undefined)).toEqual([{ credential: 'Cp.Cd', level: 'P5' }]);
  });

  it.each([
    ['onelogin', 'Cl.Cm.P2'],
    ['onelogin', '[]'],
    ['onelogin', '["Cl.P2"]'],
    ['onelogin', '["Cm"]'],
    ['onelogin', '["Cl.Cm.P9"]'],
    ['nhslogin', '["P9.Cl"]'],
    ['nhslogin', '["P9.P5.Cp"]'],
    ['nhslogin', '[9]'],
  ] as const)('refuses %s %s', (scheme, raw) => {
    expect(() => parseVtr(scheme, raw)).toThrow(VtrError);
  });
});

describe('identity decisions', () => {
  const onelogin = (raw: string) => parseVtr('onelogin', raw);
  const nhs = (raw: string) => parseVtr('nhslogin', raw);

  it('One Login runs the identity step only when every acceptable vector needs P2', () => {
    expect(identityStepNeeded('onelogin', onelogin('["Cl.Cm.P2"]'), 'P2')).toBe(true);
    expect(identityStepNeeded('onelogin', onelogin('["Cl.Cm","Cl.Cm.P2"]'), 'P2')).toBe(false);
    expect(achievedVector('onelogin', onelogin('["Cl.Cm.P2"]'), 'P2')).toBe('Cl.Cm.P2');
    expect(achievedVector('onelogin', onelogin('["Cl.Cm.P2"]'), 'P0')).toBe('Cl.Cm');
    // Identity not asked for: not reported, even for a proven person.
    expect(achievedVector('onelogin', onelogin('["Cl.Cm"]'), 'P2')).toBe('Cl.Cm');
  });

  it('NHS login checks identity for P9, or when the person is below the lowest level asked', () => {
    expect(identityStepNeeded('nhslogin', nhs('["P9.Cp.Cd"]'), 'P9')).toBe(true);
    expect(identityStepNeeded('nhslogin', nhs('["P5.Cp.Cd"]'), 'P9')).toBe(false);
    expect(identityStepNeeded('nhslogin', nhs('["P5.Cp.Cd"]'), 'P0')).toBe(true);
    expect(achievedVector('nhslogin', nhs('["P5.Cp.Cd"]'), 'P9')).toBe('P9.Cp.Cd');
    expect(achievedVector('nhslogin', nhs('["P9.Cp.Cd"]'), 'P5')).toBe('P5.Cp.Cd');
    expect(achievedVector('nhslogin', nhs('["P9.Cm","P5.Cp.Cd"]'), 'P5')).toBe('P5.Cp.Cd');
  });
});
