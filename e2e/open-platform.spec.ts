import type { Page } from '@playwright/test';
import { userIdOf } from './support/database';
import { expectWellFormedPage } from './support/page-checks';
import { addContributions } from './support/sharing';
import { answerSignInQuestions, registerIfAsked, signInAtProvider } from './support/sign-in';
import { BASE_URL, MARKET_APP_URL } from './support/site';
import { expect, test } from './support/test';

/**
 * The open platform as a citizen meets it: an app made by someone else (the example market app,
 * scripts/market-app, a SMART app built on the fhirclient library) asks to connect; they sign in
 * here, see our consent page, say yes or no, and later disconnect it. Mo Appleby connects with
 * JavaScript on (One Login), and with it off (NHS login): two accounts, so the two never meet.
 */
test.describe.configure({ mode: 'default' });

const FHIR = `${BASE_URL}/fhir/r4`;

async function startConnecting(page: Page, javaScriptEnabled: boolean) {
  await page.goto(MARKET_APP_URL);
  await page.getByRole('button', { name: 'Connect to your Person Held Record' }).click();
  // Not signed in here: our sign-in first, then back to the consent page.
  await expect(page).toHaveURL(/\/sign-in\?returnTo=%2Fapps%2Fconnect%2F/);
  await answerSignInQuestions(page, javaScriptEnabled ? 'onelogin' : 'nhslogin', true);
  await signInAtProvider(page, 'mo.appleby@example.com');
  if (await registerIfAsked(page)) {
    // Registration ends on the account page: the app's request is still waiting; start it again.
    await page.goto(MARKET_APP_URL);
    await page.getByRole('button', { name: 'Connect to your Person Held Record' }).click();
  }
  await expect(page).toHaveURL(/\/apps\/connect\//);
}

test('a citizen connects the example app, it reads and adds readings, they see it and disconnect it', async ({
  page,
  checkAccessibility,
  javaScriptEnabled,
}) => {
  test.slow();
  const checked = async () => {
    await expectWellFormedPage(page);
    await checkAccessibility(page);
  };
  await startConnecting(page, javaScriptEnabled);

  // The consent page: who makes the app, what it can see and add, its privacy policy.
  await expect(page.locator('h1')).toHaveText('Connect Blood pressure diary to your record?');
  await expect(page.locator('.govuk-summary-list')).toContainText('Example Health Apps Ltd');
  await expect(page.locator('.govuk-summary-list')).toContainText('Your blood pressure readings');
  await expect(page.getByRole('link', { name: /privacy policy/ })).toHaveAttribute('href', `${MARKET_APP_URL}/privacy`);
  await checked();

  // No answer: the question again, with what to fix.
  await page.getByRole('button', { name: 'Continue' }).click();
  await expect(page).toHaveTitle(/^Error: /);
  await expect(page.locator('.govuk-error-summary')).toContainText('Select yes if you want to connect the app');
  await checked();

  await page.getByRole('radio', { name: 'Yes' }).check();
  await page.getByRole('button', { name: 'Continue' }).click();

  // Back in the app, connected: it read the name from the record.
  await expect(page).toHaveURL(`${MARKET_APP_URL}/readings`);
  await expect(page.locator('h1')).toHaveText('Your blood pressure readings');
  await expect(page.getByText('From the Person Held Record of Mo Appleby')).toBeVisible();

  // The app adds a reading through the API; the same rules as our form refuse a wrong one.
  await page.getByLabel('Top number (systolic)').fill('80');
  await page.getByLabel('Bottom number (diastolic)').fill('90');
  await page.getByRole('radio', { name: 'Left arm' }).check();
  await page.getByRole('radio', { name: 'Sitting' }).check();
  await page.getByRole('button', { name: 'Add reading' }).click();
  await expect(page.locator('.error-summary, [role="alert"]').first()).toBeVisible();

  const systolic = String(121 + (javaScriptEnabled ? 0 : 1));
  await page.getByLabel('Top number (systolic)').fill(systolic);
  await page.getByLabel('Bottom number (diastolic)').fill('79');
  await page.getByRole('radio', { name: 'Left arm' }).check();
  await page.getByRole('radio', { name: 'Sitting' }).check();
  await page.getByRole('button', { name: 'Add reading' }).click();
  await expect(page).toHaveURL(`${MARKET_APP_URL}/readings`);
  await expect(page.locator('table')).toContainText(`${systolic} mmHg`);

  // Older readings: the app pages through them by the API's own "next" links (fhirclient).
  const moId = userIdOf('Mo', javaScriptEnabled ? 'onelogin' : 'nhslogin')!;
  const older = Array.from({ length: 12 }, (_, i) => ({ daysAgo: 10 + i, systolic: 101 + i, diastolic: 61 }));
  addContributions({ id: moId, givenName: 'Mo', familyName: 'Appleby', birthDate: '1978-02-14', nhsNumber: null }, { readings: older });
  await page.goto(`${MARKET_APP_URL}/readings`);
  await expect(page.locator('table')).not.toContainText('112 mmHg'); // the oldest: not on the first page
  await page.getByRole('link', { name: 'Older readings' }).click();
  await expect(page.locator('table')).toContainText('112 mmHg');
  await expect(page.getByRole('link', { name: 'Newer readings' })).toBeVisible();

  // Here, the reading is in the citizen's own list, and the app in "Apps you have connected".
  await page.goto(`${BASE_URL}/blood-pressure/readings?range=all`);
  await expect(page.locator('main')).toContainText(`${systolic}/79`);
  await page.goto(`${BASE_URL}/account/apps`);
  await expect(page.locator('h1')).toHaveText('Apps you have connected');
  await expect(page.locator('.govuk-summary-card')).toContainText('Blood pressure diary');
  await checked();

  // "Who has viewed your record" names the app for what it looked at and added.
  await page.goto(`${BASE_URL}/sharing/who-has-viewed`);
  await expect(page.locator('main')).toContainText('Blood pressure diary');
  await checked();

  // Disconnect: are you sure, then the app's tokens stop working at once.
  await page.goto(`${BASE_URL}/account/apps`);
  await page.getByRole('link', { name: 'Disconnect Blood pressure diary' }).click();
  await expect(page.locator('h1')).toHaveText('Are you sure you want to disconnect Blood pressure diary?');
  await checked();
  await page.getByRole('button', { name: 'Disconnect' }).click();
  await expect(page.locator('.govuk-notification-banner')).toContainText('Blood pressure diary has been disconnected');
  await expect(page.locator('main')).toContainText('You have not connected any apps');
  await checked();

  await page.goto(`${MARKET_APP_URL}/readings`);
  await expect(page.locator('main')).not.toContainText(`${systolic} mmHg`);
});

test('a citizen who says no: the app is told, and gets nothing', async ({ page, javaScriptEnabled }) => {
  await startConnecting(page, javaScriptEnabled);
  await page.getByRole('radio', { name: 'No' }).check();
  await page.getByRole('button', { name: 'Continue' }).click();
  await expect(page).toHaveURL(`${MARKET_APP_URL}/`);
  await expect(page.locator('main')).toContainText('You did not connect Blood pressure diary');
  await page.goto(`${BASE_URL}/account/apps`);
  await expect(page.locator('main')).toContainText('You have not connected any apps');
});

test('the API says what it is to anyone, and nothing else without a token', async ({ request }) => {
  const smart = await request.get(`${FHIR}/.well-known/smart-configuration`);
  expect(smart.status()).toBe(200);
  const configuration = await smart.json();
  expect(configuration.code_challenge_methods_supported).toEqual(['S256']);
  expect(configuration.capabilities).toContain('permission-v2');

  const metadata = await request.get(`${FHIR}/metadata`);
  expect(metadata.status()).toBe(200);
  expect(metadata.headers()['content-type']).toContain('application/fhir+json');
  expect((await metadata.json()).resourceType).toBe('CapabilityStatement');

  for (const path of ['Patient', 'Observation?code=85354-9', 'Patient/anyone']) {
    const answer = await request.get(`${FHIR}/${path}`);
    expect(answer.status()).toBe(401);
    expect(answer.headers()['www-authenticate']).toContain('Bearer');
    expect((await answer.json()).resourceType).toBe('OperationOutcome');
  }
  const forged = await request.get(`${FHIR}/Patient`, { headers: { authorization: 'Bearer not-a-real-token-at-all' } });
  expect(forged.status()).toBe(401);

  // Methods the API does not take: a FHIR answer, not a page.
  const deleted = await request.delete(`${FHIR}/Observation/anything`);
  expect(deleted.status()).toBe(405);
  expect(deleted.headers()['allow']).toBe('GET, POST');
  expect((await deleted.json()).resourceType).toBe('OperationOutcome');
});

test('a consent page whose request has ended says to start again', async ({ page, javaScriptEnabled }) => {
  test.skip(!javaScriptEnabled, 'one browser is enough');
  await page.goto(`${BASE_URL}/apps/connect/no-such-request`);
  // Signed out: sign in first, then told the request cannot be used.
  await expect(page).toHaveURL(/\/sign-in\?returnTo=/);
});

test('app makers find how to connect, the scopes and the test people', async ({ page, checkAccessibility }) => {
  await page.goto(BASE_URL);
  await page.getByRole('link', { name: 'For app makers' }).click();
  await expect(page.locator('h1')).toHaveText('Connect your app to people’s health and care records');
  await expect(page.locator('main')).toContainText(`${FHIR}/metadata`);
  await expect(page.getByRole('table')).toContainText('patient/Observation.c');
  await expect(page.locator('main')).toContainText('mo.appleby@example.com');
  await expectWellFormedPage(page);
  await checkAccessibility(page);
});
