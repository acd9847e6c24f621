import fs from 'node:fs';
import path from 'node:path';

/** A route of the app, found from app/**\/route.ts: its URL pattern, file and exported methods. */
export type AppRoute = { pattern: string; file: string; methods: string[] };

const APP = path.resolve(__dirname, '../../../app');
const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'];

/** Every route, sorted by pattern: tests generated from this cover a new route without anyone remembering. */
export function appRoutes(): AppRoute[] {
  const found: AppRoute[] = [];
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name === 'route.ts') {
        const source = fs.readFileSync(full, 'utf8');
        const methods = METHODS.filter((method) =>
          new RegExp(`export\\s+(const|async\\s+function|function)\\s+${method}\\b|export\\s+(const\\s+)?\\{[^}]*\\b${method}\\b[^}]*\\}`).test(source),
        );
        // Route groups, (name), are not part of the address.
        const segments = path
          .relative(APP, dir)
          .split(path.sep)
          .filter((segment) => segment && !/^\(.*\)$/.test(segment));
        found.push({ pattern: `/${segments.join('/')}` || '/', file: full, methods });
      }
    }
  };
  walk(APP);
  return found.sort((a, b) => a.pattern.localeCompare(b.pattern));
}

/** An address for a pattern, with `id` for every dynamic segment. */
export const addressOf = (pattern: string, id = 'abc123') => pattern.replace(/\[\.\.\.[^\]]+\]/g, `${id}/x`).replace(/\[[^\]]+\]/g, id);

/** What Next passes a handler beside the request, for the same made-up id. */
export const paramsFor = (id = 'abc123') => ({ params: Promise.resolve({ id, category: id, token: id, path: [id, 'x'], nextauth: [id] }) });

export type RouteHandler = (req: Request, context: ReturnType<typeof paramsFor>) => Promise<Response>;

/**
 * Who may use each route (public, citizen, registering, signed-in, staff, staff:<role>, not a page),
 * as docs/routes.md says: lib/platform/route-list.test.ts fails whenever that file is not the
 * code's, so tests that cannot import every route (the browser suite) read it there.
 */
export function documentedAccess(): Map<string, string> {
  const table = fs.readFileSync(path.resolve(__dirname, '../../../docs/routes.md'), 'utf8');
  return new Map([...table.matchAll(/^\| `([^`]+)` \| [A-Z ]+ \| ([^|]+?) \|/gm)].map((row) => [row[1]!, row[2]!]));
}
