import { deliveryStatus, failedDelivery, receivedBy } from './support/contact-details';
import { uniqueText } from './support/database';
import { expectWellFormedPage } from './support/page-checks';
import { BASE_URL } from './support/site';
import { createCitizen, staffBrowser } from './support/sharing';
import { expect, test } from './support/test';

/**
 * Changes of address that did not reach an organisation: programme staff see them and send them
 * again, and the organisation gets them (once, by the same idempotency key).
 */

test('a programme administrator sees a change that was not delivered and sends it again', async ({ browser, javaScriptEnabled, checkAccessibility }) => {
  test.slow();
  const familyName = uniqueText('Undelivered').replace(/\s/g, '-');
  const citizen = createCitizen({ givenName: 'Nadia', familyName, birthDate: '1975-05-05', nhsNumber: null });
  const { id, key } = failedDelivery(citizen.id);

  const admin = await staffBrowser(browser, 'sam', javaScriptEnabled);
  await admin.goto('/staff');
  await admin.getByRole('link', { name: 'Changes not delivered' }).click();
  await expect(admin).toHaveURL('/staff/deliveries');
  await expect(admin.locator('h1')).toHaveText('Changes not delivered');
  const card = admin.locator('.govuk-summary-card', { hasText: familyName });
  await expect(card.locator('h2')).toHaveText(`Change of address for Nadia ${familyName}`);
  await expect(card).toContainText('Leeds City Council');
  await expect(card).toContainText('HTTP 503');
  await expectWellFormedPage(admin);
  await checkAccessibility(admin);

  await admin.getByRole('button', { name: `Send again the change of address for Nadia ${familyName} to Leeds City Council` }).click();
  await expect(admin).toHaveURL('/staff/deliveries?sent-again=1');
  await expect(admin.locator('.govuk-notification-banner--success')).toContainText('We are sending the change again.');
  await expectWellFormedPage(admin);
  await checkAccessibility(admin);

  await expect.poll(() => deliveryStatus(id), { timeout: 30_000 }).toBe('delivered');
  expect((await receivedBy('council')).filter((change) => change.key === key)).toHaveLength(1);
  await admin.goto('/staff/deliveries');
  await expect(admin.locator('.govuk-summary-card', { hasText: familyName })).toHaveCount(0);

  await admin.context().close();
});

test('only programme administrators see changes not delivered, and sending again needs the form token', async ({ browser, javaScriptEnabled }) => {
  const citizen = createCitizen({ givenName: 'Nadia', familyName: uniqueText('Refused').replace(/\s/g, '-'), birthDate: '1975-05-05', nhsNumber: null });
  const { id } = failedDelivery(citizen.id);
  const grace = await staffBrowser(browser, 'grace', javaScriptEnabled);
  expect((await grace.goto('/staff/deliveries'))?.status()).toBe(403);
  await grace.context().close();

  const admin = await staffBrowser(browser, 'sam', javaScriptEnabled);
  // No token (as from another site's form): refused, and the change stays failed.
  const forged = await admin.request.post(`/staff/deliveries/${id}/send-again`, { form: {}, headers: { origin: BASE_URL }, maxRedirects: 0 });
  expect(forged.status()).toBe(403);
  expect(deliveryStatus(id)).toBe('failed');
  await admin.context().close();
});
