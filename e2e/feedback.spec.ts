import type { Locator, Page } from '@playwright/test';
import { storedFeedback, uniqueText } from './support/database';
import { expectWellFormedPage } from './support/page-checks';
import { expect, test } from './support/test';

const MESSAGES = {
  rating: 'Select how you felt about the service',
  comments: 'Enter what you thought of this service',
  commentsTooLong: 'What you thought of this service must be 1200 characters or less',
  email: 'Enter an email address in the correct format, like name@example.com',
};

const fields = (page: Page) => ({
  rating: (label: string) => page.getByRole('radio', { name: label, exact: true }),
  comments: page.getByRole('textbox', { name: 'What did you think of this service?' }),
  email: page.getByRole('textbox', { name: 'Email address (optional)' }),
  send: page.getByRole('button', { name: 'Send feedback' }),
});

/** Waits for the response to the form's POST while `act` sends it. */
async function sending(page: Page, act: () => Promise<void>) {
  const response = page.waitForResponse((r) => r.request().method() === 'POST' && new URL(r.url()).pathname === '/feedback');
  await act();
  const posted = await response;
  await page.waitForLoadState();
  return posted;
}

async function expectErrors(page: Page, errors: { text: string; href: string }[]) {
  await expect(page).toHaveTitle(/^Error: /);
  const summary = page.locator('.govuk-error-summary');
  await expect(summary.getByRole('heading', { name: 'There is a problem' })).toBeVisible();
  const links = summary.getByRole('link');
  await expect(links).toHaveText(errors.map((error) => error.text));
  for (const [index, { text, href }] of errors.entries()) {
    await expect(links.nth(index)).toHaveAttribute('href', href);
    // The link's target is the field itself (for radios, the first one).
    await expect(page.locator(href)).toHaveCount(1);
    await expect(page.locator(`${href}-error`)).toHaveText(`Error: ${text}`);
  }
}

test('sending feedback', async ({ page }) => {
  const form = fields(page);
  const comments = uniqueText('The start page was clear.');
  await page.goto('/feedback');
  await form.rating('Satisfied').check();
  await form.comments.fill(comments);
  await form.email.fill('someone@example.com');

  const response = await sending(page, () => form.send.click());

  expect(response.status()).toBe(303);
  expect(response.headers()['location']).toBe('/feedback/sent');
  await expect(page).toHaveURL('/feedback/sent');
  await expect(page.locator('.govuk-panel__title')).toHaveText('Feedback sent');
  expect(storedFeedback(comments)).toEqual([{ id: expect.any(String), rating: 'satisfied', email: 'someone@example.com' }]);
});

test('sending an empty form shows what to fix', async ({ page, checkAccessibility }) => {
  const form = fields(page);
  await page.goto('/feedback');

  const response = await sending(page, () => form.send.click());

  expect(response.status()).toBe(422);
  await expectErrors(page, [
    { text: MESSAGES.rating, href: '#rating' },
    { text: MESSAGES.comments, href: '#comments' },
  ]);
  await expect(page.locator('.govuk-error-message')).toHaveCount(2);
  await expectWellFormedPage(page);
  await checkAccessibility(page);

  // Each summary link takes the user to its field.
  const summary = page.locator('.govuk-error-summary');
  await summary.getByRole('link', { name: MESSAGES.rating }).click();
  await expect(page.locator('#rating')).toBeFocused();
  await summary.getByRole('link', { name: MESSAGES.comments }).click();
  await expect(form.comments).toBeFocused();
});

test('answers are kept when the form is shown again with errors', async ({ page, checkAccessibility }) => {
  const form = fields(page);
  await page.goto('/feedback');
  await form.rating('Neither satisfied nor dissatisfied').check();
  await form.email.fill('not-an-email');

  expect((await sending(page, () => form.send.click())).status()).toBe(422);

  await expectErrors(page, [
    { text: MESSAGES.comments, href: '#comments' },
    { text: MESSAGES.email, href: '#email' },
  ]);
  await expect(form.rating('Neither satisfied nor dissatisfied')).toBeChecked();
  await expect(form.email).toHaveValue('not-an-email');
  await checkAccessibility(page);
});

test('comments longer than 1200 characters are refused, 1200 are accepted', async ({ page, javaScriptEnabled }) => {
  const form = fields(page);
  await page.goto('/feedback');
  await form.rating('Dissatisfied').check();
  await form.comments.fill('a'.repeat(1201));
  await form.email.fill('someone@example.com');
  if (javaScriptEnabled) await expect(page.getByText('You have 1 character too many').first()).toBeVisible();

  expect((await sending(page, () => form.send.click())).status()).toBe(422);

  await expectErrors(page, [{ text: MESSAGES.commentsTooLong, href: '#comments' }]);
  await expect(form.comments).toHaveValue('a'.repeat(1201));
  await expect(form.rating('Dissatisfied')).toBeChecked();
  await expect(form.email).toHaveValue('someone@example.com');

  // Line breaks count as one character each, as the character count shows them,
  // although browsers send each as two (CR LF).
  const exactly1200 = uniqueText('Line one.\nLine two.\n').padEnd(1200, 'b');
  await form.comments.fill(exactly1200);
  expect((await sending(page, () => form.send.click())).status()).toBe(303);
  expect(storedFeedback(exactly1200)).toHaveLength(1);
});

test('an email address in the wrong format is refused', async ({ page }) => {
  const form = fields(page);
  const comments = uniqueText('Fine.');
  await page.goto('/feedback');
  await form.rating('Very satisfied').check();
  await form.comments.fill(comments);
  await form.email.fill('name@');

  expect((await sending(page, () => form.send.click())).status()).toBe(422);

  await expectErrors(page, [{ text: MESSAGES.email, href: '#email' }]);
  await expect(form.rating('Very satisfied')).toBeChecked();
  await expect(form.comments).toHaveValue(comments);
  await expect(form.email).toHaveValue('name@');
  expect(storedFeedback(comments)).toHaveLength(0);
});

test('what people type is shown back as text, never run as markup', async ({ page }) => {
  const dialogs: string[] = [];
  page.on('dialog', async (dialog) => {
    dialogs.push(dialog.message());
    await dialog.dismiss();
  });
  const form = fields(page);
  const comments = `</textarea><script>alert('comments')</script><img src="x" id="injected-image" onerror="alert('image')"> & "quotes"`;
  const email = `"><b id="injected-bold" onmouseover="alert('email')">bold</b>`;
  await page.goto('/feedback');
  await form.comments.fill(comments);
  await form.email.fill(email);

  // No rating, so the form comes back with what was typed.
  expect((await sending(page, () => form.send.click())).status()).toBe(422);

  await expect(form.comments).toHaveValue(comments);
  await expect(form.email).toHaveValue(email);
  await expect(page.locator('#injected-image, #injected-bold')).toHaveCount(0);
  await expect(page.locator('main script')).toHaveCount(0);
  await expect(page).toHaveTitle(/^Error: Give feedback/);
  expect(dialogs).toEqual([]);
});

/** Presses Tab until `target` has focus, as a keyboard user would. */
async function tabTo(page: Page, target: Locator, maxPresses = 40) {
  for (let presses = 0; presses < maxPresses; presses++) {
    await page.keyboard.press('Tab');
    if (await target.evaluate((element) => element === document.activeElement)) return;
  }
  throw new Error(`${target} was not reached in ${maxPresses} presses of Tab`);
}

test('the whole journey with the keyboard only', async ({ page }) => {
  const form = fields(page);
  const comments = uniqueText('Sent with the keyboard only.');
  await page.goto('/');

  await tabTo(page, page.locator('.govuk-phase-banner').getByRole('link', { name: 'feedback' }));
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL('/feedback');

  // Send it empty first, then follow the error summary back to the first question.
  await tabTo(page, form.send);
  expect((await sending(page, () => page.keyboard.press('Enter'))).status()).toBe(422);
  await tabTo(page, page.locator('.govuk-error-summary').getByRole('link', { name: MESSAGES.rating }));
  await page.keyboard.press('Enter');
  await expect(page.locator('#rating')).toBeFocused();

  await page.keyboard.press('Space');
  await page.keyboard.press('ArrowDown');
  await expect(form.rating('Satisfied')).toBeChecked();
  await expect(form.rating('Satisfied')).toBeFocused();

  await tabTo(page, form.comments);
  await page.keyboard.type(comments);
  await tabTo(page, form.email);
  await page.keyboard.type('keyboard@example.com');
  await tabTo(page, form.send);
  expect((await sending(page, () => page.keyboard.press('Enter'))).status()).toBe(303);

  await expect(page).toHaveURL('/feedback/sent');
  await expect(page.locator('.govuk-panel__title')).toHaveText('Feedback sent');
  expect(storedFeedback(comments)).toEqual([{ id: expect.any(String), rating: 'satisfied', email: 'keyboard@example.com' }]);
});
