import type { Page } from '@playwright/test';
import { forgetCareRecordLink, setCareRecordFault } from './support/care-record';
import { expectWellFormedPage } from './support/page-checks';
import { signIn } from './support/sign-in';
import { expect, test } from './support/test';

/**
 * Care-record journeys that change state other tests share: Amelia's One Login account's link
 * (found by postcode), and the demo care record's fault mode, which every request sees. They
 * run in their own Playwright project (care-record-serial), after js-on and js-off, one at a
 * time, and leave the care record working.
 */

test.describe.configure({ mode: 'serial' });

const AMELIA = 'amelia.testwell@example.com';
const UNAVAILABLE = 'Sorry, we cannot show your care record right now';
const SECTION_PATHS = [
  '/care-record/health-problems',
  '/care-record/medicines',
  '/care-record/allergies',
  '/care-record/vaccinations',
  '/care-record/test-results',
  '/care-record/appointments',
  '/care-record/letters',
  '/care-record/care-team',
  '/care-record/care-plan',
];

test.afterAll(async () => {
  await setCareRecordFault({ mode: 'normal' });
});

async function submitPostcode(page: Page, postcode: string) {
  await page.getByRole('textbox', { name: 'What is your postcode?' }).fill(postcode);
  const response = page.waitForResponse((r) => r.request().method() === 'POST' && new URL(r.url()).pathname === '/care-record/find-your-record');
  await page.getByRole('button', { name: 'Find my care record' }).click();
  const status = (await response).status();
  await page.waitForLoadState();
  return status;
}

for (const javaScriptEnabled of [true, false]) {
  test.describe(`JavaScript ${javaScriptEnabled ? 'on' : 'off'}`, () => {
    test.use({ javaScriptEnabled });

    test('One Login gives no NHS number: the postcode finds the record, a wrong one finds nothing and nothing is guessed', async ({
      page,
      checkAccessibility,
    }) => {
      test.setTimeout(300_000);
      const check = async () => {
        await expectWellFormedPage(page);
        await checkAccessibility(page);
      };
      forgetCareRecordLink('Amelia', 'onelogin');
      await signIn(page, { provider: 'onelogin', email: AMELIA, from: '/care-record' });
      await expect(page).toHaveURL('/care-record/find-your-record');
      await expect(page.locator('h1')).toHaveText('What is your postcode?');
      await check();

      expect(await submitPostcode(page, '')).toBe(422);
      await expect(page).toHaveTitle(/^Error: /);
      await expect(page.locator('.govuk-error-summary').getByRole('link')).toHaveText('Enter your postcode');
      await check();
      expect(await submitPostcode(page, '<script>alert(1)</script>')).toBe(422);
      await expect(page.locator('.govuk-error-summary').getByRole('link')).toHaveText('Enter a real postcode');
      await expect(page.getByRole('textbox', { name: 'What is your postcode?' })).toHaveValue('<script>alert(1)</script>');
      await check();

      // A real postcode that is not hers: an honest page, no record.
      expect(await submitPostcode(page, 'LS6 2QS')).toBe(200);
      await expect(page.locator('h1')).toHaveText('We could not find your care record');
      await check();
      await page.goto('/care-record/medicines');
      await expect(page).toHaveURL('/care-record');
      await expect(page.locator('h1')).toHaveText('We could not find your care record');

      await page.getByRole('link', { name: 'try a different postcode' }).click();
      await expect(page).toHaveURL('/care-record/find-your-record');
      await submitPostcode(page, 'ls62qr');
      await expect(page).toHaveURL('/care-record');
      await expect(page.locator('h1')).toHaveText('Your care record');
      await page.getByRole('link', { name: 'View allergies' }).click();
      await expect(page.getByRole('main')).toContainText('Allergy to penicillin');
    });

    test('the care record is down: its pages say so, and the rest of the service works', async ({ page, checkAccessibility }) => {
      test.setTimeout(180_000);
      await signIn(page, { provider: 'nhslogin', email: AMELIA, from: '/care-record' });
      await expect(page.locator('h1')).toHaveText('Your care record');
      await setCareRecordFault({ mode: 'down' });
      try {
        // What was just shown may still come from the client's short cache (1 second in the e2e server).
        await expect(async () => {
          expect((await page.goto('/care-record'))?.status()).toBe(503);
        }).toPass({ timeout: 10_000 });
        for (const path of ['/care-record', ...SECTION_PATHS]) {
          const response = await page.goto(path);
          expect(response?.status(), path).toBe(503);
          await expect(page.locator('h1')).toHaveText(UNAVAILABLE);
          await expect(page.getByRole('main')).toContainText('Try again later');
        }
        await expectWellFormedPage(page);
        await checkAccessibility(page);

        // The home page never asks the care record, and the rest of the service answers.
        for (const path of ['/account', '/account/sign-in-history', '/feedback']) {
          expect((await page.goto(path))?.status(), path).toBe(200);
        }
        await page.goto('/account');
        await expect(page.locator('h1')).toHaveText('Your account');
        await expect(page.getByRole('link', { name: 'Your care record' })).toBeVisible();
      } finally {
        await setCareRecordFault({ mode: 'normal' });
      }
      // Back to normal: once the circuit breaker's cool-down has passed (1 second in the e2e server), the record shows again.
      await expect(async () => {
        expect((await page.goto('/care-record'))?.status()).toBe(200);
      }).toPass({ timeout: 10_000 });
      await expect(page.locator('h1')).toHaveText('Your care record');
    });
  });
}

test('the care record is slow or failing: the page says it cannot be shown rather than waiting on it', async ({ page, checkAccessibility }) => {
  test.slow();
  await signIn(page, { provider: 'nhslogin', email: AMELIA, from: '/care-record' });
  await expect(page.locator('h1')).toHaveText('Your care record');
  try {
    // Slower than the client's timeout (4 seconds): it gives up and says so.
    await setCareRecordFault({ mode: 'slow', delayMs: 6000 });
    // The summary just shown may have left this section in the client's short cache (1 second).
    await expect(async () => {
      expect((await page.goto('/care-record/test-results'))?.status()).toBe(503);
    }).toPass({ timeout: 30_000 });
    await expect(page.locator('h1')).toHaveText(UNAVAILABLE);
    await checkAccessibility(page);
    expect((await page.goto('/account'))?.status()).toBe(200);

    await setCareRecordFault({ mode: 'error500' });
    await expect(async () => {
      expect((await page.goto('/care-record/letters'))?.status()).toBe(503);
    }).toPass({ timeout: 30_000 });
    await expect(page.locator('h1')).toHaveText(UNAVAILABLE);
  } finally {
    await setCareRecordFault({ mode: 'normal' });
  }
});
