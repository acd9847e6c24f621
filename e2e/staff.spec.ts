import type { Page } from '@playwright/test';
import { expectWellFormedPage } from './support/page-checks';
import { signIn, signOut } from './support/sign-in';
import { staffSignIn } from './support/staff';
import { expect, test } from './support/test';

/** Staff sign in through the staff directory; every staff page checks the role on the server. */

const STAFF_AREAS = ['/staff', '/staff/find-a-citizen', '/staff/engagement', '/staff/active-users'];

test('a care professional signs in, sees their staff home, and only their own areas', async ({ page, checkAccessibility }) => {
  test.slow();
  const check = async (p: Page) => {
    await expectWellFormedPage(p);
    await checkAccessibility(p);
  };
  await staffSignIn(page, 'grace.practiceton@staff.example.org', { check, checkProvider: checkAccessibility });
  await expect(page.locator('h1')).toHaveText('Staff home');
  await expect(page.getByText('Grace Practiceton')).toBeVisible();
  const details = page.locator('.govuk-summary-list');
  await expect(details.locator('dd')).toHaveText(['Demo Lane Surgery (ZZ0001)', 'General Practitioner', 'Care professional']);
  await expect(page.getByRole('main').getByRole('link')).toHaveText(['Find a citizen']);
  await check(page);

  await page.getByRole('link', { name: 'Find a citizen' }).click();
  await expect(page.locator('h1')).toHaveText('Find a citizen');
  await check(page);

  // Another role's page: refused on the server, whatever the links show.
  const refused = await page.goto('/staff/engagement');
  expect(refused?.status()).toBe(403);
  await expect(page.locator('h1')).toHaveText('You do not have permission to see this page');
  await check(page);
  expect((await page.request.get('/staff/active-users', { maxRedirects: 0 })).status()).toBe(403);

  // A staff session is not a citizen's.
  await page.goto('/account');
  await expect(page).toHaveURL('/sign-in?returnTo=%2Faccount');

  await page.goto('/staff');
  await signOut(page, 'Demo staff sign-in');
  await page.goto('/staff');
  await expect(page).toHaveURL('/staff/sign-in');
});

test('an engagement coordinator sees engagement and nothing else', async ({ page }) => {
  await staffSignIn(page, 'priya.connector@staff.example.org');
  await expect(page.getByRole('main').getByRole('link')).toHaveText(['Engagement']);
  expect((await page.goto('/staff/engagement'))?.status()).toBe(200);
  expect((await page.goto('/staff/find-a-citizen'))?.status()).toBe(403);
  expect((await page.goto('/staff/active-users'))?.status()).toBe(403);
});

test('a citizen can never open a staff page', async ({ page }) => {
  await signIn(page, { provider: 'nhslogin', email: 'amelia.testwell@example.com' });
  await expect(page).toHaveURL('/account');
  for (const path of STAFF_AREAS) {
    const response = await page.request.get(path, { maxRedirects: 0 });
    expect(response.status(), path).toBe(303);
    expect(response.headers().location, path).toBe('/staff/sign-in');
  }
  // And the citizen is still signed in: trying a staff page does not end their session.
  await page.goto('/account');
  await expect(page.getByText('Amelia Testwell', { exact: true })).toBeVisible();
});
