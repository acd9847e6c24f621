import fs from 'node:fs';
import path from 'node:path';
import type { Access } from '../page';
import { appRoutes } from './routes';

/**
 * The route list (docs/routes.md), built from the code so it cannot drift: every address in
 * app/, the methods it takes, who may use it (the Access each handler was made with), the
 * handler (the lib/ module and export the route file re-exports) and the views it renders.
 */

const ROOT = path.resolve(__dirname, '../../..');

export type RouteEntry = { pattern: string; methods: string[]; access: string; handler: string; views: string[] };

/**
 * Where a route file's handler comes from: `lib/x/pages.ts name` when the file re-exports one
 * (`export const { GET, POST } = addPage`, `export const GET = contentPage('...')`), or the
 * route file itself when it defines its handler there.
 */
function handlerOf(source: string, routeFile: string): { module: string; name: string | null } {
  const own = { module: path.relative(ROOT, routeFile), name: null };
  if (/export\s+(async\s+)?function\b/.test(source)) return own;
  const exported = /export\s+const\s+(?:\{[^}]*\}|\w+)\s*=\s*(\w+)([^;]*);/.exec(source);
  if (!exported || /=>|function/.test(exported[2]!)) return own;
  // `const page = feedbackPage(); export const GET = page.GET`: the handler is what made it.
  const local = new RegExp(`const\\s+${exported[1]}\\s*=\\s*(\\w+)\\(`).exec(source);
  const name = local ? local[1]! : exported[1]!;
  const from = new RegExp(`import\\s*\\{[^}]*\\b${name}\\b[^}]*\\}\\s*from\\s*'@/(lib/[^']+)'`).exec(source);
  return from ? { module: `${from[1]}.ts`, name } : own;
}

/** A module's top-level definitions (const, function), each with its source up to the next one. */
function definitionsOf(source: string): Map<string, string> {
  const starts = [...source.matchAll(/^(?:export\s+)?(?:const|function|async\s+function)\s+(\w+)/gm)];
  return new Map(starts.map((match, i) => [match[1]!, source.slice(match.index, starts[i + 1]?.index ?? source.length)]));
}

const VIEW = /'([a-z0-9/_-]+\.njk)'/g;

/**
 * The views a handler renders: those named in its definition and in the definitions of the same
 * module that it uses (its form, its helpers), or, without a name, in the whole file.
 */
function viewsOf(file: string, name: string | null): string[] {
  const full = path.join(ROOT, file);
  if (!fs.existsSync(full)) return [];
  const source = fs.readFileSync(full, 'utf8');
  if (!name) return [...new Set([...source.matchAll(VIEW)].map((match) => match[1]!))].sort();
  const definitions = definitionsOf(source);
  const found = new Set<string>();
  const seen = new Set<string>();
  const visit = (definition: string) => {
    if (seen.has(definition) || !definitions.has(definition)) return;
    seen.add(definition);
    const block = definitions.get(definition)!;
    for (const match of block.matchAll(VIEW)) found.add(match[1]!);
    for (const other of definitions.keys()) if (other !== definition && new RegExp(`\\b${other}\\b`).test(block)) visit(other);
  };
  visit(name);
  return [...found].sort();
}

const accessOf = (handler: unknown): Access | 'not a page' =>
  typeof handler === 'function' && 'access' in handler ? (handler as { access: Access }).access : 'not a page';

export async function routeEntries(): Promise<RouteEntry[]> {
  const entries: RouteEntry[] = [];
  for (const route of appRoutes()) {
    const source = fs.readFileSync(route.file, 'utf8');
    const module = (await import(route.file)) as Record<string, unknown>;
    const accesses = [...new Set(route.methods.map((method) => accessOf(module[method])))];
    const { module: handlerFile, name } = handlerOf(source, route.file);
    const views = [...new Set([...viewsOf(path.relative(ROOT, route.file), null), ...viewsOf(handlerFile, name)])].sort();
    entries.push({
      pattern: route.pattern,
      methods: route.methods,
      access: accesses.join(', '),
      handler: name ? `${handlerFile} ${name}` : handlerFile,
      views,
    });
  }
  return entries;
}

export function routeTable(entries: RouteEntry[]): string {
  const rows = entries.map(
    (entry) =>
      `| \`${entry.pattern}\` | ${entry.methods.join(' ')} | ${entry.access} | \`${entry.handler}\` | ${entry.views.map((view) => `\`${view}\``).join('<br>') || '–'} |`,
  );
  return [
    '# Every route',
    '',
    'Built from the code by `lib/platform/route-list.test.ts`, which fails when this file is out of date',
    '(`UPDATE_ROUTES=1 npx vitest run lib/platform/route-list.test.ts` writes it again). Each row: the',
    'address (its file is `app/<address>/route.ts`), the methods it takes, who may use it, the handler',
    'that route file re-exports, and the views (`views/`) that handler renders. Addresses are built with',
    '`lib/platform/paths.ts` in code and as `paths` in views.',
    '',
    'Who may use it: `public` anyone; `citizen` the signed-in, registered citizen (never someone acting',
    'for them); `citizen-or-proxy` the citizen or anyone acting for them, `citizen-or-proxy:<permission>`',
    'the citizen or someone acting for them with that permission (lib/proxy); `registering` a',
    'signed-in citizen still registering; `signed-in` a citizen or a member of staff; `staff` any',
    'member of staff, `staff:<role>` staff with that role; `not a page` a machine endpoint.',
    '',
    '| Address | Methods | Who may use it | Handler | Views |',
    '| --- | --- | --- | --- | --- |',
    ...rows,
    '',
  ].join('\n');
}
