import type { Page } from '@playwright/test';
import { uniqueText } from './support/database';
import { citizenJourneyData, councilActivity, otherOrganisationActivity } from './support/engagement';
import { expectWellFormedPage } from './support/page-checks';
import { signIn, signInAtProvider } from './support/sign-in';
import { expect, test } from './support/test';

/** Open Citizen: a citizen takes part (reusing an earlier answer); a coordinator plans, publishes, invites and closes. */

type Check = (page: Page) => Promise<void>;

async function expectError(page: Page, check: Check, message: string) {
  await expect(page).toHaveTitle(/^Error: /);
  await expect(page.locator('.govuk-error-summary')).toContainText(message);
  await check(page);
}

test('a citizen sets preferences, reuses an earlier answer, sends a survey and sees what changed', async ({ page, checkAccessibility }) => {
  // Long journeys with axe on every page and error state, twice (JS on and off).
  test.setTimeout(600_000);
  const check: Check = async (p) => {
    await expectWellFormedPage(p);
    await checkAccessibility(p);
  };
  await signIn(page, { provider: 'nhslogin', email: 'amelia.testwell@example.com' });
  const label = uniqueText('e2e');
  const data = citizenJourneyData('Amelia', label);

  await page.goto('/engagement');
  await expect(page.locator('h1')).toHaveText('Have your say');
  // "You said, we did" for the closed activity she took part in.
  await expect(page.locator('.govuk-notification-banner')).toContainText('You said, we did');
  await expect(page.getByRole('link', { name: data.closedTitle })).toBeVisible();
  await check(page);

  // Preferences: each one question on a page, refused when wrong.
  await page.getByRole('link', { name: 'Choose whether and how you are asked to take part' }).click();
  await expect(page.locator('h1')).toHaveText('Your engagement preferences');
  await check(page);
  // (Both projects share this citizen, so this answer may already be saved: the error state is checked on the postcode.)
  await page.getByRole('link', { name: 'Change whether you are invited' }).click();
  await page.getByRole('radio', { name: 'Yes' }).check();
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page.locator('.govuk-notification-banner--success')).toContainText('Your preferences have been saved');
  await page.getByRole('link', { name: 'Change the first part of your postcode' }).click();
  await page.getByRole('textbox').fill('<b>12345</b>');
  await page.getByRole('button', { name: 'Save' }).click();
  await expectError(page, check, 'Enter the first part of your postcode, like LS6');
  await expect(page.getByRole('textbox')).toHaveValue('<b>12345</b>');
  await page.getByRole('textbox').fill('ls6');
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page.locator('.govuk-summary-list')).toContainText('LS6');

  // The open activity is offered; its first question was answered before, for the walk-in centre.
  await page.goto('/engagement');
  await page.getByRole('link', { name: data.openTitle }).click();
  await expect(page.locator('h1')).toHaveText(data.openTitle);
  await check(page);
  await page.getByRole('button', { name: 'Start now' }).click();
  await expect(page.locator('h1')).toHaveText('Do you want to use your earlier answer?');
  await expect(page.locator('.govuk-inset-text')).toHaveText('Bus');
  await page.getByRole('button', { name: 'Continue' }).click();
  await expectError(page, check, 'Select whether to use your earlier answer');
  await page.getByRole('radio', { name: 'Yes, use my earlier answer' }).check();
  await page.getByRole('button', { name: 'Continue' }).click();

  // A question in her own words: HTML is kept as text.
  await expect(page.locator('h1')).toHaveText(`What would make it better? ${label}`);
  await page.getByRole('button', { name: 'Continue' }).click();
  await expectError(page, check, 'Enter your answer');
  const words = `<script>alert("x")</script> More buses ${label}`;
  await page.getByRole('textbox').fill(words);
  await page.getByRole('button', { name: 'Continue' }).click();

  await expect(page.locator('h1')).toHaveText('Check your answers before sending them');
  await expect(page.locator('.govuk-summary-list')).toContainText('Bus (your earlier answer)');
  await expect(page.locator('.govuk-summary-list')).toContainText(words);
  await check(page);
  await page.getByRole('button', { name: 'Send answers' }).click();
  await expect(page.locator('.govuk-panel__title')).toHaveText('Answers sent');
  await check(page);

  // What she has said: hers only, never the other person's answer to the same activity.
  await page.getByRole('link', { name: 'See what you have said' }).click();
  await expect(page.locator('h1')).toHaveText('What you have said');
  await expect(page.getByRole('main')).toContainText(words);
  await expect(page.getByRole('main')).not.toContainText(data.strangerWords);
  await check(page);

  // Sent answers cannot be changed.
  await page.goto('/engagement');
  await expect(page.getByRole('link', { name: data.openTitle })).toHaveCount(0);
});

async function staffSignIn(page: Page, email: string) {
  await page.goto('/staff');
  await page.getByRole('button', { name: 'Sign in with your staff account' }).click();
  await signInAtProvider(page, email);
  await expect(page).toHaveURL('/staff');
}

test('a coordinator creates an activity step by step, sees the overlap with another organisation, and publishes it', async ({ page, checkAccessibility }) => {
  // Long journeys with axe on every page and error state, twice (JS on and off).
  test.setTimeout(600_000);
  const check: Check = async (p) => {
    await expectWellFormedPage(p);
    await checkAccessibility(p);
  };
  const label = uniqueText('e2e');
  const overlapping = otherOrganisationActivity(label);
  await staffSignIn(page, 'priya.connector@staff.example.org');
  await page.getByRole('link', { name: 'Engagement' }).click();
  await expect(page.locator('h1')).toHaveText('Engagement');
  await check(page);

  await page.getByRole('button', { name: 'Create an activity' }).click();
  await expect(page.locator('h1')).toHaveText('About the activity');
  await page.getByRole('button', { name: 'Continue' }).click();
  await expectError(page, check, 'Enter a title');
  await expect(page.locator('.govuk-error-summary')).toContainText('Enter what the activity is for');
  await page.getByLabel('Title').fill('x'.repeat(121));
  await page.getByLabel('What is the activity for?').fill('To plan buses.');
  await page.getByRole('button', { name: 'Continue' }).click();
  await expectError(page, check, 'Title must be 120 characters or less');
  const title = `<i>Buses</i> to clinics ${label}`;
  await page.getByLabel('Title').fill(title);
  await page.getByRole('button', { name: 'Continue' }).click();

  await expect(page.locator('h1')).toHaveText('What topics is the activity about?');
  await page.getByRole('button', { name: 'Continue' }).click();
  await expectError(page, check, 'Select at least one topic');
  await page.getByRole('checkbox', { name: 'Transport and getting to appointments' }).check();
  await page.getByRole('button', { name: 'Continue' }).click();

  await expect(page.locator('h1')).toHaveText('Who is the activity for?');
  // A condition is chosen from the coded list, never typed.
  await page.getByRole('radio', { name: 'People with a long-term condition' }).check();
  await page.getByRole('button', { name: 'Continue' }).click();
  await expectError(page, check, 'Select the long-term condition');
  await expect(page.getByRole('combobox', { name: /Long-term condition/ }).getByRole('option', { name: 'Diabetes (type 1 or type 2)' })).toHaveCount(1);
  await page.getByRole('radio', { name: 'People living in an area' }).check();
  await page.getByLabel('First part of the postcode (if the activity is for an area)').fill('nowhere');
  await page.getByRole('button', { name: 'Continue' }).click();
  await expectError(page, check, 'Enter the first part of a postcode, like LS6');
  await page.getByRole('radio', { name: 'Everyone' }).check();
  await page.getByRole('button', { name: 'Continue' }).click();

  await expect(page.locator('h1')).toHaveText('When does the activity run?');
  const year = new Date().getFullYear();
  const fillDate = async (legend: string, day: string, month: string, yearText: string) => {
    const group = page.getByRole('group', { name: legend });
    await group.getByLabel('Day').fill(day);
    await group.getByLabel('Month').fill(month);
    await group.getByLabel('Year').fill(yearText);
  };
  await fillDate('Start date', '1', '12', String(year));
  await fillDate('End date', '30', '11', String(year));
  await page.getByRole('button', { name: 'Continue' }).click();
  await expectError(page, check, 'The end date must be the same as or after the start date');
  await expect(page.locator('.govuk-error-summary a')).toHaveAttribute('href', '#ends-day');
  await fillDate('End date', '31', '12', String(year));
  await page.getByRole('button', { name: 'Continue' }).click();

  await expect(page.locator('h1')).toHaveText('How will people take part?');
  await page.getByRole('radio', { name: 'Online survey' }).check();
  await page.getByRole('button', { name: 'Continue' }).click();

  await expect(page.locator('h1')).toHaveText('Choose questions from the shared question bank');
  await check(page);
  await page.getByRole('link', { name: 'add a new question' }).click();
  await page.getByRole('radio', { name: 'Choose one answer' }).check();
  await page.getByRole('button', { name: 'Add question' }).click();
  await expectError(page, check, 'Enter the question');
  await page.getByLabel('Question').fill(`How do you get to clinics? ${label}`);
  await page.getByLabel('Answers people can choose from').fill('Only one');
  await page.getByRole('button', { name: 'Add question' }).click();
  await expectError(page, check, 'Enter at least 2 answers, one on each line');
  await page.getByLabel('Answers people can choose from').fill('Bus\nCar\nWalk');
  await page.getByRole('button', { name: 'Add question' }).click();
  await expect(page.getByRole('checkbox', { name: `How do you get to clinics? ${label}` })).toBeChecked();
  await page.getByRole('button', { name: 'Save and continue' }).click();

  // Before publishing: the other organisation asking the same people at the same time.
  await expect(page.locator('h1')).toHaveText('Check the activity before you publish it');
  await expect(page.locator('.govuk-summary-list')).toContainText(title);
  await expect(page.getByRole('main')).toContainText(overlapping);
  await check(page);
  await page.getByRole('button', { name: 'Publish activity' }).click();

  await expect(page.locator('h1')).toHaveText(title);
  await expect(page.locator('.govuk-notification-banner--success')).toContainText('Activity published');
  await expect(page.getByRole('main')).toContainText('can be invited now');
  await expect(page.getByRole('table')).toContainText('Reached their monthly limit of invitations');
  await check(page);
});

test('a coordinator sees who can be invited, reads suppressed results, downloads them and closes the activity', async ({ page, checkAccessibility }) => {
  test.setTimeout(600_000);
  const check: Check = async (p) => {
    await expectWellFormedPage(p);
    await checkAccessibility(p);
  };
  const title = councilActivity(uniqueText('e2e'));
  await staffSignIn(page, 'priya.connector@staff.example.org');
  await page.goto('/staff/engagement');
  await page.getByRole('link', { name: title }).click();
  await expect(page.locator('h1')).toHaveText(title);
  await expect(page.getByRole('main')).toContainText('can be invited now');
  await expect(page.getByRole('table')).toContainText('Do not want to be invited, or have not said');
  const activityPage = page.url().replace(/#.*$/, '');

  await page.getByRole('link', { name: 'See the results' }).click();
  await expect(page.locator('h1')).toHaveText('Results');
  await expect(page.getByRole('main')).toContainText('Fewer than 5 people answered, so no results are shown.');
  await check(page);
  const csv = await page.request.get(`${page.url().replace(/#.*$/, '')}.csv`);
  expect(csv.headers()['content-type']).toBe('text/csv; charset=utf-8');
  expect(await csv.text()).toContain('Fewer than 5 people answered (hidden)');

  // Back to the activity by its address: the page checks may have added a #fragment to the history.
  await page.goto(activityPage);
  await page.getByRole('button', { name: 'Close the activity' }).click();
  await expect(page.locator('h1')).toHaveText('Close the activity');
  await page.getByRole('button', { name: 'Close activity and tell people' }).click();
  await expectError(page, check, 'Enter what you heard');
  await page.getByLabel('You said: what did you hear?').fill('Buses are too rare.');
  await page.getByLabel('We did: what did you change, or what will you change?').fill('<b>We added an evening bus.</b>');
  await page.getByRole('button', { name: 'Close activity and tell people' }).click();
  await expect(page.locator('.govuk-notification-banner--success')).toContainText('Activity closed');
  await expect(page.getByRole('main')).toContainText('<b>We added an evening bus.</b>');
  await check(page);
});
