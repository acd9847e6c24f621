import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import nunjucks from 'nunjucks';
import { describe, expect, it } from 'vitest';
import { htmlResponse, importOnce, labelledTable, redirect, renderView, views } from './render';

describe('renderView', () => {
  it('renders a whole page from the govuk-frontend template with our service branding', () => {
    const html = renderView('pages/start.njk');
    expect(html).toMatch(/^<!DOCTYPE html>/);
    expect(html).toContain('class="govuk-template');
    expect(html).toContain('govuk-generic-header');
    expect(html).toContain('govuk-service-navigation__service-name');
    expect(html).toContain('<title>Your health and care record &ndash; Leeds City Council</title>');
    expect(html).not.toContain('govuk-header__logo');
    expect(html).not.toMatch(/<script[^>]+src=/);
  });

  it('draws the frame of a signed-in page in Latin-1 characters only, writing others as entities', () => {
    // One character past Latin-1 (an en dash in the title, a curly apostrophe in the timeout warning)
    // makes V8 keep the whole page as two bytes a character: 76 kB of readings became 153 kB to
    // flatten, and Buffer.from took over three times as long to encode it.
    const html = renderView('identity/sign-out.njk', { csrfToken: 'x', sessionSecondsLeft: 1800 });
    expect(html).toContain('timeout-warning');
    expect([...html].filter((character) => character.charCodeAt(0) > 0xff)).toEqual([]);
  });

  it("keeps where each template's relative imports are, as Nunjucks works them out", () => {
    const loader = (views() as unknown as { loaders: { resolve(from: string, to: string): string }[] }).loaders[0]!;
    for (const [from, to] of [
      ['/project/node_modules/govuk-frontend/dist/govuk/template.njk', './macros/attributes.njk'],
      ['/project/node_modules/govuk-frontend/dist/govuk/components/table/template.njk', '../../macros/attributes.njk'],
    ] as const) {
      const file = path.resolve(path.dirname(from), to);
      expect(loader.resolve(from, to)).toBe(file);
      expect(loader.resolve(from, to)).toBe(file);
    }
  });

  it('escapes anything people typed', () => {
    const html = renderView('feedback/feedback.njk', { values: { comments: '<script>alert(1)</script>' }, ratingOptions: [] });
    expect(html).not.toContain('<script>alert(1)</script>');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
  });

  it('puts "Error: " before the title and shows the error summary when a form has errors', () => {
    const errors = { summary: [{ text: 'Enter what you thought', href: '#comments' }], fields: { comments: { text: 'Enter what you thought' } } };
    const html = renderView('feedback/feedback.njk', { errors, values: {}, ratingOptions: [] });
    expect(html).toMatch(/<title>Error: Give feedback/);
    expect(html).toContain('govuk-error-summary');
    expect(html).toContain('href="#comments"');
    expect(html).toContain('govuk-error-message');
  });

  it('renders each error page', () => {
    expect(renderView('errors/not-found.njk')).toContain('Page not found');
    expect(renderView('errors/problem.njk')).toContain('Sorry, there is a problem with the service');
    expect(renderView('errors/unavailable.njk')).toContain('Sorry, the service is unavailable');
  });
});

describe('responses', () => {
  it('never lets a page be stored', () => {
    const response = htmlResponse('<p>hi</p>', { cookies: ['a=1', 'b=2'] });
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(response.headers.getSetCookie()).toEqual(['a=1', 'b=2']);
  });

  it('redirects after a post with 303', () => {
    const response = redirect('/done');
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe('/done');
  });
});

describe('UK date filters', () => {
  it('write dates and times as GOV.UK does, on UK clocks, and nothing for no date', () => {
    const summer = new Date('2026-07-01T11:30:00Z');
    const render = (template: string, at: unknown) => views().renderString(template, { at });
    expect(render('{{ at | ukDateTime }}', summer)).toBe('1 July 2026 at 12:30pm');
    expect(render('{{ at | ukDate }}', new Date('2026-12-02T00:00:00Z'))).toBe('2 December 2026');
    expect(render('{{ at | ukShortDate }}', summer)).toBe('1 Jul 2026');
    expect(render('{{ at | ukTime }}', new Date('2026-12-02T12:00:00Z'))).toBe('midday');
    expect(render('{{ at | calendarDay }}', '2026-11-25')).toBe('25 November 2026');
    expect(render('{{ at | calendarDay(true) }}', '2026-11-25')).toBe('Wednesday 25 November');
    expect(render('{{ at | ukDate }}', null)).toBe('');
    expect(render('{{ at | calendarDay }}', '25/11/2026')).toBe('');
  });
});

describe('importOnce', () => {
  // A macro file that counts each time it is run, and two pages that import it.
  function environment() {
    let runs = 0;
    const templates: Record<string, string> = {
      'macros.njk': '{% set _ = counted() %}{% macro hello(name) %}Hello {{ name }} from {{ place }}{% endmacro %}',
      'page.njk': '{% from "macros.njk" import hello %}{{ hello(name) }}',
      'page-with-context.njk': '{% from "macros.njk" import hello with context %}{{ hello(name) }}',
    };
    class Templates extends nunjucks.Loader {
      // No template by that name: null, as Nunjucks' own loaders say it.
      getSource(name: string): nunjucks.LoaderSource {
        const src = templates[name];
        return (src === undefined ? null : { src, path: name, noCache: false }) as nunjucks.LoaderSource;
      }
    }
    const env = new nunjucks.Environment(new Templates(), { autoescape: true });
    env.addGlobal('counted', () => (runs += 1));
    env.addGlobal('place', 'Leeds');
    importOnce(env);
    return { env, runs: () => runs };
  }

  it('runs a macro file once for every page that imports it without context', () => {
    const { env, runs } = environment();
    expect(env.render('page.njk', { name: 'Amelia' })).toBe('Hello Amelia from Leeds');
    expect(env.render('page.njk', { name: '<Ben>' })).toBe('Hello &lt;Ben&gt; from Leeds');
    expect(runs()).toBe(1);
  });

  it("runs it again for each page that imports it with the page's context", () => {
    const { env, runs } = environment();
    expect(env.render('page-with-context.njk', { name: 'Amelia', place: 'Otley' })).toBe('Hello Amelia from Otley');
    expect(env.render('page-with-context.njk', { name: 'Ben' })).toBe('Hello Ben from Leeds');
    expect(runs()).toBe(2);
  });

  it('tells a page about a template that is not there, and an include may leave it out', () => {
    const { env } = environment();
    expect(() => env.render('missing.njk', {})).toThrow('template not found: missing.njk');
    expect(() => env.renderString('{% from "missing.njk" import hello %}{{ hello("x") }}', {})).toThrow('template not found: missing.njk');
    expect(env.renderString('a{% include "missing.njk" ignore missing %}b', {})).toBe('ab');
  });

  it('no view includes another: shared parts are macros (render.ts says why)', () => {
    const viewsDir = path.join(process.cwd(), 'views');
    const including = readdirSync(viewsDir, { recursive: true, encoding: 'utf8' })
      .filter((file) => file.endsWith('.njk'))
      .filter((file) => /\{%-?\s*include\s/.test(readFileSync(path.join(viewsDir, file), 'utf8')));
    expect(including).toEqual([]);
  });

  it("is what the service's views use: the same page twice is the same HTML", () => {
    expect(renderView('pages/start.njk')).toBe(renderView('pages/start.njk'));
  });
});

describe('labelledTable', () => {
  const table = (params: unknown) =>
    views().renderString('{% from "govuk/components/table/macro.njk" import govukTable %}{{ govukTable(params) }}', { params: labelledTable(params as never) });
  // What it gave before each cell's label went to govukTable as HTML: every cell's attributes with the label added.
  const labelledByName = (params: { head: { text?: string }[]; rows: Record<string, unknown>[][] }) =>
    views().renderString('{% from "govuk/components/table/macro.njk" import govukTable %}{{ govukTable(params) }}', {
      params: {
        ...params,
        classes: 'app-table',
        rows: params.rows.map((row) =>
          row.map((cell, column) => ({ ...cell, attributes: { ...(cell.attributes as object), 'data-label': params.head[column]?.text ?? '' } })),
        ),
      },
    });

  it('labels each cell with its column, the same HTML as giving the label among its attributes', () => {
    const params = {
      head: [{ text: 'Date' }, { text: 'Reading "mmHg" <&>' }],
      rows: [
        [{ text: '1 May' }, { text: '120/80', attributes: { id: 'x"y', 'data-other': '<b>' } }, { text: 'no heading' }],
        [{ text: '2 May' }, { html: '<strong>130/85</strong>' }],
      ],
    };
    const html = table(params);
    expect(html).toBe(labelledByName(params));
    expect(html).toContain('data-label="Reading &quot;mmHg&quot; &lt;&amp;&gt;"');
    expect(html).toContain('id="x&quot;y"');
    expect(html).toContain('data-label=""');
  });
});
