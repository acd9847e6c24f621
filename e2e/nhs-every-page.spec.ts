import type { BrowserContext, Page } from '@playwright/test';
import { appRoutes, documentedAccess } from '../lib/platform/testing/routes';
import { connectApp, pendingJoin, proxyAccessesOf } from './support/account';
import { submit } from './support/blood-pressure';
import { failedDelivery } from './support/contact-details';
import { citizenJourneyDataFor, councilActivity } from './support/engagement';
import { letterFor, newNhsNumber } from './support/letters';
import { expectNhsPage } from './support/nhs-brand';
import { sentTo } from './support/notifications';
import { addContributions, citizenSession, createCitizen, signedIn, staffSession, type StaffKey, type TestCitizen } from './support/sharing';
import { MARKET_APP_URL, NHS_BASE_URL } from './support/site';
import { expect, test } from './support/test';

/**
 * Every page in the NHS brand (BRAND=nhs, the nhs-js-on project: JavaScript on; playwright.config.ts
 * says why not off too): every GET route found from app/ (lib/platform/testing/routes.ts), as the person it is
 * for, with real rows behind its ids, and an error state of every kind of form. Each page gets the
 * NHS frame checks, the checks every page passes, and axe (e2e/support/nhs-brand.ts). The journeys
 * themselves are tested in the council brand; here each page only has to be reached.
 *
 * One test per kind of person, not per page (each test signs in once). A route is in the group
 * its access (docs/routes.md) and its address say; a group's pages without an id are visited
 * even when no step below names them, so a new page is checked without touching this file, and
 * a new page with an id fails the group until a step reaches it.
 */

/** GET routes that are not pages, and why they are not visited. */
const NOT_PAGES: Record<string, string> = {
  '/api/auth/[...nextauth]': 'next-auth’s own endpoints: redirects and JSON (every sign-in journey passes through them)',
  '/api/letters/v1/letters': 'the letters API for partner organisations: JSON, signed requests only',
  '/api/letters/v1/letters/[id]': 'the letters API for partner organisations: JSON, signed requests only',
  '/fhir/r4/[...path]': 'the FHIR API for apps: JSON, bearer tokens only',
  '/oauth/[...path]': 'the OAuth server for apps: redirects and JSON (its refusal page is checked with the account pages)',
  '/health': 'the health check: JSON for the load balancer',
  '/about-me/address': 'sends the citizen on to the postcode question: a redirect, never a page',
  '/account/your-data/[id]/fhir-bundle.json': 'a download (JSON)',
  '/account/your-data/[id]/your-data.json': 'a download (JSON)',
  '/blood-pressure/readings.csv': 'a download (CSV)',
  '/care-record/letters/[id]/pdf': 'a download (PDF)',
  '/letters/[id]/pdf': 'a download (PDF)',
  '/staff/active-users.csv': 'a download (CSV)',
  '/staff/benefits.csv': 'a download (CSV)',
  '/staff/feedback.csv': 'a download (CSV)',
  '/staff/engagement/activities/[id]/results.csv': 'a download (CSV)',
  '/staff/citizens/[id]/blood-pressure-readings': 'a download (CSV)',
};

type Group =
  | 'signed out'
  | 'registering'
  | 'about me'
  | 'account'
  | 'acting for'
  | 'health'
  | 'engagement'
  | 'care professional'
  | 'coordinator'
  | 'programme admin'
  | 'proxy verifier';

const ACCESS = documentedAccess();
const CITIZEN_GROUPS: [RegExp, Group][] = [
  [/^\/(account\/people-acting-for-you|acting-for)(\/|$)/, 'acting for'],
  [/^\/about-me(\/|$)/, 'about me'],
  [/^\/(account|apps)(\/|$)/, 'account'],
  [/^\/(blood-pressure|care-record|letters|sharing)(\/|$)/, 'health'],
  [/^\/engagement(\/|$)/, 'engagement'],
];

function groupOf(pattern: string): Group | null {
  if (pattern in NOT_PAGES) return null;
  const access = ACCESS.get(pattern);
  // Registration ends on a registered citizen's page: the same test reaches it.
  if (access === 'registering' || pattern === '/register/confirmation') return 'registering';
  // The catch-all answers "Page not found" to anyone.
  if (access === 'public' || pattern === '/[...path]') return 'signed out';
  if (access === 'staff' || access === 'staff:programme-admin') return 'programme admin';
  if (access === 'staff:care-professional') return 'care professional';
  if (access === 'staff:engagement-coordinator') return 'coordinator';
  if (access === 'staff:proxy-verifier') return 'proxy verifier';
  // A citizen's own pages, some of which someone acting for them may also use: visited as the citizen.
  if (access === 'citizen' || access?.startsWith('citizen-or-proxy')) return CITIZEN_GROUPS.find(([prefix]) => prefix.test(pattern))?.[1] ?? null;
  return null;
}

const PAGES = appRoutes()
  .filter((route) => route.methods.includes('GET'))
  .map((route) => route.pattern);
const pagesOf = (group: Group) => PAGES.filter((pattern) => groupOf(pattern) === group);
const matches = (pattern: string, pathname: string) =>
  new RegExp(`^${pattern.replace(/\[\.{3}[^\]]+\]/g, '.+').replace(/\[[^\]]+\]/g, '[^/]+')}$`).test(pathname);

/**
 * Visits and checks one group's pages with one browser page, and knows which are left. `visit`
 * opens an address; `here` checks the page a step has just reached (after a form, a link), in
 * this browser page or another person's.
 */
function sweep(page: Page, group: Group, check: (page: Page) => Promise<void>) {
  const expected = pagesOf(group);
  const seen = new Set<string>();
  const here = async (pattern: string, on: Page = page) => {
    // After a click, once the page it leads to has loaded.
    await on
      .waitForURL((url) => matches(pattern, url.pathname), { timeout: 15_000 })
      .catch(() => expect(new URL(on.url()).pathname, `not ${pattern}`).toBe(pattern));
    const pathname = new URL(on.url()).pathname;
    await test.step(`${pattern} (${pathname})`, () => check(on));
    seen.add(pattern);
  };
  const visit = async (pattern: string, address: string = pattern, status = 200) => {
    const response = await page.goto(address);
    expect(response?.status(), address).toBe(status);
    // The page itself, not one it sent us on to.
    expect(new URL(page.url()).pathname, address).toBe(new URL(address, NHS_BASE_URL).pathname);
    await here(pattern);
  };
  return {
    here,
    visit,
    /** The group's pages no step has reached: those without an id are visited as they are; then every page must have been checked. */
    async rest() {
      for (const pattern of expected.filter((pattern) => !seen.has(pattern) && !pattern.includes('['))) await visit(pattern);
      expect([...seen].sort(), `${group}: pages not reached`).toEqual([...expected].sort());
    },
  };
}

/** A form sent with nothing (or something wrong) in it: its error summary and messages. */
async function refused(page: Page, button: string) {
  await submit(page, button, 422);
  await expect(page).toHaveTitle(/^Error: /);
  await expect(page.locator('.nhsuk-error-summary')).toBeVisible();
}

async function signedInAs(context: BrowserContext, who: TestCitizen | StaffKey) {
  await signedIn(context, typeof who === 'string' ? await staffSession(who) : await citizenSession(who));
}

/** Another site, linking to this one (served by the test itself: nothing is fetched from it). */
const ELSEWHERE = 'https://elsewhere.example/';

// Up to 40 pages in a test, each with axe, on 2 shared cores.
test.describe.configure({ timeout: 300_000 });

test('every GET route is a page in a group below, or named as not a page with the reason', () => {
  expect(PAGES.length).toBeGreaterThan(100);
  const lost = PAGES.filter((pattern) => groupOf(pattern) === null && !(pattern in NOT_PAGES));
  expect(lost, 'add these to a group (CITIZEN_GROUPS) or to NOT_PAGES').toEqual([]);
  for (const pattern of Object.keys(NOT_PAGES)) expect(PAGES, `NOT_PAGES names ${pattern}, which is no longer a GET route`).toContain(pattern);
});

test('signed out: the public pages, page not found, method not allowed and a form’s errors', async ({ page, checkAccessibility, javaScriptEnabled }) => {
  const { visit, here, rest } = sweep(page, 'signed out', (p) => expectNhsPage(p, checkAccessibility, javaScriptEnabled));
  await visit('/[...path]', '/no-such-page', 404);
  await visit('/method-not-allowed', '/method-not-allowed', 405);
  // "Sign out?" is asked when the link is on another site (from this site, or typed in, it signs out at once).
  await page.route(ELSEWHERE, (route) => route.fulfill({ contentType: 'text/html', body: `<a href="${NHS_BASE_URL}/sign-out">Sign out</a>` }));
  await page.goto(ELSEWHERE);
  await page.getByRole('link', { name: 'Sign out' }).click();
  await here('/sign-out');
  // Radios and a character count, with their errors.
  await visit('/feedback');
  await refused(page, 'Send feedback');
  await here('/feedback');
  await rest();
});

test('registering: every step for a citizen signed in for the first time, to the confirmation', async ({ page, checkAccessibility, javaScriptEnabled }) => {
  const { visit, here, rest } = sweep(page, 'registering', (p) => expectNhsPage(p, checkAccessibility, javaScriptEnabled));
  await signedInAs(page.context(), createCitizen('amelia', { registered: false }));
  await visit('/register/your-information');
  // A single checkbox, with its error.
  await refused(page, 'Continue');
  await here('/register/your-information');
  await page.getByRole('checkbox', { name: 'I agree to the terms of use' }).check();
  await submit(page, 'Continue', 303);
  await here('/register/check-your-details');
  await visit('/register/not-my-details');
  await page.goto('/register/check-your-details');
  await submit(page, 'Yes, these are my details', 303);
  await here('/register/check-answers');
  await submit(page, 'Create account', 303);
  await here('/register/confirmation');
  await rest();
});

test('a citizen: about me, contact details and address, with each form’s errors and check answers', async ({ page, checkAccessibility, javaScriptEnabled }) => {
  const { visit, here, rest } = sweep(page, 'about me', (p) => expectNhsPage(p, checkAccessibility, javaScriptEnabled));
  const citizen = createCitizen('amelia');
  const made = addContributions(citizen, {
    topThree: [{ title: 'I look after my dad', description: 'Please book appointments after 10am' }],
    conditions: ['Asthma'],
  });
  await signedInAs(page.context(), citizen);

  // Top three things: character counts in fieldsets, one too long.
  await visit('/about-me/top-three');
  const first = page.getByRole('group', { name: 'First thing' });
  await first.getByLabel('What you want people to know').fill('x'.repeat(501));
  await refused(page, 'Continue');
  await here('/about-me/top-three');
  await first.getByLabel('What you want people to know').fill('Please book appointments after 11am');
  await submit(page, 'Continue', 303);
  await here('/about-me/top-three/check-answers');
  await submit(page, 'Save top three things', 303);
  await here('/about-me/top-three/confirmation');

  // Conditions: a select (an autocomplete with JavaScript) and a text input, neither answered.
  await visit('/about-me/conditions/add');
  await refused(page, 'Continue');
  await here('/about-me/conditions/add');
  await page.getByLabel('If your condition is not in the list, type it here').fill('Hay fever');
  await submit(page, 'Continue', 303);
  await here('/about-me/conditions/check-answers');
  await submit(page, 'Add condition', 303);
  await here('/about-me/conditions/confirmation');
  await visit('/about-me/conditions/[id]/remove', `/about-me/conditions/${made.conditions[0]}/remove`);

  // Communication needs: checkboxes, none chosen.
  await visit('/about-me/communication-needs');
  for (const box of await page
    .getByRole('group', { name: 'Do you need information in a different format, or support to communicate?' })
    .getByRole('checkbox')
    .all())
    await box.uncheck();
  await refused(page, 'Continue');
  await here('/about-me/communication-needs');
  await page.getByRole('checkbox', { name: 'Large print' }).check();
  await submit(page, 'Continue', 303);
  await here('/about-me/communication-needs/check-answers');
  await submit(page, 'Save communication needs', 303);
  await here('/about-me/communication-needs/confirmation');

  // Contact preferences: radios not answered, then email and fewer letters to check answers.
  await visit('/about-me/contact-preferences/how-to-contact-you');
  await refused(page, 'Continue');
  await here('/about-me/contact-preferences/how-to-contact-you');
  await page.getByRole('radio', { name: 'Email' }).check();
  await submit(page, 'Continue', 303);
  await here('/about-me/contact-preferences/email-address');
  await page.getByRole('textbox', { name: 'What is your email address?' }).fill('amelia.nhs-brand@example.com');
  await submit(page, 'Continue', 303);
  await here('/about-me/contact-preferences/fewer-letters');
  await page.getByRole('checkbox', { name: 'Leeds City Council' }).check();
  await submit(page, 'Continue', 303);
  await here('/about-me/contact-preferences/check-answers');
  await submit(page, 'Save contact preferences', 303);
  await here('/about-me/contact-preferences/confirmation');

  // Address: the postcode question's errors, the list of addresses, check answers.
  await visit('/about-me/address/postcode');
  await refused(page, 'Find address');
  await here('/about-me/address/postcode');
  await page.getByRole('textbox', { name: 'Postcode' }).fill('LS1 6ZZ');
  await submit(page, 'Find address', 303);
  await here('/about-me/address/select');
  await page.getByRole('radio').first().check();
  await submit(page, 'Use this address', 303);
  await here('/about-me/address/check-answers');
  await submit(page, 'Confirm new address', 303);
  await here('/about-me/address/confirmation');
  await rest();
});

test('a citizen: the account, ways of signing in and joining accounts, apps, and their data', async ({ page, checkAccessibility, javaScriptEnabled }) => {
  const { visit, here, rest } = sweep(page, 'account', (p) => expectNhsPage(p, checkAccessibility, javaScriptEnabled));
  const citizen = createCitizen('amelia');
  addContributions(citizen, { topThree: [{ title: 'Mine', description: 'From this account' }] });
  // Another account of the same person with top three things of its own: joining asks which to keep.
  const other = createCitizen('amelia');
  addContributions(other, { topThree: [{ title: 'Other', description: 'From the other account' }] });
  pendingJoin(citizen, other);
  connectApp(citizen, 'bp-diary');
  await signedInAs(page.context(), citizen);

  await visit('/account/apps/[appId]/disconnect', '/account/apps/bp-diary/disconnect');
  await visit('/account/sign-in-methods/not-added', '/account/sign-in-methods/not-added?reason=name');
  // Joining: radios not answered, then check answers and the confirmation.
  await visit('/account/sign-in-methods/join/[question]', '/account/sign-in-methods/join/top-three');
  await refused(page, 'Continue');
  await here('/account/sign-in-methods/join/[question]');
  await page.getByRole('radio', { name: 'The one from this account' }).check();
  await submit(page, 'Continue', 303);
  await here('/account/sign-in-methods/join/check-answers');
  await submit(page, 'Join my accounts', 303);
  await here('/account/sign-in-methods/join/confirmation');

  // A copy of their data: asked for, then ready (the worker beside the council brand's server prepares it).
  await visit('/account/your-data');
  await submit(page, 'Prepare my data', 303);
  await here('/account/your-data/[id]');
  const status = new URL(page.url()).pathname;
  await expect
    .poll(
      async () => {
        await page.goto(status);
        return page.getByRole('link', { name: 'Read or print your data' }).count();
      },
      { timeout: 30_000 },
    )
    .toBeGreaterThan(0);
  await here('/account/your-data/[id]');
  await visit('/account/your-data/[id]/readable', `${status}/readable`);

  // An app asking to connect (as the example app's own request would), and one whose request is refused.
  const authorise = new URLSearchParams({
    response_type: 'code',
    client_id: 'bp-diary',
    redirect_uri: `${MARKET_APP_URL}/callback`,
    scope: 'launch/patient patient/Observation.rs',
    state: 'nhs-every-page',
    code_challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
    code_challenge_method: 'S256',
    aud: `${NHS_BASE_URL}/fhir/r4`,
  });
  await page.goto(`/oauth/auth?${authorise}`);
  await here('/apps/connect/[uid]');
  await refused(page, 'Continue');
  await here('/apps/connect/[uid]');
  authorise.set('client_id', 'no-such-app');
  const refusal = await page.goto(`/oauth/auth?${authorise}`);
  expect(refusal?.status()).toBe(400);
  await test.step('the OAuth server’s refusal page', () => expectNhsPage(page, checkAccessibility, javaScriptEnabled));
  await rest();
});

test('a citizen: blood pressure, the care record, letters and sharing', async ({ page, checkAccessibility, javaScriptEnabled }) => {
  const { visit, here, rest } = sweep(page, 'health', (p) => expectNhsPage(p, checkAccessibility, javaScriptEnabled));
  const citizen = createCitizen('amelia');
  const made = addContributions(citizen, {
    readings: [0, 1, 2, 3].flatMap((daysAgo) => [{ daysAgo, systolic: 128 + daysAgo, diastolic: 82 }]),
    finishedWeek: { startedOn: '2026-11-02', endsOn: '2026-11-08', systolic: 130, diastolic: 80, result: 'below-135-85' },
  });
  const letter = letterFor(citizen.id, 'Your eye clinic appointment');
  await signedInAs(page.context(), citizen);

  // A reading: text inputs and radios not answered, a date that is not one, then check and saved.
  await visit('/blood-pressure/add');
  await refused(page, 'Continue');
  await here('/blood-pressure/add');
  await page.getByLabel('Systolic (top number)', { exact: true }).fill('127');
  await page.getByLabel('Diastolic (bottom number)', { exact: true }).fill('79');
  await page.getByRole('radio', { name: 'Earlier' }).check();
  await page.getByRole('textbox', { name: 'Day', exact: true }).fill('31');
  await page.getByRole('textbox', { name: 'Month', exact: true }).fill('2');
  await page.getByRole('radio', { name: 'Left arm' }).check();
  await page.getByRole('group', { name: 'Were you sitting down?' }).getByRole('radio', { name: 'Yes' }).check();
  await refused(page, 'Continue');
  await here('/blood-pressure/add');
  // A real date: the date input's boxes reach the server in this brand too.
  const twoDaysAgo = new Date(Date.now() - 2 * 86_400_000);
  const when = { Day: twoDaysAgo.getUTCDate(), Month: twoDaysAgo.getUTCMonth() + 1, Year: twoDaysAgo.getUTCFullYear(), Hour: 9, Minute: 30 };
  for (const [box, value] of Object.entries(when)) await page.getByRole('textbox', { name: box, exact: true }).fill(String(value));
  await submit(page, 'Continue', 303);
  await here('/blood-pressure/add/check');
  await submit(page, 'Save reading', 303);
  await here('/blood-pressure/add/saved');

  const [changed, deleted] = made.readings;
  await visit('/blood-pressure/readings/[id]/change', `/blood-pressure/readings/${changed}/change`);
  await page.getByLabel('Systolic (top number)', { exact: true }).fill('126');
  await submit(page, 'Save changes', 303);
  await here('/blood-pressure/readings/[id]/changed');
  await visit('/blood-pressure/readings/[id]/delete', `/blood-pressure/readings/${deleted}/delete`);
  await visit('/blood-pressure/weeks/[id]', `/blood-pressure/weeks/${made.finishedWeek}`);
  // A week started today, so that it can be ended.
  await visit('/blood-pressure/week/start');
  await page.getByRole('radio', { name: /^Today, / }).check();
  await submit(page, 'Start my week', 303);
  await visit('/blood-pressure/week/end');

  // The care record (found by Amelia's NHS number), and a letter in it.
  await visit('/care-record');
  await visit('/care-record/letters');
  await page
    .getByRole('link', { name: /^Read / })
    .first()
    .click();
  await here('/care-record/letters/[id]');

  await visit('/letters/[id]', `/letters/${letter}`);
  await visit('/sharing/[category]', '/sharing/conditions');
  await rest();
});

test('a citizen: taking part, an activity answered to the end, and their preferences', async ({ page, checkAccessibility, javaScriptEnabled }) => {
  const { visit, here, rest } = sweep(page, 'engagement', (p) => expectNhsPage(p, checkAccessibility, javaScriptEnabled));
  const citizen = createCitizen('amelia');
  const data = citizenJourneyDataFor(citizen.id, `nhs-${javaScriptEnabled ? 'on' : 'off'}-${Date.now()}`);
  await signedInAs(page.context(), citizen);

  await visit('/engagement');
  await page.getByRole('link', { name: data.openTitle }).click();
  await here('/engagement/activities/[id]');
  await page.getByRole('button', { name: 'Start now' }).click();
  // The first question was answered before: whether to use that answer (radios not answered).
  await here('/engagement/activities/[id]/questions/[n]/earlier-answer');
  await refused(page, 'Continue');
  await here('/engagement/activities/[id]/questions/[n]/earlier-answer');
  await page.getByRole('radio', { name: 'Yes, use my earlier answer' }).check();
  await submit(page, 'Continue', 303);
  // A question in their own words, not answered.
  await here('/engagement/activities/[id]/questions/[n]');
  await refused(page, 'Continue');
  await here('/engagement/activities/[id]/questions/[n]');
  await page.getByRole('textbox').fill('More buses in the evening');
  await submit(page, 'Continue', 303);
  await here('/engagement/activities/[id]/check-answers');
  await submit(page, 'Send answers', 303);
  await here('/engagement/activities/[id]/sent');
  await rest();
});

test('staff: a care professional finds a citizen, sees their record, and asks for emergency access', async ({
  page,
  browser,
  checkAccessibility,
  javaScriptEnabled,
}) => {
  const check = (p: Page) => expectNhsPage(p, checkAccessibility, javaScriptEnabled);
  const { visit, here, rest } = sweep(page, 'care professional', check);
  const amelia = createCitizen('amelia');
  addContributions(amelia, { topThree: [{ title: 'I look after my dad', description: '' }], readings: [{ daysAgo: 1, systolic: 128, diastolic: 82 }] });
  const farah = createCitizen('farah');
  await signedInAs(page.context(), 'grace');

  // A text input not answered, then the results.
  await visit('/staff/find-a-citizen');
  await refused(page, 'Search');
  await here('/staff/find-a-citizen');
  await page.getByRole('textbox', { name: 'NHS number' }).fill(amelia.nhsNumber!);
  await submit(page, 'Search', 200);
  await here('/staff/find-a-citizen');
  await visit('/staff/citizens/[id]', `/staff/citizens/${amelia.id}`);
  // A page of another role's: refused.
  await page.goto('/staff/apps');
  await test.step('refused: another role’s page (403)', () => check(page));

  // Omar (the community trust) is not in Farah's care team: refused, and the way in for an emergency.
  const context = await browser.newContext({ baseURL: NHS_BASE_URL, javaScriptEnabled });
  try {
    await signedInAs(context, 'omar');
    const omar = await context.newPage();
    const refusal = await omar.goto(`/staff/citizens/${farah.id}`);
    expect(refusal?.status()).toBe(403);
    await test.step('refused: not in the care team (403)', () => check(omar));
    await omar.goto(`/staff/citizens/${farah.id}/emergency-access`);
    await here('/staff/citizens/[id]/emergency-access', omar);
    // A reason in a character count, and radios, not answered.
    await refused(omar, 'Use emergency access');
    await here('/staff/citizens/[id]/emergency-access', omar);
  } finally {
    await context.close();
  }
  await rest();
});

test('staff: an engagement coordinator creates an activity, every step, and sees an open one’s results', async ({
  page,
  checkAccessibility,
  javaScriptEnabled,
}) => {
  const { visit, here, rest } = sweep(page, 'coordinator', (p) => expectNhsPage(p, checkAccessibility, javaScriptEnabled));
  const label = `nhs-${javaScriptEnabled ? 'on' : 'off'}-${Date.now()}`;
  const open = councilActivity(label);
  await signedInAs(page.context(), 'priya');

  // A new activity: an input and a character count not answered, then each step of the draft.
  await visit('/staff/engagement/new');
  await refused(page, 'Continue');
  await here('/staff/engagement/new');
  await page.getByLabel('Title').fill(`Bus routes ${label}`);
  await page.getByLabel('What is the activity for?').fill('To plan buses.');
  await submit(page, 'Continue', 303);
  const activity = new URL(page.url()).pathname.replace(/\/[^/]+$/, '');
  expect(activity).toMatch(/^\/staff\/engagement\/activities\/[^/]+$/);
  for (const step of ['about', 'topics', 'audience', 'method', 'questions', 'questions/new']) {
    await visit(`/staff/engagement/activities/[id]/${step}`, `${activity}/${step}`);
  }
  // Date inputs not answered.
  await visit('/staff/engagement/activities/[id]/dates', `${activity}/dates`);
  await refused(page, 'Continue');
  await here('/staff/engagement/activities/[id]/dates');
  await visit('/staff/engagement/activities/[id]/check-answers', `${activity}/check-answers`);

  // An open activity of the coordinator's organisation.
  await visit('/staff/engagement');
  await page.getByRole('link', { name: open }).click();
  await here('/staff/engagement/activities/[id]');
  const opened = new URL(page.url()).pathname;
  await visit('/staff/engagement/activities/[id]/results', `${opened}/results`);
  await visit('/staff/engagement/activities/[id]/close', `${opened}/close`);
  await rest();
});

test('staff: a programme administrator’s pages, with rows in their lists', async ({ page, checkAccessibility, javaScriptEnabled }) => {
  const { visit, here, rest } = sweep(page, 'programme admin', (p) => expectNhsPage(p, checkAccessibility, javaScriptEnabled));
  // A change not delivered, so the deliveries page has a row.
  failedDelivery(createCitizen('farah').id);
  await signedInAs(page.context(), 'sam');

  // Inputs, radios and checkboxes not answered.
  await visit('/staff/apps/register');
  await refused(page, 'Register app');
  await here('/staff/apps/register');
  await visit('/staff/apps/[id]/withdraw', '/staff/apps/bp-diary/withdraw');
  await rest();
});

test('a citizen invites someone to act for them; another asks to act for a child, and a proxy verifier sees the request', async ({
  page,
  browser,
  checkAccessibility,
  javaScriptEnabled,
}) => {
  const check = (p: Page) => expectNhsPage(p, checkAccessibility, javaScriptEnabled);
  const { visit, here, rest } = sweep(page, 'acting for', check);
  const verifier = sweep(page, 'proxy verifier', check);
  const label = `${javaScriptEnabled ? 'on' : 'off'}${Date.now().toString(36)}`;
  const inviter = createCitizen('amelia');
  const email = `helper.nhs-${label}@example.com`;
  await signedInAs(page.context(), inviter);

  // The invitation, a question a page: a text input not answered.
  await visit('/account/people-acting-for-you/invite/name');
  await refused(page, 'Continue');
  await here('/account/people-acting-for-you/invite/name');
  await page.getByRole('textbox', { name: 'What is the full name of the person you want to invite?' }).fill('Walt Helpwell');
  await submit(page, 'Continue', 303);
  await here('/account/people-acting-for-you/invite/contact');
  await page.getByRole('radio', { name: 'Email' }).check();
  await page.getByRole('textbox', { name: 'If email, their email address' }).fill(email);
  await submit(page, 'Continue', 303);
  await here('/account/people-acting-for-you/invite/permissions');
  await page.getByRole('checkbox', { name: 'See your care record' }).check();
  await submit(page, 'Continue', 303);
  await here('/account/people-acting-for-you/invite/how-long');
  await page.getByRole('radio', { name: 'Until you stop it' }).check();
  await submit(page, 'Continue', 303);
  await here('/account/people-acting-for-you/invite/check-answers');
  await submit(page, 'Send invitation', 303);
  await here('/account/people-acting-for-you/invite/sent');
  const [access] = proxyAccessesOf({ personId: inviter.id });
  for (const step of ['', '/permissions', '/end']) {
    await visit(`/account/people-acting-for-you/[id]${step}`, `/account/people-acting-for-you/${access}${step}`);
  }

  // The invitee opens the link they were sent (through the local Notify), signed in as themselves.
  const link = new RegExp('/acting-for/invitations/[A-Za-z0-9_-]{43}');
  let invitation = '';
  await expect
    .poll(
      async () => {
        invitation = link.exec((await sentTo(email)).map((sent) => sent.body).join(' '))?.[0] ?? '';
        return invitation;
      },
      { timeout: 30_000 },
    )
    .not.toBe('');
  const context = await browser.newContext({ baseURL: NHS_BASE_URL, javaScriptEnabled });
  try {
    const helper = await context.newPage();
    await signedInAs(context, createCitizen('farah'));
    await helper.goto(invitation);
    await here('/acting-for/invitations/[token]', helper);
  } finally {
    await context.close();
  }

  // A parent asks to act for their child: radios not answered, then every step.
  const parent = createCitizen('farah');
  await page.context().clearCookies();
  await signedInAs(page.context(), parent);
  await visit('/acting-for/request/relationship');
  await refused(page, 'Continue');
  await here('/acting-for/request/relationship');
  await page.getByRole('radio', { name: 'Parent or guardian of a child under 16' }).check();
  await submit(page, 'Continue', 303);
  await here('/acting-for/request/their-details');
  const born = new Date(Date.now() - 8 * 365 * 86_400_000);
  await page.getByRole('textbox', { name: 'First name' }).fill('Nia');
  await page.getByRole('textbox', { name: 'Last name' }).fill(`Newbury${label.replace(/[0-9]/g, '')}`);
  await page.getByRole('textbox', { name: 'Day' }).fill(String(born.getUTCDate()));
  await page.getByRole('textbox', { name: 'Month' }).fill(String(born.getUTCMonth() + 1));
  await page.getByRole('textbox', { name: 'Year' }).fill(String(born.getUTCFullYear()));
  await page.getByRole('textbox', { name: 'NHS number' }).fill(newNhsNumber());
  await submit(page, 'Continue', 303);
  await here('/acting-for/request/evidence');
  await page.getByRole('radio', { name: 'Their birth certificate, naming you as a parent' }).check();
  await page.getByRole('textbox', { name: 'Which GP surgery are they registered with?' }).fill('Demo Lane Surgery');
  await submit(page, 'Continue', 303);
  await here('/acting-for/request/permissions');
  await page.getByRole('checkbox', { name: 'See their care record' }).check();
  await submit(page, 'Continue', 303);
  await here('/acting-for/request/check-answers');
  await submit(page, 'Send request', 303);
  await here('/acting-for/request/sent');
  await rest();

  // The proxy verifier at the GP practice: the list of requests, and this one.
  await page.context().clearCookies();
  await signedInAs(page.context(), 'vera');
  await verifier.visit('/staff/proxy-requests/[id]', `/staff/proxy-requests/${proxyAccessesOf({ proxyId: parent.id })[0]}`);
  // A decision not made (radios).
  await refused(page, 'Save decision');
  await verifier.here('/staff/proxy-requests/[id]');
  await verifier.rest();
});
