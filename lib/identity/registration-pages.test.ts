import { describe, expect, it } from 'vitest';
import { formatDate } from './registration-pages';

describe('verified details as people read them', () => {
  it('writes a date of birth the GOV.UK way, whatever the time zone', () => {
    expect(formatDate('1984-03-17')).toBe('17 March 1984');
    expect(formatDate('2000-01-01')).toBe('1 January 2000');
  });
});
