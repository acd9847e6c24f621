import { describe, expect, it } from 'vitest';
import { firstWord, normalisedName, sameName } from './names';

describe('names', () => {
  it('compares names as systems hold them differently', () => {
    expect(sameName('Zoë', 'ZOE')).toBe(true);
    expect(sameName("O' Neill", 'o’neill')).toBe(true);
    expect(sameName('Smith - Jones', 'smith-jones')).toBe(true);
    expect(sameName('Smith', 'Smyth')).toBe(false);
    expect(normalisedName('  Anne   Marie ')).toBe('anne marie');
  });

  it('takes the first given name', () => {
    expect(firstWord(' Gita Maya ')).toBe('Gita');
  });
});
