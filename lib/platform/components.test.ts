// The service's components (views/components.njk), each in both brands: GOV.UK Frontend's
// macro in the council brand, NHS.UK Frontend's in the NHS brand, from the same params.
import { afterAll, describe, expect, it } from 'vitest';
import type { Brand } from './config';
import { reloadConfig } from './config';
import { nhsukPublicWords } from './nhsuk';
import { renderView, views } from './render';

/** The environment without BRAND and NHS_LOGO_ENTITLED, and with `brand`. */
function configure(brand?: Brand, nhsLogo = false) {
  const { BRAND: _brand, NHS_LOGO_ENTITLED: _logo, ...env } = process.env;
  reloadConfig({ ...env, ...(brand ? { BRAND: brand } : {}), ...(nhsLogo ? { NHS_LOGO_ENTITLED: 'true' } : {}) });
}

function render(brand: Brand, macro: string, params: unknown, nhsLogo = false): string {
  configure(brand, nhsLogo);
  return views().renderString(`{% from "components.njk" import ${macro} %}{{ ${macro}(params) }}`, { params });
}

afterAll(() => {
  configure();
});

const error = { text: 'Enter your name' };

/** Each macro, the params a view gives it (GOV.UK Frontend's), and what each brand draws. */
const COMPONENTS: { macro: string; params: unknown; council: string; nhs: string; text: string }[] = [
  {
    macro: 'appButton',
    params: { text: 'Continue', classes: 'govuk-button--secondary' },
    council: 'govuk-button--secondary',
    nhs: 'nhsuk-button--secondary',
    text: 'Continue',
  },
  {
    macro: 'appInput',
    params: { id: 'name', name: 'name', label: { text: 'Full name' }, classes: 'govuk-input--width-20', errorMessage: error },
    council: 'govuk-input--width-20',
    nhs: 'nhsuk-input--width-20',
    text: 'Enter your name',
  },
  {
    macro: 'appTextarea',
    params: { id: 'more', name: 'more', label: { text: 'Tell us more' } },
    council: 'govuk-textarea',
    nhs: 'nhsuk-textarea',
    text: 'Tell us more',
  },
  {
    macro: 'appCharacterCount',
    params: { id: 'comments', name: 'comments', maxlength: 500, label: { text: 'Comments' } },
    council: 'govuk-character-count',
    nhs: 'nhsuk-character-count',
    text: 'Comments',
  },
  {
    macro: 'appRadios',
    params: {
      name: 'arm',
      classes: 'govuk-radios--inline',
      fieldset: { legend: { text: 'Which arm?', classes: 'govuk-fieldset__legend--m' } },
      items: [
        { value: 'left', text: 'Left' },
        { value: 'right', text: 'Right', checked: true },
      ],
    },
    council: 'govuk-radios--inline',
    nhs: 'nhsuk-radios--inline',
    text: 'Which arm?',
  },
  {
    macro: 'appCheckboxes',
    params: { name: 'days', fieldset: { legend: { text: 'Which days?' } }, items: [{ value: 'mon', text: 'Monday' }], errorMessage: error },
    council: 'govuk-checkboxes__input',
    nhs: 'nhsuk-checkboxes__input',
    text: 'Monday',
  },
  {
    macro: 'appSelect',
    params: { id: 'condition', name: 'condition', label: { text: 'Condition' }, items: [{ value: 'asthma', text: 'Asthma' }] },
    council: 'govuk-select',
    nhs: 'nhsuk-select',
    text: 'Asthma',
  },
  {
    macro: 'appDateInput',
    params: { id: 'dob', namePrefix: 'dob', fieldset: { legend: { text: 'Date of birth' } }, hint: { text: 'For example, 27 3 2007' } },
    council: 'govuk-date-input__input',
    nhs: 'nhsuk-date-input__input',
    text: 'For example, 27 3 2007',
  },
  {
    macro: 'appErrorSummary',
    params: { titleText: 'There is a problem', errorList: [{ text: 'Enter your name', href: '#name' }] },
    council: 'govuk-error-summary',
    nhs: 'nhsuk-error-summary',
    text: 'href="#name"',
  },
  { macro: 'appErrorMessage', params: error, council: 'govuk-error-message', nhs: 'nhsuk-error-message', text: 'Enter your name' },
  {
    macro: 'appSummaryList',
    params: {
      card: { title: { text: 'Your details' } },
      rows: [{ key: { text: 'Name' }, value: { text: 'Paige' }, actions: { items: [{ href: '/name', text: 'Change', visuallyHiddenText: 'name' }] } }],
    },
    council: 'govuk-summary-card',
    nhs: 'nhsuk-card',
    text: 'Your details',
  },
  {
    macro: 'appTable',
    params: {
      caption: 'Readings',
      captionClasses: 'govuk-table__caption--m',
      head: [{ text: 'Date' }, { text: 'Reading' }],
      rows: [[{ text: '1 December' }, { text: '120/80' }]],
    },
    council: 'data-label="Reading"',
    nhs: '<span class="nhsuk-table__heading" aria-hidden="true">Reading </span>',
    text: '120/80',
  },
  { macro: 'appPanel', params: { titleText: 'Reading saved' }, council: 'govuk-panel--confirmation', nhs: 'nhsuk-panel', text: 'Reading saved' },
  {
    macro: 'appWarningText',
    params: { text: 'You cannot undo this' },
    council: 'govuk-warning-text',
    nhs: 'nhsuk-card--warning',
    text: 'You cannot undo this',
  },
  { macro: 'appTag', params: { text: 'Sent', classes: 'govuk-tag--grey' }, council: 'govuk-tag--grey', nhs: 'nhsuk-tag--grey', text: 'Sent' },
  {
    macro: 'appPagination',
    params: {
      previous: { href: '?page=1' },
      next: { href: '?page=3' },
      items: [
        { number: 1, href: '?page=1' },
        { number: 2, href: '?page=2', current: true },
      ],
    },
    council: 'govuk-pagination',
    nhs: 'nhsuk-pagination',
    text: 'href="?page=3"',
  },
  { macro: 'appBackLink', params: { href: '/account' }, council: 'govuk-back-link', nhs: 'nhsuk-back-link', text: 'href="/account"' },
  { macro: 'appDetails', params: { summaryText: 'Show the table', text: 'The table' }, council: 'govuk-details', nhs: 'nhsuk-details', text: 'Show the table' },
  { macro: 'appInsetText', params: { text: 'Only you can see this' }, council: 'govuk-inset-text', nhs: 'nhsuk-inset-text', text: 'Only you can see this' },
  {
    macro: 'appNotificationBanner',
    params: { type: 'success', titleText: 'Success', text: 'Your reading was saved' },
    council: 'govuk-notification-banner--success',
    nhs: 'nhsuk-notification-banner--success',
    text: 'Your reading was saved',
  },
  {
    macro: 'appUrgentAdvice',
    params: { heading: 'Your reading is very high', html: '<p>Call NHS 111.</p>' },
    council: 'govuk-notification-banner__heading',
    nhs: 'nhsuk-card--care--urgent',
    text: 'Your reading is very high',
  },
  {
    macro: 'appFooter',
    params: { links: [{ href: '/privacy', text: 'Privacy notice' }], text: 'Run by Leeds City Council.' },
    council: 'govuk-footer',
    nhs: 'nhsuk-footer',
    text: 'Run by Leeds City Council.',
  },
];

describe.each(['council', 'nhs'] as const)('our components in the %s brand', (brand) => {
  const [own, other] = brand === 'council' ? ['govuk-', 'nhsuk-'] : ['nhsuk-', 'govuk-'];

  it.each(COMPONENTS)('$macro calls its design system macro, with the same words', (component) => {
    const html = render(brand, component.macro, component.params);
    expect(html).toContain(component[brand]);
    expect(html).toContain(component.text);
    expect(html).toContain(`class="${own}`);
    expect(html).not.toContain(other);
  });
});

describe('the words on a button in either brand', () => {
  it('are GOV.UK’s in the council brand and the NHS’s in the NHS brand ("Log out", not "Sign out")', () => {
    expect(render('council', 'appButton', { text: 'Sign out' })).toMatch(/>\s*Sign out\s*</);
    expect(render('nhs', 'appButton', { text: 'Sign out' })).toMatch(/>\s*Log out\s*</);
  });
});

describe('a date input in either brand', () => {
  /** Each box's name, id, label and width class, as a form posts and a page links to them. */
  const boxes = (html: string) =>
    [
      ...html.matchAll(
        /<label class="[^"]*" for="([^"]+)">\s*([^<]*?)\s*<\/label>\s*<input class="[^"]*(?:input--width-(\d+))[^"]*" id="([^"]+)" name="([^"]+)"/g,
      ),
    ].map(([, labelFor, label, width, id, name]) => ({ labelFor, label, width, id, name }));

  it('sends the same names in both brands (GOV.UK Frontend’s "<namePrefix>-day", which the forms read), with the same ids and labels', () => {
    const given = {
      id: 'measuredAt-day-group',
      namePrefix: 'measuredAt',
      fieldset: { legend: { text: 'The date' } },
      items: [
        { id: 'measuredAt-day', name: 'day', label: 'Day', classes: 'govuk-input--width-2', value: '7' },
        { id: 'measuredAt-month', name: 'month', label: 'Month', classes: 'govuk-input--width-2', value: '3' },
        { id: 'measuredAt-year', name: 'year', label: 'Year', classes: 'govuk-input--width-4', value: '2026' },
      ],
    };
    const council = boxes(render('council', 'appDateInput', given));
    expect(council.map((box) => box.name)).toEqual(['measuredAt-day', 'measuredAt-month', 'measuredAt-year']);
    expect(boxes(render('nhs', 'appDateInput', given))).toEqual(council);
    expect(render('nhs', 'appDateInput', given)).toContain('value="2026"');
    // Boxes named only by the date input: GOV.UK Frontend's ids and labels from their short names.
    const plain = { id: 'dob', namePrefix: 'dob', fieldset: { legend: { text: 'Date of birth' } } };
    expect(boxes(render('nhs', 'appDateInput', plain))).toEqual(boxes(render('council', 'appDateInput', plain)));
  });
});

describe('the frame', () => {
  const header = {
    organisationName: 'Leeds Teaching Hospitals NHS Trust',
    organisationUrl: 'https://www.leedsth.nhs.uk',
    serviceName: 'Your health and care record',
    serviceUrl: '/account',
    navigation: [{ href: '/account', text: 'Your account', active: true }],
  };

  it('council: the organisation’s header, with the service’s name and navigation below it', () => {
    const html = render('council', 'appHeader', header) + render('council', 'appServiceNavigation', header);
    expect(html).toContain('govuk-generic-header');
    expect(html).toContain('Leeds Teaching Hospitals NHS Trust');
    expect(html).toContain('govuk-service-navigation__service-name');
    expect(html).toContain('Your account');
  });

  it('NHS: one header naming the organisation, without the NHS logo unless the organisation is entitled to it', () => {
    const html = render('nhs', 'appHeader', header);
    expect(html).toContain('nhsuk-header--organisation');
    expect(html).toContain('<span class="nhsuk-header__organisation-name">Leeds Teaching Hospitals NHS Trust</span>');
    expect(html).toContain('nhsuk-header__service-name');
    expect(html).toContain('nhsuk-header__navigation-item--current');
    expect(html).not.toContain('nhsuk-header__logo');
    expect(html).not.toContain('aria-label="NHS"');
    expect(render('nhs', 'appServiceNavigation', header).trim()).toBe('');

    const entitled = render('nhs', 'appHeader', header, true);
    expect(entitled).toContain('<svg class="nhsuk-header__logo"');
    expect(entitled).toContain('aria-label="NHS Leeds Teaching Hospitals NHS Trust homepage"');
  });

  it('renders whole pages in each brand: its template, stylesheet and header, and the same words (the NHS says "log out" and "GP surgery")', () => {
    configure('nhs');
    const nhs = renderView('pages/start.njk');
    configure('council');
    const council = renderView('pages/start.njk');
    expect(nhs).toContain('/stylesheets/application-nhs.css');
    expect(nhs).toContain('class="nhsuk-header');
    expect(nhs).toContain('class="nhsuk-footer');
    expect(nhs).not.toMatch(/class="[^"]*\bgovuk-/);
    expect(council).toContain('/stylesheets/application.css');
    expect(council).toContain('class="govuk-template');
    expect(council).not.toMatch(/class="[^"]*\bnhsuk-/);
    // Each design system's own words for screen readers aside (NHS.UK inset text: "Information: ").
    const words = (html: string) =>
      html
        .replace(/<span class="(govuk-visually-hidden|nhsuk-u-visually-hidden)">[^<]*<\/span>/g, ' ')
        .replace(/<header[\s\S]*<\/header>|<footer[\s\S]*<\/footer>|<[^>]+>/g, ' ')
        .replace(/\s+/g, ' ')
        .trim();
    const main = (html: string) => html.slice(html.indexOf('<main'), html.indexOf('</main>'));
    expect(words(main(council))).toContain('remember to sign out');
    expect(words(main(nhs))).toBe(nhsukPublicWords(words(main(council))));
  });

  it('says "log out" on the pages about signing out in the NHS brand, in the title, the heading and the button', () => {
    const text = (html: string) => html.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');
    configure('nhs');
    const nhs = renderView('identity/sign-out.njk', { csrfToken: 'x' });
    configure('council');
    const council = renderView('identity/sign-out.njk', { csrfToken: 'x' });
    expect(nhs).toMatch(/<title>Log out &ndash; /);
    expect(text(nhs.slice(nhs.indexOf('<main')))).toMatch(/Log out Log out/);
    expect(text(nhs)).not.toMatch(/sign (in|out)/i);
    expect(council).toMatch(/<title>Sign out &ndash; /);
    expect(text(council.slice(council.indexOf('<main')))).toMatch(/Sign out Sign out/);
  });

  it('shows a form’s errors the same way in the NHS brand: "Error: " in the title, the summary and the message', () => {
    configure('nhs');
    const errors = { summary: [{ text: 'Enter what you thought', href: '#comments' }], fields: { comments: { text: 'Enter what you thought' } } };
    const html = renderView('feedback/feedback.njk', { errors, values: {}, ratingOptions: [] });
    expect(html).toMatch(/<title>Error: Give feedback/);
    expect(html).toContain('class="nhsuk-error-summary"');
    expect(html).toContain('href="#comments"');
    expect(html).toContain('class="nhsuk-error-message"');
    expect(html).not.toMatch(/class="[^"]*\bgovuk-/);
  });
});
