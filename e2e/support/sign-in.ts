import type { Page } from '@playwright/test';
import { OIDC_URL } from './site';
import { expect } from './test';

/** Signing in and out through the demo identity providers, as a person would. */

const PASSWORD = 'demo-password-1';
export const PROVIDERS = { onelogin: 'GOV.UK One Login', nhslogin: 'NHS login' } as const;

export type Check = (page: Page) => Promise<void>;

export async function answerSignInQuestions(page: Page, provider: keyof typeof PROVIDERS, shared: boolean) {
  await page.getByRole('radio', { name: PROVIDERS[provider] }).check();
  await page
    .getByRole('group', { name: 'Are you using a shared or public computer?' })
    .getByRole('radio', { name: shared ? 'Yes' : 'No' })
    .check();
  await page.getByRole('button', { name: 'Continue' }).click();
}

/** At the provider's own sign-in page: email, password, and the identity check when asked. */
export async function signInAtProvider(page: Page, email: string, check?: Check) {
  await expect(page).toHaveURL(new RegExp(`^${OIDC_URL}/`));
  await expect(page.locator('h1')).toHaveText(/^Sign in to /);
  await check?.(page);
  await page.getByRole('textbox', { name: 'Email address' }).fill(email);
  await page.getByLabel('Password').fill(PASSWORD);
  // The staff directory's button says "Sign in"; the citizen providers' say "Continue".
  await page.getByRole('button', { name: /^(Continue|Sign in)$/ }).click();

  // The identity check, when the level asked for needs one.
  await page.waitForLoadState();
  if (page.url().startsWith(OIDC_URL) && (await page.locator('h1').textContent()) === 'Prove your identity') {
    await check?.(page);
    await page.getByRole('button', { name: 'Continue' }).click();
  }
  await expect(page).not.toHaveURL(new RegExp(`^${OIDC_URL}/`));
}

const REGISTRATION_ACTIONS: Record<string, (page: Page) => Promise<void>> = {
  '/register/your-information': async (page) => {
    await page.getByRole('checkbox', { name: 'I agree to the terms of use' }).check();
    await page.getByRole('button', { name: 'Continue' }).click();
  },
  '/register/check-your-details': (page) => page.getByRole('button', { name: 'Yes, these are my details' }).click(),
  '/register/check-answers': (page) => page.getByRole('button', { name: 'Create account' }).click(),
  '/register/confirmation': (page) => page.getByRole('button', { name: 'Continue to your record' }).click(),
};

/**
 * Tests share one database and run in parallel, so whether a demo account has registered
 * yet depends on which test got there first: finish the journey when it is asked for.
 * Another test may finish it for the same person meanwhile; any step may then lead to /account.
 */
export async function registerIfAsked(page: Page): Promise<boolean> {
  for (let asked = false; ; asked = true) {
    const path = new URL(page.url()).pathname;
    const act = REGISTRATION_ACTIONS[path];
    if (!act) return asked;
    await act(page);
    await page.waitForURL((url) => url.pathname !== path);
  }
}

/** From our sign-in page through the provider's pages, until the person is back and registered. */
export async function signIn(page: Page, options: { provider: keyof typeof PROVIDERS; email: string; shared?: boolean; check?: Check; from?: string }) {
  await page.goto(options.from ?? '/sign-in');
  if (options.from) await expect(page).toHaveURL(/\/sign-in\?returnTo=/);
  await options.check?.(page);
  await answerSignInQuestions(page, options.provider, options.shared ?? false);
  await signInAtProvider(page, options.email, options.check);
  // Registration ends at the account page, so go on to the page first asked for.
  if ((await registerIfAsked(page)) && options.from) await page.goto(options.from);
}

export async function signOut(page: Page, providerName: string, check?: Check) {
  await page.getByRole('navigation').getByRole('link', { name: 'Sign out' }).click();
  await expect(page.locator('h1')).toHaveText(`Sign out of ${providerName}`);
  await check?.(page);
  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page).toHaveURL('/signed-out');
  await expect(page.locator('h1')).toHaveText('You have signed out');
}
