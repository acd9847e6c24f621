import { signIn } from './support/sign-in';
import { expect, test } from './support/test';

/**
 * The GOV.UK timeout warning on a shared computer (10 minutes idle). With JavaScript the
 * dialog comes 2 minutes before the end and "Stay signed in" renews the session; without
 * it nothing is shown and the server alone ends the session (tested in sign-in.spec.ts).
 * The browser's clock is moved on; the server's time is real.
 */

test('signed-in pages warn before the session times out, and "Stay signed in" renews it', async ({ page, checkAccessibility, javaScriptEnabled }) => {
  test.slow();
  await signIn(page, { provider: 'nhslogin', email: 'amelia.testwell@example.com', shared: true });
  const warning = page.getByRole('dialog', { name: 'You’re about to be signed out' });

  if (!javaScriptEnabled) {
    await page.goto('/account');
    await expect(warning).toBeHidden();
    return;
  }

  await page.clock.install();
  await page.goto('/account');
  await expect(warning).toBeHidden();
  await page.clock.fastForward('07:00');
  await expect(warning).toBeHidden();
  await page.clock.fastForward('01:30');
  await expect(warning).toBeVisible();
  await expect(page.getByRole('button', { name: 'Stay signed in' })).toBeFocused();
  await checkAccessibility(page);

  const renewed = page.waitForResponse((response) => response.url().endsWith('/session/keep-alive'));
  await page.getByRole('button', { name: 'Stay signed in' }).click();
  const response = await renewed;
  expect(response.status()).toBe(200);
  const { secondsLeft } = (await response.json()) as { secondsLeft: number };
  expect(secondsLeft).toBeGreaterThan(9 * 60);
  await expect(warning).toBeHidden();
  await expect(page).toHaveURL('/account');
});

test('"Stay signed in" needs a signed-in session and a form token', async ({ request }) => {
  const response = await request.post('/session/keep-alive', {
    form: { returnTo: '/account' },
    headers: { accept: 'application/json' },
    maxRedirects: 0,
  });
  expect(response.status()).toBe(403);
});
