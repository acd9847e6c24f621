import { describe, expect, it } from 'vitest';
import { formatNhsNumber, isValidNhsNumber, nhsNumberDigits } from './nhs-number';

describe('NHS numbers', () => {
  it('accepts numbers whose check digit is right, with or without spaces', () => {
    expect(isValidNhsNumber('9990012377')).toBe(true);
    expect(isValidNhsNumber('999 001 2377')).toBe(true);
    expect(isValidNhsNumber('999-005-0007')).toBe(true);
  });

  it('refuses a wrong check digit, a check digit of 10, and anything not 10 digits', () => {
    expect(isValidNhsNumber('9990012378')).toBe(false);
    // 10 as the remainder-based check digit: never issued.
    expect(isValidNhsNumber('0000000060')).toBe(false);
    expect(isValidNhsNumber('999001237')).toBe(false);
    expect(isValidNhsNumber('99900123771')).toBe(false);
    expect(isValidNhsNumber('99900I2377')).toBe(false);
    expect(isValidNhsNumber('')).toBe(false);
  });

  it('writes them the NHS way', () => {
    expect(formatNhsNumber(nhsNumberDigits('9990012377'))).toBe('999 001 2377');
  });
});
