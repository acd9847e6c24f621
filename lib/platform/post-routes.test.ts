import { describe, expect, it } from 'vitest';
import { browserCsrf, formPost } from './testing/requests';
import { addressOf, appRoutes, paramsFor, type RouteHandler } from './testing/routes';

/**
 * Every route that takes a POST, found from app/ (a route added later is covered without
 * anyone remembering), is called in-process the way an attacker's page or script would:
 * without a form token, with another browser's token, and from another site. Each must be
 * refused before anything happens (403, never a 5xx, never a redirect into the journey).
 *
 * Not here: next-auth's own endpoints (/api/auth/...), which check their own CSRF token
 * (lib/identity tests and the sign-in journeys cover them); and the open platform's machine
 * interfaces, which take no cookies' word for anything: the FHIR API wants a bearer token, the
 * OAuth server's token endpoint is called by apps from anywhere by design (PKCE and client
 * authentication protect it). lib/open-platform's tests and e2e/open-platform.spec.ts cover them.
 * The letters API (/api/letters/v1/letters) is for partner organisations' systems: each request
 * is signed with the organisation's own key, and an unsigned one is refused (401) before
 * anything is read (lib/letters/api.db.test.ts).
 */

const NOT_OURS = new Set(['/api/auth/[...nextauth]', '/api/letters/v1/letters', '/fhir/r4/[...path]', '/oauth/[...path]']);
/** Takes no form at all: every method is "not found" (e2e/security.spec.ts). */
const NOT_FOUND = '/[...path]';
const params = paramsFor();
const routes = appRoutes().filter((route) => route.methods.includes('POST') && !NOT_OURS.has(route.pattern));

describe('every POST route refuses forged posts', () => {
  it('finds the form routes', () => {
    expect(routes.length).toBeGreaterThan(30);
    expect(routes.map((route) => route.pattern)).toEqual(
      expect.arrayContaining(['/feedback', '/blood-pressure/add', '/sharing/[category]', '/staff/citizens/[id]/emergency-access']),
    );
  });

  it.each(routes)('$pattern', async ({ pattern, file }) => {
    const { POST } = (await import(file)) as { POST: RouteHandler };
    const address = addressOf(pattern);
    const mine = browserCsrf();
    const someoneElses = browserCsrf();
    const attempts: Record<string, Request> = {
      'no token': formPost(address, { anything: 'x' }, { csrf: null }),
      "another browser's token": formPost(address, {}, { csrf: { cookie: mine.cookie, token: someoneElses.token } }),
      'another site': formPost(address, {}, { headers: { origin: 'https://attacker.example' } }),
    };
    for (const [how, request] of Object.entries(attempts)) {
      const response = await POST(request, params);
      expect(response.status, `${pattern}: ${how}`).toBe(pattern === NOT_FOUND ? 404 : 403);
    }
  });
});
