import { HtmlValidate } from 'html-validate';
import { describe, expect, it } from 'vitest';
import { escapeHtml, html, messagePage, privacyPage, readingsPage, startPage } from './pages';
import { squash } from './test-support';

// Prettier lays out the pages' markup (void elements self-closed, indented): how it looks, not what it means.
const validator = new HtmlValidate({
  extends: ['html-validate:recommended'],
  rules: { 'no-trailing-whitespace': 'off', 'void-style': ['error', { style: 'selfclose' }] },
});

async function problemsIn(page: string): Promise<string[]> {
  const report = await validator.validateString(page);
  return report.results.flatMap((result) => result.messages.map((message) => `${message.ruleId} (line ${message.line}): ${message.message}`));
}

const readings = [
  { systolic: 131, diastolic: 84, takenAt: new Date('2026-12-02T08:30:00Z') },
  { systolic: 128, diastolic: 82, takenAt: new Date('2026-12-01T19:05:00Z') },
];

describe('escaping', () => {
  it('escapes every value put in a page, and only once', () => {
    expect(escapeHtml(`<a href="x" onclick='y'>&</a>`)).toBe('&lt;a href=&quot;x&quot; onclick=&#39;y&#39;&gt;&amp;&lt;/a&gt;');
    const name = '<script>alert(1)</script>';
    const made = html`<p>${name}</p>
      ${html`<b>${'&'}</b>`}${[html`<i>1</i>`, '<2>']}${undefined}${false}`.value;
    expect(squash(made)).toBe('<p>&lt;script&gt;alert(1)&lt;/script&gt;</p><b>&amp;</b><i>1</i>&lt;2&gt;');
  });

  it('escapes what the person typed, what the PHR said and the paging links', () => {
    const page = readingsPage({
      csrf: 'token"><x',
      name: 'Amelia <b>Testwell</b>',
      readings: [],
      paged: false,
      olderPage: '/readings?page=a&b="c"',
      form: { systolic: '"><script>', diastolic: '', date: '', time: '', arm: '', position: '' },
      errors: [{ field: 'systolic', text: 'The PHR says <img src=x onerror=alert(1)>' }],
    });
    expect(page).not.toContain('<script>');
    expect(page).not.toContain('<img');
    expect(page).not.toContain('<b>Testwell');
    expect(page).toContain('value="&quot;&gt;&lt;script&gt;"');
    expect(page).toContain('href="/readings?page=a&amp;b=&quot;c&quot;"');
  });
});

describe('the pages', () => {
  it('are valid HTML, with one h1 and the language set', async () => {
    const pages = [
      startPage({ csrf: 'abc', connected: false }),
      startPage({ csrf: 'abc', connected: true, message: 'You did not connect' }),
      readingsPage({
        csrf: 'abc',
        name: 'Amelia Testwell',
        readings,
        paged: true,
        olderPage: '/readings?page=2',
        newerPage: '/readings?page=1',
        message: 'Reading added',
      }),
      readingsPage({
        csrf: 'abc',
        readings: [],
        paged: false,
        form: { systolic: '', diastolic: '90', date: '2026-12-01', time: '', arm: 'right', position: '' },
        errors: [
          { field: 'systolic', text: 'Enter the top number (systolic)' },
          { field: 'time', text: 'Enter the time you took the reading' },
          { field: 'time', text: 'A second message about the time' },
          { field: 'position', text: 'Select whether you were sitting, standing or lying down' },
        ],
        veryHigh: { systolic: 185, diastolic: 95 },
      }),
      privacyPage(),
      messagePage({ title: 'Page not found', paragraphs: ['Check the address.'], link: { href: '/', text: 'Go to the start page' } }),
    ];
    for (const page of pages) {
      expect(await problemsIn(page)).toEqual([]);
      expect(page).toContain('<html lang="en-GB">');
      expect(page.match(/<h1>/g)).toHaveLength(1);
    }
  });

  it('lists errors in a summary linked to their fields, and marks each field', () => {
    const page = squash(
      readingsPage({
        csrf: 'abc',
        readings: [],
        paged: false,
        errors: [{ field: 'diastolic', text: 'The bottom number (diastolic) must be lower than the top number (systolic)' }],
      }),
    );
    expect(page).toContain('<title>Error: Your blood pressure readings – Blood pressure diary</title>');
    expect(page).toContain('<a href="#diastolic">The bottom number (diastolic) must be lower than the top number (systolic)</a>');
    expect(page).toMatch(/<p class="error-message" id="diastolic-error"><span class="visually-hidden">Error:<\/span> The bottom number/);
    expect(page).toMatch(/<input id="diastolic"[^>]* aria-describedby="diastolic-hint diastolic-error" aria-invalid="true"/);
    expect(page).not.toContain('id="systolic-error"');
  });

  it('ask which arm and how the person was, as radios keeping the answer, the first linked from the summary', () => {
    const page = squash(
      readingsPage({
        csrf: 'abc',
        readings: [],
        paged: false,
        form: { systolic: '', diastolic: '', date: '', time: '', arm: 'right', position: '' },
        errors: [{ field: 'position', text: 'Select whether you were sitting, standing or lying down' }],
      }),
    );
    expect(page).toContain('<input id="arm-right" name="arm" type="radio" value="right" checked />');
    expect(page).toContain('<a href="#position">Select whether you were sitting, standing or lying down</a>');
    expect(page).toContain('<input id="position" name="position" type="radio" value="sitting" />');
  });

  it('give the advice for a very high reading at the top', () => {
    const page = squash(readingsPage({ csrf: 'abc', readings: [], paged: false, veryHigh: { systolic: 185, diastolic: 95 } }));
    expect(page).toContain('<h2 id="very-high-title">Your reading of 185/95 is very high</h2><p>Contact your GP practice today.');
    expect(page.indexOf('very-high-title')).toBeLessThan(page.indexOf('<h1>'));
  });

  it('shows readings in a table with the time on UK clocks and the unit in words', () => {
    const page = squash(readingsPage({ csrf: 'abc', readings, paged: false }));
    expect(page).toContain('<tr><td>2 December 2026 at 8:30am</td><td>131 mmHg</td><td>84 mmHg</td></tr>');
    expect(page).not.toContain('Older readings');
    expect(readingsPage({ csrf: 'abc', readings: [], paged: false })).toContain('There are no readings in your record yet.');
  });

  it('offers to connect only when not connected, with the CSRF token', () => {
    expect(squash(startPage({ csrf: 'abc', connected: false }))).toContain(
      '<form method="post" action="/launch" novalidate><input type="hidden" name="csrf" value="abc" />',
    );
    expect(startPage({ csrf: 'abc', connected: true })).not.toContain('action="/launch"');
  });
});
