import type { Page } from '@playwright/test';
import { signInMethodsOf, uniqueText, usersNamed } from './support/database';
import { expectWellFormedPage } from './support/page-checks';
import { signIn, signInAtProvider } from './support/sign-in';
import { expect, test } from './support/test';

/**
 * "Ways you sign in": adding the other provider to an account, joining the account that
 * provider already had (with a question for a conflict), and the refusal when the two
 * identities are not one person. Each project (JavaScript on and off) uses its own people
 * for the journeys that change accounts (scripts/oidc-provider/users.ts), as both run at once.
 * Cookies are cleared between one person's sign-ins so that no provider session carries over.
 */

/** Top three things with one item, through the about me pages. */
async function saveTopThree(page: Page, title: string) {
  await page.goto('/about-me/top-three');
  const first = page.getByRole('group', { name: 'First thing' });
  await first.getByLabel('Short title').fill(title);
  await first.getByLabel('What you want people to know').fill('Please speak slowly.');
  await page.getByRole('button', { name: 'Continue' }).click();
  await expect(page).toHaveURL('/about-me/top-three/check-answers');
  await page.getByRole('button', { name: 'Save top three things' }).click();
  await expect(page).toHaveURL('/about-me/top-three/confirmation');
}

async function openSignInMethods(page: Page) {
  await page.goto('/account');
  await page.getByRole('link', { name: 'Ways you sign in' }).click();
  await expect(page).toHaveURL('/account/sign-in-methods');
  await expect(page.locator('h1')).toHaveText('Ways you sign in');
}

test('a citizen adds NHS login to their One Login account', async ({ page, checkAccessibility, javaScriptEnabled }) => {
  test.slow();
  const [givenName, email] = javaScriptEnabled ? ['Gita', 'gita.linkwell@example.com'] : ['Harun', 'harun.linkwell@example.com'];
  const checked = async () => {
    await expectWellFormedPage(page);
    await checkAccessibility(page);
  };

  await signIn(page, { provider: 'onelogin', email });
  await openSignInMethods(page);
  await expect(page.getByRole('table')).toContainText('GOV.UK One Login');
  await expect(page.getByText('No other way of signing in has been added to this account.')).toBeVisible();
  await checked();

  await page.getByRole('button', { name: 'Add NHS login' }).click();
  await signInAtProvider(page, email);

  await expect(page).toHaveURL('/account/sign-in-methods?added=nhslogin');
  await expect(page.locator('.govuk-notification-banner')).toContainText('You can now sign in with NHS login');
  await expect(page.getByRole('table')).toContainText('NHS login');
  await expect(page.getByText(/^NHS login added on \d{1,2} \w+ \d{4}\.$/)).toBeVisible();
  await expect(page.getByRole('button', { name: /^Add / })).toHaveCount(0);
  await checked();
  expect(signInMethodsOf(givenName)).toEqual([['nhslogin', 'onelogin']]);

  // From now on NHS login opens the same account: no second one is made.
  await page.context().clearCookies();
  await signIn(page, { provider: 'nhslogin', email });
  await expect(page).toHaveURL('/account');
  expect(usersNamed(givenName)).toBe(1);
});

test('a citizen with an account for each provider joins them, choosing what to keep', async ({ page, checkAccessibility, javaScriptEnabled }) => {
  test.slow();
  const [givenName, email] = javaScriptEnabled ? ['Kofi', 'kofi.joinwell@example.com'] : ['Lena', 'lena.joinwell@example.com'];
  const checked = async () => {
    await expectWellFormedPage(page);
    await checkAccessibility(page);
  };
  const fromNhsLogin = uniqueText('NHS side');
  const fromOneLogin = uniqueText('One Login side');

  // Two accounts of one person, each with top three things.
  await signIn(page, { provider: 'nhslogin', email });
  await saveTopThree(page, fromNhsLogin);
  await page.context().clearCookies();
  await signIn(page, { provider: 'onelogin', email });
  await saveTopThree(page, fromOneLogin);
  expect(signInMethodsOf(givenName)).toHaveLength(2);

  await openSignInMethods(page);
  await page.getByRole('button', { name: 'Add NHS login' }).click();
  await signInAtProvider(page, email);

  // The conflict: one question page.
  await expect(page).toHaveURL('/account/sign-in-methods/join/top-three');
  await expect(page.locator('h1')).toHaveText('Which top three things to know about you do you want to keep?');
  await expect(page.getByRole('radio', { name: 'The one from this account' })).toBeVisible();
  await expect(page.getByText(fromOneLogin)).toBeVisible();
  await expect(page.getByText(fromNhsLogin)).toBeVisible();
  await checked();

  const response = page.waitForResponse((r) => r.request().method() === 'POST' && new URL(r.url()).pathname === '/account/sign-in-methods/join/top-three');
  await page.getByRole('button', { name: 'Continue' }).click();
  expect((await response).status()).toBe(422);
  await page.waitForLoadState();
  await expect(page).toHaveTitle(/^Error: /);
  await expect(page.locator('.govuk-error-summary').getByRole('link')).toHaveText('Select which top three things to keep');
  await checked();
  // Nothing changed yet: still two accounts.
  expect(signInMethodsOf(givenName)).toHaveLength(2);

  await page.getByRole('radio', { name: 'The one from your NHS login account' }).check();
  await page.getByRole('button', { name: 'Continue' }).click();

  await expect(page).toHaveURL(/\/account\/sign-in-methods\/join\/check-answers(#main-content)?$/);
  await expect(page.locator('h1')).toHaveText('Check your answers before joining your accounts');
  await expect(page.locator('.govuk-summary-list')).toContainText(`From your NHS login account: ${fromNhsLogin}`);
  await checked();
  expect(signInMethodsOf(givenName)).toHaveLength(2);

  // "Change" goes back to the question with the answer kept.
  await page.getByRole('link', { name: 'Change top three things to know about you' }).click();
  await expect(page).toHaveURL('/account/sign-in-methods/join/top-three');
  await expect(page.getByRole('radio', { name: 'The one from your NHS login account' })).toBeChecked();
  await page.getByRole('button', { name: 'Continue' }).click();
  await expect(page).toHaveURL('/account/sign-in-methods/join/check-answers');

  await page.getByRole('button', { name: 'Join my accounts' }).click();
  await expect(page).toHaveURL(/\/account\/sign-in-methods\/join\/confirmation(#main-content)?$/);
  await expect(page.locator('.govuk-panel__title')).toHaveText('Your accounts have been joined');
  await checked();
  expect(signInMethodsOf(givenName)).toEqual([['nhslogin', 'onelogin']]);

  await page.getByRole('link', { name: 'Go to ways you sign in' }).click();
  await expect(page.getByText(/^Your other account, which you signed in to with NHS login, was joined to this one on \d{1,2} \w+ \d{4}/)).toBeVisible();
  await checked();

  // The top three things chosen are the ones shown now.
  await page.goto('/about-me/top-three');
  await expect(page.getByRole('group', { name: 'First thing' }).getByLabel('Short title')).toHaveValue(fromNhsLogin);
});

test('an NHS login account of someone else is not added, and nothing changes', async ({ page, checkAccessibility }) => {
  test.slow();
  const checked = async () => {
    await expectWellFormedPage(page);
    await checkAccessibility(page);
  };
  // Both projects use Isla: a refusal stores nothing, so they cannot get in each other's way.
  await signIn(page, { provider: 'onelogin', email: 'isla.mismatch@example.com' });
  await openSignInMethods(page);
  await page.getByRole('button', { name: 'Add NHS login' }).click();
  await signInAtProvider(page, 'jon.otherly@example.com');

  await expect(page).toHaveURL('/account/sign-in-methods/not-added?reason=name');
  await expect(page.locator('h1')).toHaveText('We could not add that way of signing in');
  await expect(page.getByText('The name on the account you signed in to is not the same as the name on this account.')).toBeVisible();
  await expect(page.getByText('You are still signed in to your account')).toBeVisible();
  await checked();

  expect(signInMethodsOf('Isla')).toEqual([['onelogin']]);
  expect(usersNamed('Jon')).toBe(0);
  // Still signed in, to the same account as before.
  await page.goto('/account/sign-in-methods');
  await expect(page).toHaveURL('/account/sign-in-methods');
  await expect(page.getByRole('button', { name: 'Add NHS login' })).toBeVisible();
});
