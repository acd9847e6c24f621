import path from 'node:path';
import nunjucks from 'nunjucks';
import { type Brand, config } from './config';
import { type HeaderParams, nhsukHeaderParams, nhsukPage, nhsukParams, nhsukPublicWords, nhsukWords, withNhsukPublicText } from './nhsuk';
import { keptMacroHtml } from './kept-macro-html';
import { tableByRowShape } from './table-rows';
import { fasterFrameSet } from './nunjucks-frame';
import { trim } from './nunjucks-trim';
import { paths } from './paths';
import { formatCalendarDay, formatDate, formatShortDate, formatTime, formatWhen } from './uk-time';

/**
 * The one rendering module: a Nunjucks environment over our views and the govuk-frontend and
 * nhsuk-frontend macros, and helpers that turn a view into a whole-page Response.
 *
 * Views call our own component macros (views/components.njk), which call the GOV.UK or the
 * NHS.UK macro for the brand the service runs in (BRAND, lib/platform/config.ts): the global
 * `brand`, "council" or "nhs". One environment per brand, so that tests can render both.
 */

const environments = new Map<Brand, nunjucks.Environment>();

/**
 * The NHS brand's loader: our views' own words as the NHS content style has them ("log in", not
 * GOV.UK's "sign in"; "GP surgery" on the public's pages: lib/platform/nhsuk.ts), rewritten once as each view is read, so
 * every page says it without a filter on each sentence. Only the views' source, never what is
 * rendered into them: what people wrote, and the design systems' own templates, stay as they are.
 */
class NhsWordsLoader extends nunjucks.FileSystemLoader {
  constructor(
    searchPaths: string[],
    options: nunjucks.FileSystemLoaderOptions,
    private readonly viewsDir: string,
  ) {
    super(searchPaths, options);
  }

  override getSource(name: string): nunjucks.LoaderSource {
    const source = super.getSource(name) as nunjucks.LoaderSource | null;
    if (!source?.path.startsWith(this.viewsDir)) return source as nunjucks.LoaderSource;
    // Staff pages (views/staff/, views/<capability>/staff/) keep "GP practice", as the NHS writes for staff.
    const forStaff = source.path.slice(this.viewsDir.length).split(path.sep).includes('staff');
    return { ...source, src: forStaff ? nhsukWords(source.src) : nhsukPublicWords(source.src) };
  }
}

function createEnvironment(brand: { name: Brand; nhsLogo: boolean }): nunjucks.Environment {
  const root = process.cwd();
  const searchPaths = [path.join(root, 'views'), path.join(root, 'node_modules/govuk-frontend/dist'), path.join(root, 'node_modules/nhsuk-frontend/dist')];
  const options = { noCache: config().environment === 'development' };
  const loader =
    brand.name === 'nhs' ? new NhsWordsLoader(searchPaths, options, path.join(root, 'views') + path.sep) : new nunjucks.FileSystemLoader(searchPaths, options);
  keepResolvedNames(loader);
  const env = new nunjucks.Environment(loader, { autoescape: true, throwOnUndefined: false, trimBlocks: true, lstripBlocks: true });
  if (!options.noCache) importOnce(env);
  fasterFrameSet();
  // Nunjucks' own trim, without its regular expression (lib/platform/nunjucks-trim.ts).
  env.addFilter('trim', trim);
  const { service: configured } = config();
  // The partners' names are the service's own words too ("GP surgeries in Leeds" in the NHS brand).
  const service = brand.name === 'nhs' ? { ...configured, partnerNames: nhsukPublicWords(configured.partnerNames) } : configured;
  env.addGlobal('brand', brand.name);
  env.addGlobal('nhsLogo', brand.nhsLogo);
  env.addGlobal('service', service);
  env.addGlobal('serviceName', service.name);
  // Every page's address (lib/platform/paths.ts): views link with {{ paths.bloodPressure.add }}.
  env.addGlobal('paths', paths);
  // The frame every page draws, made once for each set of params: {{ keptHtml(appFooter, pageFooter) }} (lib/platform/kept-macro-html.ts).
  env.addGlobal('keptHtml', keptMacroHtml());
  // The one table pattern (appTable in views/components.njk): in the council brand each cell is
  // given its column's name (data-label, labelledTable below), so that on a narrow screen each row
  // is a block with every value under its column's name (frontend/application.scss, .app-table).
  // A head item's `label` overrides its text. Long tables: govukTable draws each shape of row once
  // (lib/platform/table-rows.ts), the cells labelled only in the rows it draws:
  // {{ tableByRowShape(govukTable, params, labelledTable) }}.
  env.addGlobal('tableByRowShape', tableByRowShape);
  env.addGlobal('labelledTable', labelledTable);
  // Dates and times as GOV.UK writes them, on UK clocks (lib/platform/uk-time.ts):
  // {{ viewedAt | ukDateTime }} "2 December 2026 at 5:30pm", | ukDate, | ukShortDate, | ukTime,
  // and {{ '2026-11-25' | calendarDay }} for days kept as YYYY-MM-DD. Nothing shown for no date.
  const ukDates: Record<string, (at: Date) => string> = { ukDate: formatDate, ukShortDate: formatShortDate, ukTime: formatTime, ukDateTime: formatWhen };
  for (const [name, format] of Object.entries(ukDates)) {
    env.addFilter(name, (at: unknown) => (at instanceof Date && !Number.isNaN(at.getTime()) ? format(at) : ''));
  }
  // The NHS brand: GOV.UK Frontend's params as NHS.UK Frontend's (lib/platform/nhsuk.ts).
  env.addFilter('nhsuk', (params: unknown, component: string) => nhsukParams(params, component));
  env.addFilter('nhsukHeader', (params: HeaderParams, nhsLogo: boolean) => nhsukHeaderParams(params, nhsLogo));
  // The NHS's words for text a view is given by lib/ rather than writes itself (the loader above
  // rewrites the views' own): {{ section.heading | brandWords }}, or a table's head as items
  // ({ text }). Never on what people wrote.
  env.addFilter('brandWords', (text: unknown) => (brand.name === 'nhs' ? brandWords(text) : text));
  env.addFilter('calendarDay', (day: unknown, weekday?: boolean) =>
    typeof day === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(day) ? formatCalendarDay(day, { weekday }) : '',
  );
  return env;
}

/**
 * govuk-frontend's templates import their macros by relative names ({% from "./macros/attributes.njk" … %}),
 * and Nunjucks works out the file for such a name with path.resolve each time the import runs: on
 * every page, and for every table and other component drawn. The answer for a name and the
 * template importing it never changes, so it is kept (there are as many as there are imports).
 */
function keepResolvedNames(loader: nunjucks.ILoader): void {
  const relative = loader as unknown as { resolve?: (from: string, to: string) => string };
  const resolve = relative.resolve?.bind(loader);
  if (!resolve) return;
  const resolved = new Map<string, string>();
  relative.resolve = (from, to) => {
    const key = `${from}\u0000${to}`;
    let file = resolved.get(key);
    if (file === undefined) {
      file = resolve(from, to);
      resolved.set(key, file);
    }
    return file;
  };
}

type Exported = Record<string, unknown>;
type ExportedCallback = (error: Error | null, exported: Exported | null) => void;
type Importable = nunjucks.Template & { getExported(...args: unknown[]): void; [importedOnce]?: true };
const importedOnce = Symbol('importedOnce');

/**
 * `{% from "components.njk" import appTable %}` runs components.njk (and, through it, every
 * govuk-frontend and nhsuk-frontend macro file it imports) again on every page: about half of
 * rendering /account (2.0 ms, 0.9 without). An import without context sees only the environment's globals, so what it
 * exports is the same every time: each template's exports are made once and kept with the
 * template (which the environment keeps too, except in development, where views are read afresh).
 * Rendering is synchronous, so no two pages use the macros at once.
 */
export function importOnce(env: nunjucks.Environment): void {
  const getTemplate = env.getTemplate.bind(env) as (...args: unknown[]) => unknown;
  const keepExports = (template: unknown): unknown => {
    const importable = template as Importable | null;
    if (!importable || importable[importedOnce]) return template;
    importable[importedOnce] = true;
    const getExported = importable.getExported.bind(importable);
    let exported: Exported | undefined;
    importable.getExported = (...args: unknown[]) => {
      const [callback] = args;
      // With a context ({% from … import … with context %}), the exports depend on the page.
      if (args.length !== 1 || typeof callback !== 'function') return getExported(...args);
      const done = callback as ExportedCallback;
      if (exported) return done(null, exported);
      getExported((error: Error | null, made: Exported | null) => {
        if (!error && made) exported = made;
        done(error, made);
      });
    };
    return template;
  };
  // Nunjucks asks for a template with a callback (every render, import and include). The template
  // is got without one (our loaders read files synchronously) and handed to the callback: giving
  // Nunjucks a new function of ours to call back instead, on every page, made V8 on Node 24 keep
  // nearly everything a page allocated through the young generation's collections, to be freed only
  // by a full one (issue 18: `--trace-gc-nvp`, 73% of what rendering a one-line view allocated was
  // promoted to the old generation, 0.3% this way; the readings page, in-process, 176 kB a request
  // promoted, 110 kB this way).
  (env as unknown as { getTemplate: (...args: unknown[]) => unknown }).getTemplate = (...args: unknown[]) => {
    const last = args.length - 1;
    const callback = args[last];
    if (typeof callback === 'function') {
      let template: unknown;
      try {
        template = getTemplate(...args.slice(0, last));
      } catch (error) {
        return (callback as (error: unknown) => void)(error);
      }
      return (callback as (error: Error | null, template: unknown) => void)(null, keepExports(template));
    }
    return keepExports(getTemplate(...args));
  };
}

// Shared parts of views are macros, imported without context and given what they show
// ({% from "partials/timeout-warning.njk" import appTimeoutWarning %}), never included
// ({% include %}, which render.test.ts refuses). An include renders the partial as a template of
// its own with a copy of the page's context, through a chain of callbacks, and V8 kept what the
// page allocated through the young generation's collections to free it only in a full one: the
// layout's include of the timeout warning, on every signed-in page, made rendering the readings
// page in-process promote about 110 kB a request to the old generation on Node 24 and 135 kB on
// Node 20; as a macro, 35 and 60 (issue 18, `--trace-gc-nvp`). A macro is a function call.

/** Text (or items with text) in the NHS's words; anything else as it is. */
function brandWords(value: unknown): unknown {
  if (typeof value === 'string') return nhsukPublicWords(value);
  if (Array.isArray(value)) return value.map(withNhsukPublicText);
  return value;
}

/** The environment for the brand the service runs in (config().brand). */
export function views(): nunjucks.Environment {
  const brand = config().brand;
  let env = environments.get(brand.name);
  if (!env || env.getGlobal('nhsLogo') !== brand.nhsLogo) {
    env = createEnvironment(brand);
    environments.set(brand.name, env);
  }
  return env;
}

export function renderView(view: string, context: Record<string, unknown> = {}): string {
  const html = views().render(view, context);
  // The NHS brand: the GOV.UK names our views give type, spacing and layout, as NHS.UK Frontend's.
  return config().brand.name === 'nhs' ? nhsukPage(html) : html;
}

export type PageOptions = {
  status?: number;
  headers?: Record<string, string>;
  cookies?: string[];
};

/**
 * Every page is personal or may become so (the header shows who is signed in),
 * and people use shared computers: no page is stored by the browser or a proxy.
 */
export function htmlResponse(html: string, options: PageOptions = {}): Response {
  const headers = new Headers({
    'content-type': 'text/html; charset=utf-8',
    'cache-control': 'no-store',
    ...options.headers,
  });
  for (const cookie of options.cookies ?? []) headers.append('set-cookie', cookie);
  // As UTF-8 bytes: given a string, Response first checks it character by character (about 4% of
  // the readings page's time, in the profile), then encodes it all the same.
  return new Response(oneChunkBody(Buffer.from(html, 'utf8')), { status: options.status ?? 200, headers });
}

/**
 * A response body of these bytes, as a stream of that one chunk. Given the bytes themselves,
 * Response copies them first and hands the copy on through a byte stream of its own
 * (`scripts/bench/response-body.ts`: a 74 KB page read as Next's server reads it, 93 to 103 us a
 * response on Node 24 that way, 44 to 45 as a stream).
 */
export function oneChunkBody(bytes: Uint8Array): ReadableStream<Uint8Array> {
  return new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(bytes);
      controller.close();
    },
  });
}

export function redirect(location: string, options: Omit<PageOptions, 'status'> = {}): Response {
  const headers = new Headers({ location, 'cache-control': 'no-store', ...options.headers });
  for (const cookie of options.cookies ?? []) headers.append('set-cookie', cookie);
  // 303 so the browser follows with a GET after a form post (post/redirect/get).
  return new Response(null, { status: 303, headers });
}

type TableCell = { text?: unknown; html?: unknown; attributes?: Record<string, unknown> | object; [key: string]: unknown };
type TableParams = { head?: TableCell[]; rows?: (TableCell[] | null)[]; classes?: string; [key: string]: unknown };

const { SafeString } = (nunjucks as unknown as { runtime: { SafeString: new (html: string) => object } }).runtime;
const { escape } = nunjucks.lib as unknown as { escape(text: string): string };

/**
 * govukTable's params with every cell labelled by its column (see the labelledTable global above). A
 * cell with no attributes of its own gets its label as the attributes' HTML, marked safe, which
 * govuk-frontend's attributes macro writes out as it is: the same HTML as the label given as
 * `{ "data-label": label }`, which the macro would go through name by name for every cell of the
 * table (about a tenth of the readings page's time, with its two tables). A cell that has
 * attributes gets the label among them.
 */
export function labelledTable(params: TableParams): TableParams {
  const labels = (params.head ?? []).map((item) => String(item.label ?? item.text ?? ''));
  const labelHtml = labels.map((label) => new SafeString(` data-label="${escape(label)}"`));
  return {
    ...params,
    classes: ['app-table', params.classes].filter(Boolean).join(' '),
    rows: (params.rows ?? []).map(
      (row) =>
        row &&
        row.map((cell, column) => ({
          ...cell,
          attributes: cell.attributes ? { ...cell.attributes, 'data-label': labels[column] ?? '' } : (labelHtml[column] ?? { 'data-label': '' }),
        })),
    ),
  };
}
