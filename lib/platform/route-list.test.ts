import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { routeEntries, routeTable } from './testing/route-list';

const FILE = path.resolve(__dirname, '../../docs/routes.md');

// Importing every route module takes seconds, more on a busy machine: not the default 5.
const IMPORTS_EVERY_ROUTE = 60_000;

describe('the route list (docs/routes.md)', () => {
  it(
    'is the routes as the code has them',
    async () => {
      const table = routeTable(await routeEntries());
      if (process.env.UPDATE_ROUTES === '1') fs.writeFileSync(FILE, table);
      const written = fs.existsSync(FILE) ? fs.readFileSync(FILE, 'utf8') : '';
      expect(written, 'docs/routes.md is out of date: UPDATE_ROUTES=1 npx vitest run lib/platform/route-list.test.ts').toBe(table);
    },
    IMPORTS_EVERY_ROUTE,
  );

  it(
    'says who may use every page',
    async () => {
      const entries = await routeEntries();
      const pages = entries.filter((entry) => entry.access !== 'not a page');
      expect(pages.length).toBeGreaterThan(100);
      // Every route but the framework's and the machines' is a page made with pageRoute, which declares its access.
      expect(entries.filter((entry) => entry.access.includes('not a page')).map((entry) => entry.pattern)).toEqual([
        '/[...path]',
        '/api/auth/[...nextauth]',
        // The letters API for partner organisations (signed requests: lib/letters/api.ts).
        '/api/letters/v1/letters',
        '/api/letters/v1/letters/[id]',
        // The open platform's machine interfaces: the FHIR API (bearer tokens) and the OAuth server.
        '/fhir/r4/[...path]',
        '/health',
        '/oauth/[...path]',
      ]);
    },
    IMPORTS_EVERY_ROUTE,
  );
});
