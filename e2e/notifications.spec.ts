import type { Locator, Page } from '@playwright/test';
import { uniqueText } from './support/database';
import { councilActivity } from './support/engagement';
import { invitableCitizenByEmail, sentTo } from './support/notifications';
import { expectWellFormedPage } from './support/page-checks';
import { BASE_URL, NOTIFY_URL } from './support/site';
import { staffSignIn } from './support/staff';
import { expect, test } from './support/test';

/**
 * Notifications through GOV.UK Notify (lib/notifications), here the local stand-in
 * (scripts/notify/server.ts): a citizen who chose email is emailed when a coordinator invites
 * them to have their say, through the outbox and the worker, with nothing about their health
 * and not the activity's title. Each project (JavaScript on and off) has its own citizen and activity.
 */

test('a citizen who chose email is emailed, once, when invited to have their say', async ({ page, checkAccessibility }) => {
  test.setTimeout(180_000);
  const check = async () => {
    await expectWellFormedPage(page);
    await checkAccessibility(page);
  };
  const label = uniqueText('e2e');
  const citizen = invitableCitizenByEmail(label);
  const title = councilActivity(label);

  await staffSignIn(page, 'priya.connector@staff.example.org');
  await page.goto('/staff/engagement');
  await page.getByRole('link', { name: title }).click();
  await expect(page.locator('h1')).toHaveText(title);
  await check();
  // The page asks for them to be sent; the worker sends them (it looks every few seconds), and the
  // page says so until then: refreshed, it says how many people were invited.
  await pressAndWait(page, page.getByRole('button', { name: 'Send invitations' }));
  await expect(page.locator('h1')).toHaveText(title);
  await check();
  await refreshUntilInvited(page);
  await check();

  // The worker sends it to Notify soon after (it looks every WORKER_POLL_MS).
  await expect.poll(async () => (await sentTo(citizen.email)).length, { timeout: 30_000 }).toBe(1);
  const [email] = await sentTo(citizen.email);
  expect(email).toMatchObject({ type: 'email', templateName: 'engagement-invitation (email)', subject: 'You are invited to have your say' });
  expect(email!.body).toContain(`Dear ${citizen.givenName}`);
  expect(email!.body).toContain('Demo City Council would like to hear from you');
  expect(email!.body).toContain(`${BASE_URL}/engagement`);
  // Only a name, an organisation, the service and a link: never the activity, never health details.
  expect(Object.keys(email!.personalisation).sort()).toEqual(['first_name', 'link', 'sender', 'service_name']);
  expect(email!.body).not.toContain(title);

  // Sending again (if someone else has become invitable meanwhile) invites her no second time: no second email.
  const again = page.getByRole('button', { name: 'Send invitations' });
  if ((await again.count()) > 0) {
    await pressAndWait(page, again);
    await refreshUntilInvited(page);
  }
  await page.waitForTimeout(2_000);
  expect(await sentTo(citizen.email)).toHaveLength(1);

  // The local Notify's own page (a development tool, not a page of the service) lists it.
  const list = await page.request.get(`${NOTIFY_URL}/`);
  expect(await list.text()).toContain(citizen.email);
});

/** Presses a button and waits for the page it leads to (the same address as before, the second time). */
async function pressAndWait(page: Page, button: Locator) {
  const loaded = page.waitForEvent('load');
  await button.click();
  await loaded;
}

/**
 * After "Send invitations": the page says they are being sent, with a link to refresh it, until
 * the worker has sent them; then it says how many people were invited.
 */
async function refreshUntilInvited(page: Page) {
  const invited = page.locator('.govuk-notification-banner--success');
  await expect(async () => {
    if ((await invited.count()) === 0) {
      await expect(page.locator('.govuk-notification-banner')).toContainText('The invitations are being sent');
      // Not offered again while they are being sent.
      await expect(page.getByRole('button', { name: 'Send invitations' })).toHaveCount(0);
      await page.getByRole('link', { name: 'Refresh the page' }).click();
    }
    await expect(invited).toContainText('invited', { timeout: 1_000 });
  }).toPass({ timeout: 30_000 });
}
