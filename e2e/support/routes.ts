import fs from 'node:fs';
import path from 'node:path';
import { appRoutes, type AppRoute } from '../../lib/platform/testing/routes';

/**
 * Every route with who may use each of its methods, for the access-control walker. The routes are
 * found from the filesystem (app/**\/route.ts); who may use them is what each handler declares
 * (lib/platform/page.ts Access), as the route list docs/routes.md has it: that file is built from
 * the handlers themselves by lib/platform/route-list.test.ts, which fails when it is out of date.
 * (The route modules cannot be imported here: Playwright's loader cannot load the generated
 * Prisma client they reach.)
 */

const ROUTE_LIST = path.resolve(__dirname, '../../docs/routes.md');
const REGENERATE = 'UPDATE_ROUTES=1 npx vitest run lib/platform/route-list.test.ts';

export type WalkedRoute = Pick<AppRoute, 'pattern' | 'methods'> & {
  /** Who may use each method: `public`, `citizen`, `citizen-or-proxy:sharing`, `staff:<role>`, `not a page`… */
  access: Record<string, string>;
};

/** The route list's rows: address, methods and who may use it (one value, or one for each method). */
function listedRoutes(): Map<string, { methods: string[]; access: string[] }> {
  const rows = new Map<string, { methods: string[]; access: string[] }>();
  for (const line of fs.readFileSync(ROUTE_LIST, 'utf8').split('\n')) {
    const row = /^\| `([^`]+)` \| ([A-Z ]+) \| ([^|]+) \|/.exec(line);
    if (row) rows.set(row[1]!, { methods: row[2]!.trim().split(' '), access: row[3]!.split(',').map((value) => value.trim()) });
  }
  return rows;
}

/**
 * Every route of the app with its declared access. A route the list does not have (or has with
 * other methods) fails here: the list is out of date, so the access it says cannot be trusted.
 */
export function routesWithAccess(): WalkedRoute[] {
  const listed = listedRoutes();
  return appRoutes().map((route) => {
    const row = listed.get(route.pattern);
    if (!row || row.methods.join(' ') !== route.methods.join(' ')) {
      throw new Error(`docs/routes.md does not list ${route.methods.join(' ')} ${route.pattern}: ${REGENERATE}`);
    }
    // The list gives each distinct access once, in the order of the methods that have it.
    if (row.access.length !== 1 && row.access.length !== row.methods.length) {
      throw new Error(`${route.pattern}: the walker cannot tell which of its methods is ${row.access.join(' or ')}; give each method its own route file`);
    }
    const access = Object.fromEntries(route.methods.map((method, i) => [method, row.access.length === 1 ? row.access[0]! : row.access[i]!]));
    return { pattern: route.pattern, methods: route.methods, access };
  });
}
