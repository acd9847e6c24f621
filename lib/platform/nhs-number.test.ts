import { describe, expect, it } from 'vitest';
import { formatNhsNumber, isValidNhsNumber, nhsNumberDigits } from './nhs-number';

describe('NHS numbers', () => {
  it('accepts numbers whose check digit is right, with or without spaces or hyphens', () => {
    expect(isValidNhsNumber('9990012377')).toBe(true);
    expect(isValidNhsNumber('9990037116')).toBe(true);
    expect(isValidNhsNumber('999 001 2377')).toBe(true);
    expect(isValidNhsNumber('999-005-0007')).toBe(true);
    // A remainder of 0: the check digit is 0.
    expect(isValidNhsNumber('9000000009')).toBe(true);
  });

  it('refuses a wrong check digit, a check digit of 10, and anything not 10 digits', () => {
    expect(isValidNhsNumber('9990012378')).toBe(false);
    expect(isValidNhsNumber('0000000060')).toBe(false);
    expect(isValidNhsNumber('999001237')).toBe(false);
    expect(isValidNhsNumber('99900123771')).toBe(false);
    expect(isValidNhsNumber('99900I2377')).toBe(false);
    expect(isValidNhsNumber('999.001.2377')).toBe(false);
    expect(isValidNhsNumber('')).toBe(false);
  });

  it('with digitsOnly, refuses spaces and hyphens', () => {
    expect(isValidNhsNumber('9990012377', { digitsOnly: true })).toBe(true);
    expect(isValidNhsNumber('999 001 2377', { digitsOnly: true })).toBe(false);
    expect(isValidNhsNumber('999-001-2377', { digitsOnly: true })).toBe(false);
  });

  it('keeps the digits of what people type', () => {
    expect(nhsNumberDigits(' 999 001-2377 ')).toBe('9990012377');
  });

  it('writes them the NHS way, leaving anything else as it is', () => {
    expect(formatNhsNumber('9990012377')).toBe('999 001 2377');
    expect(formatNhsNumber('999-001-2377')).toBe('999 001 2377');
    expect(formatNhsNumber('12345')).toBe('12345');
  });
});
