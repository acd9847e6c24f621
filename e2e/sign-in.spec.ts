import type { Page } from '@playwright/test';
import { usersNamed } from './support/database';
import { expectWellFormedPage } from './support/page-checks';
import { answerSignInQuestions, signIn, signOut } from './support/sign-in';
import { BASE_URL, OIDC_URL } from './support/site';
import { expect, test } from './support/test';

/**
 * Signing in and out with the demo identity providers (real OpenID Connect, started by
 * playwright.config.ts), with JavaScript on and off, axe on every page on the way:
 * ours and the providers'.
 */

test('signing in with GOV.UK One Login, seeing the history, signing out', async ({ page, checkAccessibility }) => {
  // A long journey over two sites, with axe on every page (a fresh browser each time with JS off).
  test.slow();
  const check = async (p: Page) => checkAccessibility(p);
  // The browser's form secret (CSRF) is a new one after signing in, and after signing out.
  const formSecret = async () => (await page.context().cookies()).find((cookie) => cookie.name.endsWith('phr_csrf'))?.value;
  await page.goto('/feedback');
  const beforeSignIn = await formSecret();
  expect(beforeSignIn).toBeTruthy();
  await signIn(page, { provider: 'onelogin', email: 'amelia.testwell@example.com', check });

  await expect(page).toHaveURL('/account');
  const signedInSecret = await formSecret();
  expect(signedInSecret).toBeTruthy();
  expect(signedInSecret).not.toBe(beforeSignIn);
  await expect(page.locator('h1')).toHaveText('Your account');
  await expect(page.getByText('Amelia Testwell', { exact: true })).toBeVisible();
  await expectWellFormedPage(page);
  await checkAccessibility(page);

  await page.getByRole('link', { name: 'Your sign-in history' }).click();
  const latest = page.getByRole('table', { name: 'Recent sign-ins' }).getByRole('row').nth(1);
  await expect(latest.getByRole('cell')).toHaveText(['GOV.UK One Login', 'Computer']);
  await expectWellFormedPage(page);
  await checkAccessibility(page);

  await signOut(page, 'Demo One Login', check);
  expect(await formSecret()).not.toBe(signedInSecret);
  await expectWellFormedPage(page);
  await checkAccessibility(page);
  await expect(page.getByRole('navigation').getByRole('link', { name: 'Sign out' })).toHaveCount(0);

  // Nothing personal comes back: not with Back, not by opening the account again.
  for (let step = 0; step < 3; step += 1) {
    await page.goBack();
    await expect(page.locator('body')).not.toContainText('Amelia');
  }
  await page.goto('/account');
  await expect(page).toHaveURL('/sign-in?returnTo=%2Faccount');
  await expect(page.locator('body')).not.toContainText('Amelia');
});

test('signing in with NHS login on a shared computer, and back to the page asked for', async ({ page }) => {
  await signIn(page, { provider: 'nhslogin', email: 'amelia.testwell@example.com', shared: true, from: '/account/sign-in-history' });

  await expect(page).toHaveURL('/account/sign-in-history');
  const latest = page.getByRole('table', { name: 'Recent sign-ins' }).getByRole('row').nth(1);
  await expect(latest.getByRole('cell')).toHaveText(['NHS login', 'Shared computer']);

  // A sign-out link on another site cannot sign people out: it only shows a button.
  const crossSite = await page.request.get('/sign-out', { headers: { 'sec-fetch-site': 'cross-site' }, maxRedirects: 0 });
  expect(crossSite.status()).toBe(200);
  expect(await crossSite.text()).toContain('<h1 class="govuk-heading-l">Sign out</h1>');

  await page.getByRole('link', { name: 'Back', exact: true }).click();
  await expect(page.getByText('Amelia Testwell', { exact: true })).toBeVisible();
  await expect(page.getByText('You told us you are using a shared or public computer.')).toBeVisible();
  await signOut(page, 'Demo NHS login');
});

test('signing out of all other devices ends the other sessions', async ({ browser, page, checkAccessibility, javaScriptEnabled }) => {
  test.slow();
  const other = await browser.newContext({ javaScriptEnabled });
  try {
    const elsewhere = await other.newPage();
    await signIn(elsewhere, { provider: 'nhslogin', email: 'amelia.testwell@example.com' });
    await signIn(page, { provider: 'nhslogin', email: 'amelia.testwell@example.com' });
    await page.goto('/account/sign-in-history');
    await page.getByRole('button', { name: 'Sign out of all other devices' }).click();
    await expect(page.getByText('You have signed out of all other devices')).toBeVisible();
    await checkAccessibility(page);

    await elsewhere.goto('/account');
    await expect(elsewhere).toHaveURL('/signed-out?reason=timeout&returnTo=%2Faccount');
    await expect(elsewhere.locator('h1')).toHaveText('You have been signed out to protect your information');
    await expect(elsewhere.locator('body')).not.toContainText('Amelia');
    await expect(elsewhere.getByRole('button', { name: 'Sign in again' })).toHaveAttribute('href', '/sign-in?returnTo=%2Faccount');
    await expectWellFormedPage(elsewhere);
    await checkAccessibility(elsewhere);

    await page.goto('/account');
    await expect(page.getByText('Amelia Testwell', { exact: true })).toBeVisible();
  } finally {
    await other.close();
  }
});

test('when the identity check fails, people are told and shown other ways to get help', async ({ page, checkAccessibility }) => {
  await signIn(page, { provider: 'onelogin', email: 'dev.nomatch@example.com' });
  await expect(page).toHaveURL('/sign-in/could-not-confirm');
  await expect(page.locator('h1')).toHaveText('We could not confirm your identity');
  await expect(page.getByText('0113 222 4444')).toBeVisible();
  await expectWellFormedPage(page);
  await checkAccessibility(page);
  expect(usersNamed('Dev')).toBe(0);
});

test('cancelling at the provider signs no one in', async ({ page }) => {
  await page.goto('/sign-in');
  await answerSignInQuestions(page, 'nhslogin', false);
  await page.getByRole('link', { name: /^Cancel and go back/ }).click();
  await expect(page).toHaveURL('/sign-in/could-not-confirm');
});

test('under-16s are told they cannot use the service yet, and no account is made', async ({ page, checkAccessibility }) => {
  await signIn(page, { provider: 'onelogin', email: 'chloe.testwell@example.com' });
  await expect(page).toHaveURL('/sign-in/under-16');
  await expect(page.locator('h1')).toHaveText('You cannot use this service yet');
  await expect(page.getByText('speak to your GP practice')).toBeVisible();
  // A parent reading over their shoulder is told they can ask to act for their child.
  await expect(page.getByRole('link', { name: 'ask to act for your child' })).toHaveAttribute('href', '/acting-for/request/relationship');
  await expectWellFormedPage(page);
  await checkAccessibility(page);
  expect(usersNamed('Chloe')).toBe(0);
  await page.goto('/account');
  await expect(page).toHaveURL('/sign-in?returnTo=%2Faccount');
});

test('a sign-in without a proven identity is refused with what to do', async ({ page, checkAccessibility }) => {
  await signIn(page, { provider: 'nhslogin', email: 'ben.sampleton@example.com' });
  await expect(page).toHaveURL('/sign-in/prove-your-identity');
  await expect(page.locator('h1')).toHaveText('You need to prove your identity');
  await expectWellFormedPage(page);
  await checkAccessibility(page);
  expect(usersNamed('Ben')).toBe(0);
});

test('a sign-in that cannot be checked asks people to sign in again', async ({ page, checkAccessibility }) => {
  // A callback with no sign-in started here (no state, PKCE or nonce cookies).
  await page.goto('/api/auth/callback/onelogin?code=made-up&state=made-up');
  await expect(page).toHaveURL(/\/sign-in\/try-again/);
  await expect(page.locator('h1')).toHaveText('Sorry, you need to sign in again');
  await expectWellFormedPage(page);
  await checkAccessibility(page);
});

test('the sign-in question page says what to fix', async ({ page, checkAccessibility }) => {
  await page.goto('/sign-in');
  const response = page.waitForResponse((r) => r.request().method() === 'POST' && new URL(r.url()).pathname === '/sign-in');
  await page.getByRole('button', { name: 'Continue' }).click();
  expect((await response).status()).toBe(422);
  await page.waitForLoadState();

  await expect(page).toHaveTitle(/^Error: /);
  const summary = page.locator('.govuk-error-summary');
  await expect(summary.getByRole('link')).toHaveText(['Select how you want to sign in', 'Select yes if you are using a shared or public computer']);
  await expect(page.locator('#provider-error')).toHaveText('Error: Select how you want to sign in');
  await expect(page.locator('#sharedDevice-error')).toHaveText('Error: Select yes if you are using a shared or public computer');
  await expectWellFormedPage(page);
  await checkAccessibility(page);

  // Answered after the error, the journey carries on.
  await answerSignInQuestions(page, 'onelogin', false);
  await expect(page).toHaveURL(new RegExp(`^${OIDC_URL}/onelogin/`));
});

test('the sign-out button page, for sign-out links from elsewhere', async ({ page, checkAccessibility }) => {
  // A link on another origin (the browser, not the test, says where a request came from).
  const elsewhere = `${OIDC_URL}/a-page-elsewhere`;
  await page.route(elsewhere, (route) =>
    route.fulfill({ contentType: 'text/html', body: `<!doctype html><title>Elsewhere</title><a href="${BASE_URL}/sign-out">Sign out</a>` }),
  );
  await page.goto(elsewhere);
  await page.getByRole('link', { name: 'Sign out' }).click();
  await expect(page).toHaveURL('/sign-out');
  await expect(page.locator('h1')).toHaveText('Sign out');
  await expectWellFormedPage(page);
  await checkAccessibility(page);
  // Not signed in: the button just confirms it.
  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page).toHaveURL('/signed-out');
  await expect(page.locator('h1')).toHaveText('You have signed out');
});

test('a callback whose state does not match, or whose code was tampered with, is refused', async ({ page, checkAccessibility }) => {
  // A real sign-in is started each time, so the browser holds its state, PKCE and nonce cookies.
  async function startSignIn(): Promise<string> {
    await page.goto('/sign-in');
    const started = page.waitForResponse((r) => r.request().method() === 'POST' && new URL(r.url()).pathname === '/sign-in');
    await answerSignInQuestions(page, 'nhslogin', false);
    const location = (await started).headers().location ?? '';
    await expect(page).toHaveURL(new RegExp(`^${OIDC_URL}/`));
    return new URL(location).searchParams.get('state') ?? '';
  }

  const state = await startSignIn();
  expect(state).not.toBe('');
  await page.goto(`/api/auth/callback/nhslogin?code=made-up&state=${encodeURIComponent(`${state}x`)}`);
  await expect(page).toHaveURL(/\/sign-in\/try-again/);
  await expect(page.locator('h1')).toHaveText('Sorry, you need to sign in again');
  await checkAccessibility(page);

  const realState = await startSignIn();
  await page.goto(`/api/auth/callback/nhslogin?code=tampered-code&state=${encodeURIComponent(realState)}`);
  await expect(page).toHaveURL(/\/sign-in\/try-again/);
  await expect(page.locator('h1')).toHaveText('Sorry, you need to sign in again');
  await page.goto('/account');
  await expect(page).toHaveURL('/sign-in?returnTo=%2Faccount');
});
