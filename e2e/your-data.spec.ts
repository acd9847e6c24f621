import type { Page } from '@playwright/test';
import { uniqueText } from './support/database';
import { expectWellFormedPage } from './support/page-checks';
import { addContributions, auditEntriesFor, citizenSession, createCitizen, signedIn } from './support/sharing';
import { expect, test } from './support/test';

/**
 * "Your data", with JavaScript on and off: a citizen asks for everything held about them, finds
 * it ready (a small record is prepared at once), reads it as a page, and downloads it as JSON and
 * as a FHIR R4 Bundle; each download is audited and shown in "Who has viewed your information".
 * axe on every page. Each project makes its own citizen (both run at once).
 */

test.describe.configure({ timeout: 180_000 });

test('a citizen downloads everything held about them, as a page, JSON and FHIR', async ({ page, javaScriptEnabled, checkAccessibility }) => {
  const check = async (p: Page) => {
    await expectWellFormedPage(p);
    await checkAccessibility(p);
  };
  const citizen = createCitizen({
    givenName: javaScriptEnabled ? 'Dana' : 'Dylan',
    familyName: 'Downloadwell',
    birthDate: '1975-03-14',
    nhsNumber: null,
  });
  const title = uniqueText('Mine to keep');
  addContributions(citizen, {
    topThree: [{ title, description: 'Please write to me in large print' }],
    conditions: ['Asthma'],
    formats: 'large-print',
    readings: [
      { daysAgo: 1, systolic: 138, diastolic: 88 },
      { daysAgo: 0, systolic: 131, diastolic: 84 },
    ],
  });
  await signedIn(page.context(), await citizenSession(citizen));

  // From the account page.
  await page.goto('/account');
  await page.getByRole('link', { name: 'Download your data' }).click();
  await expect(page).toHaveURL('/account/your-data');
  await expect(page.locator('h1')).toHaveText('Download your data');
  await expect(page.getByText('It does not include your care record')).toBeVisible();
  await check(page);

  await page.getByRole('button', { name: 'Prepare my data' }).click();
  await expect(page).toHaveURL(/\/account\/your-data\/[A-Za-z0-9_-]{43}$/);
  await expect(page.locator('h1')).toHaveText('Your data is ready to download');
  await expect(page.getByText(/These links stop working on \d{1,2} \w+ \d{4} at/)).toBeVisible();
  await check(page);
  // (The skip-link check leaves #main-content on the address.)
  const statusUrl = page.url().split('#')[0]!;

  // The readable page: everything, in words, and it prints (the print header names whose it is).
  await page.getByRole('link', { name: 'Read or print your data' }).click();
  await expect(page).toHaveURL(/\/readable$/);
  await expect(page.locator('h1')).toHaveText('Your data');
  await expect(page.getByText(title)).toBeVisible();
  await expect(page.getByRole('table', { name: /Readings/ })).toContainText('131/84');
  await expect(page.getByRole('table', { name: 'Long-term conditions' })).toContainText('Asthma');
  await check(page);
  await page.emulateMedia({ media: 'print' });
  await expect(page.locator('.app-print-header')).toContainText(`${citizen.givenName} Downloadwell`);
  await expect(page.locator('.govuk-service-navigation')).toBeHidden();
  await page.emulateMedia({ media: 'screen' });

  // JSON, as a file.
  await page.goto(statusUrl);
  const [json] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Download your data as a JSON file' }).click()]);
  expect(json.suggestedFilename()).toMatch(/^your-data-\d{4}-\d{2}-\d{2}\.json$/);
  const jsonResponse = await page.request.get(`${statusUrl}/your-data.json`);
  expect(jsonResponse.headers()['content-type']).toBe('application/json; charset=utf-8');
  const snapshot = (await jsonResponse.json()) as { person: { givenName: string }; aboutMe: { conditions: { name: string }[] } };
  expect(snapshot.person.givenName).toBe(citizen.givenName);
  expect(snapshot.aboutMe.conditions.map((condition) => condition.name)).toEqual(['Asthma']);

  // FHIR, as a file.
  const [fhir] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: /Download your data as a FHIR file/ }).click()]);
  expect(fhir.suggestedFilename()).toMatch(/^your-data-fhir-.+\.json$/);
  const fhirResponse = await page.request.get(`${statusUrl}/fhir-bundle.json`);
  expect(fhirResponse.headers()['content-type']).toBe('application/fhir+json; charset=utf-8');
  const bundle = (await fhirResponse.json()) as { resourceType: string; type: string; entry: { resource: { resourceType: string } }[] };
  expect(bundle).toMatchObject({ resourceType: 'Bundle', type: 'collection' });
  expect(bundle.entry.map((entry) => entry.resource.resourceType)).toEqual(expect.arrayContaining(['Patient', 'Flag', 'Condition', 'Observation']));

  // Every download is audited, and shown to them.
  expect(auditEntriesFor(citizen.id).filter((entry) => entry.action === 'export' && entry.category === 'your-data').length).toBeGreaterThanOrEqual(5);
  await page.goto('/sharing/who-has-viewed');
  await expect(page.getByText('Downloaded all your data as a JSON file').first()).toBeVisible();
  await check(page);

  // Asking again replaces it: the old link is "Page not found".
  await page.goto('/account/your-data');
  await page.getByRole('button', { name: 'Prepare my data' }).click();
  await expect(page.locator('h1')).toHaveText('Your data is ready to download');
  expect(page.url()).not.toBe(statusUrl);
  const old = await page.goto(statusUrl);
  expect(old?.status()).toBe(404);
});
