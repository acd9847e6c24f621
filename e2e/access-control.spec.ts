import Database from 'better-sqlite3';
import { request as playwrightRequest, type APIRequestContext } from '@playwright/test';
import { appRoutes, type AppRoute } from '../lib/platform/testing/routes';
import { BASE_URL, DATABASE_FILE } from './support/site';
import { addContributions, auditEntriesFor, citizenSession, cookieHeader, createCitizen, staffSession, type Cookie } from './support/sharing';
import { expect, test } from './support/test';

/**
 * The access-control walker. Every route is found from the filesystem (app/**\/route.ts), so a
 * route added later is covered without touching this file: unless it is listed as public below,
 * it must refuse every actor who should not use it. At HTTP level, with real sessions.
 */

/** Routes anyone may use. Anything not listed here is treated as protected. */
const PUBLIC_ROUTES = new Set([
  '/',
  '/accessibility',
  '/contact',
  '/cookies',
  '/privacy',
  '/terms-of-use',
  '/feedback',
  '/feedback/sent',
  '/health',
  // Where other methods than GET, HEAD and POST are sent (scripts/server/method-guard.cjs): a 405 page.
  '/method-not-allowed',
  '/sign-in',
  '/sign-in/could-not-confirm',
  '/sign-in/prove-your-identity',
  '/sign-in/try-again',
  '/sign-in/under-16',
  '/sign-out',
  '/signed-out',
  // Where closing an account ends, signed out: nothing personal on it.
  '/account-closed',
  '/staff/sign-in',
  '/api/auth/[...nextauth]',
  // For app makers: how to connect to the API.
  '/developers',
  // The open platform's machine interfaces, with their own authorisation (a bearer token for the
  // FHIR API; the OAuth protocol itself): e2e/open-platform.spec.ts and lib/open-platform's tests.
  '/fhir/r4/[...path]',
  '/oauth/[...path]',
  // The letters API for partner organisations: every request signed with the organisation's own
  // key (an unsigned one is refused, 401): e2e/letters.spec.ts and lib/letters/letters.db.test.ts.
  '/api/letters/v1/letters',
  '/api/letters/v1/letters/[id]',
  // The catch-all "Page not found".
  '/[...path]',
]);

/** The way in for a professional who is refused: open to them by design (the rest of /staff/citizens/[id] is not). */
const EMERGENCY_ACCESS_ROUTE = '/staff/citizens/[id]/emergency-access';

type Route = Pick<AppRoute, 'pattern' | 'methods'>;

const ROUTES: Route[] = appRoutes();
const PROTECTED = ROUTES.filter((route) => !PUBLIC_ROUTES.has(route.pattern));
const isStaffRoute = (route: Route) => route.pattern === '/staff' || route.pattern.startsWith('/staff/');
const STAFF_ROUTES = PROTECTED.filter(isStaffRoute);
const CITIZEN_ROUTES = PROTECTED.filter((route) => !isStaffRoute(route));
const hasIds = (route: Route) => /\[[^\]]+\]/.test(route.pattern);
/** "Stay signed in" from the timeout warning: for anyone signed in, a citizen or a member of staff. */
const EVERYONE_SIGNED_IN = new Set(['/session/keep-alive']);

/** The address for a pattern, every dynamic segment filled with `id`. */
const addressOf = (route: Route, id: string) => route.pattern.replace(/\[\.{3}[^\]]+\]|\[[^\]]+\]/g, encodeURIComponent(id));

/** A browser's CSRF cookie and token, so that POSTs are refused for who sends them, not for a missing token. */
async function csrfFor(api: APIRequestContext): Promise<{ cookie: string; token: string }> {
  const response = await api.get('/feedback');
  const cookie = response
    .headersArray()
    .find((header) => header.name.toLowerCase() === 'set-cookie' && /phr_csrf=/.test(header.value))!
    .value.split(';')[0]!;
  const token = /name="_csrf" value="([^"]+)"/.exec(await response.text())![1]!;
  return { cookie, token };
}

type Actor = { api: APIRequestContext; cookie: string; token: string };

async function actor(session: Cookie | null): Promise<Actor> {
  const api = await playwrightRequest.newContext({ baseURL: BASE_URL });
  const csrf = await csrfFor(api);
  const cookie = [session ? cookieHeader(session).cookie : null, csrf.cookie].filter(Boolean).join('; ');
  return { api, cookie, token: csrf.token };
}

async function send(who: Actor, method: string, address: string) {
  const headers = { cookie: who.cookie, origin: BASE_URL, 'content-type': 'application/x-www-form-urlencoded' };
  const response = await who.api.fetch(address, {
    method,
    headers,
    maxRedirects: 0,
    data: method === 'GET' ? undefined : new URLSearchParams({ _csrf: who.token }).toString(),
  });
  return { status: response.status(), location: response.headers().location ?? '', body: method === 'GET' ? await response.text() : '' };
}

async function expectRedirectTo(who: Actor, routes: Route[], id: string, target: RegExp) {
  for (const route of routes) {
    for (const method of route.methods) {
      const address = addressOf(route, id);
      const answer = await send(who, method, address);
      expect.soft(answer.status, `${method} ${address}`).toBe(303);
      expect.soft(answer.location, `${method} ${address}`).toMatch(target);
    }
  }
}

test.describe.configure({ timeout: 180_000 });

test.beforeEach(({ javaScriptEnabled }) => {
  test.skip(!javaScriptEnabled, 'HTTP requests only: the same with JavaScript on or off');
});

test('the walker finds the routes, public ones only by name', () => {
  const patterns = ROUTES.map((route) => route.pattern);
  expect(patterns).toEqual(
    expect.arrayContaining(['/account', '/sharing', '/sharing/[category]', '/sharing/who-has-viewed', '/staff/citizens/[id]', '/staff/find-a-citizen']),
  );
  expect(ROUTES.find((route) => route.pattern === '/sharing/[category]')!.methods).toEqual(['GET', 'POST']);
  // Every public route named here still exists (a stale list would hide nothing, but says something was renamed).
  for (const pattern of PUBLIC_ROUTES) expect(patterns, pattern).toContain(pattern);
});

test('signed out: every citizen route goes to sign-in, every staff route to staff sign-in', async () => {
  const someone = createCitizen('amelia');
  const visitor = await actor(null);
  await expectRedirectTo(visitor, CITIZEN_ROUTES, someone.id, /^\/sign-in\?returnTo=/);
  await expectRedirectTo(visitor, STAFF_ROUTES, someone.id, /^\/staff\/sign-in$/);
});

test('a citizen is refused every staff route', async () => {
  const citizen = createCitizen('amelia');
  addContributions(citizen, { conditions: ['Asthma'] });
  const signedIn = await actor(await citizenSession(citizen));
  // Their own id too: being the citizen in the address gives no staff access.
  await expectRedirectTo(signedIn, STAFF_ROUTES, citizen.id, /^\/staff\/sign-in$/);
  expect(auditEntriesFor(citizen.id)).toEqual([]);
});

test('a member of staff is refused every citizen route', async () => {
  const citizen = createCitizen('amelia');
  for (const who of ['grace', 'sam'] as const) {
    const staff = await actor(await staffSession(who));
    await expectRedirectTo(
      staff,
      CITIZEN_ROUTES.filter((route) => !EVERYONE_SIGNED_IN.has(route.pattern)),
      citizen.id,
      /^\/sign-in\?returnTo=/,
    );
    // Their own session is kept alive, and nothing of a citizen's is reached.
    const kept = await send(staff, 'POST', '/session/keep-alive');
    expect(kept.status).toBe(303);
    expect(kept.location).toBe('/staff');
  }
});

test('a professional with no care relationship is refused every route about the citizen, and each refusal is recorded', async () => {
  // Farah's care team is her GP practice alone; Omar works for the community trust.
  const citizen = createCitizen('farah');
  addContributions(citizen, { topThree: [{ title: 'Private to my care team', description: '' }], readings: [{ daysAgo: 1, systolic: 120, diastolic: 80 }] });
  const omar = await actor(await staffSession('omar'));
  const aboutTheCitizen = STAFF_ROUTES.filter((route) => route.pattern.startsWith('/staff/citizens/[id]') && route.pattern !== EMERGENCY_ACCESS_ROUTE);
  expect(aboutTheCitizen.length).toBeGreaterThan(0);
  let attempts = 0;
  for (const route of aboutTheCitizen) {
    for (const method of route.methods) {
      const address = addressOf(route, citizen.id);
      const answer = await send(omar, method, address);
      attempts += 1;
      expect.soft(answer.status, `${method} ${address}`).toBe(403);
      expect.soft(answer.body, `${method} ${address}`).not.toContain('Private to my care team');
    }
  }
  const denials = auditEntriesFor(citizen.id).filter((entry) => entry.action === 'denied');
  expect(denials.length).toBeGreaterThanOrEqual(aboutTheCitizen.reduce((sum, route) => sum + route.methods.filter((method) => method === 'GET').length, 0));
  expect(auditEntriesFor(citizen.id).filter((entry) => entry.action !== 'denied')).toEqual([]);
  expect(attempts).toBeGreaterThan(0);
});

test('the wrong citizen: every citizen route with an id answers "not found" for someone else’s ids', async () => {
  const owner = createCitizen('amelia');
  addContributions(owner, {
    conditions: ['Asthma'],
    topThree: [{ title: 'Owner only', description: '' }],
    readings: [{ daysAgo: 1, systolic: 120, diastolic: 80 }],
    finishedWeek: { startedOn: '2026-11-02', endsOn: '2026-11-08', systolic: 130, diastolic: 80, result: 'below-135-85' },
  });
  const other = createCitizen('farah');
  const signedIn = await actor(await citizenSession(other));
  // Farah's care record is found on her first visit (by NHS number): from then on, routes about
  // care-record items answer for her record alone (before it, they send her to be linked).
  expect((await send(signedIn, 'GET', '/care-record')).status).toBe(200);
  const ids = [owner.id, ...ownedRowIds(owner.id)];
  for (const route of CITIZEN_ROUTES.filter(hasIds)) {
    for (const method of route.methods) {
      for (const id of ids) {
        const address = addressOf(route, id);
        const answer = await send(signedIn, method, address);
        expect.soft(answer.status, `${method} ${address}`).toBe(404);
        expect.soft(answer.body, `${method} ${address}`).not.toContain('Owner only');
      }
    }
  }
});

/** Ids of rows the citizen owns in the contribution tables (what routes with ids would name). */
function ownedRowIds(userId: string): string[] {
  const db = new Database(DATABASE_FILE, { readonly: true, fileMustExist: true });
  try {
    return ['BloodPressureReading', 'HomeMonitoringWeek', 'LongTermCondition', 'TopThingsVersion'].flatMap((table) =>
      (db.prepare(`SELECT id FROM "${table}" WHERE "userId" = ?`).all(userId) as { id: string }[]).map((row) => row.id),
    );
  } finally {
    db.close();
  }
}
