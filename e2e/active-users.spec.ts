import { expectWellFormedPage } from './support/page-checks';
import { staffSignIn } from './support/staff';
import { expect, test } from './support/test';

/** Programme staff report active users against the business case: aggregates only. */

test('a programme administrator sees active users against break-even and target, and downloads them', async ({ page, checkAccessibility }) => {
  test.slow();
  await staffSignIn(page, 'sam.adminson@staff.example.org');
  await page.getByRole('link', { name: 'Active users' }).click();
  await expect(page).toHaveURL('/staff/active-users');
  await expect(page.locator('h1')).toHaveText('Active users');
  await expectWellFormedPage(page);
  await checkAccessibility(page);

  const figures = page.locator('.govuk-summary-list');
  await expect(figures).toContainText('Break-even');
  await expect(figures).toContainText('1,150 active users');
  await expect(figures).toContainText('7,500 active users, about 1% of the city');
  await expect(figures).toContainText('Moved from letters to digital');
  await expect(page.locator('table tbody tr')).toHaveCount(12);

  const response = await page.request.get('/staff/active-users.csv');
  expect(response.status()).toBe(200);
  expect(response.headers()['content-type']).toBe('text/csv; charset=utf-8');
  expect(response.headers()['cache-control']).toContain('no-store');
  const lines = (await response.text()).trim().split('\r\n');
  expect(lines[0]).toBe('month,active_users,new_registrations');
  expect(lines).toHaveLength(13);
  for (const line of lines.slice(1)) expect(line).toMatch(/^\d{4}-\d{2},\d+,\d+$/);
});

test('only programme administrators can see the figures', async ({ page }) => {
  await staffSignIn(page, 'grace.practiceton@staff.example.org');
  expect((await page.goto('/staff/active-users'))?.status()).toBe(403);
  expect((await page.request.get('/staff/active-users.csv', { maxRedirects: 0 })).status()).toBe(403);
});
