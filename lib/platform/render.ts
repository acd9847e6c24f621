import path from 'node:path';
import nunjucks from 'nunjucks';
import { config } from './config';
import { paths } from './paths';
import { formatCalendarDay, formatDate, formatShortDate, formatTime, formatWhen } from './uk-time';

/**
 * The one rendering module: a Nunjucks environment over our views and the
 * govuk-frontend macros, and helpers that turn a view into a whole-page Response.
 */

let environment: nunjucks.Environment | undefined;

function createEnvironment(): nunjucks.Environment {
  const root = process.cwd();
  const loader = new nunjucks.FileSystemLoader([path.join(root, 'views'), path.join(root, 'node_modules/govuk-frontend/dist')], {
    noCache: config().environment === 'development',
  });
  const env = new nunjucks.Environment(loader, { autoescape: true, throwOnUndefined: false, trimBlocks: true, lstripBlocks: true });
  const service = config().service;
  env.addGlobal('service', service);
  env.addGlobal('serviceName', service.name);
  // Every page's address (lib/platform/paths.ts): views link with {{ paths.bloodPressure.add }}.
  env.addGlobal('paths', paths);
  // Dates and times as GOV.UK writes them, on UK clocks (lib/platform/uk-time.ts):
  // {{ viewedAt | ukDateTime }} "2 December 2026 at 5:30pm", | ukDate, | ukShortDate, | ukTime,
  // and {{ '2026-11-25' | calendarDay }} for days kept as YYYY-MM-DD. Nothing shown for no date.
  const ukDates: Record<string, (at: Date) => string> = { ukDate: formatDate, ukShortDate: formatShortDate, ukTime: formatTime, ukDateTime: formatWhen };
  for (const [name, format] of Object.entries(ukDates)) {
    env.addFilter(name, (at: unknown) => (at instanceof Date && !Number.isNaN(at.getTime()) ? format(at) : ''));
  }
  // The one table pattern: {{ govukTable(params | appTable) }} gives each cell its column's name
  // (data-label), so that on a narrow screen each row is a block with every value under its
  // column's name (frontend/application.scss, .app-table). A head item's `label` overrides its text.
  env.addFilter('appTable', appTable);
  env.addFilter('calendarDay', (day: unknown, weekday?: boolean) =>
    typeof day === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(day) ? formatCalendarDay(day, { weekday }) : '',
  );
  return env;
}

export function views(): nunjucks.Environment {
  environment ??= createEnvironment();
  return environment;
}

export function renderView(view: string, context: Record<string, unknown> = {}): string {
  return views().render(view, context);
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
  return new Response(html, { status: options.status ?? 200, headers });
}

export function redirect(location: string, options: Omit<PageOptions, 'status'> = {}): Response {
  const headers = new Headers({ location, 'cache-control': 'no-store', ...options.headers });
  for (const cookie of options.cookies ?? []) headers.append('set-cookie', cookie);
  // 303 so the browser follows with a GET after a form post (post/redirect/get).
  return new Response(null, { status: 303, headers });
}

type TableCell = { text?: unknown; html?: unknown; attributes?: Record<string, unknown>; [key: string]: unknown };
type TableParams = { head?: TableCell[]; rows?: (TableCell[] | null)[]; classes?: string; [key: string]: unknown };

/** govukTable's params with every cell labelled by its column (see the appTable filter). */
export function appTable(params: TableParams): TableParams {
  const labels = (params.head ?? []).map((item) => String(item.label ?? item.text ?? ''));
  return {
    ...params,
    classes: ['app-table', params.classes].filter(Boolean).join(' '),
    rows: (params.rows ?? []).map(
      (row) => row && row.map((cell, column) => ({ ...cell, attributes: { ...cell.attributes, 'data-label': labels[column] ?? '' } })),
    ),
  };
}
