import { describe, expect, it } from 'vitest';
import { formatDate, formatNhsNumber } from './registration-pages';

describe('verified details as people read them', () => {
  it('writes a date of birth the GOV.UK way, whatever the time zone', () => {
    expect(formatDate('1984-03-17')).toBe('17 March 1984');
    expect(formatDate('2000-01-01')).toBe('1 January 2000');
  });

  it('spaces an NHS number 3, 3, 4', () => {
    expect(formatNhsNumber('9990012377')).toBe('999 001 2377');
  });
});
