// Each brand's stylesheet (scripts/build-assets.sh): compiled from only the design system's
// components our macros call (views/components.njk), and light enough that a page and its
// stylesheet stay within 40 KB gzipped; the NHS brand's script, bundled with only the NHS.UK
// Frontend components our pages draw, within the same 40 KB.
import fs from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { PAGE_LEVEL } from '../../scripts/server/gzip-levels.cjs';
import { build } from 'esbuild';
import * as sass from 'sass';
import { afterAll, describe, expect, it } from 'vitest';
import type { Brand } from './config';
import { reloadConfig } from './config';
import { nhsukClassName } from './nhsuk';
import { renderView } from './render';

const root = path.resolve(__dirname, '../..');
const read = (file: string) => fs.readFileSync(path.join(root, file), 'utf8');

const BRANDS: { brand: Brand; scss: string; from: RegExp; used: RegExp }[] = [
  {
    brand: 'council',
    scss: 'frontend/application.scss',
    from: /"govuk\/components\/([a-z-]+)\/macro\.njk"/g,
    used: /@use 'govuk-frontend\/dist\/govuk\/components\/([a-z-]+)'/g,
  },
  {
    brand: 'nhs',
    scss: 'frontend/application-nhs.scss',
    from: /"nhsuk\/components\/([a-z-]+)\/macro\.njk"/g,
    used: /@use 'nhsuk-frontend\/dist\/nhsuk\/components\/([a-z-]+)'/g,
  },
];

/** Drawn by the templates themselves (the skip link), or inside other components (labels, hints). */
const INSIDE_OTHERS = ['skip-link', 'label', 'hint'];

function configure(brand?: Brand) {
  const { BRAND: _brand, NHS_LOGO_ENTITLED: _logo, ...env } = process.env;
  reloadConfig({ ...env, ...(brand ? { BRAND: brand } : {}) });
}

afterAll(() => configure());

/** Every GOV.UK class name our views and capabilities write (e.g. `classes: 'govuk-tag--green'`), but for comments naming the package. */
function govukClassNames(): string[] {
  const sources = [
    ...fs.readdirSync(path.join(root, 'views'), { recursive: true }).map((file) => path.join('views', String(file))),
    ...fs.readdirSync(path.join(root, 'lib'), { recursive: true }).map((file) => path.join('lib', String(file))),
  ].filter((file) => /\.njk$|(?<!\.test)\.ts$/.test(file) && !file.startsWith(path.join('lib', 'generated')));
  const names = sources.flatMap((file) => [...read(file).matchAll(/\bgovuk-[a-z0-9!_-]*[a-z0-9]/g)].map((match) => match[0]));
  return [...new Set(names)].filter((name) => name !== 'govuk-frontend').sort();
}

describe.each(BRANDS)('the $brand brand’s stylesheet', ({ brand, scss, from, used }) => {
  it('has the components our macros call, and no others', () => {
    const called = new Set([...read('views/components.njk').matchAll(from)].map((match) => match[1]!));
    const styled = new Set([...read(scss).matchAll(used)].map((match) => match[1]!));
    expect([...styled].sort()).toEqual([...new Set([...called, ...INSIDE_OTHERS])].sort());
  });

  it('keeps a page and its stylesheet within 40 KB gzipped', () => {
    const css = sass.compile(path.join(root, scss), { style: 'compressed', loadPaths: [path.join(root, 'node_modules')], quietDeps: true }).css;
    configure(brand);
    // The longest page anyone meets before signing in.
    const html = renderView('pages/start.njk');
    const weight = gzipSync(css).length + gzipSync(html, { level: PAGE_LEVEL }).length;
    expect(weight).toBeLessThanOrEqual(40 * 1024);
  }, 60_000);
});

describe('the NHS brand', () => {
  it('styles every GOV.UK class name our views and capabilities write, by its NHS.UK Frontend name', () => {
    const css = sass.compile(path.join(root, 'frontend/application-nhs.scss'), {
      style: 'compressed',
      loadPaths: [path.join(root, 'node_modules')],
      quietDeps: true,
    }).css;
    // Arial on the whole page (NHS.UK Frontend sets a font only with its licensed Frutiger).
    expect(css).toMatch(/(^|\})html\{font-family:arial,sans-serif\}/);
    const styled = new Set([...css.matchAll(/\.(-?[_a-zA-Z][_a-zA-Z0-9-]*)/g)].map((match) => match[1]!));
    const names = govukClassNames();
    expect(names.length).toBeGreaterThan(40);
    expect(names.filter((name) => nhsukClassName(name) !== '' && !styled.has(nhsukClassName(name)))).toEqual([]);
  }, 60_000);
});

/** NHS.UK Frontend's components with a script: the folder each is in, and the class that starts it. */
function nhsukScriptedComponents(): { folder: string; className: string }[] {
  const components = path.join(root, 'node_modules/nhsuk-frontend/dist/nhsuk/components');
  const folders = fs.readdirSync(components, { withFileTypes: true }).filter((entry) => entry.isDirectory());
  return folders.flatMap(({ name: folder }) =>
    fs
      .readdirSync(path.join(components, folder))
      .filter((file) => file.endsWith('.mjs') && !['fixtures.mjs', 'macro-options.mjs'].includes(file))
      .flatMap((file) => [...read(path.relative(root, path.join(components, folder, file))).matchAll(/^(\w+)\.moduleName = 'nhsuk-/gm)])
      .map((match) => ({ folder, className: match[1]! })),
  );
}

/** The NHS brand's script, bundled as scripts/build-assets.sh bundles it. */
async function nhsScript(): Promise<string> {
  const result = await build({
    entryPoints: [path.join(root, 'frontend/application-nhs.mjs')],
    bundle: true,
    minify: true,
    format: 'esm',
    target: 'es2020',
    write: false,
    logLevel: 'silent',
  });
  return result.outputFiles[0]!.text;
}

describe('the NHS brand’s script', () => {
  it('starts each NHS.UK Frontend component with a script that our pages draw, and no others', () => {
    const called = new Set([...read('views/components.njk').matchAll(/"nhsuk\/components\/([a-z-]+)\/macro\.njk"/g)].map((match) => match[1]!));
    // The NHS.UK template draws the skip link. A table has a script only when sortable, which ours never are.
    const drawn = new Set([...called, 'skip-link']);
    drawn.delete('tables');
    const expected = nhsukScriptedComponents()
      .filter(({ folder }) => drawn.has(folder))
      .map(({ className }) => className);
    expect(expected.length).toBeGreaterThan(5);
    const started = /for \(const Component of \[([^\]]+)\]\)/
      .exec(read('frontend/application-nhs.mjs'))?.[1]
      ?.split(',')
      .map((name) => name.trim());
    expect(started?.sort()).toEqual(expected.sort());
  });

  it('keeps a page, its stylesheet and its script within 40 KB gzipped', async () => {
    const css = sass.compile(path.join(root, 'frontend/application-nhs.scss'), {
      style: 'compressed',
      loadPaths: [path.join(root, 'node_modules')],
      quietDeps: true,
    }).css;
    const script = await nhsScript();
    // Far less than NHS.UK Frontend's whole script (13.7 KB gzip).
    expect(gzipSync(script).length).toBeLessThanOrEqual(9 * 1024);
    configure('nhs');
    const html = renderView('pages/start.njk');
    expect(gzipSync(css).length + gzipSync(script).length + gzipSync(html, { level: PAGE_LEVEL }).length).toBeLessThanOrEqual(40 * 1024);
  }, 60_000);
});
