import type { Page } from '@playwright/test';
import { anotherCitizensCondition, conditionExists, topThreeVersionsContaining } from './support/about-me';
import { uniqueText } from './support/database';
import { expectWellFormedPage } from './support/page-checks';
import { signIn } from './support/sign-in';
import { expect, test } from './support/test';

/**
 * "About me and my details": top three things, long-term conditions, communication needs and
 * the summary. Each project signs in as its own Amelia account (One Login with JavaScript,
 * NHS login without: two separate people to this service), and this file's tests run one
 * after another, so they never change each other's details.
 */
test.describe.configure({ mode: 'default' });

async function signInAmelia(page: Page, javaScriptEnabled: boolean, from: string) {
  await signIn(page, { provider: javaScriptEnabled ? 'onelogin' : 'nhslogin', email: 'amelia.testwell@example.com', from });
  await expect(page).toHaveURL(from);
}

/** Sends the page's form with `act` and waits for the answer to the POST. */
async function posting(page: Page, path: string, act: () => Promise<void>) {
  const response = page.waitForResponse((r) => r.request().method() === 'POST' && new URL(r.url()).pathname === path);
  await act();
  const posted = await response;
  await page.waitForLoadState();
  return posted;
}

async function expectErrors(page: Page, errors: { text: string; href: string }[]) {
  await expect(page).toHaveTitle(/^Error: /);
  const links = page.locator('.govuk-error-summary').getByRole('link');
  await expect(links).toHaveText(errors.map((error) => error.text));
  for (const [index, { text, href }] of errors.entries()) {
    await expect(links.nth(index)).toHaveAttribute('href', href);
    await expect(page.locator(href)).toHaveCount(1);
    await expect(page.locator(`${href}-error`)).toHaveText(`Error: ${text}`);
  }
}

test('top three things: errors, check answers, confirmation, versions and history', async ({ page, checkAccessibility, javaScriptEnabled }) => {
  test.slow();
  page.on('dialog', () => {
    throw new Error('A script from what someone typed ran');
  });
  const checked = async () => {
    await expectWellFormedPage(page);
    await checkAccessibility(page);
  };
  await signInAmelia(page, javaScriptEnabled, '/about-me');
  await expect(page.locator('h1')).toHaveText('About me and my details');
  await checked();

  await page
    .getByRole('link', { name: /top three things to know about you/ })
    .first()
    .click();
  await expect(page).toHaveURL('/about-me/top-three');
  await expect(page.getByText('who to contact in an emergency')).toBeVisible();
  await checked();

  const first = page.getByRole('group', { name: 'First thing' });
  const second = page.getByRole('group', { name: 'Second thing (optional)' });
  const third = page.getByRole('group', { name: 'Third thing (optional)' });
  for (const group of [first, second, third]) {
    await group.getByLabel('Short title').fill('');
    await group.getByLabel('What you want people to know').fill('');
  }

  // Nothing at all, then a second thing with no title and a description that is too long.
  let response = await posting(page, '/about-me/top-three', () => page.getByRole('button', { name: 'Continue' }).click());
  expect(response.status()).toBe(422);
  await expectErrors(page, [
    { text: 'Enter a short title for the first thing', href: '#title1' },
    { text: 'Enter what you want people to know about the first thing', href: '#description1' },
  ]);
  await checked();

  const marker = uniqueText('Carer');
  const script = `<script>alert("${marker}")</script>`;
  await first.getByLabel('Short title').fill(script);
  await first.getByLabel('What you want people to know').fill('I look after my mum.\nCall my brother if I am unwell.');
  await second.getByLabel('What you want people to know').fill('x'.repeat(501));
  response = await posting(page, '/about-me/top-three', () => page.getByRole('button', { name: 'Continue' }).click());
  expect(response.status()).toBe(422);
  await expectErrors(page, [{ text: 'What you want to say about the second thing must be 500 characters or less', href: '#description2' }]);
  // What they typed is kept, as text.
  await expect(first.getByLabel('Short title')).toHaveValue(script);
  await checked();
  expect(topThreeVersionsContaining(marker)).toBe(0);

  await second.getByLabel('What you want people to know').fill('');
  await third.getByLabel('Short title').fill('Hearing');
  await third.getByLabel('What you want people to know').fill('Please face me when you speak.');
  response = await posting(page, '/about-me/top-three', () => page.getByRole('button', { name: 'Continue' }).click());
  expect(response.status()).toBe(303);
  await expect(page).toHaveURL('/about-me/top-three/check-answers');
  await expect(page.locator('h1')).toHaveText('Check your top three things before saving');
  await expect(page.getByText(script)).toBeVisible();
  await checked();
  expect(topThreeVersionsContaining(marker)).toBe(0);

  await page.getByRole('button', { name: 'Save top three things' }).click();
  await expect(page).toHaveURL('/about-me/top-three/confirmation');
  await expect(page.locator('.govuk-panel__title')).toHaveText('Top three things saved');
  await checked();
  expect(topThreeVersionsContaining(marker)).toBe(1);

  // A change is a new version; the history lists both, newest first.
  // The form opens with what they saved, the empty second thing closed up.
  await page.goto('/about-me/top-three');
  await expect(second.getByLabel('Short title')).toHaveValue('Hearing');
  await expect(third.getByLabel('Short title')).toHaveValue('');
  await second.getByLabel('Short title').fill('Hearing and sight');
  await page.getByRole('button', { name: 'Continue' }).click();
  await page.getByRole('button', { name: 'Save top three things' }).click();
  await expect(page).toHaveURL('/about-me/top-three/confirmation');
  await page.getByRole('link', { name: 'See earlier versions and when professionals last looked at them' }).click();
  await expect(page).toHaveURL('/about-me/top-three/history');
  await expect(page.getByText('No professional has looked at your top three things yet.')).toBeVisible();
  const versions = page.locator('h2', { hasText: /^Saved on / });
  expect(await versions.count()).toBeGreaterThanOrEqual(2);
  await expect(versions.first()).toContainText('(current version)');
  await checked();

  await page.goto('/about-me');
  await expect(page.getByText('Hearing and sight')).toBeVisible();
  await expect(page.getByText(script)).toBeVisible();
});

test('long-term conditions: add from the list and in their own words, no duplicates, remove, home page help', async ({
  page,
  checkAccessibility,
  javaScriptEnabled,
}) => {
  test.slow();
  const checked = async () => {
    await expectWellFormedPage(page);
    await checkAccessibility(page);
  };
  await signInAmelia(page, javaScriptEnabled, '/about-me/conditions');
  await expect(page.locator('h1')).toHaveText('Your long-term conditions');
  await checked();

  const addPage = async () => {
    await page.goto('/about-me/conditions');
    await page.getByRole('button', { name: 'Add a condition' }).click();
    await expect(page).toHaveURL('/about-me/conditions/add');
  };
  const chooseFromList = async (name: string, typed: string) => {
    if (javaScriptEnabled) {
      const box = page.getByRole('combobox', { name: 'Choose your condition from the list' });
      await box.fill(typed);
      await page.getByRole('option', { name, exact: true }).click();
    } else {
      await page.getByLabel('Choose your condition from the list').selectOption({ label: name });
    }
  };
  const addViaCheckAnswers = async () => {
    await expect(page).toHaveURL(/\/about-me\/conditions\/check-answers(#main-content)?$/);
    await page.getByRole('button', { name: 'Add condition' }).click();
    await expect(page).toHaveURL('/about-me/conditions/confirmation');
  };

  await addPage();
  await checked();
  // Nothing chosen.
  let response = await posting(page, '/about-me/conditions/add', () => page.getByRole('button', { name: 'Continue' }).click());
  expect(response.status()).toBe(422);
  await expectErrors(page, [{ text: 'Select your condition from the list, or type it in if it is not listed', href: '#condition' }]);
  await checked();

  // Too long in their own words.
  await page.getByLabel('If your condition is not in the list, type it here').fill('y'.repeat(101));
  response = await posting(page, '/about-me/conditions/add', () => page.getByRole('button', { name: 'Continue' }).click());
  expect(response.status()).toBe(422);
  await expectErrors(page, [{ text: 'Your condition must be 100 characters or less', href: '#otherCondition' }]);
  await checked();
  await page.getByLabel('If your condition is not in the list, type it here').fill('');

  await chooseFromList('Asthma', 'Asth');
  await page.getByRole('button', { name: 'Continue' }).click();
  await expect(page.locator('.govuk-summary-list')).toContainText('Asthma');
  await checked();
  await addViaCheckAnswers();
  await expect(page.locator('.govuk-panel__title')).toHaveText('Condition added');
  await checked();

  // The same again is refused on the question page.
  await addPage();
  await chooseFromList('Asthma', 'asthma');
  response = await posting(page, '/about-me/conditions/add', () => page.getByRole('button', { name: 'Continue' }).click());
  expect(response.status()).toBe(422);
  await expectErrors(page, [{ text: 'You have already added Asthma', href: '#condition' }]);
  await checked();

  // Their own words, with HTML kept as text.
  const ownWords = `<i>${uniqueText('Long COVID')}</i>`;
  await addPage();
  await page.getByLabel('If your condition is not in the list, type it here').fill(ownWords);
  await page.getByRole('button', { name: 'Continue' }).click();
  await addViaCheckAnswers();

  await page.goto('/about-me/conditions');
  await expect(page.locator('dt', { hasText: ownWords })).toBeVisible();
  await expect(page.locator('i', { hasText: 'Long COVID' })).toHaveCount(0);

  // The home page shows information for the listed condition.
  await page.goto('/account');
  await expect(page.getByRole('heading', { name: 'Information about your conditions' })).toBeVisible();
  await expect(page.getByRole('link', { name: 'Asthma on the NHS website' })).toHaveAttribute('href', 'https://www.nhs.uk/conditions/asthma/');
  await checked();

  // Another citizen's condition cannot be seen or removed, even with a valid form of ours.
  const othersId = anotherCitizensCondition();
  expect((await page.goto(`/about-me/conditions/${othersId}/remove`))?.status()).toBe(404);
  await expect(page.locator('h1')).toHaveText('Page not found');
  await page.goto('/about-me/conditions');
  await page.getByRole('link', { name: `Remove ${ownWords}` }).click();
  const csrf = await page.locator('#main-content input[name="_csrf"]').inputValue();
  const forged = await page.request.post(`/about-me/conditions/${othersId}/remove`, {
    form: { _csrf: csrf },
    headers: { origin: new URL(page.url()).origin },
    maxRedirects: 0,
  });
  expect(forged.status()).toBe(404);
  expect(conditionExists(othersId)).toBe(true);

  // Removing asks first, then removes.
  await expect(page.locator('h1')).toHaveText('Are you sure you want to remove this condition?');
  await checked();
  await page.getByRole('link', { name: 'No, keep it' }).click();
  await expect(page.locator('dt', { hasText: ownWords })).toBeVisible();
  await page.getByRole('link', { name: `Remove ${ownWords}` }).click();
  await page.getByRole('button', { name: 'Yes, remove it' }).click();
  await expect(page).toHaveURL('/about-me/conditions?removed=1');
  await expect(page.getByText('Condition removed')).toBeVisible();
  await expect(page.getByText(ownWords)).toHaveCount(0);
  await checked();
});

test('communication needs: conditional questions, errors, check answers and the summary', async ({ page, checkAccessibility, javaScriptEnabled }) => {
  test.slow();
  const checked = async () => {
    await expectWellFormedPage(page);
    await checkAccessibility(page);
  };
  await signInAmelia(page, javaScriptEnabled, '/about-me/communication-needs');
  const question = page.getByRole('group', { name: 'Do you need information in a different format, or support to communicate?' });
  await expect(page.locator('h1')).toHaveText('Do you need information in a different format, or support to communicate?');
  for (const box of await question.getByRole('checkbox').all()) await box.uncheck();
  await checked();

  let response = await posting(page, '/about-me/communication-needs', () => page.getByRole('button', { name: 'Continue' }).click());
  expect(response.status()).toBe(422);
  await expectErrors(page, [{ text: 'Select what you need, or select that you do not need any of these', href: '#formats' }]);
  await checked();

  // Ticked choices whose details are missing.
  await question.getByRole('checkbox', { name: 'Large print' }).check();
  await question.getByRole('checkbox', { name: 'An interpreter for another spoken language' }).check();
  await question.getByRole('checkbox', { name: 'Contact someone who helps me, as well as me' }).check();
  await page.getByLabel('Which language?').fill('');
  await page.getByLabel('Their name').fill('');
  await page.getByLabel('Their phone number or email address').fill('');
  response = await posting(page, '/about-me/communication-needs', () => page.getByRole('button', { name: 'Continue' }).click());
  expect(response.status()).toBe(422);
  await expectErrors(page, [
    { text: 'Enter the language you need an interpreter for', href: '#interpreterLanguage' },
    { text: 'Enter the name of the person to contact', href: '#carerName' },
    { text: 'Enter a phone number or email address for the person to contact', href: '#carerContact' },
  ]);
  // Every ticked box is still ticked.
  await expect(question.getByRole('checkbox', { name: 'Large print' })).toBeChecked();
  await expect(question.getByRole('checkbox', { name: 'Contact someone who helps me, as well as me' })).toBeChecked();
  await checked();

  await page.getByLabel('Which language?').fill('Polish');
  await page.getByLabel('Their name').fill('Jo <b>Bloggs</b>');
  await page.getByLabel('Their phone number or email address').fill('07700 900123');
  await page.getByLabel('Is there anything else that would help you communicate with us? (optional)').fill('Please speak slowly');
  await page.getByRole('button', { name: 'Continue' }).click();
  await expect(page).toHaveURL('/about-me/communication-needs/check-answers');
  await expect(page.locator('.govuk-summary-list')).toContainText('An interpreter for Polish');
  await expect(page.getByText('Contact Jo <b>Bloggs</b> (07700 900123) as well as me')).toBeVisible();
  await checked();

  // Change goes back with the answers filled in.
  await page.getByRole('link', { name: 'Change what you need' }).click();
  await expect(page.getByLabel('Which language?')).toHaveValue('Polish');
  await page.getByRole('button', { name: 'Continue' }).click();
  await page.getByRole('button', { name: 'Save communication needs' }).click();
  await expect(page).toHaveURL('/about-me/communication-needs/confirmation');
  await expect(page.locator('.govuk-panel__title')).toHaveText('Communication needs saved');
  await checked();

  await page.goto('/about-me');
  await expect(page.getByText('An interpreter for Polish')).toBeVisible();
  // How they are contacted and their address, summarised here too with their own change links.
  await expect(page.getByRole('heading', { name: 'How we contact you and your address' })).toBeVisible();
  await expect(page.getByRole('link', { name: 'See who has received your address and contact preferences' })).toHaveAttribute(
    'href',
    '/about-me/contact-preferences',
  );
  await checked();
});
