import { describe, expect, it } from 'vitest';
import { renderView, views } from '@/lib/platform/render';

const script = '<script>alert(1)</script>';

describe('about me views', () => {
  it('shows what people typed as text, never as markup', () => {
    const html = renderView('about-me/summary.njk', {
      fullName: 'Amelia Testwell',
      topThree: { things: [{ title: script, description: '<b>bold</b>' }], savedAt: '1 December 2026 at 7:00pm' },
      conditions: [{ id: 'c1', code: null, name: '<img src=x onerror=alert(1)>' }],
      communication: [`Contact ${script} (x) as well as me`],
      otherNeeds: '<i>slowly</i>',
      addressLines: [script, 'LS6 9ZZ'],
    });
    expect(html).not.toContain(script);
    expect(html).not.toContain('<b>bold</b>');
    expect(html).not.toContain('<img src=x');
    expect(html).not.toContain('<i>slowly</i>');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('href="/about-me/contact-preferences"');
  });

  it('keeps every ticked box ticked, whether one or several were sent', () => {
    const context = {
      formats: [
        { value: 'braille', text: 'Braille' },
        { value: 'easy-read', text: 'Easy read' },
      ],
      noNeeds: 'none',
      limits: { otherNeeds: 500 },
    };
    expect(renderView('about-me/communication-needs.njk', { ...context, values: { formats: 'braille' } }).match(/checked/g)).toHaveLength(1);
    expect(renderView('about-me/communication-needs.njk', { ...context, values: { formats: ['braille', 'easy-read'] } }).match(/checked/g)).toHaveLength(2);
  });

  it('shows condition help on the home page only when there is some', () => {
    const section = (conditionHelp: unknown) =>
      views().renderString('{% from "about-me/account-conditions.njk" import conditionHelpSection %}{{ conditionHelpSection(conditionHelp) }}', {
        conditionHelp,
      });
    expect(section({ nhsPages: [], localServices: [] }).trim()).toBe('');
    const html = section({ nhsPages: [{ text: 'Asthma on the NHS website', href: 'https://www.nhs.uk/conditions/asthma/' }], localServices: [] });
    expect(html).toContain('Information about your conditions');
    expect(html).toContain('https://www.nhs.uk/conditions/asthma/');
  });
});
