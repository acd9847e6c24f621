import { describe, expect, it } from 'vitest';
import { deviceDescription } from './account-pages';

describe('sign-in history wording', () => {
  it('describes the device and whether it was shared', () => {
    expect(deviceDescription('computer', false)).toBe('Computer');
    expect(deviceDescription('computer', true)).toBe('Shared computer');
    expect(deviceDescription('mobile', true)).toBe('Shared mobile phone');
  });
});
