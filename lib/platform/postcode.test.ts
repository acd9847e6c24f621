import { describe, expect, it } from 'vitest';
import { normalisePostcode, normalisePostcodeDistrict, samePostcode, samePostcodeDistrict } from './postcode';

describe('postcodes', () => {
  it.each([
    ['ls1 6zz', 'LS1 6ZZ'],
    ['LS16ZZ', 'LS1 6ZZ'],
    ['  ls11   8zz ', 'LS11 8ZZ'],
    ['LS6-2QR', 'LS6 2QR'],
    ['LS6\u00A02QR', 'LS6 2QR'],
    ['sw1a 1aa', 'SW1A 1AA'],
    ['EC1A1BB', 'EC1A 1BB'],
    ['W1A 0AX', 'W1A 0AX'],
    ['M1 1AE', 'M1 1AE'],
    ['CR2 6XH', 'CR2 6XH'],
    ['DN55 1PT', 'DN55 1PT'],
    ['GIR 0AA', 'GIR 0AA'],
  ])('%s is written as %s', (input, expected) => {
    expect(normalisePostcode(input)).toBe(expected);
  });

  // Letters Royal Mail never uses in that place (C in the unit, Q first), half postcodes, markup.
  it.each(['', 'LS1', 'LS1 6', '12345', 'LS1 6CZ', 'QS1 6ZZ', 'LS1 6ZZZ', '<b>LS1</b>', 'LS1 6Z!', 'LS6 2QR LS6 2QR'])('%j is not a postcode', (input) => {
    expect(normalisePostcode(input)).toBeNull();
  });

  it('compares postcodes however they are written, never matching one that is not real', () => {
    expect(samePostcode('ls98ab', 'LS9 8AB')).toBe(true);
    expect(samePostcode('LS9 8AB', 'LS9 8AC')).toBe(false);
    expect(samePostcode('', '')).toBe(false);
    expect(samePostcode('nope', 'NOPE')).toBe(false);
  });
});

describe('postcode districts (the first part)', () => {
  it.each([
    ['ls6', 'LS6'],
    [' ls 16 ', 'LS16'],
    ['sw1a', 'SW1A'],
    ['M1', 'M1'],
  ])('%j is written as %s', (input, expected) => {
    expect(normalisePostcodeDistrict(input)).toBe(expected);
  });

  it.each(['', 'LS', 'LS6 4AB', 'QS1', '6LS', 'LS123'])('%j is not a district', (input) => {
    expect(normalisePostcodeDistrict(input)).toBeNull();
  });

  it('compares districts however they are written, never matching one that is not real', () => {
    expect(samePostcodeDistrict('ls 6', 'LS6')).toBe(true);
    expect(samePostcodeDistrict('LS16', 'LS6')).toBe(false);
    expect(samePostcodeDistrict('', '')).toBe(false);
  });
});
