import { answerSignInQuestions, registerIfAsked, signInAtProvider } from './support/sign-in';
import { expect, test } from './support/test';

/**
 * A provider's answer used twice — the same authorisation code, sent back with the very
 * cookies (state, PKCE verifier, nonce) that went with it the first time — must not sign
 * anyone in: the provider refuses the used code, and we show the clear "sign in again" page.
 */
test('a replayed sign-in callback is refused with a clear page', async ({ page, checkAccessibility }) => {
  test.slow();
  let callback: string | undefined;
  page.on('request', (request) => {
    if (request.url().includes('/api/auth/callback/')) callback ??= request.url();
  });
  await page.goto('/sign-in');
  await answerSignInQuestions(page, 'nhslogin', false);
  // At the provider: the browser now holds the sign-in's state, PKCE and nonce cookies.
  const cookiesForTheCallback = await page.context().cookies();
  await signInAtProvider(page, 'amelia.testwell@example.com');
  await registerIfAsked(page);
  await expect(page).toHaveURL('/account');
  expect(callback).toBeDefined();

  // A browser holding only what it held when the answer first arrived, sending it again.
  await page.context().clearCookies();
  await page.context().addCookies(cookiesForTheCallback);
  await page.goto(callback!);
  await expect(page.locator('h1')).toHaveText('Sorry, you need to sign in again');
  await expect(page.getByText('Amelia')).toHaveCount(0);
  await checkAccessibility(page);
  await page.goto('/account');
  await expect(page).toHaveURL(/\/sign-in\?returnTo=/);
});
