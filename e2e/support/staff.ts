import type { Page } from '@playwright/test';
import { expect } from '@playwright/test';
import { signInAtProvider } from './sign-in';

type Check = (page: Page) => Promise<void>;

/**
 * Signs in through the staff directory and lands on the staff home.
 * `check` runs on our sign-in page, `checkProvider` (axe only: not our page) on the directory's.
 */
export async function staffSignIn(page: Page, email: string, checks: { check?: Check; checkProvider?: Check } = {}) {
  await page.goto('/staff');
  await expect(page).toHaveURL('/staff/sign-in');
  await checks.check?.(page);
  await page.getByRole('button', { name: 'Sign in with your staff account' }).click();
  await signInAtProvider(page, email, checks.checkProvider);
  await expect(page).toHaveURL('/staff');
}
