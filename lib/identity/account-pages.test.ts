import { describe, expect, it } from 'vitest';
import { deviceDescription, formatWhen } from './account-pages';

describe('sign-in history wording', () => {
  it('writes times the GOV.UK way, in UK time', () => {
    expect(formatWhen(new Date('2026-07-01T13:05:00Z'))).toBe('1 July 2026 at 2:05pm');
    expect(formatWhen(new Date('2026-11-23T09:00:00Z'))).toBe('23 November 2026 at 9:00am');
  });

  it('describes the device and whether it was shared', () => {
    expect(deviceDescription('computer', false)).toBe('Computer');
    expect(deviceDescription('computer', true)).toBe('Shared computer');
    expect(deviceDescription('mobile', true)).toBe('Shared mobile phone');
  });
});
