import fs from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { gzipLevelFor } from '../scripts/server/gzip-levels.cjs';
import type { Page, Request, TestInfo } from '@playwright/test';
import { readingsWith, submit } from './support/blood-pressure';
import { expectNhsPage } from './support/nhs-brand';
import { addContributions, citizenSession, createCitizen, signedIn, staffSession, type TestCitizen } from './support/sharing';
import { answerSignInQuestions, signInAtProvider } from './support/sign-in';
import { BASE_URL, NHS_BASE_URL, SERVICE_NAME } from './support/site';
import { expect, test } from './support/test';

/**
 * The smoke pass in the NHS brand (BRAND=nhs): the same build, served by its own server
 * (playwright.config.ts: the nhs-js-on and nhs-js-off projects, baseURL NHS_BASE_URL) with the
 * council brand's database, identity providers and care record. Every page is checked as every
 * council page is (one h1, title, skip link, reflow at 320 px, axe with JavaScript on and off)
 * and for the NHS frame: NHS.UK Frontend's header and footer, its stylesheet, and no GOV.UK
 * Frontend class at all. Every other journey runs in the council brand only.
 */

// Journeys with axe on every page, on 2 shared cores.
test.describe.configure({ timeout: 300_000 });

/** Clicks a button and waits for the page its form's answer leads to. */
async function press(page: Page, name: string, leadsTo: string | RegExp) {
  await page.getByRole('button', { name, exact: true }).click();
  await expect(page).toHaveURL(leadsTo);
}

/**
 * Tess Appleby (scripts/oidc-provider/users.ts) is used by no other journey: with One Login
 * (JavaScript on) and NHS login (off) she is two people to this service, so in each project this
 * is her first sign-in and she registers.
 */
test('a new citizen signs in, registers, tells us about themselves and adds a blood pressure reading', async ({
  page,
  checkAccessibility,
  javaScriptEnabled,
}) => {
  const checked = () => expectNhsPage(page, checkAccessibility, javaScriptEnabled);
  const provider = javaScriptEnabled ? 'onelogin' : 'nhslogin';

  // The start page and signing in.
  await page.goto('/');
  await expect(page.locator('h1')).toHaveText(SERVICE_NAME);
  await checked();
  await page.getByRole('button', { name: 'Start now' }).click();
  await expect(page).toHaveURL(/\/sign-in\??$/);
  await checked();
  // A question left unanswered: the NHS error summary and error message.
  await submit(page, 'Continue', 422);
  await expect(page).toHaveTitle(/^Error: /);
  await expect(page.locator('.nhsuk-error-summary')).toBeVisible();
  await expect(page.locator('.nhsuk-error-message').first()).toBeVisible();
  await checked();
  await answerSignInQuestions(page, provider, false);
  await signInAtProvider(page, 'tess.appleby@example.com');

  // Registration, every step.
  await expect(page).toHaveURL('/register/your-information');
  await expect(page.locator('h1')).toHaveText('What this service does with your information');
  await checked();
  await page.getByRole('checkbox', { name: 'I agree to the terms of use' }).check();
  await press(page, 'Continue', '/register/check-your-details');
  await expect(page.locator('.nhsuk-summary-list')).toContainText('Tess Appleby');
  await checked();
  await press(page, 'Yes, these are my details', '/register/check-answers');
  await checked();
  await press(page, 'Create account', '/register/confirmation');
  await expect(page.locator('h1')).toHaveText('Account created');
  await checked();
  await press(page, 'Continue to your record', '/account');
  await expect(page.getByText('Tess Appleby', { exact: true })).toBeVisible();
  await checked();

  // About me: the top three things, through check answers to the confirmation.
  await page.goto('/about-me');
  await expect(page.locator('h1')).toHaveText('About me and my details');
  await checked();
  await page
    .getByRole('link', { name: /top three things to know about you/ })
    .first()
    .click();
  await expect(page).toHaveURL('/about-me/top-three');
  await checked();
  const first = page.getByRole('group', { name: 'First thing' });
  await first.getByLabel('Short title').fill('Hearing');
  await first.getByLabel('What you want people to know').fill('Please face me when you speak.');
  await press(page, 'Continue', '/about-me/top-three/check-answers');
  await expect(page.getByText('Please face me when you speak.')).toBeVisible();
  await checked();
  await press(page, 'Save top three things', '/about-me/top-three/confirmation');
  await expect(page.locator('.nhsuk-panel')).toContainText('Top three things saved');
  await checked();

  // Blood pressure: the overview, a reading added and checked, and the overview again.
  const systolic = javaScriptEnabled ? 127 : 128;
  await page.goto('/blood-pressure');
  await expect(page.locator('h1')).toHaveText('Blood pressure');
  await checked();
  await page.getByRole('button', { name: 'Add a reading' }).click();
  await expect(page).toHaveURL('/blood-pressure/add');
  await checked();
  await submit(page, 'Continue', 422);
  await expect(page.locator('.nhsuk-error-summary').getByRole('link').first()).toHaveText('Enter the systolic (top number)');
  await checked();
  await page.getByLabel('Systolic (top number)', { exact: true }).fill(String(systolic));
  await page.getByLabel('Diastolic (bottom number)', { exact: true }).fill('69');
  await page.getByRole('radio', { name: 'Just now' }).check();
  await page.getByRole('radio', { name: 'Left arm' }).check();
  await page.getByRole('group', { name: 'Were you sitting down?' }).getByRole('radio', { name: 'Yes' }).check();
  await submit(page, 'Continue', 303);
  await expect(page).toHaveURL('/blood-pressure/add/check');
  await expect(page.locator('.nhsuk-summary-list__value').first()).toHaveText(`${systolic}/69 mmHg`);
  await checked();
  await submit(page, 'Save reading', 303);
  await expect(page).toHaveURL(/\/blood-pressure\/add\/saved\?id=/);
  await expect(page.locator('h1')).toHaveText('Reading saved');
  await checked();
  expect(readingsWith(systolic, 69)).toHaveLength(1);
  await page.goto('/blood-pressure');
  await expect(page.getByRole('main')).toContainText(`${systolic}/69`);
  await checked();
});

/** A citizen of our own with everything to show (the demo care record knows Amelia by her NHS number). */
function citizenWithReadings(): TestCitizen {
  const citizen = createCitizen('amelia');
  addContributions(citizen, {
    topThree: [{ title: 'I look after my dad', description: 'Please book appointments after 10am' }],
    conditions: ['Asthma'],
    readings: [0, 1, 2, 3, 4, 5, 6].flatMap((daysAgo) => [
      { daysAgo, systolic: 128 + daysAgo, diastolic: 82 },
      { daysAgo, systolic: 126 + daysAgo, diastolic: 80 },
    ]),
  });
  return citizen;
}

test('the care record, sharing, engagement and the professional’s view of a citizen', async ({ page, browser, checkAccessibility, javaScriptEnabled }) => {
  const citizen = citizenWithReadings();
  // The session cookie is for localhost, whichever port: it signs the citizen in to this server too.
  await signedIn(page.context(), await citizenSession(citizen));
  const checked = (p: Page) => expectNhsPage(p, checkAccessibility, javaScriptEnabled);

  await page.goto('/care-record');
  await expect(page.locator('h1')).toHaveText('Your care record');
  await expect(page.locator('.nhsuk-summary-list')).toContainText('2 health problems');
  await checked(page);
  await page.getByRole('link', { name: 'View health problems' }).click();
  await expect(page.locator('h1')).toHaveText('Health problems');
  await expect(page.getByRole('main')).toContainText('Hypothyroidism');
  await checked(page);

  await page.goto('/sharing');
  await expect(page.locator('h1')).toHaveText('What you share with professionals');
  await checked(page);

  await page.goto('/engagement');
  await expect(page.locator('h1')).toHaveText('Have your say');
  await checked(page);
  await page.getByRole('link', { name: 'Choose whether and how you are asked to take part' }).click();
  await expect(page.locator('h1')).toHaveText('Your engagement preferences');
  await checked(page);

  // A member of staff at Amelia's GP practice, in a browser of their own.
  const context = await browser.newContext({ baseURL: NHS_BASE_URL, javaScriptEnabled });
  try {
    await signedIn(context, await staffSession('grace'));
    const staff = await context.newPage();
    await staff.goto('/staff');
    await expect(staff.locator('h1')).toHaveText('Staff home');
    await checked(staff);
    await staff.goto(`/staff/citizens/${citizen.id}`);
    await expect(staff.locator('h1')).toHaveText('Amelia Testwell');
    await expect(staff.getByText('I look after my dad')).toBeVisible();
    await checked(staff);
  } finally {
    await context.close();
  }
});

const SCREENSHOTS_DIR = path.join(__dirname, '../.tmp/brand-screenshots');
const WIDTHS = [320, 1280];
const BRANDS = [
  { brand: 'council', url: BASE_URL },
  { brand: 'nhs', url: NHS_BASE_URL },
];

async function keepScreenshot(page: Page, testInfo: TestInfo, name: string) {
  const file = path.join(SCREENSHOTS_DIR, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  await testInfo.attach(name, { path: file, contentType: 'image/png' });
}

test('the same pages in both brands, kept as screenshots at 320 px and at desktop width for review', async ({ page, browser, javaScriptEnabled }, testInfo) => {
  test.skip(!javaScriptEnabled, 'once is enough: the screenshots are taken with JavaScript on');
  fs.mkdirSync(SCREENSHOTS_DIR, { recursive: true });
  const citizen = citizenWithReadings();
  // A very high reading today: the urgent advice (the NHS urgent care card in the NHS brand).
  addContributions(citizen, { readings: [{ daysAgo: 0, systolic: 186, diastolic: 101 }] });
  await signedIn(page.context(), await citizenSession(citizen));

  for (const { brand, url } of BRANDS) {
    for (const width of WIDTHS) {
      await page.setViewportSize({ width, height: 900 });
      // The sign-in page as someone not signed in sees it: a browser of its own.
      const signedOut = await browser.newPage({ viewport: { width, height: 900 } });
      try {
        await signedOut.goto(`${url}/sign-in`);
        await expect(signedOut.locator('h1')).toBeVisible();
        await keepScreenshot(signedOut, testInfo, `sign-in-${brand}-${width}`);
      } finally {
        await signedOut.close();
      }
      await page.goto(`${url}/blood-pressure`);
      await expect(page.locator('h1')).toHaveText('Blood pressure');
      // (In the NHS brand the care card's heading begins with its hidden "Urgent advice: ".)
      await expect(page.getByRole('alert').getByRole('heading', { name: /Your reading of 186\/101 is very high$/ })).toBeVisible();
      // Each brand is drawn by its own design system only.
      const [own, other] = brand === 'nhs' ? ['nhsuk-', 'govuk-'] : ['govuk-', 'nhsuk-'];
      await expect(page.locator(`[class*="${other}"]`)).toHaveCount(0);
      expect(await page.locator(`[class*="${own}"]`).count()).toBeGreaterThan(10);
      await keepScreenshot(page, testInfo, `blood-pressure-${brand}-${width}`);
    }
  }
});

// The budget for every page, in both brands: at most 40 KB gzip, everything it loads included.
const PAGE_BUDGET_GZIP = 40 * 1024;

async function pageWeight(page: Page, address: string) {
  const loaded: Promise<{ url: string; type: string; gzip: number }>[] = [];
  const measure = (request: Request) => {
    loaded.push(
      (async () => {
        const body = (await (await request.response())?.body()) ?? Buffer.alloc(0);
        return { url: request.url(), type: request.resourceType(), gzip: gzipSync(body, { level: gzipLevelFor(new URL(request.url()).pathname) }).length };
      })(),
    );
  };
  page.on('requestfinished', measure);
  await page.goto(address, { waitUntil: 'networkidle' });
  page.off('requestfinished', measure);
  const resources = await Promise.all(loaded);
  const total = resources.reduce((sum, resource) => sum + resource.gzip, 0);
  const breakdown = resources.map(({ url, type, gzip }) => `  ${gzip} B gzip  ${type}  ${new URL(url).pathname}`).join('\n');
  return { total, breakdown, types: resources.map((resource) => resource.type) };
}

test('pages in the NHS brand weigh at most 40 KB gzip, stylesheet and JavaScript included', async ({ page, javaScriptEnabled }) => {
  test.skip(!javaScriptEnabled, 'with JavaScript off no script is loaded: measured with it on');
  const citizen = citizenWithReadings();
  await signedIn(page.context(), await citizenSession(citizen));
  // The start page (no script), a form with enhancements (the character count), and the longest
  // signed-in page (two charts and the readings), all with the session's timeout warning script.
  for (const address of ['/', '/about-me/top-three', '/blood-pressure']) {
    const { total, breakdown, types } = await pageWeight(page, address);
    console.log(`NHS brand ${address}: ${total} B gzip in all\n${breakdown}`);
    expect(types).toContain('stylesheet');
    if (address !== '/') expect(types).toContain('script');
    expect(total, `${address}\n${breakdown}`).toBeLessThanOrEqual(PAGE_BUDGET_GZIP);
  }
});
