import type { Page } from '@playwright/test';
import { expectWellFormedPage } from './support/page-checks';
import { addContributions, auditEntriesFor, citizenSession, createCitizen, sharingRows, signedIn, staffBrowser, type TestCitizen } from './support/sharing';
import { expect, test } from './support/test';

/**
 * Sharing, the professional view and the audit, with JavaScript on and off: the citizen's
 * choice applies at once; every look is recorded and shown back to the citizen; emergency
 * access is refused-then-declared, flagged to the citizen and reported.
 */

async function citizenWithEverything(person: 'amelia' | 'farah'): Promise<TestCitizen> {
  const citizen = createCitizen(person);
  addContributions(citizen, {
    topThree: [
      { title: 'I look after my dad', description: 'Please book appointments after 10am' },
      { title: '<b>Not bold</b> & "quoted"', description: '' },
    ],
    conditions: ['Asthma', 'Hypothyroidism'],
    formats: 'large-print,spoken-language-interpreter',
    interpreterLanguage: 'Polish',
    readings: [0, 1, 2, 3, 4, 5, 6].flatMap((daysAgo) => [
      { daysAgo, systolic: 128 + daysAgo, diastolic: 82 },
      { daysAgo, systolic: 126 + daysAgo, diastolic: 80 },
    ]),
    finishedWeek: { startedOn: '2026-11-02', endsOn: '2026-11-08', systolic: 151, diastolic: 93, result: 'stage-2-range' },
  });
  return citizen;
}

// Five journeys with axe on every page, two browsers each: generous time on a shared 2-core machine.
test.describe.configure({ timeout: 300_000 });

const SECTIONS = ['Communication needs', 'Top three things to know about them', 'Conditions they have told us about', 'Home blood pressure readings'];

test('a citizen stops sharing their conditions and the professional no longer sees them, at once', async ({
  page,
  browser,
  javaScriptEnabled,
  checkAccessibility,
}) => {
  const check = async (p: Page) => {
    await expectWellFormedPage(p);
    await checkAccessibility(p);
  };
  const citizen = await citizenWithEverything('amelia');
  addContributions(citizen, { readings: [{ daysAgo: 0, systolic: 186, diastolic: 101 }] });
  await signedIn(page.context(), await citizenSession(citizen));
  const staff = await staffBrowser(browser, 'grace', javaScriptEnabled);

  // Grace is at Amelia's GP practice: she sees everything Amelia shares, communication needs first.
  await staff.goto(`/staff/citizens/${citizen.id}`);
  await expect(staff.locator('h1')).toHaveText('Amelia Testwell');
  await expect(staff.locator('main h2')).toHaveText(SECTIONS);
  await expect(staff.locator('#communication-needs')).toContainText('Large print, Spoken language interpreter');
  await expect(staff.locator('#communication-needs')).toContainText('Polish');
  await expect(staff.getByText('<b>Not bold</b> & "quoted"')).toBeVisible();
  await expect(staff.getByText('Added by Amelia Testwell').first()).toBeVisible();
  await expect(staff.getByRole('table', { name: 'Latest readings (newest first)' })).toBeVisible();
  await expect(staff.getByRole('img', { name: /Blood pressure/ })).toBeVisible();
  await expect(staff.getByRole('heading', { name: 'Home monitoring weeks' })).toBeVisible();
  await expect(staff.getByText(/Very high in the last 24 hours \(180\/120 or more\): 186\/101 mmHg on /)).toBeVisible();
  await expect(staff.getByRole('table', { name: 'Latest readings (newest first)' }).getByText('186/101 very high')).toBeVisible();
  await expect(staff.getByText('151/93 mmHg: Stage 2 hypertension range for home monitoring (150/95 or more).')).toBeVisible();
  await expect(staff.getByText('2 November 2026 to 8 November 2026')).toBeVisible();
  // Nothing to change: no forms at all on the professional's view.
  await expect(staff.locator('main form')).toHaveCount(0);
  await check(staff);

  await page.goto('/sharing');
  await expect(page.locator('h1')).toHaveText('What you share with professionals');
  await check(page);
  await page.getByRole('link', { name: 'Change whether you share conditions' }).click();
  await expect(page).toHaveURL('/sharing/conditions');
  await check(page);

  // Sent with no answer (the radios start with the current choice, so the answer is taken out on the way).
  await page.route('**/sharing/conditions', async (route) => {
    if (route.request().method() !== 'POST') return route.fallback();
    const body = new URLSearchParams(route.request().postData() ?? '');
    body.delete('shared');
    await route.continue({ postData: body.toString() });
  });
  const refused = page.waitForResponse((response) => response.url().endsWith('/sharing/conditions') && response.request().method() === 'POST');
  await page.getByRole('button', { name: 'Save' }).click();
  expect((await refused).status()).toBe(422);
  await expect(page).toHaveTitle(/^Error: /);
  await expect(page.locator('.govuk-error-summary')).toContainText('Select yes if you want to share them, or no if you do not');
  await check(page);
  await page.unroute('**/sharing/conditions');
  expect(sharingRows(citizen.id)).toEqual([]);

  await page.getByRole('radio', { name: 'No, do not share them' }).check();
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page).toHaveURL('/sharing?changed=conditions');
  await expect(page.locator('.govuk-notification-banner')).toContainText('Your conditions: not shared');
  await check(page);
  expect(sharingRows(citizen.id)).toEqual([{ category: 'conditions', shared: 0 }]);

  await staff.reload();
  await expect(staff.locator('main h2')).toHaveText(SECTIONS.filter((section) => section !== 'Conditions they have told us about'));
  await expect(staff.getByText('Hypothyroidism')).toHaveCount(0);

  const actions = auditEntriesFor(citizen.id).map((entry) => `${entry.action}:${entry.category}`);
  expect(actions).toEqual([
    'view:communication',
    'view:top-three',
    'view:conditions',
    'view:blood-pressure',
    'consent-changed:conditions',
    'view:communication',
    'view:top-three',
    'view:blood-pressure',
  ]);
  await staff.context().close();
});

test('the citizen sees who viewed and downloaded their information', async ({ page, browser, javaScriptEnabled, checkAccessibility }) => {
  const citizen = await citizenWithEverything('amelia');
  await signedIn(page.context(), await citizenSession(citizen));
  const staff = await staffBrowser(browser, 'grace', javaScriptEnabled);

  await page.goto('/sharing/who-has-viewed');
  await expect(page.getByText('No professional has viewed your information yet.')).toBeVisible();
  await checkAccessibility(page);

  await staff.goto(`/staff/citizens/${citizen.id}`);
  const download = await staff.request.get(`/staff/citizens/${citizen.id}/blood-pressure-readings`);
  expect(download.status()).toBe(200);
  expect(download.headers()['content-type']).toContain('text/csv');
  expect((await download.text()).trim().split('\n')).toHaveLength(15);

  await page.reload();
  const cards = page.locator('.govuk-summary-card');
  await expect(cards).toHaveCount(5);
  await expect(cards.first()).toContainText('Downloaded: home blood pressure readings');
  await expect(cards.nth(1)).toContainText('Viewed: home blood pressure readings');
  await expect(cards.first()).toContainText('Grace Practiceton');
  await expect(cards.first()).toContainText('Demo Lane Surgery (ZZ0001)');
  await expect(cards.first()).toContainText('General Practitioner');
  await expect(page.getByText('Emergency access')).toHaveCount(0);
  await expectWellFormedPage(page);
  await checkAccessibility(page);
  await staff.context().close();
});

test('a professional with no care relationship is refused, then uses emergency access, which the citizen and the programme team see', async ({
  page,
  browser,
  javaScriptEnabled,
  checkAccessibility,
}) => {
  const check = async (p: Page) => {
    await expectWellFormedPage(p);
    await checkAccessibility(p);
  };
  // Farah's care team is her GP practice alone: Omar's community trust does not care for her.
  const citizen = await citizenWithEverything('farah');
  await signedIn(page.context(), await citizenSession(citizen));
  const omar = await staffBrowser(browser, 'omar', javaScriptEnabled);

  const refused = await omar.goto(`/staff/citizens/${citizen.id}`);
  expect(refused?.status()).toBe(403);
  await expect(omar.locator('h1')).toHaveText('You cannot see this person’s information');
  await expect(omar.getByText('I look after my dad')).toHaveCount(0);
  await check(omar);
  // Nor the download.
  expect((await omar.request.get(`/staff/citizens/${citizen.id}/blood-pressure-readings`)).status()).toBe(403);

  await omar.getByRole('button', { name: 'Use emergency access' }).click();
  await expect(omar).toHaveURL(`/staff/citizens/${citizen.id}/emergency-access`);
  await check(omar);

  // No reason given.
  await omar.getByRole('button', { name: 'Use emergency access' }).click();
  await expect(omar).toHaveTitle(/^Error: /);
  await expect(omar.locator('.govuk-error-summary a')).toHaveText(['Select why you need emergency access', 'Enter details of why you need emergency access']);
  await check(omar);
  expect(auditEntriesFor(citizen.id).map((entry) => entry.action)).toEqual(['denied', 'denied']);

  await omar.getByRole('radio', { name: 'I am giving them urgent or emergency care' }).check();
  await omar.getByRole('textbox', { name: 'Give details' }).fill('Found unwell at home visit <script>alert(1)</script>');
  await omar.getByRole('button', { name: 'Use emergency access' }).click();
  await expect(omar).toHaveURL(`/staff/citizens/${citizen.id}`);
  await expect(omar.locator('.govuk-notification-banner')).toContainText('You are using emergency access until');
  await expect(omar.getByText('I look after my dad')).toBeVisible();
  await check(omar);

  await page.goto('/sharing/who-has-viewed');
  const first = page.locator('.govuk-summary-card').first();
  await expect(first.locator('.govuk-tag')).toHaveText('Emergency access');
  await expect(first).toContainText('Omar Wardsworth');
  await expect(first).toContainText('Demo Community Health Trust (ZZ0002)');
  await expect(page.getByText('Used emergency access to see what you share')).toBeVisible();
  await expect(page.getByText('I am giving them urgent or emergency care: Found unwell at home visit <script>alert(1)</script>').first()).toBeVisible();
  await check(page);

  const entries = auditEntriesFor(citizen.id);
  expect(entries.map((entry) => entry.action)).toEqual(['denied', 'denied', 'emergency-access', 'view', 'view', 'view', 'view']);
  expect(entries[3]!.reason).toBe('I am giving them urgent or emergency care: Found unwell at home visit <script>alert(1)</script>');

  // Done before the hour is up: they end it, and are refused again from then on.
  await omar.goto(`/staff/citizens/${citizen.id}`);
  await omar.getByRole('button', { name: 'End emergency access now' }).click();
  await expect(omar).toHaveURL('/staff/find-a-citizen?emergency-access=ended');
  await expect(omar.locator('.govuk-notification-banner--success')).toContainText('Your emergency access has ended.');
  await check(omar);
  expect((await omar.goto(`/staff/citizens/${citizen.id}`))?.status()).toBe(403);
  await page.goto('/sharing/who-has-viewed');
  await expect(page.getByText('Ended their emergency access')).toBeVisible();

  const admin = await staffBrowser(browser, 'sam', javaScriptEnabled);
  await admin.goto('/staff/emergency-access');
  await expect(admin.locator('h1')).toHaveText('Emergency access report');
  await expect(admin.locator('.govuk-summary-card', { hasText: 'Farah Newbury' }).first()).toContainText('Omar Wardsworth');
  await check(admin);
  // Care professionals do not get the report; the programme team does not get the view.
  expect((await omar.goto('/staff/emergency-access'))?.status()).toBe(403);
  expect((await admin.goto(`/staff/citizens/${citizen.id}`))?.status()).toBe(403);
  await omar.context().close();
  await admin.context().close();
});

test('finding a citizen by NHS number, with clear errors', async ({ browser, javaScriptEnabled, checkAccessibility }) => {
  const citizen = createCitizen({ givenName: 'Zofia', familyName: `Findable${Date.now().toString(36)}`, birthDate: '1950-07-04', nhsNumber: '9990070180' });
  const staff = await staffBrowser(browser, 'grace', javaScriptEnabled);
  const check = async () => {
    await expectWellFormedPage(staff);
    await checkAccessibility(staff);
  };

  await staff.goto('/staff/find-a-citizen');
  await expect(staff.locator('h1')).toHaveText('Find a citizen');
  await check();
  const nhsNumber = staff.getByRole('textbox', { name: 'NHS number' });
  for (const [typed, message] of [
    ['', 'Enter an NHS number'],
    ['12345', 'NHS number must be 10 digits'],
    ['999 007 0181', 'Enter a valid NHS number, like 485 777 3456'],
    ['99900701a0', 'NHS number must only include numbers'],
  ] as const) {
    await nhsNumber.fill(typed);
    const answer = staff.waitForResponse((response) => response.request().method() === 'POST');
    await staff.getByRole('button', { name: 'Search' }).click();
    expect((await answer).status()).toBe(422);
    await expect(staff.locator('.govuk-error-summary a')).toHaveText([message]);
    await expect(staff.locator('#nhsNumber-error')).toContainText(message);
  }
  await check();

  await nhsNumber.fill('999 007 0180');
  await staff.getByRole('button', { name: 'Search' }).click();
  await expect(staff.locator('h1')).toHaveText('Search results');
  await expect(staff.getByRole('link', { name: `Zofia ${citizen.familyName}` })).toBeVisible();
  await check();
  await staff.context().close();
});

test('finding a citizen by name and date of birth, with clear errors', async ({ browser, javaScriptEnabled, checkAccessibility }) => {
  const citizen = createCitizen({ givenName: 'Zofia', familyName: `Findable${Date.now().toString(36)}`, birthDate: '1950-07-04', nhsNumber: '9990070180' });
  const staff = await staffBrowser(browser, 'grace', javaScriptEnabled);
  const check = async () => {
    await expectWellFormedPage(staff);
    await checkAccessibility(staff);
  };

  await staff.goto('/staff/find-a-citizen/name-and-date-of-birth');
  await check();
  const answer = staff.waitForResponse((response) => response.request().method() === 'POST');
  await staff.getByRole('button', { name: 'Search' }).click();
  expect((await answer).status()).toBe(422);
  await expect(staff.locator('.govuk-error-summary a')).toHaveText(['Enter their first name', 'Enter their last name', 'Enter their date of birth']);
  await check();

  await staff.getByRole('textbox', { name: 'First name' }).fill('zofia');
  await staff.getByRole('textbox', { name: 'Last name' }).fill(citizen.familyName.toUpperCase());
  await staff.getByRole('textbox', { name: 'Day' }).fill('31');
  await staff.getByRole('textbox', { name: 'Month' }).fill('2');
  await staff.getByRole('textbox', { name: 'Year' }).fill('1950');
  await staff.getByRole('button', { name: 'Search' }).click();
  await expect(staff.locator('.govuk-error-summary a')).toHaveText(['Date of birth must be a real date']);
  await expect(staff.getByRole('textbox', { name: 'Last name' })).toHaveValue(citizen.familyName.toUpperCase());
  await check();

  await staff.getByRole('textbox', { name: 'Year' }).fill('2090');
  await staff.getByRole('textbox', { name: 'Day' }).fill('4');
  await staff.getByRole('textbox', { name: 'Month' }).fill('7');
  await staff.getByRole('button', { name: 'Search' }).click();
  await expect(staff.locator('.govuk-error-summary a')).toHaveText(['Date of birth must be in the past']);

  await staff.getByRole('textbox', { name: 'Year' }).fill('1950');
  await staff.getByRole('button', { name: 'Search' }).click();
  await expect(staff.locator('h1')).toHaveText('Search results');
  await expect(staff.getByRole('link', { name: `Zofia ${citizen.familyName}` })).toHaveAttribute('href', `/staff/citizens/${citizen.id}`);
  // The search that found them is recorded (who searched), and it is not a view of their information.
  expect(auditEntriesFor(citizen.id).map((entry) => [entry.action, entry.actorName])).toEqual([['search', 'Grace Practiceton']]);
  await staff.context().close();
});
