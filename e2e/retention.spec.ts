// The privacy notice's "How long we keep it" (issue 19): the periods come from the configuration
// the worker's retention job applies (lib/platform/retention.ts), here the defaults, as the e2e
// server sets no RETENTION_* setting. The job itself is tested with a controllable clock in
// lib/platform/retention.db.test.ts.
import { expectWellFormedPage } from './support/page-checks';
import { expect, test } from './support/test';

test('the privacy notice says how long each kind of information is kept', async ({ page, checkAccessibility }) => {
  await page.goto('/privacy');
  await expect(page.getByRole('heading', { level: 2, name: 'How long we keep it' })).toBeVisible();
  const list = page.locator('h2:has-text("How long we keep it") ~ ul').first();
  await expect(list.getByText('we use them for 30 minutes (a blood pressure reading) or up to 1 day (anything else)')).toBeVisible();
  await expect(list.getByText('keep it for 30 days before we delete it for good')).toBeVisible();
  await expect(list.getByText('we keep each one for 2 years')).toBeVisible();
  await expect(list.getByText('we keep them for 30 days after you sign out or are signed out')).toBeVisible();
  await expect(list.getByText('we keep them for 90 days after they arrive')).toBeVisible();
  await expect(list.getByText('feedback you send us: we keep it for 2 years')).toBeVisible();
  await expect(page.getByText('We keep records of who looked at or changed your information for 8 years')).toBeVisible();
  await expectWellFormedPage(page);
  await checkAccessibility(page);
});
