import { afterAll, describe, expect, it, vi } from 'vitest';
import { type Brand, reloadConfig } from './config';
import { KEPT_PARAMS_PER_MACRO, keptMacroHtml } from './kept-macro-html';
import { renderView, views } from './render';

/** The environment without BRAND and NHS_LOGO_ENTITLED, and with `brand`. */
function configure(brand?: Brand, nhsLogo = false) {
  const { BRAND: _brand, NHS_LOGO_ENTITLED: _logo, ...env } = process.env;
  reloadConfig({ ...env, ...(brand ? { BRAND: brand } : {}), ...(nhsLogo ? { NHS_LOGO_ENTITLED: 'true' } : {}) });
}

afterAll(() => {
  configure();
});

describe('keptMacroHtml', () => {
  it('makes a macro’s HTML once for each set of params', () => {
    const keptHtml = keptMacroHtml();
    const macro = vi.fn((params: unknown) => `<p>${JSON.stringify(params)}</p>`);
    expect(keptHtml(macro, { a: 1 })).toBe('<p>{"a":1}</p>');
    expect(keptHtml(macro, { a: 1 })).toBe('<p>{"a":1}</p>');
    expect(keptHtml(macro, { a: 2 })).toBe('<p>{"a":2}</p>');
    expect(macro).toHaveBeenCalledTimes(2);
    // Another macro with the same params is another macro.
    const other = vi.fn(() => 'other');
    expect(keptHtml(other, { a: 1 })).toBe('other');
  });

  it('keeps at most so many sets of params a macro, and makes the rest every time', () => {
    const keptHtml = keptMacroHtml();
    const macro = vi.fn((params: unknown) => String((params as { n: number }).n));
    for (let n = 0; n < KEPT_PARAMS_PER_MACRO + 10; n++) expect(keptHtml(macro, { n })).toBe(String(n));
    macro.mockClear();
    for (let n = 0; n < KEPT_PARAMS_PER_MACRO + 10; n++) keptHtml(macro, { n });
    expect(macro).toHaveBeenCalledTimes(10);
  });

  it.each([
    ['council', false],
    ['nhs', false],
    ['nhs', true],
  ] as const)('draws the same frame as the macros themselves (%s brand, NHS logo %s)', (brand, nhsLogo) => {
    configure(brand, nhsLogo);
    const env = views();
    const frame = (keep: boolean) =>
      env.renderString(
        `{% from "components.njk" import appHeader, appServiceNavigation, appFooter %}` +
          (keep
            ? '{{ keptHtml(appHeader, header) }}{{ keptHtml(appServiceNavigation, header) }}{{ keptHtml(appFooter, footer) }}'
            : '{{ appHeader(header) }}{{ appServiceNavigation(header) }}{{ appFooter(footer) }}'),
        {
          header: {
            organisationName: 'Council & co',
            organisationUrl: '/',
            serviceName: 'Service <b>',
            serviceUrl: '/s',
            navigation: [{ href: '/a', text: 'A', active: true }],
          },
          footer: { links: [{ href: '/p', text: 'Privacy "notice"' }], text: 'Run by us.' },
        },
      );
    expect(frame(true)).toBe(frame(false));
    expect(frame(true)).toBe(frame(true));
    expect(frame(true)).toContain('Council &amp; co');
    expect(frame(true)).toContain(brand === 'nhs' ? 'nhsuk-footer' : 'govuk-footer');
  });

  it('is what every page’s frame uses: the same page twice is the same HTML', () => {
    configure();
    const page = () => renderView('pages/start.njk', { signedIn: false });
    expect(page()).toBe(page());
    expect(page()).toContain('govuk-footer');
  });
});
