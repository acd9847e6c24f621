import { describe, expect, it } from 'vitest';
import { renderView } from '@/lib/platform/render';

describe('verified details as people read them', () => {
  it('writes a date of birth the GOV.UK way, whatever the time zone', () => {
    const html = renderView('identity/registration/check-your-details.njk', {
      providerName: 'NHS login',
      fullName: 'Ada Test',
      birthDate: '1984-03-17',
      values: {},
    });
    expect(html).toContain('17 March 1984');
    expect(renderView('identity/registration/check-answers.njk', { fullName: 'Ada Test', birthDate: '2000-01-01', values: {} })).toContain('1 January 2000');
  });
});
