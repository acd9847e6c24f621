// Each brand's stylesheet (scripts/build-assets.sh): compiled from only the design system's
// components our macros call (views/components.njk), and light enough that a page and its
// stylesheet stay within 40 KB gzipped.
import fs from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
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
    const weight = gzipSync(css).length + gzipSync(html).length;
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
    const styled = new Set([...css.matchAll(/\.(-?[_a-zA-Z][_a-zA-Z0-9-]*)/g)].map((match) => match[1]!));
    const names = govukClassNames();
    expect(names.length).toBeGreaterThan(40);
    expect(names.filter((name) => nhsukClassName(name) !== '' && !styled.has(nhsukClassName(name)))).toEqual([]);
  }, 60_000);
});
