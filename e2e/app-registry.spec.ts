import { expectWellFormedPage } from './support/page-checks';
import { staffBrowser } from './support/sharing';
import { expect, test } from './support/test';

/**
 * The app registry: a programme administrator registers an app (with clear errors first) and
 * withdraws it. Each browser project registers its own app, by its own client ID.
 */
test('a programme administrator registers an app, then withdraws it', async ({ browser, javaScriptEnabled, checkAccessibility }) => {
  test.slow();
  const clientId = `e2e-diary-${javaScriptEnabled ? 'on' : 'off'}-${Date.now().toString(36)}`;
  const name = `Test diary ${javaScriptEnabled ? 'A' : 'B'}`;
  const admin = await staffBrowser(browser, 'sam', javaScriptEnabled);
  const checked = async () => {
    await expectWellFormedPage(admin);
    await checkAccessibility(admin);
  };
  await admin.goto('/staff');
  await admin.getByRole('link', { name: 'Apps' }).first().click();
  await expect(admin.locator('h1')).toHaveText('Apps');
  await checked();
  await admin.getByRole('button', { name: 'Register an app' }).click();
  await expect(admin.locator('h1')).toHaveText('Register an app');
  await checked();

  // Nothing filled in: every question says what to fix.
  await admin.getByRole('button', { name: 'Register app' }).click();
  await expect(admin).toHaveTitle(/^Error: /);
  await expect(admin.locator('.govuk-error-summary li').first()).toBeVisible();
  await checked();

  await admin.getByLabel('App name').fill(name);
  await admin.getByLabel('Publisher').fill('Example Testing Ltd');
  await admin.getByLabel('Link to the app’s privacy policy').fill('https://diary.example/privacy');
  await admin.getByLabel('Client ID').fill(clientId);
  await admin.getByLabel('Redirect URIs').fill('http://diary.example/callback');
  await admin.getByRole('radio', { name: /^Public/ }).check();
  await admin.getByRole('checkbox', { name: 'patient/Observation.rs' }).check();
  await admin.getByRole('button', { name: 'Register app' }).click();
  // A redirect URI that is not https (and not this computer) is refused.
  await expect(admin).toHaveTitle(/^Error: /);
  await expect(admin.locator('#redirectUris-error')).toBeVisible();
  await checked();

  await admin.getByLabel('Redirect URIs').fill('https://diary.example/callback');
  await admin.getByRole('button', { name: 'Register app' }).click();
  await expect(admin.locator('.govuk-notification-banner')).toContainText(`${name} has been registered`);
  await expect(admin.locator('main')).toContainText(clientId);
  await checked();

  await admin.goto(`/staff/apps/${clientId}/withdraw`);
  await expect(admin.locator('h1')).toHaveText(`Are you sure you want to withdraw ${name}?`);
  await checked();
  await admin.getByRole('button', { name: 'Withdraw app' }).click();
  await expect(admin.locator('.govuk-notification-banner')).toContainText(`${name} has been withdrawn`);
  await checked();
});
