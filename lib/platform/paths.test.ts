import { describe, expect, it } from 'vitest';
import { paths } from './paths';
import { appRoutes } from './testing/routes';

/** Every address `paths` can make, with made-up ids. */
function addresses(node: unknown, name = 'paths'): { name: string; address: string }[] {
  if (typeof node === 'string') return [{ name, address: node }];
  if (typeof node === 'function') return [{ name, address: (node as (...args: unknown[]) => string)('id-1', 2) }];
  return Object.entries(node as Record<string, unknown>).flatMap(([key, value]) => addresses(value, `${name}.${key}`));
}

const NOT_PAGES = new Set(['/[...path]', '/api/auth/[...nextauth]', '/fhir/r4/[...path]', '/health', '/oauth/[...path]']);
const routes = appRoutes().filter((route) => !NOT_PAGES.has(route.pattern));
const patternOf = (route: { pattern: string }) => new RegExp(`^${route.pattern.replace(/\./g, '\\.').replace(/\[[^\]]+\]/g, '[^/]+')}$`);

describe('paths: every page address in one place', () => {
  it('makes only addresses that are routes', () => {
    for (const { name, address } of addresses(paths)) {
      const pathname = address.split('?')[0]!;
      expect(
        routes.some((route) => patternOf(route).test(pathname)),
        `${name}: ${address}`,
      ).toBe(true);
    }
  });

  it('has every route', () => {
    const made = addresses(paths).map(({ address }) => address.split('?')[0]!);
    for (const route of routes)
      expect(
        made.some((address) => patternOf(route).test(address)),
        route.pattern,
      ).toBe(true);
  });

  it('encodes ids', () => {
    expect(paths.bloodPressure.change('a/b?c')).toBe('/blood-pressure/readings/a%2Fb%3Fc/change');
    expect(paths.signInFor('/blood-pressure?range=all')).toBe('/sign-in?returnTo=%2Fblood-pressure%3Frange%3Dall');
  });
});
