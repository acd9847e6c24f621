import type { Page } from '@playwright/test';
import { uniqueText, userIdOf } from './support/database';
import { expectWellFormedPage } from './support/page-checks';
import { answerSignInQuestions, PROVIDERS, registerIfAsked, signIn, signInAtProvider } from './support/sign-in';
import { expect, test } from './support/test';

/**
 * Closing an account: the page that says what is deleted and what is kept, the box that must be
 * ticked, signing out here and at the identity provider, the public "closed" page, nothing
 * personal with Back, and signing in again later makes a new, empty account that registers.
 * Rosa Closewell's accounts are used by no other test (closing a shared demo account would break
 * them), and each project uses a different provider: two separate people to this service.
 */

const EMAIL = 'rosa.closewell@example.com';
const PROVIDER_SIGN_OUT = { onelogin: 'Demo One Login', nhslogin: 'Demo NHS login' } as const;

async function saveTopThree(page: Page, title: string) {
  await page.goto('/about-me/top-three');
  const first = page.getByRole('group', { name: 'First thing' });
  await first.getByLabel('Short title').fill(title);
  await first.getByLabel('What you want people to know').fill('Please face me when you speak.');
  await page.getByRole('button', { name: 'Continue' }).click();
  await expect(page).toHaveURL('/about-me/top-three/check-answers');
  await page.getByRole('button', { name: 'Save top three things' }).click();
  await expect(page).toHaveURL('/about-me/top-three/confirmation');
}

test('a citizen closes their account, is signed out, and can register again as a new account', async ({ page, checkAccessibility, javaScriptEnabled }) => {
  test.slow();
  const provider = javaScriptEnabled ? 'onelogin' : 'nhslogin';
  const checked = async () => {
    await expectWellFormedPage(page);
    await checkAccessibility(page);
  };
  const title = uniqueText('Hearing');

  await signIn(page, { provider, email: EMAIL });
  const closedId = userIdOf('Rosa', provider);
  expect(closedId).not.toBeNull();
  await saveTopThree(page, title);

  await page.goto('/account');
  await page.getByRole('link', { name: 'Close your account' }).click();
  await expect(page).toHaveURL('/account/close');
  await expect(page.locator('h1')).toHaveText('Close your account');
  await expect(page.getByRole('heading', { name: 'What we delete straight away' })).toBeVisible();
  await expect(page.getByRole('heading', { name: 'What we keep, and why' })).toBeVisible();
  await expect(page.getByText(/for 8 years, as NHS records guidance asks/)).toBeVisible();
  await expect(page.getByRole('link', { name: 'download your information' })).toHaveAttribute('href', '/account/your-data');
  await expect(page.getByText(`We also unlink ${PROVIDERS[provider]} from this service`)).toBeVisible();
  await checked();

  // The box must be ticked: nothing is deleted until it is.
  const refused = page.waitForResponse((r) => r.request().method() === 'POST' && new URL(r.url()).pathname === '/account/close');
  await page.getByRole('button', { name: 'Close my account' }).click();
  expect((await refused).status()).toBe(422);
  await page.waitForLoadState();
  await expect(page).toHaveTitle(/^Error: Close your account/);
  const message = 'Select that you understand your information will be deleted and cannot be got back';
  await expect(page.locator('.govuk-error-summary').getByRole('link')).toHaveText(message);
  await expect(page.locator('#confirm-error')).toHaveText(`Error: ${message}`);
  await checked();
  expect(userIdOf('Rosa', provider)).toBe(closedId);

  await page.getByRole('checkbox', { name: 'I understand that my information will be deleted and cannot be got back' }).check();
  await page.getByRole('button', { name: 'Close my account' }).click();

  // Signed out at the provider too (the demo provider asks; GOV.UK One Login does not).
  await expect(page.locator('h1')).toHaveText(`Sign out of ${PROVIDER_SIGN_OUT[provider]}`);
  await page.getByRole('button', { name: 'Sign out' }).click();

  await expect(page).toHaveURL('/account-closed');
  await expect(page.locator('h1')).toHaveText('Your account has been closed');
  await expect(page.getByRole('navigation').getByRole('link', { name: 'Sign out' })).toHaveCount(0);
  await expect(page.locator('body')).not.toContainText('Rosa');
  await expect(page.locator('body')).not.toContainText('Closewell');
  await checked();
  expect(userIdOf('Rosa', provider)).toBeNull();

  // Nothing personal comes back: not with Back, not by opening the account again.
  // A page that was the answer to a form is not kept (no-store): Chromium then shows its own
  // "Confirm form resubmission" page (ERR_CACHE_MISS) rather than anything of ours.
  for (let step = 0; step < 3; step += 1) {
    await page.goBack().catch((error: unknown) => expect(String(error)).toContain('net::ERR_CACHE_MISS'));
    await expect(page.locator('body')).not.toContainText('Closewell');
    await expect(page.locator('body')).not.toContainText(title);
  }
  await page.goto('/account');
  await expect(page).toHaveURL('/sign-in?returnTo=%2Faccount');

  // Later: the same identity makes a new account, which registers like anyone new; nothing comes back.
  await page.goto('/sign-in');
  await answerSignInQuestions(page, provider, false);
  await signInAtProvider(page, EMAIL);
  await expect(page).toHaveURL('/register/your-information');
  expect(await registerIfAsked(page)).toBe(true);
  await expect(page).toHaveURL('/account');
  const newId = userIdOf('Rosa', provider);
  expect(newId).not.toBeNull();
  expect(newId).not.toBe(closedId);
  await page.goto('/about-me/top-three/history');
  await expect(page.locator('body')).not.toContainText(title);
});
