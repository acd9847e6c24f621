import { describe, expect, it } from 'vitest';
import { nhsukClasses, nhsukHeaderParams, nhsukPage, nhsukParams, nhsukPublicWords, nhsukWords } from './nhsuk';

describe('GOV.UK class names in NHS.UK Frontend’s words', () => {
  it('renames type, spacing and layout classes, drops those NHS.UK Frontend has no need of, and keeps our own', () => {
    expect(nhsukClasses('govuk-body govuk-!-margin-bottom-0 app-nowrap')).toBe('nhsuk-body nhsuk-u-margin-bottom-0 app-nowrap');
    expect(nhsukClasses('govuk-visually-hidden')).toBe('nhsuk-u-visually-hidden');
    expect(nhsukClasses('govuk-list govuk-list--spaced')).toBe('nhsuk-list');
  });

  it('rewrites every class attribute of a page, and nothing else', () => {
    const html = '<p class="govuk-body">govuk-body stays in text</p><a class="govuk-link" href="/govuk-link">x</a>';
    expect(nhsukPage(html)).toBe('<p class="nhsuk-body">govuk-body stays in text</p><a class="nhsuk-link" href="/govuk-link">x</a>');
  });
});

describe('GOV.UK Frontend params as NHS.UK Frontend’s', () => {
  it('renames classes at any depth, leaving the params given untouched', () => {
    const params = { classes: 'govuk-radios--inline', fieldset: { legend: { text: 'Arm', classes: 'govuk-fieldset__legend--m' } } };
    expect(nhsukParams(params, 'radios')).toEqual({
      classes: 'nhsuk-radios--inline',
      fieldset: { legend: { text: 'Arm', classes: 'nhsuk-fieldset__legend--m' } },
    });
    expect(params.classes).toBe('govuk-radios--inline');
  });

  it('gives a number shown as text as a string (NHS.UK Frontend trims it)', () => {
    expect(nhsukParams({ rows: [{ key: { text: 'Tries' }, value: { text: 3 } }] }, 'summaryList')).toEqual({
      rows: [{ key: { text: 'Tries' }, value: { text: '3' } }],
    });
  });

  it('has no start button, a responsive table labelled by column, summary cards as NHS cards and warning text as the warning callout', () => {
    expect(nhsukParams({ text: 'Start now', isStartButton: true }, 'button')).toEqual({ text: 'Start now' });
    expect(nhsukParams({ head: [{ text: 'Date' }, { html: '', label: 'Actions' }], rows: [[{ text: '1 May' }, { html: 'x' }]] }, 'table')).toEqual({
      responsive: true,
      head: [{ text: 'Date' }, { html: '' }],
      rows: [[{ text: '1 May' }, { header: 'Actions', html: 'x' }]],
    });
    expect(nhsukParams({ card: { title: { text: 'Asthma' }, actions: { items: [] } }, rows: [] }, 'summaryList')).toEqual({
      card: { heading: 'Asthma', headingLevel: 2 },
      rows: [],
    });
    expect(nhsukParams({ text: 'You cannot undo this', iconFallbackText: 'Warning' }, 'warningText')).toEqual({
      heading: 'Important',
      headingLevel: 2,
      text: 'You cannot undo this',
      html: undefined,
    });
  });

  it('draws the NHS logo in the header only for an organisation entitled to it', () => {
    const header = { organisationName: 'Leeds City Council', organisationUrl: 'https://www.leeds.gov.uk', serviceName: 'Your record', serviceUrl: '/' };
    expect(nhsukHeaderParams(header, false).logo).toMatchObject({ src: '/favicon.svg', alt: '' });
    expect(nhsukHeaderParams(header, true).logo).not.toHaveProperty('src');
    expect(nhsukHeaderParams(header, false).navigation).toBeUndefined();
  });
});

describe('the NHS’s own words on buttons and the header’s links', () => {
  it('says "log in" and "log out" where GOV.UK says "sign in" and "sign out" (the A to Z of NHS health writing)', () => {
    expect(nhsukWords('Sign out')).toBe('Log out');
    expect(nhsukWords('Sign in again')).toBe('Log in again');
    expect(nhsukWords('Sign in with your staff account')).toBe('Log in with your staff account');
    expect(nhsukWords('Sign out of all other devices')).toBe('Log out of all other devices');
    expect(nhsukWords('Stay signed in')).toBe('Stay logged in');
    // Other words, and the name of NHS login, stay as they are.
    expect(nhsukWords('Continue')).toBe('Continue');
    expect(nhsukWords('Add NHS login')).toBe('Add NHS login');
    expect(nhsukWords('Design instead')).toBe('Design instead');
  });

  it('says "GP surgery" to the public, where staff read "GP practice" (the NHS content style guide)', () => {
    expect(nhsukPublicWords('Contact your GP practice today.')).toBe('Contact your GP surgery today.');
    expect(nhsukPublicWords('and GP practices in Leeds. Sign in')).toBe('and GP surgeries in Leeds. Log in');
    expect(nhsukWords('Contact your GP practice today.')).toBe('Contact your GP practice today.');
  });

  it('in error messages, which lib/ writes', () => {
    const params = {
      errorMessage: { text: 'Enter the name of their GP practice' },
      errorList: [{ text: 'Select how you want to sign in', href: '#provider' }],
    };
    expect(nhsukParams(params, 'errorSummary')).toEqual({
      errorMessage: { text: 'Enter the name of their GP surgery' },
      errorList: [{ text: 'Select how you want to log in', href: '#provider' }],
    });
  });

  it('on buttons and the header’s links only', () => {
    expect(nhsukParams({ text: 'Sign out', classes: 'govuk-button--secondary' }, 'button')).toEqual({ text: 'Log out', classes: 'nhsuk-button--secondary' });
    expect(nhsukParams({ text: 'Sign out' }, 'tag')).toEqual({ text: 'Sign out' });
    const header = { organisationName: 'Leeds City Council', organisationUrl: '/', serviceName: 'Your record', serviceUrl: '/' };
    expect(nhsukHeaderParams({ ...header, navigation: [{ href: '/sign-out', text: 'Sign out' }] }, false).navigation).toEqual({
      items: [{ href: '/sign-out', text: 'Log out', active: undefined }],
    });
  });
});
