import type { Page } from '@playwright/test';
import { sentTo } from './support/notifications';
import { expectWellFormedPage } from './support/page-checks';
import { signIn } from './support/sign-in';
import { BASE_URL } from './support/site';
import { expect, test } from './support/test';

/**
 * Acting for someone else, the invitation side (issue 22): Vera invites Walt by email, one
 * question a page; the invitation reaches the local GOV.UK Notify with its link; Walt signs in
 * through the real identity provider from that link, accepts, and sees Vera among the people he
 * can act for; Vera sees him listed, changes what he can do and ends it; the link is then used
 * up. Vera Invitewell and Walt Helpwell are used by no other spec, and each project signs in
 * with its own provider, so the two projects are two separate pairs of people to this service.
 */

const VERA = 'vera.invitewell@example.com';
const WALT = 'walt.helpwell@example.com';

/** The invitation link in the message the local Notify was sent for this address. */
async function invitationLink(address: string): Promise<string> {
  const link = new RegExp(`${BASE_URL}/acting-for/invitations/[A-Za-z0-9_-]{43}`);
  let found = '';
  await expect
    .poll(
      async () => {
        const message = (await sentTo(address)).find((sent) => link.test(sent.body));
        found = message?.body.match(link)?.[0] ?? '';
        return found;
      },
      { timeout: 15_000, message: `the invitation sent to ${address}` },
    )
    .not.toBe('');
  return found;
}

/** Submits a form and checks the server refused it (422) with this message on the page and in its summary. */
async function expectRefused(page: Page, button: string, message: string) {
  const refused = page.waitForResponse((response) => response.request().method() === 'POST');
  await page.getByRole('button', { name: button }).click();
  expect((await refused).status()).toBe(422);
  await page.waitForLoadState();
  await expect(page).toHaveTitle(/^Error: /);
  await expect(page.locator('.govuk-error-summary').getByRole('link', { name: message })).toBeVisible();
}

test('a citizen invites someone, who accepts and can act for them; the citizen changes what they can do and ends it', async ({
  browser,
  page,
  checkAccessibility,
  javaScriptEnabled,
}) => {
  test.slow();
  const provider = javaScriptEnabled ? 'onelogin' : 'nhslogin';
  const inviteeEmail = `walt.${provider}.${Date.now().toString(36)}@example.com`;
  const checked = async (on: Page) => {
    await expectWellFormedPage(on);
    await checkAccessibility(on);
  };

  // Vera: her list, then the invitation, a question a page.
  await signIn(page, { provider, email: VERA, from: '/account/people-acting-for-you' });
  await expect(page.locator('h1')).toHaveText('People who can act for you');
  await expect(page.getByText('Nobody can act for you at the moment.')).toBeVisible();
  await checked(page);
  await page.getByRole('button', { name: 'Invite someone' }).click();

  await expect(page).toHaveURL('/account/people-acting-for-you/invite/name');
  await checked(page);
  await expectRefused(page, 'Continue', 'Enter their full name');
  await checked(page);
  await page.getByRole('textbox', { name: 'What is the full name of the person you want to invite?' }).fill('Walt Helpwell');
  await page.getByRole('button', { name: 'Continue' }).click();

  await expect(page).toHaveURL('/account/people-acting-for-you/invite/contact');
  await expect(page.locator('h1')).toHaveText('How should we send the invitation to Walt Helpwell?');
  await page.getByRole('radio', { name: 'Email' }).check();
  await expectRefused(page, 'Continue', 'Enter their email address');
  await checked(page);
  await page.getByRole('textbox', { name: 'If email, their email address' }).fill(inviteeEmail);
  await page.getByRole('button', { name: 'Continue' }).click();

  await expect(page).toHaveURL('/account/people-acting-for-you/invite/permissions');
  await checked(page);
  await page.getByRole('checkbox', { name: 'See your care record' }).check();
  await page.getByRole('checkbox', { name: 'See and add your blood pressure readings' }).check();
  await page.getByRole('button', { name: 'Continue' }).click();

  await expect(page).toHaveURL('/account/people-acting-for-you/invite/how-long');
  await checked(page);
  await page.getByRole('radio', { name: 'Until a date' }).check();
  await page.getByRole('group', { name: 'If until a date, the last day they can act for you' }).getByRole('textbox', { name: 'Year' }).fill('2020');
  await expectRefused(page, 'Continue', 'The date their access ends must include a day and month');
  await checked(page);
  await page.getByRole('radio', { name: 'Until you stop it' }).check();
  await page.getByRole('button', { name: 'Continue' }).click();

  await expect(page).toHaveURL('/account/people-acting-for-you/invite/check-answers');
  const answers = page.locator('.govuk-summary-list');
  await expect(answers).toContainText('Walt Helpwell');
  await expect(answers).toContainText(`Email to ${inviteeEmail}`);
  await expect(answers).toContainText('See your care record');
  await expect(answers).toContainText('Until you stop it');
  await checked(page);
  await page.getByRole('button', { name: 'Send invitation' }).click();

  await expect(page).toHaveURL('/account/people-acting-for-you/invite/sent');
  await expect(page.locator('h1')).toHaveText('Invitation sent');
  await expect(page.getByText(`We sent it to ${inviteeEmail}`)).toBeVisible();
  await checked(page);

  // The message: who sent it and the link, nothing about Vera's health or what Walt may do.
  const link = await invitationLink(inviteeEmail);
  const [message] = await sentTo(inviteeEmail);
  expect(message!.subject).toBe('Vera Invitewell has invited you to act for them');
  expect(message!.body).toContain('Dear Walt Helpwell');
  expect(message!.body).not.toMatch(/blood pressure|see your care record/i);

  // Vera cannot accept her own invitation.
  await page.goto(link);
  await expect(page.locator('h1')).toHaveText('You cannot accept your own invitation');
  await checked(page);

  // Walt, in a browser of his own, opens the link, signs in (registering the first time) and accepts.
  const waltContext = await browser.newContext({ javaScriptEnabled });
  try {
    const walt = await waltContext.newPage();
    await signIn(walt, { provider, email: WALT, from: new URL(link).pathname });
    await expect(walt.locator('h1')).toHaveText('Vera Invitewell has invited you to act for them');
    await expect(walt.getByRole('list').filter({ hasText: 'See your care record' })).toContainText('See and add your blood pressure readings');
    await checked(walt);
    await expectRefused(walt, 'Continue', 'Select yes if you want to act for Vera Invitewell');
    await checked(walt);
    await walt.getByRole('radio', { name: 'Yes' }).check();
    await walt.getByRole('button', { name: 'Continue' }).click();

    await expect(walt).toHaveURL(/\/acting-for\?accepted=/);
    await expect(walt.locator('h1')).toHaveText('People you can act for');
    await expect(walt.getByText('You can now act for Vera Invitewell.')).toBeVisible();
    await checked(walt);

    // Vera sees him listed, with what he can do, and changes it.
    await page.goto('/account/people-acting-for-you');
    const card = page.locator('.govuk-summary-card', { hasText: 'Walt Helpwell' });
    await expect(card).toContainText('See and add your blood pressure readings');
    await checked(page);
    await card.getByRole('link', { name: 'Change or stop Walt Helpwell' }).click();
    await expect(page.locator('h1')).toHaveText('Walt Helpwell');
    await checked(page);
    await page.getByRole('link', { name: 'Change what they can do' }).click();
    await expect(page.locator('h1')).toHaveText('What can Walt Helpwell do for you?');
    await checked(page);
    await page.getByRole('checkbox', { name: 'See your care record' }).uncheck();
    await page.getByRole('checkbox', { name: 'See and add your blood pressure readings' }).uncheck();
    await expectRefused(page, 'Save changes', 'Select what they can do for you');
    await checked(page);
    await page.getByRole('checkbox', { name: 'See your care record' }).check();
    await page.getByRole('checkbox', { name: 'Manage who you share your information with' }).check();
    await page.getByRole('button', { name: 'Save changes' }).click();
    await expect(page.getByText('What Walt Helpwell can do has been changed.')).toBeVisible();
    await expect(page.locator('.govuk-summary-list')).toContainText('Manage who you share your information with');
    await expect(page.locator('.govuk-summary-list')).not.toContainText('See and add your blood pressure readings');
    await checked(page);

    // Walt acts for Vera in his browser (from the next page the service is hers: lib/identity).
    await walt.goto('/acting-for');
    await expect(walt.locator('.govuk-summary-card', { hasText: 'Vera Invitewell' })).toContainText('Manage who you share your information with');
    await walt.getByRole('button', { name: 'Act for Vera Invitewell' }).click();
    await expect(walt).toHaveURL('/account');

    // Vera ends it: his browser stops acting for her at once.
    await page.getByRole('button', { name: 'Stop Walt Helpwell acting for you' }).click();
    await expect(page.locator('h1')).toHaveText('Are you sure you want to stop Walt Helpwell acting for you?');
    await checked(page);
    await page.getByRole('button', { name: 'Stop access' }).click();
    await expect(page).toHaveURL(/\/account\/people-acting-for-you\?ended=/);
    await expect(page.getByText('Walt Helpwell can no longer act for you.')).toBeVisible();
    await expect(page.getByText('Nobody can act for you at the moment.')).toBeVisible();
    await expect(page.getByRole('table', { name: 'Past invitations and access' })).toContainText('Ended');
    await checked(page);

    // His next page tells him so (he was acting for her), then he acts for nobody.
    await walt.goto('/acting-for');
    await expect(walt.locator('h1')).toHaveText('You can no longer act for this person');
    await checked(walt);
    await walt.getByRole('link', { name: 'See the people you can act for' }).click();
    await expect(walt.getByText('You cannot act for anyone yet.')).toBeVisible();
    await expect(walt.getByText(/You are acting for/)).toHaveCount(0);

    // The link was used once: it says so.
    await walt.goto(link);
    await expect(walt.locator('h1')).toHaveText('This invitation has already been used');
    await checked(walt);
  } finally {
    await waltContext.close();
  }
});
