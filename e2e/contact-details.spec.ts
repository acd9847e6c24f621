import type { Page } from '@playwright/test';
import { addressesOf, postToDigitalSwitchesOf, preferenceOf, receivedBy } from './support/contact-details';
import { expectWellFormedPage } from './support/page-checks';
import { signIn } from './support/sign-in';
import { expect, test } from './support/test';

/**
 * Contact preferences and change of address (lib/contact-details). Amelia has a separate
 * account at each provider: the js-on project uses her One Login one, js-off her NHS login
 * one, and the tests in this file run one after another, so each works on details no other
 * test changes at the same time.
 */
test.describe.configure({ mode: 'serial' });

const EMAIL = 'amelia.testwell@example.com';
const SUMMARY = '/about-me/contact-preferences';

const providerFor = (javaScriptEnabled: boolean) => (javaScriptEnabled ? 'onelogin' : 'nhslogin');

async function submit(page: Page, button: string, expectedStatus: number) {
  const response = page.waitForResponse((r) => r.request().method() === 'POST');
  await page.getByRole('button', { name: button }).click();
  expect((await response).status()).toBe(expectedStatus);
  await page.waitForLoadState();
}

async function expectErrors(page: Page, errors: { text: string; href: string }[]) {
  await expect(page).toHaveTitle(/^Error: /);
  const links = page.locator('.govuk-error-summary').getByRole('link');
  await expect(links).toHaveText(errors.map((error) => error.text));
  for (const [index, { text, href }] of errors.entries()) {
    await expect(links.nth(index)).toHaveAttribute('href', href);
    await expect(page.locator(`${href}-error`)).toHaveText(`Error: ${text}`);
  }
}

async function expectReceivedByBoth(page: Page) {
  const statuses = page.locator('.govuk-summary-list').last();
  // Delivery normally finishes before the page is shown; if not, it says "Sending" and a reload catches up.
  await expect
    .poll(async () => {
      const text = await statuses.innerText();
      if (!text.includes('Received') || text.includes('Sending')) await page.reload();
      return statuses.locator('.govuk-tag').allInnerTexts();
    })
    .toEqual(['Received', 'Received']);
  await expect(statuses.locator('dt')).toHaveText(['Your GP practice and the Leeds Care Record', 'Leeds City Council']);
}

test('choosing email instead of letters, and fewer letters from the council, is counted and sent to both organisations', async ({
  page,
  checkAccessibility,
  javaScriptEnabled,
}) => {
  // Many pages, each checked with axe: longer than the default on a busy 2-core machine.
  test.setTimeout(300_000);
  const provider = providerFor(javaScriptEnabled);
  const email = `amelia.${provider}@example.com`;
  const checked = async () => {
    await expectWellFormedPage(page);
    await checkAccessibility(page);
  };
  await signIn(page, { provider, email: EMAIL, from: SUMMARY });
  await expect(page.locator('h1')).toHaveText('Your contact details');
  await expect(page.getByText('Until you choose, we will write to you by post.')).toBeVisible();
  await checked();

  await page.getByRole('link', { name: 'Add how you want to be contacted' }).click();
  await expect(page).toHaveURL('/about-me/contact-preferences/how-to-contact-you');
  await checked();

  // Nothing chosen; then email, with no address, then one in the wrong format with HTML in it.
  await submit(page, 'Continue', 422);
  await expectErrors(page, [{ text: 'Select how you would like to be contacted', href: '#channel' }]);
  await checked();
  await page.getByRole('radio', { name: 'Email' }).check();
  await submit(page, 'Continue', 303);
  await expect(page).toHaveURL('/about-me/contact-preferences/email-address');
  await checked();
  const emailField = page.getByRole('textbox', { name: 'What is your email address?' });
  await submit(page, 'Continue', 422);
  await expectErrors(page, [{ text: 'Enter your email address', href: '#email' }]);
  await emailField.fill('<script>alert(1)</script>');
  await submit(page, 'Continue', 422);
  await expectErrors(page, [{ text: 'Enter an email address in the correct format, like name@example.com', href: '#email' }]);
  await expect(emailField).toHaveValue('<script>alert(1)</script>');
  await checked();
  expect(preferenceOf('Amelia', provider)).toBeUndefined();

  await emailField.fill(email);
  await submit(page, 'Continue', 303);
  await expect(page).toHaveURL('/about-me/contact-preferences/fewer-letters');
  await checked();
  await submit(page, 'Continue', 422);
  await expectErrors(page, [
    { text: 'Select which organisations should send you fewer letters, or select that you want letters as usual', href: '#fewerLetters' },
  ]);
  await checked();
  await page.getByRole('checkbox', { name: 'Leeds City Council' }).check();
  await submit(page, 'Continue', 303);

  await expect(page).toHaveURL('/about-me/contact-preferences/check-answers');
  await expect(page.locator('.govuk-summary-list__value')).toHaveText([`Email: ${email}`, 'Leeds City Council']);
  await checked();
  await submit(page, 'Save contact preferences', 303);

  await expect(page).toHaveURL('/about-me/contact-preferences/confirmation');
  await expect(page.locator('.govuk-panel__title')).toHaveText('Contact preferences saved');
  await expectReceivedByBoth(page);
  await checked();
  expect(preferenceOf('Amelia', provider)).toEqual({ channel: 'email', email, mobile: null });
  // Letters by post were the default: this is a switch to digital, counted for the benefits case.
  expect(postToDigitalSwitchesOf('Amelia', provider)).toEqual([{ toChannel: 'email' }]);
  const council = (await receivedBy('council')).filter((change) => change.body.email === email);
  const careRecord = (await receivedBy('care-record')).filter((change) => change.body.email === email);
  expect(council.map((change) => change.body.fewerLetters)).toEqual([true]);
  expect(careRecord.map((change) => change.body.fewerLetters)).toEqual([false]);

  // Changing only the channel goes straight back to check answers; text to email is not another switch.
  await page.goto(SUMMARY);
  await page.getByRole('link', { name: 'Change how you want to be contacted' }).click();
  await expect(page.getByRole('radio', { name: 'Email' })).toBeChecked();
  await page.getByRole('radio', { name: 'Text message' }).check();
  await submit(page, 'Continue', 303);
  await expect(page).toHaveURL('/about-me/contact-preferences/mobile-number');
  const mobileField = page.getByRole('textbox', { name: 'What is your UK mobile phone number?' });
  await mobileField.fill('0113 222 4444');
  await submit(page, 'Continue', 422);
  await expectErrors(page, [{ text: 'Enter a UK mobile phone number, like 07700 900 982', href: '#mobile' }]);
  await checked();
  await mobileField.fill('+44 7700 900 101');
  await submit(page, 'Continue', 303);
  await expect(page).toHaveURL('/about-me/contact-preferences/check-answers');
  await submit(page, 'Save contact preferences', 303);
  await expectReceivedByBoth(page);
  expect(preferenceOf('Amelia', provider)).toEqual({ channel: 'text', email: null, mobile: '07700 900101' });
  expect(postToDigitalSwitchesOf('Amelia', provider)).toEqual([{ toChannel: 'email' }]);
});

test('changing address by postcode lookup, with bad input first; each organisation receives it once', async ({
  page,
  checkAccessibility,
  javaScriptEnabled,
}) => {
  // Many pages, each checked with axe: longer than the default on a busy 2-core machine.
  test.setTimeout(300_000);
  const provider = providerFor(javaScriptEnabled);
  const checked = async () => {
    await expectWellFormedPage(page);
    await checkAccessibility(page);
  };
  await signIn(page, { provider, email: EMAIL, from: SUMMARY });
  const before = addressesOf('Amelia', provider).length;
  await page.getByRole('link', { name: /^(Add|Change) address$/ }).click();
  await expect(page).toHaveURL('/about-me/address/postcode');
  await expect(page.locator('h1')).toHaveText('Find your address');
  await checked();

  await submit(page, 'Find address', 422);
  await expectErrors(page, [{ text: 'Enter a postcode', href: '#postcode' }]);
  await checked();
  await page.getByRole('textbox', { name: 'Postcode' }).fill('LS1');
  await page.getByRole('textbox', { name: 'Building number or name (optional)' }).fill('x'.repeat(61));
  await submit(page, 'Find address', 422);
  await expectErrors(page, [
    { text: 'Enter a full UK postcode, like LS1 6AB', href: '#postcode' },
    { text: 'Building number or name must be 60 characters or less', href: '#building' },
  ]);
  await checked();

  // A postcode with no addresses: manual entry is offered.
  await page.getByRole('textbox', { name: 'Postcode' }).fill('sw1a1aa');
  await page.getByRole('textbox', { name: 'Building number or name (optional)' }).fill('');
  await submit(page, 'Find address', 303);
  await expect(page.locator('h1')).toHaveText('No address found');
  await expect(page.getByText('We could not find an address for SW1A 1AA.')).toBeVisible();
  await expect(page.getByRole('link', { name: 'enter the address manually' })).toHaveAttribute('href', '/about-me/address/manual');
  await checked();
  await page.getByRole('link', { name: 'search again' }).click();

  await page.getByRole('textbox', { name: 'Postcode' }).fill(' ls1 6zz ');
  await submit(page, 'Find address', 303);
  await expect(page).toHaveURL('/about-me/address/select');
  await expect(page.getByRole('radio')).toHaveCount(10);
  await checked();
  await submit(page, 'Use this address', 422);
  await expectErrors(page, [{ text: 'Select your address', href: '#address' }]);
  await checked();
  expect(addressesOf('Amelia', provider)).toHaveLength(before);

  const line1 = javaScriptEnabled ? '3 Sample Street' : '5 Sample Street';
  await page.getByRole('radio', { name: `${line1}, Leeds` }).check();
  await submit(page, 'Use this address', 303);
  await expect(page).toHaveURL('/about-me/address/check-answers');
  await expect(page.locator('.govuk-summary-list__value')).toHaveText(`${line1}LeedsLS1 6ZZ`);
  await checked();
  await submit(page, 'Confirm new address', 303);

  await expect(page).toHaveURL('/about-me/address/confirmation');
  await expect(page.locator('.govuk-panel__title')).toHaveText('Address changed');
  await expectReceivedByBoth(page);
  await checked();
  expect(addressesOf('Amelia', provider).at(-1)).toEqual({ line1, postcode: 'LS1 6ZZ', source: 'lookup' });
  for (const organisation of ['care-record', 'council'] as const) {
    const changes = (await receivedBy(organisation)).filter((change) => (change.body.address as { line1?: string } | undefined)?.line1 === line1);
    expect(changes, organisation).toHaveLength(1);
  }

  // Going back to confirm again (the browser's back button, a double click) changes nothing more.
  const again = await page.request.get('/about-me/address/check-answers', { maxRedirects: 0 });
  expect(again.status()).toBe(303);
  expect(again.headers().location).toBe('/about-me/address/postcode');
  expect(addressesOf('Amelia', provider)).toHaveLength(before + 1);
});

test('entering an address by hand: every field checked, HTML kept as text, and no one else sees it', async ({
  page,
  browser,
  checkAccessibility,
  javaScriptEnabled,
}) => {
  // Many pages, each checked with axe: longer than the default on a busy 2-core machine.
  test.setTimeout(300_000);
  const provider = providerFor(javaScriptEnabled);
  const checked = async () => {
    await expectWellFormedPage(page);
    await checkAccessibility(page);
  };
  await signIn(page, { provider, email: EMAIL, from: '/about-me/address/postcode' });
  const before = addressesOf('Amelia', provider).length;
  await page.getByRole('link', { name: 'Enter the address manually' }).click();
  await expect(page).toHaveURL('/about-me/address/manual');
  await checked();

  const field = (name: string | RegExp) => page.getByRole('textbox', { name });
  for (const name of [/^Address line 1/, 'Address line 2 (optional)', 'Town or city', 'County (optional)', 'Postcode']) await field(name).fill('');
  await submit(page, 'Continue', 422);
  await expectErrors(page, [
    { text: 'Enter address line 1, typically the building and street', href: '#line1' },
    { text: 'Enter town or city', href: '#town' },
    { text: 'Enter a postcode', href: '#postcode' },
  ]);
  await checked();

  await field(/^Address line 1/).fill('x'.repeat(101));
  await field('Town or city').fill('Leeds');
  await field('Postcode').fill('ABC 123');
  await submit(page, 'Continue', 422);
  await expectErrors(page, [
    { text: 'Address line 1 must be 100 characters or less', href: '#line1' },
    { text: 'Enter a full UK postcode, like LS1 6AB', href: '#postcode' },
  ]);
  await checked();
  expect(addressesOf('Amelia', provider)).toHaveLength(before);

  const line1 = `<script>alert("${provider}")</script> Flat 9`;
  await field(/^Address line 1/).fill(line1);
  await field('Address line 2 (optional)').fill('<b>Testing</b> Lane');
  await field('Postcode').fill('ls69zz');
  await submit(page, 'Continue', 303);
  await expect(page).toHaveURL('/about-me/address/check-answers');
  await expect(page.locator('.govuk-summary-list__value')).toHaveText(`${line1}<b>Testing</b> LaneLeedsLS6 9ZZ`);
  await expect(page.locator('main script, main b')).toHaveCount(0);
  await checked();
  await submit(page, 'Confirm new address', 303);
  await expectReceivedByBoth(page);
  await expect(page.locator('#new-address')).toHaveText(`${line1}<b>Testing</b> LaneLeedsLS6 9ZZ`);
  await expect(page.locator('main script, main b')).toHaveCount(0);
  expect(addressesOf('Amelia', provider).at(-1)).toEqual({ line1, postcode: 'LS6 9ZZ', source: 'manual' });

  await page.goto(SUMMARY);
  await expect(page.getByText(line1)).toBeVisible();
  await expect(page.locator('.govuk-tag')).not.toHaveCount(0);
  await checked();

  // Amelia's other account (another person to this service) sees none of it, and no page takes an id to ask for it.
  const other = await browser.newContext({ javaScriptEnabled });
  try {
    const otherPage = await other.newPage();
    await signIn(otherPage, { provider: provider === 'onelogin' ? 'nhslogin' : 'onelogin', email: EMAIL, from: SUMMARY });
    await expect(otherPage.locator('h1')).toHaveText('Your contact details');
    await expect(otherPage.getByText(line1)).toHaveCount(0);
    await otherPage.goto('/about-me/address/check-answers');
    await expect(otherPage.getByText(line1)).toHaveCount(0);
  } finally {
    await other.close();
  }
});

test('every contact details page is for the signed-in citizen only', async ({ page }) => {
  for (const path of [SUMMARY, '/about-me/contact-preferences/how-to-contact-you', '/about-me/address/postcode', '/about-me/address/confirmation']) {
    const response = await page.request.get(path, { maxRedirects: 0 });
    expect(response.status(), path).toBe(303);
    expect(response.headers().location, path).toBe(`/sign-in?returnTo=${encodeURIComponent(path)}`);
  }
});
