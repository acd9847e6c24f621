import { setCareRecordFault } from './support/care-record';
import { expectWellFormedPage } from './support/page-checks';
import { signIn } from './support/sign-in';
import { expect, test } from './support/test';

/**
 * Care-record journeys that change state other tests share: the demo care record's fault mode,
 * which every request sees. They run in their own Playwright project (care-record-serial), after
 * js-on and js-off, one at a time, and leave the care record working.
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

for (const javaScriptEnabled of [true, false]) {
  test.describe(`JavaScript ${javaScriptEnabled ? 'on' : 'off'}`, () => {
    test.use({ javaScriptEnabled });

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
