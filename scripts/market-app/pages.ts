/**
 * The blood pressure diary's pages: whole HTML documents, made on the server, that work without
 * JavaScript. Every value is escaped unless it is already markup made here (`html` below), so a
 * reading, a message from the PHR or a link cannot add markup. It is a third party's app: its
 * own plain look, not the GOV.UK or Person Held Record brand.
 */
import { ARMS, EMPTY_FORM, formatTakenAt, POSITIONS, type FormError, type Pressure, type Reading, type ReadingField, type ReadingForm } from './readings';

const APP_NAME = 'Blood pressure diary';

/** Markup made by `html`: safe to put in a page as it is. */
export class Html {
  constructor(readonly value: string) {}
  toString() {
    return this.value;
  }
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** A template tag: every value is escaped, except Html (and lists of it). */
export function html(strings: TemplateStringsArray, ...values: unknown[]): Html {
  const piece = (value: unknown): string => {
    if (value instanceof Html) return value.value;
    if (Array.isArray(value)) return value.map(piece).join('');
    if (value === undefined || value === null || value === false) return '';
    return escapeHtml(String(value));
  };
  return new Html(strings.reduce((out, text, i) => out + piece(values[i - 1]) + text));
}

const caution = html`<p class="caution">
  ${APP_NAME} is not a medical device and does not give medical advice. If a reading worries you or you feel unwell, contact your GP practice or call 111. In an
  emergency, call 999.
</p>`;

function layout(options: { title: string; hasErrors?: boolean; main: Html }): string {
  const title = `${options.hasErrors ? 'Error: ' : ''}${options.title} – ${APP_NAME}`;
  return html`<!DOCTYPE html>
    <html lang="en-GB">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>${title}</title>
        <link rel="stylesheet" href="/style.css" />
      </head>
      <body>
        <a class="skip-link" href="#main">Skip to main content</a>
        <header class="app-header">
          <p class="app-name"><a href="/">${APP_NAME}</a></p>
          <p class="app-tagline">An example app that connects to your Person Held Record</p>
        </header>
        <main id="main" tabindex="-1">${options.main}</main>
        <footer class="app-footer">
          <p>
            ${APP_NAME} is a demonstration app made by Example Health Apps, to show app makers how to use the Person Held Record's open platform. Your readings
            are stored in your Person Held Record, not by the app.
          </p>
          <p><a href="/privacy">Privacy</a></p>
        </footer>
      </body>
    </html> `.value;
}

function csrfField(csrf: string): Html {
  return html`<input type="hidden" name="csrf" value="${csrf}" />`;
}

/** Something to tell the person at the top of a page: "Reading added", "You are no longer connected". */
function notice(message: string | undefined): Html {
  return message ? html`<div class="notice" role="status"><p>${message}</p></div>` : html``;
}

export function startPage(options: { csrf: string; connected: boolean; message?: string }): string {
  return layout({
    title: 'Keep a diary of your blood pressure',
    main: html`${notice(options.message)}
      <h1>Keep a diary of your blood pressure</h1>
      <p>Write down the blood pressure readings you take at home, and see them all in one list.</p>
      <p>${APP_NAME} keeps your readings in your Person Held Record, so the people you share your record with can see them too.</p>
      ${
        options.connected
          ? html`<p><a class="button" href="/readings">Go to your readings</a></p>`
          : html`<h2>What the app will ask to do</h2>
              <p>When you connect, your Person Held Record asks you to agree. If you agree, ${APP_NAME} can:</p>
              <ul>
                <li>see the details about you in your record, such as your name and date of birth</li>
                <li>see the blood pressure readings in your record</li>
                <li>add new readings to your record</li>
                <li>stay connected while you use it, without asking you again</li>
              </ul>
              <p>You can disconnect it at any time, here or in your Person Held Record.</p>
              <p><a href="/privacy">How Blood pressure diary uses your information</a></p>
              <form method="post" action="/launch" novalidate>
                ${csrfField(options.csrf)}
                <button class="button" type="submit">Connect to your Person Held Record</button>
              </form>`
      }
      ${caution}`,
  });
}

export type ReadingsPageOptions = {
  csrf: string;
  /** The person's name from their record, to show whose readings these are. */
  name?: string;
  readings: Reading[];
  /** App addresses (/readings?page=…) of the next and previous pages, when there are any. */
  olderPage?: string;
  newerPage?: string;
  /** True on a page after the first, to offer a way back to the newest readings. */
  paged: boolean;
  form?: ReadingForm;
  errors?: FormError[];
  message?: string;
  /** The reading just added, when it is very high: the person is told what to do now. */
  veryHigh?: Pressure;
};

export function readingsPage(options: ReadingsPageOptions): string {
  const errors = options.errors ?? [];
  const form = options.form ?? EMPTY_FORM;
  return layout({
    title: 'Your blood pressure readings',
    hasErrors: errors.length > 0,
    main: html`${errorSummary(errors)}${notice(options.message)}${veryHighAdvice(options.veryHigh)}
      <h1>Your blood pressure readings</h1>
      ${options.name ? html`<p>From the Person Held Record of ${options.name}.</p>` : ''}
      <h2>Add a reading</h2>
      <form method="post" action="/readings" novalidate>
        ${csrfField(options.csrf)} ${numberField('systolic', 'Top number (systolic)', 'The larger number, in mmHg. For example, 120.', form, errors)}
        ${numberField('diastolic', 'Bottom number (diastolic)', 'The smaller number, in mmHg. For example, 80.', form, errors)}
        <fieldset aria-describedby="when-hint">
          <legend>When did you take it?</legend>
          <p class="hint" id="when-hint">Leave both empty if you took it just now.</p>
          ${inputField('date', 'Date', 'date', 'For example, 2/12/2026.', form, errors)}
          ${inputField('time', 'Time', 'time', 'On the 24-hour clock, for example 17:30.', form, errors)}
        </fieldset>
        ${radios('arm', 'Which arm did you use?', ARMS, form, errors)} ${radios('position', 'How were you when you took it?', POSITIONS, form, errors)}
        <button class="button" type="submit">Add reading</button>
      </form>
      <h2>Your readings</h2>
      ${readingsTable(options)}
      <h2>Disconnect</h2>
      <p>Disconnecting stops ${APP_NAME} seeing or adding to your record. The readings you added stay in your Person Held Record.</p>
      <form method="post" action="/disconnect">
        ${csrfField(options.csrf)}
        <button class="button button-secondary" type="submit">Disconnect from your Person Held Record</button>
      </form>
      ${caution}`,
  });
}

function readingsTable(options: ReadingsPageOptions): Html {
  const pages = html`${
    options.newerPage || options.olderPage || options.paged
      ? html`<nav class="paging" aria-label="More readings">
          <ul>
            ${options.paged ? html`<li><a href="/readings">Newest readings</a></li>` : ''}
            ${options.newerPage ? html`<li><a href="${options.newerPage}">Newer readings</a></li>` : ''}
            ${options.olderPage ? html`<li><a href="${options.olderPage}">Older readings</a></li>` : ''}
          </ul>
        </nav>`
      : ''
  }`;
  if (!options.readings.length)
    return html`<p>${options.paged ? 'There are no more readings.' : 'There are no readings in your record yet.'}</p>
      ${pages}`;
  return html`<table>
      <caption class="visually-hidden">
        Your blood pressure readings, newest first
      </caption>
      <thead>
        <tr>
          <th scope="col">Taken</th>
          <th scope="col">Top number (systolic)</th>
          <th scope="col">Bottom number (diastolic)</th>
        </tr>
      </thead>
      <tbody>
        ${options.readings.map(
          (reading) =>
            html`<tr>
              <td>${formatTakenAt(reading.takenAt)}</td>
              <td>${reading.systolic} mmHg</td>
              <td>${reading.diastolic} mmHg</td>
            </tr> `,
        )}
      </tbody>
    </table>
    ${pages}`;
}

function errorSummary(errors: FormError[]): Html {
  if (!errors.length) return html``;
  return html`<div class="error-summary" role="alert" aria-labelledby="error-summary-title" tabindex="-1">
    <h2 id="error-summary-title">There is a problem</h2>
    <ul>
      ${errors.map((error) => html`<li><a href="#${error.field}">${error.text}</a></li>`)}
    </ul>
  </div>`;
}

function inputField(field: ReadingField, label: string, type: string, hint: string, form: ReadingForm, errors: FormError[], extra = html``): Html {
  const messages = errors.filter((error) => error.field === field);
  const describedBy = `${field}-hint${messages.length ? ` ${field}-error` : ''}`;
  return html`<div class="field${messages.length ? ' field-error' : ''}">
    <label for="${field}">${label}</label>
    <p class="hint" id="${field}-hint">${hint}</p>
    ${messages.length ? html`<p class="error-message" id="${field}-error">${messages.map((error, i) => html`${i ? html`<br />` : ''}<span class="visually-hidden">Error:</span> ${error.text}`)}</p>` : ''}
    <input
      id="${field}"
      name="${field}"
      type="${type}"
      value="${form[field]}"
      aria-describedby="${describedBy}"
      ${messages.length ? html` aria-invalid="true"` : ''}${extra}
    />
  </div>`;
}

/** A question with one answer from a few: a fieldset of radios, the first one's id the field's (the error summary links to it). */
function radios(field: ReadingField, legend: string, options: Record<string, { label: string }>, form: ReadingForm, errors: FormError[]): Html {
  const messages = errors.filter((error) => error.field === field);
  return html`<div class="field${messages.length ? ' field-error' : ''}">
    <fieldset${messages.length ? html` aria-describedby="${field}-error"` : ''}>
      <legend>${legend}</legend>
      ${messages.length ? html`<p class="error-message" id="${field}-error"><span class="visually-hidden">Error:</span> ${messages[0]!.text}</p>` : ''}
      ${Object.entries(options).map(([value, option], i) => {
        const id = i === 0 ? field : `${field}-${value}`;
        return html`<div class="radio">
          <input id="${id}" name="${field}" type="radio" value="${value}" ${form[field] === value ? html` checked` : ''} />
          <label for="${id}">${option.label}</label>
        </div>`;
      })}
    </fieldset>
  </div>`;
}

/** What to do after a very high reading: the same advice the Person Held Record gives for one. */
function veryHighAdvice(reading: Pressure | undefined): Html {
  if (!reading) return html``;
  return html`<div class="warning" role="alert" aria-labelledby="very-high-title">
    <h2 id="very-high-title">Your reading of ${reading.systolic}/${reading.diastolic} is very high</h2>
    <p>Contact your GP practice today. If they are closed, call NHS 111.</p>
    <p>Call 999 now if you also have any of these:</p>
    <ul>
      <li>pain or tightness in your chest</li>
      <li>trouble breathing</li>
      <li>feeling confused</li>
      <li>sudden weakness or numbness in your face, arm or leg</li>
      <li>sudden trouble seeing or speaking</li>
    </ul>
  </div>`;
}

function numberField(field: ReadingField, label: string, hint: string, form: ReadingForm, errors: FormError[]): Html {
  return inputField(field, label, 'text', hint, form, errors, html` inputmode="numeric" autocomplete="off" spellcheck="false" class="input-short"`);
}

/** The privacy policy the app was registered with: what a person agrees to when they connect it. */
export function privacyPage(): string {
  return layout({
    title: 'How Blood pressure diary uses your information',
    main: html`<h1>How ${APP_NAME} uses your information</h1>
      <p>${APP_NAME} is a demonstration app. Example Health Apps is not a real company.</p>
      <h2>What the app can see and do</h2>
      <p>
        Only what you agree to when you connect it to your Person Held Record: the details about you in your record, your blood pressure readings, and adding
        new readings.
      </p>
      <h2>What the app keeps</h2>
      <p>
        Nothing is stored by the app. While you use it, it keeps your name and its connection to your record in memory. It forgets them when you disconnect, or
        after 30 minutes without use, and then tells your Person Held Record to end the connection.
      </p>
      <p>The readings you add are stored in your Person Held Record, where the people you share your record with can see them.</p>
      <h2>Cookies</h2>
      <p>The app uses one cookie, which it needs to work: it links your browser to your visit. It is deleted when you close your browser.</p>
      <h2>Who it shares your information with</h2>
      <p>No one. The app has no advertising or analytics.</p>
      <p><a href="/">Go to the start page</a></p>`,
  });
}

/** A page that only tells the person something: a refusal, a failure, a next step. */
export function messagePage(options: { title: string; paragraphs: string[]; link?: { href: string; text: string } }): string {
  return layout({
    title: options.title,
    main: html`<h1>${options.title}</h1>
      ${options.paragraphs.map((paragraph) => html`<p>${paragraph}</p>`)}
      ${options.link ? html`<p><a href="${options.link.href}">${options.link.text}</a></p>` : ''}`,
  });
}

export const STYLESHEET = `
*, *::before, *::after { box-sizing: border-box; }
body { margin: 0; font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; font-size: 1.125rem; line-height: 1.5; color: #1b1b1b; background: #fff; }
main, .app-header, .app-footer { max-width: 44rem; margin: 0 auto; padding: 1rem 1.25rem; }
.app-header { background: #234e52; color: #fff; max-width: none; padding-left: max(1.25rem, calc((100% - 41.5rem) / 2)); }
.app-name { margin: 0; font-size: 1.5rem; font-weight: 700; }
.app-name a { color: #fff; text-decoration: none; }
.app-tagline { margin: 0; }
.app-footer { border-top: 1px solid #767676; font-size: 1rem; margin-top: 2rem; }
h1 { font-size: 2rem; line-height: 1.2; }
a { color: #1d5fa8; }
a:visited { color: #6b2c91; }
:focus-visible { outline: 3px solid #1b1b1b; outline-offset: 2px; box-shadow: 0 0 0 6px #ffd84d; }
.app-header :focus-visible { outline-color: #ffd84d; box-shadow: none; }
.skip-link { position: absolute; left: -9999px; }
.skip-link:focus { position: static; display: block; padding: 0.5rem 1.25rem; background: #ffd84d; color: #1b1b1b; }
.visually-hidden { position: absolute !important; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
.button { display: inline-block; font: inherit; font-weight: 700; padding: 0.6rem 1.2rem; border: 2px solid #234e52; border-radius: 0.4rem; background: #234e52; color: #fff; text-decoration: none; cursor: pointer; }
.button:visited { color: #fff; }
.button:hover { background: #16363a; }
.button-secondary, .button-secondary:visited { background: #fff; color: #234e52; }
.button-secondary:hover { background: #e6f0f0; }
.field { margin-bottom: 1.25rem; }
label, legend { display: block; font-weight: 700; }
fieldset { border: 0; padding: 0; margin: 0 0 1.25rem; }
legend { font-size: 1.25rem; margin-bottom: 0.25rem; padding: 0; }
.hint { margin: 0 0 0.25rem; color: #4a4a4a; }
input { font: inherit; padding: 0.4rem; border: 2px solid #1b1b1b; border-radius: 0.2rem; max-width: 100%; }
.input-short { width: 6em; }
.field-error { border-left: 5px solid #b3261e; padding-left: 0.75rem; }
.field-error input { border-width: 3px; border-color: #b3261e; }
.error-message { margin: 0 0 0.25rem; font-weight: 700; color: #b3261e; }
.error-summary { border: 4px solid #b3261e; padding: 1rem; margin-bottom: 1.5rem; }
.error-summary h2 { margin-top: 0; }
.error-summary a { color: #b3261e; font-weight: 700; }
.radio { display: flex; align-items: center; gap: 0.5rem; margin: 0.25rem 0; }
.radio input { width: 1.5rem; height: 1.5rem; margin: 0; }
.radio label { font-weight: 400; }
.warning { border: 4px solid #1b1b1b; padding: 0.25rem 1rem; margin-bottom: 1.5rem; }
.warning h2 { margin-top: 0.75rem; }
.notice { border-left: 6px solid #234e52; background: #e6f0f0; padding: 0.25rem 1rem; margin-bottom: 1.5rem; font-weight: 700; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; padding: 0.5rem 0.75rem 0.5rem 0; border-bottom: 1px solid #767676; vertical-align: top; }
.paging ul { list-style: none; padding: 0; display: flex; flex-wrap: wrap; gap: 1.5rem; }
.caution { margin-top: 2rem; padding-top: 1rem; border-top: 1px solid #767676; font-size: 1rem; }
`;
