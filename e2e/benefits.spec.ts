import { uniqueText } from './support/database';
import { expectWellFormedPage } from './support/page-checks';
import { staffSignIn } from './support/staff';
import { expect, test } from './support/test';

/**
 * The benefits report for programme administrators (month by month, charts with their tables,
 * CSV), and the feedback people send, read and downloaded by staff. JavaScript on and off (the
 * two projects), axe on every page.
 */

const CHARTS = ['Active users each month', 'Registration', 'Letters', 'Changes of address', 'Sharing, engagement and fewer letters'];

test('a programme administrator sees the benefits month by month, with charts and tables, and downloads them', async ({ page, checkAccessibility }) => {
  test.slow();
  await staffSignIn(page, 'sam.adminson@staff.example.org');
  await page.getByRole('main').getByRole('link', { name: 'Benefits report', exact: true }).click();
  await expect(page).toHaveURL('/staff/benefits');
  await expect(page.locator('h1')).toHaveText('Benefits report');
  await expectWellFormedPage(page);
  await checkAccessibility(page);

  await expect(page.locator('#progress-sentence')).toContainText(/of break-even \(1,150 active users\) and \d+% of the target \(7,500 active users\)\./);
  // The progress bar and one chart a measure, each an image with a name, each chart with its table.
  await expect(page.locator('svg[role="img"]')).toHaveCount(CHARTS.length + 1);
  await expect(page.getByRole('img', { name: 'Active users against the business case' })).toBeVisible();
  for (const chart of CHARTS) {
    await expect(page.getByRole('img', { name: chart, exact: true })).toBeVisible();
    const table = page.getByRole('table', { name: `${chart}: the figures`, exact: true });
    await expect(table.locator('tbody tr')).toHaveCount(12);
    for (const cell of await table.locator('tbody td').allTextContents()) expect(cell.trim()).toMatch(/^(\d[\d,]*|fewer than 5)$/);
  }

  const response = await page.request.get('/staff/benefits.csv');
  expect(response.status()).toBe(200);
  expect(response.headers()['content-type']).toBe('text/csv; charset=utf-8');
  expect(response.headers()['cache-control']).toContain('no-store');
  const lines = (await response.text()).trim().split('\r\n');
  expect(lines[0]).toMatch(/^month,active_users,sign_ins_started,identity_proven,registered,letters_delivered_digitally,letters_posted,address_changes_made,/);
  expect(lines).toHaveLength(13);
  for (const line of lines.slice(1)) expect(line).toMatch(/^\d{4}-\d{2}(,(\d+|fewer than 5))+$/);

  // The same file from the link on the page.
  const download = page.waitForEvent('download');
  await page.getByRole('link', { name: 'Download every figure, month by month (CSV)' }).click();
  expect((await download).suggestedFilename()).toMatch(/^benefits-\d{4}-\d{2}-\d{2}\.csv$/);
});

test('feedback people send is read and downloaded by a programme administrator', async ({ page, checkAccessibility }) => {
  test.slow();
  const comments = uniqueText('=1+1 <b>The letters page was clear.</b>');
  await page.goto('/feedback');
  await page.getByRole('radio', { name: 'Very satisfied', exact: true }).check();
  await page.getByRole('textbox', { name: 'What did you think of this service?' }).fill(comments);
  await page.getByRole('textbox', { name: 'Email address (optional)' }).fill('reader@example.com');
  await page.getByRole('button', { name: 'Send feedback' }).click();
  await expect(page).toHaveURL('/feedback/sent');

  await staffSignIn(page, 'sam.adminson@staff.example.org');
  await page.getByRole('main').getByRole('link', { name: 'Feedback', exact: true }).click();
  await expect(page).toHaveURL('/staff/feedback');
  await expect(page.locator('h1')).toHaveText('Feedback');
  await expectWellFormedPage(page);
  await checkAccessibility(page);

  // Shown as text, never as markup, with the email the person gave.
  const card = page.locator('.govuk-summary-card').filter({ hasText: comments });
  await expect(card).toHaveCount(1);
  await expect(card).toContainText('Very satisfied');
  await expect(card).toContainText('reader@example.com');
  await expect(card.locator('b')).toHaveCount(0);

  const response = await page.request.get('/staff/feedback.csv');
  expect(response.status()).toBe(200);
  expect(response.headers()['content-type']).toBe('text/csv; charset=utf-8');
  const csv = await response.text();
  expect(csv.startsWith('received,rating,comments,email\r\n')).toBe(true);
  // A spreadsheet shows the comment and never runs it as a formula.
  expect(csv).toContain(`"'${comments}",reader@example.com`);
});

test('only programme administrators can see the benefits and the feedback', async ({ page }) => {
  await staffSignIn(page, 'grace.practiceton@staff.example.org');
  await expect(page.getByRole('main').getByRole('link', { name: 'Benefits report' })).toHaveCount(0);
  for (const path of ['/staff/benefits', '/staff/feedback']) expect((await page.goto(path))?.status(), path).toBe(403);
  for (const path of ['/staff/benefits.csv', '/staff/feedback.csv']) expect((await page.request.get(path, { maxRedirects: 0 })).status(), path).toBe(403);
});
