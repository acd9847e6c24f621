import { TERMS_VERSION } from '@/lib/identity/registration';
import { registrationOf } from './support/database';
import { expectWellFormedPage } from './support/page-checks';
import { answerSignInQuestions, PROVIDERS, signInAtProvider, signOut } from './support/sign-in';
import { expect, test } from './support/test';

/**
 * The first-time registration journey. Farah's accounts are used by no other test, and
 * each project uses a different one (two separate people to this service), so this is
 * always her first sign-in however the tests are ordered.
 */

const EMAIL = 'farah.newbury@example.com';

test('a first-time user agrees to the terms, checks their details and creates their account', async ({ page, checkAccessibility, javaScriptEnabled }) => {
  test.slow();
  const provider = javaScriptEnabled ? 'onelogin' : 'nhslogin';
  const providerName = PROVIDERS[provider];
  const wellFormedAndAccessible = async () => {
    await expectWellFormedPage(page);
    await checkAccessibility(page);
  };

  await page.goto('/sign-in');
  await answerSignInQuestions(page, provider, false);
  await signInAtProvider(page, EMAIL);

  await expect(page).toHaveURL('/register/your-information');
  await expect(page.locator('h1')).toHaveText('What this service does with your information');
  await expect(page.getByRole('main').getByRole('link', { name: 'privacy notice' })).toHaveAttribute('href', '/privacy');
  await wellFormedAndAccessible();
  expect(registrationOf('Farah', provider)).toEqual({ registered: false, consentVersion: null });

  // Until the journey is confirmed, the account is not usable, and no step can be skipped.
  for (const path of ['/account', '/account/sign-in-history', '/register/check-answers', '/register/confirmation']) {
    await page.goto(path);
    await expect(page).toHaveURL('/register/your-information');
  }

  // The terms must be agreed to.
  const response = page.waitForResponse((r) => r.request().method() === 'POST' && new URL(r.url()).pathname === '/register/your-information');
  await page.getByRole('button', { name: 'Continue' }).click();
  expect((await response).status()).toBe(422);
  await page.waitForLoadState();
  await expect(page).toHaveTitle(/^Error: /);
  await expect(page.locator('.govuk-error-summary').getByRole('link')).toHaveText('Select that you agree to the terms of use to continue');
  await expect(page.locator('#agree-error')).toHaveText('Error: Select that you agree to the terms of use to continue');
  await wellFormedAndAccessible();
  await page.getByRole('checkbox', { name: 'I agree to the terms of use' }).check();
  await page.getByRole('button', { name: 'Continue' }).click();

  await expect(page).toHaveURL('/register/check-your-details');
  await expect(page.locator('h1')).toHaveText(`Check the details we got from ${providerName}`);
  const details = page.locator('.govuk-summary-list');
  await expect(details.locator('dt')).toHaveText(provider === 'nhslogin' ? ['Name', 'Date of birth', 'NHS number'] : ['Name', 'Date of birth']);
  await expect(details.locator('dd')).toHaveText(['Farah Newbury', '5 September 1968', ...(provider === 'nhslogin' ? ['999 005 0007'] : [])]);
  await wellFormedAndAccessible();

  // Verified details cannot be edited here: people are told what to do instead.
  await page.getByRole('link', { name: 'These are not my details' }).click();
  await expect(page).toHaveURL('/register/not-my-details');
  await expect(page.locator('h1')).toHaveText('If these are not your details');
  await wellFormedAndAccessible();
  await page.getByRole('link', { name: 'Go back to check your details' }).click();
  await page.getByRole('button', { name: 'Yes, these are my details' }).click();

  await expect(page).toHaveURL('/register/check-answers');
  await expect(page.locator('h1')).toHaveText('Check your answers before creating your account');
  await wellFormedAndAccessible();
  expect(registrationOf('Farah', provider)?.registered).toBe(false);

  // "Change" goes back to the question, and straight back to check answers after it.
  await page.getByRole('link', { name: 'Change whether you agree to the terms of use' }).click();
  await expect(page).toHaveURL('/register/your-information');
  await expect(page.getByRole('checkbox', { name: 'I agree to the terms of use' })).toBeChecked();
  await page.getByRole('button', { name: 'Continue' }).click();
  await expect(page).toHaveURL('/register/check-answers');

  await page.getByRole('button', { name: 'Create account' }).click();
  await expect(page).toHaveURL('/register/confirmation');
  await expect(page.locator('h1')).toHaveText('Account created');
  await wellFormedAndAccessible();
  expect(registrationOf('Farah', provider)).toEqual({ registered: true, consentVersion: TERMS_VERSION });

  await page.getByRole('button', { name: 'Continue to your record' }).click();
  await expect(page).toHaveURL('/account');
  await expect(page.getByText('Farah Newbury', { exact: true })).toBeVisible();
  await page.goto('/register/your-information');
  await expect(page).toHaveURL('/account');

  // Returning: straight to the record.
  await signOut(page, provider === 'onelogin' ? 'Demo One Login' : 'Demo NHS login');
  await page.goto('/sign-in');
  await answerSignInQuestions(page, provider, false);
  await signInAtProvider(page, EMAIL);
  await expect(page).toHaveURL('/account');
});
