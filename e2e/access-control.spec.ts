import { request as playwrightRequest, type APIRequestContext } from '@playwright/test';
import { appRoutes, type AppRoute } from '../lib/platform/testing/routes';
import { PROXY_PERMISSIONS } from '../lib/proxy/permissions';
import { recordOf } from './support/database';
import { routesWithAccess, type WalkedRoute } from './support/routes';
import { BASE_URL } from './support/site';
import {
  actingSession,
  addContributions,
  auditEntriesFor,
  citizenSession,
  cookieHeader,
  createCitizen,
  staffSession,
  type Cookie,
  type TestCitizen,
} from './support/sharing';
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

type Actor = { api: APIRequestContext; cookie: string; token: string; csrfCookie: string };

async function actor(session: Cookie | null): Promise<Actor> {
  const api = await playwrightRequest.newContext({ baseURL: BASE_URL });
  const csrf = await csrfFor(api);
  return inSession({ api, cookie: csrf.cookie, token: csrf.token, csrfCookie: csrf.cookie }, session);
}

/** The same browser (its CSRF cookie and token) with another session. */
const inSession = (who: Actor, session: Cookie | null): Actor => ({
  ...who,
  cookie: [session ? cookieHeader(session).cookie : null, who.csrfCookie].filter(Boolean).join('; '),
});

/**
 * What a form would send: the CSRF token, and answers that the blood pressure, sharing and
 * confirmation forms would accept, so a form that wrongly takes a post does something visible.
 */
const FORM_ANSWERS = { systolic: '120', diastolic: '80', measuredWhen: 'now', arm: 'left', sitting: 'yes', shared: 'no', confirm: 'yes' };

async function send(who: Actor, method: string, address: string, answers: Record<string, string> = {}) {
  const headers = { cookie: who.cookie, origin: BASE_URL, 'content-type': 'application/x-www-form-urlencoded' };
  const response = await who.api.fetch(address, {
    method,
    headers,
    maxRedirects: 0,
    data: method === 'GET' ? undefined : new URLSearchParams({ ...answers, _csrf: who.token }).toString(),
  });
  const received = response.headers();
  return { status: response.status(), location: received.location ?? '', type: received['content-type'] ?? '', body: await response.text() };
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
  const attempts = CITIZEN_ROUTES.filter(hasIds).flatMap((route) =>
    route.methods.flatMap((method) => ids.map((id) => ({ method, address: addressOf(route, id) }))),
  );
  await inTurn(attempts, async ({ method, address }) => {
    const answer = await send(signedIn, method, address);
    expect.soft(answer.status, `${method} ${address}`).toBe(404);
    expect.soft(answer.body, `${method} ${address}`).not.toContain('Owner only');
  });
});

/**
 * Ids of rows the citizen owns (what routes with ids would name): in every table of theirs
 * (e2e/support/database.ts recordOf), so a table added later is walked too.
 */
function ownedRowIds(userId: string): string[] {
  const record = recordOf(userId);
  return Object.entries(record)
    .filter(([table]) => table !== 'User')
    .flatMap(([, rows]) => rows.map((row) => (row as { id?: unknown }).id))
    .filter((id): id is string => typeof id === 'string');
}

// ---- Someone acting for another person (lib/proxy) --------------------------------------------
//
// A proxy's session works on the person's record, and reaches only the routes whose declared
// access opens them to it (lib/platform/page.ts Access): `citizen-or-proxy` to any proxy,
// `citizen-or-proxy:<permission>` to one holding that permission; `citizen` and `registering`
// never. What each route declares comes from the code (e2e/support/routes.ts), so a route added
// later is walked with the access it declares.

const WALKED: WalkedRoute[] = routesWithAccess();

/** What a proxy holding these permissions should get from a route with this access. */
type ProxyAnswer = 'open' | 'refused' | 'staff only' | 'not walked';

function forProxy(access: string, permissions: readonly string[]): ProxyAnswer {
  if (access === 'citizen' || access === 'registering') return 'refused';
  if (access === 'citizen-or-proxy') return 'open';
  if (access.startsWith('citizen-or-proxy:')) return permissions.includes(access.slice('citizen-or-proxy:'.length)) ? 'open' : 'refused';
  if (access === 'staff' || access.startsWith('staff:')) return 'staff only';
  // Anyone's (public, a machine's own authorisation) or anyone signed in: nothing of the person's.
  if (access === 'public' || access === 'not a page' || access === 'signed-in') return 'not walked';
  throw new Error(`The walker does not know the access "${access}": say here what someone acting for another person gets from it`);
}

/** One request the walker makes: a route's method at an address. */
type Visit = { route: WalkedRoute; method: string; address: string };

/** Each method of each route, at the addresses given for it (one for a route without ids). */
function visits(
  routes: WalkedRoute[],
  addresses: (route: WalkedRoute) => string[],
  methods: (route: WalkedRoute) => string[] = (route) => route.methods,
): Visit[] {
  return routes.flatMap((route) => methods(route).flatMap((method) => addresses(route).map((address) => ({ route, method, address }))));
}

/** Of every route, those whose method answers a proxy with these permissions this way. */
const walkedFor = (permissions: readonly string[], answer: ProxyAnswer, method?: string) =>
  WALKED.filter((route) => route.methods.some((each) => (!method || each === method) && forProxy(route.access[each]!, permissions) === answer));

/** A few requests at a time: the server has two cores, and the other worker's tests share them. */
async function inTurn<T, R>(items: T[], work: (item: T) => Promise<R>, width = 6): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await work(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(width, items.length) }, worker));
  return results;
}

/** The route an address of the service is, the most specific when several patterns match it (a catch-all last). */
function routeAt(address: string): WalkedRoute | undefined {
  const pathname = new URL(address, BASE_URL).pathname;
  const matching = WALKED.filter((route) => patternRegExp(route.pattern).test(pathname));
  const staticSegments = (route: WalkedRoute) => route.pattern.split('/').filter((segment) => segment && !segment.startsWith('[')).length;
  const catchAll = (route: WalkedRoute) => route.pattern.includes('[...');
  return matching.sort((a, b) => Number(catchAll(a)) - Number(catchAll(b)) || staticSegments(b) - staticSegments(a))[0];
}

const patternRegExp = (pattern: string) =>
  new RegExp(
    `^${pattern
      .split('/')
      .map((segment) => (/^\[\.{3}.+\]$/.test(segment) ? '.+' : /^\[.+\]$/.test(segment) ? '[^/]+' : segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
      .join('/')}$`,
  );

/** Addresses of the service a page links to (its own pages, not the assets). */
const linksIn = (html: string) =>
  [...html.matchAll(/href="(\/[^"/][^"]*|\/)"/g)]
    .map((match) => match[1]!.replace(/&amp;/g, '&'))
    .filter((href) => !/^\/(stylesheets|javascripts|assets)\//.test(href));

/**
 * Why an answer to a proxy's GET of a page open to them is wrong, or null: it must be the page
 * (200) or a redirect to a page of the service they may use, never a refusal or a sign-in.
 */
function notOpen(answer: { status: number; location: string }, permissions: readonly string[]): string | null {
  if (answer.status === 200) return null;
  if (![302, 303, 307].includes(answer.status)) return `answered ${answer.status}`;
  if (!answer.location.startsWith('/') || answer.location.startsWith('//')) return `sent them out of the service, to ${answer.location}`;
  const target = routeAt(answer.location);
  const access = target?.access.GET;
  if (!access) return `sent them to ${answer.location}, which is no page`;
  if (forProxy(access, permissions) === 'refused') return `sent them to ${answer.location}, which is closed to them (${access})`;
  if (/^\/(sign-in|staff\/sign-in)\b/.test(answer.location)) return `sent them to sign in (${answer.location})`;
  return null;
}

/** A person someone acts for (in the demo care record), with something of every kind a route with an id names. */
function personWithRecord(): TestCitizen {
  const person = createCitizen('amelia');
  addContributions(person, {
    conditions: ['Asthma'],
    topThree: [{ title: 'Tea, not coffee', description: '' }],
    readings: [{ daysAgo: 1, systolic: 121, diastolic: 79 }],
    finishedWeek: { startedOn: '2026-11-02', endsOn: '2026-11-08', systolic: 130, diastolic: 80, result: 'below-135-85' },
  });
  return person;
}

/** The person's own id and the ids of everything they have: what a route with ids is walked with. */
const idsOf = (person: TestCitizen) => [person.id, ...ownedRowIds(person.id)];

/** The audit entries written as done by this proxy, in the person's trail. */
const proxyEntries = (personId: string, proxy: TestCitizen) => auditEntriesFor(personId).filter((entry) => entry.actorId === proxy.id);

test('the route list says who may use every route the walker finds, and names only real permissions', () => {
  expect(WALKED.map((route) => route.pattern)).toEqual(ROUTES.map((route) => route.pattern));
  const permissions = new Set(WALKED.flatMap((route) => Object.values(route.access)).filter((access) => access.startsWith('citizen-or-proxy:')));
  for (const access of permissions) expect(PROXY_PERMISSIONS as readonly string[], access).toContain(access.slice('citizen-or-proxy:'.length));
  // Each permission opens something, and every access is one the walker knows what to do with.
  for (const permission of PROXY_PERMISSIONS) expect(walkedFor([permission], 'open').length, permission).toBeGreaterThan(walkedFor([], 'open').length);
  for (const route of WALKED) for (const method of route.methods) forProxy(route.access[method]!, []);
  // A route the walker treats as public by name is not one the code keeps for someone.
  for (const route of WALKED.filter((each) => PUBLIC_ROUTES.has(each.pattern))) {
    for (const method of route.methods) expect(['public', 'not a page'], `${method} ${route.pattern}`).toContain(route.access[method]);
  }
});

test('a proxy with no permissions is refused every page of the person’s but the account home, and changes nothing', async () => {
  const person = personWithRecord();
  const { session, proxy } = await actingSession(person, { permissions: [] });
  const acting = await actor(session);
  const before = { person: recordOf(person.id), proxy: recordOf(proxy.id) };
  const ids = idsOf(person);
  const address = (route: WalkedRoute) => (hasIds(route) ? ids.map((id) => addressOf(route, id)) : [addressOf(route, person.id)]);

  const refused = visits(walkedFor([], 'refused'), address, (route) => route.methods.filter((method) => forProxy(route.access[method]!, []) === 'refused'));
  const staffOnly = visits(walkedFor([], 'staff only'), (route) => [addressOf(route, person.id)]);
  // Pages open to any proxy, without ids (an id there is theirs to find): seen, never sent (a post there may stop the acting).
  const open = visits(
    walkedFor([], 'open', 'GET').filter((route) => !hasIds(route)),
    address,
    () => ['GET'],
  );
  expect(refused.length).toBeGreaterThan(50);
  expect(open.map((visit) => visit.route.pattern)).toContain('/account');

  await inTurn([...refused, ...staffOnly, ...open], async (visit) => {
    const { route, method, address: at } = visit;
    const answer = await send(acting, method, at, FORM_ANSWERS);
    const label = `${method} ${at} (${route.access[method]})`;
    if (refused.includes(visit)) expect.soft(answer.status, label).toBe(method === 'GET' ? 404 : 403);
    else if (staffOnly.includes(visit)) {
      expect.soft(answer.status, label).toBe(303);
      expect.soft(answer.location, label).toBe('/staff/sign-in');
    } else expect.soft(notOpen(answer, []), label).toBeNull();
  });

  expect.soft(recordOf(person.id), 'nothing of the person’s changed').toEqual(before.person);
  expect.soft(recordOf(proxy.id), 'nothing of the proxy’s own changed').toEqual(before.proxy);
  // Only the pages open to any proxy were seen, and nothing was changed as done by them.
  const entries = proxyEntries(person.id, proxy);
  expect(entries.filter((entry) => entry.action !== 'proxy-viewed' || entry.category !== 'account')).toEqual([]);
});

test('each permission alone opens its own pages of the person’s, and no others', async () => {
  test.slow();
  for (const permission of PROXY_PERMISSIONS) {
    const permissions = [permission];
    const person = personWithRecord();
    const { session, proxy } = await actingSession(person, { permissions });
    const acting = await actor(session);
    // The person themself, to tell a page's own "not found" (nothing to show yet) from a refusal.
    const themself = inSession(acting, await citizenSession(person));
    const ids = idsOf(person);
    const itsOwn = (route: WalkedRoute, method: string) => route.access[method] === `citizen-or-proxy:${permission}`;
    const opened = WALKED.filter((route) => route.methods.includes('GET') && itsOwn(route, 'GET'));
    expect(opened.length, permission).toBeGreaterThan(0);

    // Its pages, from those without ids and at the person's ids, then every page of its own they
    // link to (a letter, a sharing category, a letter's PDF), until there are no new ones.
    const answers = new Map<string, { route: WalkedRoute; status: number; location: string; links: string[] }>();
    let next = visits(
      opened,
      (route) => (hasIds(route) ? ids.map((id) => addressOf(route, id)) : [addressOf(route, person.id)]),
      () => ['GET'],
    );
    while (next.length > 0 && answers.size < 500) {
      for (const visit of next) answers.set(visit.address, { route: visit.route, status: 0, location: '', links: [] });
      const visit = async ({ route, address }: Visit) => {
        const answer = await send(acting, 'GET', address);
        const links = answer.status === 200 && answer.type.startsWith('text/html') ? linksIn(answer.body) : [];
        answers.set(address, { route, status: answer.status, location: answer.location, links });
      };
      // Shorter addresses first, a part's home page before its sections, as people use them: the
      // care record is linked on its first view, and until then its sections send you to it.
      const depth = (address: string) => address.split('/').length;
      for (const level of [...new Set(next.map((each) => depth(each.address)))].sort((a, b) => a - b)) {
        await inTurn(
          next.filter((each) => depth(each.address) === level),
          visit,
        );
      }
      const linked = [...new Set([...answers.values()].flatMap((answer) => answer.links.map((link) => link.replace(/[?#].*$/, ''))))];
      next = linked.flatMap((address) => {
        const route = routeAt(address);
        return route && opened.includes(route) && !answers.has(address) ? [{ route, method: 'GET', address }] : [];
      });
    }

    for (const [address, answer] of answers) {
      const label = `${permission}: GET ${address}`;
      expect.soft(answer.status, label).toBeLessThan(500);
      if (answer.status < 400) expect.soft(notOpen(answer, permissions), label).toBeNull();
      // A page without ids may have nothing to show yet: then it says so to the person too.
      else if (!hasIds(answer.route)) {
        const theirs = await send(themself, 'GET', address);
        expect.soft(`${theirs.status} ${theirs.location}`, `${label}: answers the proxy as the person`).toBe(`${answer.status} ${answer.location}`);
      }
    }
    for (const route of opened.filter(hasIds)) {
      const opens = [...answers.values()].some((answer) => answer.route === route && notOpen(answer, permissions) === null);
      expect.soft(opens, `${permission}: no address of ${route.pattern} opened (give the person something it names)`).toBe(true);
    }

    // Their pages link only to pages they may use.
    const closedLinks = [...new Set([...answers.values()].flatMap((answer) => answer.links))].filter((link) => {
      const access = routeAt(link)?.access.GET;
      return access !== undefined && forProxy(access, permissions) === 'refused';
    });
    expect.soft(closedLinks, `${permission}: links from its pages to pages closed to the proxy`).toEqual([]);

    // Every other page of the person's stays closed: the route refuses, whatever the id (and
    // whatever the method: the test with no permissions sends every form).
    const refused = visits(
      walkedFor(permissions, 'refused'),
      (route) => [addressOf(route, ids[1] ?? person.id)],
      (route) => route.methods.filter((method) => forProxy(route.access[method]!, permissions) === 'refused').slice(0, 1),
    );
    await inTurn(refused, async ({ method, address, route }) => {
      const answer = await send(acting, method, address, FORM_ANSWERS);
      expect.soft(answer.status, `${permission}: ${method} ${address} (${route.access[method]})`).toBe(method === 'GET' ? 404 : 403);
    });

    // Its forms take a post from the proxy (whatever they then say of the answers), one at a time
    // in address order (a reading is changed before it is deleted).
    const forms = [...answers]
      .filter(([, answer]) => answer.status === 200 && itsOwn(answer.route, 'POST'))
      .map(([address, answer]) => ({ address, route: answer.route }));
    const actions = visits(
      WALKED.filter((route) => !route.methods.includes('GET') && itsOwn(route, 'POST')),
      (route) => [addressOf(route, person.id)],
      () => ['POST'],
    );
    for (const { route, address } of [...forms, ...actions].sort((a, b) => a.address.localeCompare(b.address))) {
      const answer = await send(acting, 'POST', address, FORM_ANSWERS);
      const label = `${permission}: POST ${address}`;
      expect.soft(answer.status, label).toBeLessThan(500);
      expect.soft(answer.status, label).not.toBe(403);
      if (!hasIds(route)) expect.soft(answer.status, label).not.toBe(404);
    }

    // What they saw and did is in the person's trail as theirs, under this permission (or the account home).
    const entries = proxyEntries(person.id, proxy);
    expect.soft(entries.filter((entry) => entry.action === 'proxy-viewed' && entry.category === permission).length, permission).toBeGreaterThan(0);
    expect
      .soft(
        entries.filter((entry) => ![permission, 'account'].includes(entry.category ?? '')),
        permission,
      )
      .toEqual([]);
  }
});

test('a proxy with every permission for one person is refused everything of a third person’s, by any id', async () => {
  const person = personWithRecord();
  const { session, proxy } = await actingSession(person, { permissions: PROXY_PERMISSIONS });
  const acting = await actor(session);
  // The person's care record is found on the first visit (as for the wrong citizen above).
  expect((await send(acting, 'GET', '/care-record')).status).toBe(200);
  // The third person: someone the proxy does not act for, with a name nobody else has.
  const third = createCitizen({ givenName: 'Cordelia', familyName: `Thirdperson${Date.now().toString(36)}`, birthDate: '1961-02-03', nhsNumber: null });
  addContributions(third, {
    conditions: [`${third.familyName} condition`],
    topThree: [{ title: `${third.familyName} top thing`, description: '' }],
    readings: [{ daysAgo: 1, systolic: 141, diastolic: 91 }],
    finishedWeek: { startedOn: '2026-11-02', endsOn: '2026-11-08', systolic: 130, diastolic: 80, result: 'below-135-85' },
  });
  // Someone acts for the third person too: their access's id is one of theirs.
  await actingSession(third, { permissions: ['blood-pressure'] });
  // The proxy's own record is not the one they are acting on either.
  addContributions(proxy, { conditions: ['Carer own condition'], readings: [{ daysAgo: 2, systolic: 118, diastolic: 76 }] });
  const before = { third: recordOf(third.id), proxy: recordOf(proxy.id) };
  const ids = [...idsOf(third), ...ownedRowIds(proxy.id)];
  // Every route with an id that is anyone's (staff routes refuse any citizen: the test above).
  const citizens = WALKED.filter(
    (route) => hasIds(route) && !isStaffRoute(route) && route.methods.some((method) => forProxy(route.access[method]!, []) !== 'not walked'),
  );
  expect(citizens.length).toBeGreaterThan(10);

  await inTurn(
    visits(citizens, (route) => ids.map((id) => addressOf(route, id))),
    async ({ method, address, route }) => {
      const answer = await send(acting, method, address, FORM_ANSWERS);
      const label = `${method} ${address} (${route.access[method]})`;
      if (method === 'GET') expect.soft(answer.status, label).toBe(404);
      else expect.soft([403, 404], label).toContain(answer.status);
      expect.soft(answer.body, label).not.toContain(third.familyName);
      expect.soft(answer.body, label).not.toContain('Carer own condition');
    },
  );

  expect.soft(recordOf(third.id), 'nothing of the third person’s changed').toEqual(before.third);
  expect.soft(recordOf(proxy.id), 'nothing of the proxy’s own changed').toEqual(before.proxy);
  expect(auditEntriesFor(third.id)).toEqual([]);
  expect(proxyEntries(person.id, proxy).filter((entry) => entry.action !== 'proxy-viewed')).toEqual([]);
});

test('a proxy whose access has ended, or passed its end date, is told so on every page of the person’s, and what they send is not applied', async () => {
  const person = personWithRecord();
  const ids = idsOf(person);
  const yesterday = new Date(Date.now() - 86_400_000);
  const stopped = [
    await actingSession(person, { permissions: PROXY_PERMISSIONS, status: 'ended', endedReason: 'by-person' }),
    await actingSession(person, { permissions: PROXY_PERMISSIONS, endsAt: yesterday }),
  ];
  const before = { person: recordOf(person.id), proxies: stopped.map(({ proxy }) => recordOf(proxy.id)) };
  // Every page of a citizen's, whoever it is open to: the first request after the access stops
  // is told so (and clears the acting), so each is sent with a session of its own.
  const citizenRoutes = WALKED.filter((route) => route.methods.some((method) => route.access[method]!.startsWith('citizen')));
  const all = visits(
    citizenRoutes,
    (route) => (hasIds(route) ? ids.map((id) => addressOf(route, id)) : [addressOf(route, person.id)]),
    (route) => route.methods.filter((method) => route.access[method]!.startsWith('citizen')),
  );
  expect(all.length).toBeGreaterThan(100);

  const browser = await actor(null);
  await inTurn(
    stopped.flatMap(({ proxy, accessId }) => all.map((visit) => ({ ...visit, proxy, accessId }))),
    async ({ method, address, proxy, accessId }) => {
      const answer = await send(inSession(browser, await citizenSession(proxy, { actingForId: accessId })), method, address, FORM_ANSWERS);
      const label = `${method} ${address}`;
      expect.soft(answer.status, label).toBe(303);
      expect.soft(answer.location, label).toBe('/acting-for/ended');
    },
  );

  expect.soft(recordOf(person.id), 'nothing of the person’s changed').toEqual(before.person);
  stopped.forEach(({ proxy }, i) => expect.soft(recordOf(proxy.id), 'nothing of the proxy’s own changed').toEqual(before.proxies[i]));
  for (const { proxy } of stopped) expect(proxyEntries(person.id, proxy)).toEqual([]);
});
