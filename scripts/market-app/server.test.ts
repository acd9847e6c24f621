// The market app in-process against a stand-in for the PHR's open platform (test-support.ts):
// the SMART launch through fhirclient (PKCE S256, the token exchange, rotating refresh tokens),
// reading and adding readings, the PHR's errors, and disconnecting.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SCOPES, startMarketApp } from './server';
import { csrfIn, squash, startFakePhr, testBrowser } from './test-support';

type Phr = Awaited<ReturnType<typeof startFakePhr>>;
type App = Awaited<ReturnType<typeof startMarketApp>>;

let phr: Phr;
let app: App;

async function start(options: Parameters<typeof startFakePhr>[0] = {}) {
  phr = await startFakePhr(options);
  app = await startMarketApp({ port: 0, host: '127.0.0.1', phrUrl: phr.url, clientId: 'bp-diary', timeoutMs: 2000 }, { log: () => {} });
  phr.register(`${app.url}/callback`);
}

/** From the start page to the readings, agreeing on the PHR's consent page. */
async function connect(browser = testBrowser()) {
  const start = await browser.visit(`${app.url}/`);
  const launch = await browser.visit(`${app.url}/launch`, { form: { csrf: csrfIn(start.html) } });
  expect(launch.status).toBe(303);
  const consent = await browser.visit(launch.location!);
  const callback = await browser.visit(consent.location!);
  return { browser, launch, consent, callback };
}

afterEach(async () => {
  await app?.close();
  await phr?.close();
});

describe('connecting', () => {
  beforeEach(() => start());

  it('launches with the registered client, PKCE S256 and the PHR as audience, then lands on the readings', async () => {
    const { launch, consent, callback } = await connect();
    const authorise = new URL(launch.location!);
    expect(authorise.origin + authorise.pathname).toBe(`${phr.url}/oauth/auth`);
    expect(Object.fromEntries(authorise.searchParams)).toMatchObject({
      response_type: 'code',
      client_id: 'bp-diary',
      redirect_uri: `${app.url}/callback`,
      scope: SCOPES,
      aud: phr.fhirBase,
      code_challenge_method: 'S256',
    });
    expect(consent.location).toMatch(new RegExp(`^${app.url}/callback\\?`));
    expect(callback).toMatchObject({ status: 303, location: '/readings' });
    const exchange = phr.tokenRequests[0]!;
    expect(exchange.get('grant_type')).toBe('authorization_code');
    expect(exchange.get('code_verifier')).toMatch(/^[\w-]{43,128}$/);
  });

  it('gives a new session id once connected', async () => {
    const browser = testBrowser();
    await browser.visit(`${app.url}/`);
    const before = browser.cookies.get('bp_diary_session');
    await connect(browser);
    expect(browser.cookies.get('bp_diary_session')).not.toBe(before);
  });

  it('takes the person back to the start when they say no on the consent page', async () => {
    phr.setConsent('deny');
    const { browser, callback } = await connect();
    expect(callback).toMatchObject({ status: 303, location: '/' });
    const start = await browser.visit(`${app.url}/`);
    expect(start.html).toContain('You did not connect Blood pressure diary to your Person Held Record. Nothing was shared.');
    expect((await browser.visit(`${app.url}/readings`)).location).toBe('/');
  });

  it('refuses a callback whose state this browser did not make, and a launch without its CSRF token', async () => {
    const browser = testBrowser();
    const start = await browser.visit(`${app.url}/`);
    expect((await browser.visit(`${app.url}/callback?code=stolen&state=someone-else`)).status).toBe(400);
    expect((await browser.visit(`${app.url}/launch`, { form: { csrf: 'wrong' } })).status).toBe(403);
    expect((await testBrowser().visit(`${app.url}/launch`, { form: { csrf: csrfIn(start.html) } })).status).toBe(403);
    expect(phr.tokenRequests).toHaveLength(0);
  });

  it('ignores a server or client named in the launch address', async () => {
    const browser = testBrowser();
    const start = await browser.visit(`${app.url}/`);
    const launch = await browser.visit(`${app.url}/launch?iss=https://elsewhere.example/fhir&clientId=other`, { form: { csrf: csrfIn(start.html) } });
    expect(launch.location).toMatch(new RegExp(`^${phr.url}/oauth/auth\\?.*client_id=bp-diary`));
  });
});

describe('readings', () => {
  beforeEach(() => start());

  it('lists the readings newest first, ten a page, following the Bundle’s links', async () => {
    const { browser } = await connect();
    const first = await browser.visit(`${app.url}/readings`);
    expect(first.status).toBe(200);
    expect(first.headers.get('cache-control')).toBe('no-store');
    expect(first.html).toContain('From the Person Held Record of Amelia Testwell.');
    const rows = [...squash(first.html).matchAll(/<tr><td>([^<]+)<\/td><td>(\d+) mmHg/g)].map((m) => `${m[1]} ${m[2]}`);
    expect(rows).toHaveLength(10);
    expect(rows[0]).toBe('12 November 2026 at 8:30am 131');
    const older = /href="(\/readings\?page=[^"]+)">Older readings/.exec(first.html)?.[1]?.replaceAll('&amp;', '&');
    expect(decodeURIComponent(older!)).toContain(`${phr.fhirBase}/Observation?`);
    const second = await browser.visit(`${app.url}${older}`);
    expect([...squash(second.html).matchAll(/<tr><td>/g)]).toHaveLength(2);
    expect(second.html).toContain('Newest readings');
    expect(second.html).toContain('Newer readings');
  });

  it('never follows a paging link to another server', async () => {
    const { browser } = await connect();
    const elsewhere = await browser.visit(`${app.url}/readings?page=${encodeURIComponent('https://elsewhere.example/fhir/r4/Observation')}`);
    expect(elsewhere.status).toBe(404);
  });

  it('adds a reading and says so', async () => {
    const { browser } = await connect();
    const page = await browser.visit(`${app.url}/readings`);
    const added = await browser.visit(`${app.url}/readings`, {
      form: { csrf: csrfIn(page.html), systolic: '128', diastolic: '82', date: '', time: '', arm: 'left', position: 'sitting' },
    });
    expect(added).toMatchObject({ status: 303, location: '/readings' });
    const created = phr.observations.at(-1)!;
    expect(created.subject?.reference).toBe('Patient/patient-amelia');
    expect(created.component?.map((c) => c.valueQuantity?.value)).toEqual([128, 82]);
    const after = await browser.visit(`${app.url}/readings`);
    expect(after.html).toContain('Reading added');
    expect(squash(after.html)).toMatch(/<tbody><tr><td>[^<]+<\/td><td>128 mmHg<\/td><td>82 mmHg/);
    expect((await browser.visit(`${app.url}/readings`)).html).not.toContain('Reading added');
    expect(created.bodySite?.coding?.[0]?.code).toBe('368208006');
    expect(after.html).not.toContain('is very high');
  });

  it('gives the advice for a very high reading once', async () => {
    const { browser } = await connect();
    const page = await browser.visit(`${app.url}/readings`);
    await browser.visit(`${app.url}/readings`, {
      form: { csrf: csrfIn(page.html), systolic: '185', diastolic: '95', date: '', time: '', arm: 'right', position: 'standing' },
    });
    expect(phr.observations.at(-1)?.interpretation?.[0]?.coding?.[0]?.code).toBe('HH');
    expect((await browser.visit(`${app.url}/readings`)).html).toContain('Your reading of 185/95 is very high');
    expect((await browser.visit(`${app.url}/readings`)).html).not.toContain('is very high');
  });

  it('shows the form’s own errors with status 422, keeping what was typed', async () => {
    const { browser } = await connect();
    const page = await browser.visit(`${app.url}/readings`);
    const refused = await browser.visit(`${app.url}/readings`, { form: { csrf: csrfIn(page.html), systolic: '', diastolic: '9<0', date: '', time: '' } });
    expect(refused.status).toBe(422);
    expect(refused.html).toContain('<title>Error: ');
    expect(refused.html).toContain('<a href="#systolic">Enter the top number (systolic)</a>');
    expect(refused.html).toContain('value="9&lt;0"');
    expect(phr.observations).toHaveLength(12);
  });

  it('shows what the PHR said was wrong, from its OperationOutcome', async () => {
    const { browser } = await connect();
    const page = await browser.visit(`${app.url}/readings`);
    const refused = await browser.visit(`${app.url}/readings`, {
      form: { csrf: csrfIn(page.html), systolic: '260', diastolic: '90', date: '', time: '', arm: 'left', position: 'sitting' },
    });
    expect(refused.status).toBe(422);
    expect(refused.html).toContain('<a href="#systolic">A top number of 260 is higher than a home reading can be &lt;checked&gt;: take it again</a>');
    expect(refused.html).toContain('value="260"');
  });

  it('refuses an added reading without the session’s CSRF token', async () => {
    const { browser } = await connect();
    const refused = await browser.visit(`${app.url}/readings`, { form: { csrf: 'nope', systolic: '120', diastolic: '80' } });
    expect(refused.status).toBe(403);
    expect(phr.observations).toHaveLength(12);
  });

  it('asks the person to wait when the PHR limits the app', async () => {
    const { browser } = await connect();
    phr.setRateLimited(true);
    const busy = await browser.visit(`${app.url}/readings`);
    expect(busy.status).toBe(503);
    expect(busy.headers.get('retry-after')).toBe('30');
    expect(busy.html).toContain('Try again in 30 seconds.');
  });

  it('goes back to the start when the person has disconnected the app in their record', async () => {
    const { browser } = await connect();
    phr.endAllGrants();
    const ended = await browser.visit(`${app.url}/readings`);
    expect(ended).toMatchObject({ status: 303, location: '/' });
    expect((await browser.visit(`${app.url}/`)).html).toContain('Blood pressure diary is no longer connected to your Person Held Record.');
  });
});

describe('tokens', () => {
  it('refreshes a token about to expire, naming the client, and never spends a refresh token twice', async () => {
    // fhirclient refreshes within 10 seconds of expiry: with 5-second tokens, on every page.
    await start({ accessTokenSeconds: 5 });
    const { browser } = await connect();
    const pages = await Promise.all([1, 2, 3].map(() => browser.visit(`${app.url}/readings`)));
    expect(pages.map((page) => page.status)).toEqual([200, 200, 200]);
    const refreshes = phr.tokenRequests.filter((form) => form.get('grant_type') === 'refresh_token');
    expect(refreshes.length).toBeGreaterThanOrEqual(3);
    expect(refreshes.every((form) => form.get('client_id') === 'bp-diary')).toBe(true);
    expect(phr.reuseDetected()).toBe(false);
  });

  it('sends the person to connect again when fhirclient cannot refresh (no offline_access in the token response)', async () => {
    await start({ accessTokenSeconds: 5, resourceScopesOnly: true });
    const { browser } = await connect();
    expect(await browser.visit(`${app.url}/readings`)).toMatchObject({ status: 303, location: '/' });
    expect((await browser.visit(`${app.url}/`)).html).toContain('Connect again to carry on.');
  });

  it('revokes the refresh token when the person disconnects, and forgets the session', async () => {
    await start();
    const { browser } = await connect();
    const page = await browser.visit(`${app.url}/readings`);
    const disconnected = await browser.visit(`${app.url}/disconnect`, { form: { csrf: csrfIn(page.html) } });
    expect(disconnected).toMatchObject({ status: 303, location: '/' });
    expect(phr.revocations).toHaveLength(1);
    expect(phr.revocations[0]!.get('token')).toBe(phr.refreshTokensIssued.at(-1));
    expect(phr.revocations[0]!.get('token_type_hint')).toBe('refresh_token');
    expect(phr.revocations[0]!.get('client_id')).toBe('bp-diary');
    const start2 = await browser.visit(`${app.url}/`);
    expect(start2.html).toContain('Blood pressure diary is no longer connected to your Person Held Record.');
    expect(start2.html).toContain('Connect to your Person Held Record');
    expect((await browser.visit(`${app.url}/readings`)).location).toBe('/');
  });
});

describe('the rest', () => {
  beforeEach(() => start());

  it('has the privacy page it was registered with', async () => {
    const privacy = await testBrowser().visit(`${app.url}/privacy`);
    expect(privacy.status).toBe(200);
    expect(privacy.html).toContain('<h1>How Blood pressure diary uses your information</h1>');
  });

  it('says the PHR is not available when it cannot be reached to connect', async () => {
    const down = await startMarketApp({ port: 0, host: '127.0.0.1', phrUrl: 'http://127.0.0.1:9', clientId: 'bp-diary', timeoutMs: 500 }, { log: () => {} });
    try {
      const browser = testBrowser();
      const start = await browser.visit(`${down.url}/`);
      const launch = await browser.visit(`${down.url}/launch`, { form: { csrf: csrfIn(start.html) } });
      expect(launch.status).toBe(502);
      expect(launch.html).toContain('Your Person Held Record is not available');
    } finally {
      await down.close();
    }
  });

  it('answers /health, 404 and 405', async () => {
    const browser = testBrowser();
    expect(await browser.visit(`${app.url}/health`)).toMatchObject({ status: 200, html: 'ok' });
    expect((await browser.visit(`${app.url}/nowhere`)).status).toBe(404);
    expect((await browser.visit(`${app.url}/disconnect`)).status).toBe(405);
  });

  it('sends its pages with a strict CSP that lets the connect button go to the PHR', async () => {
    const start = await testBrowser().visit(`${app.url}/`);
    const csp = start.headers.get('content-security-policy')!;
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain(`form-action 'self' ${phr.url}`);
    expect(start.headers.get('set-cookie')).toMatch(/HttpOnly; SameSite=Lax/);
  });
});
