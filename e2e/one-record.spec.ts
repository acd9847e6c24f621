import { accountOf } from './support/care-record';
import { expectWellFormedPage } from './support/page-checks';
import { staffBrowser } from './support/sharing';
import { signIn } from './support/sign-in';
import { expect, test } from './support/test';

/**
 * One person, one record: the care record is found only with what the identity provider
 * verified. A One Login citizen's is found by the name, birth date and address One Login
 * checked (nothing is asked of them); another person with the same name and birth date, who
 * lives elsewhere, is shown nothing; and the citizen's GP practice sees them as in its care.
 * Both projects run these at once: each step holds whichever of them gets there first.
 */

const AMELIA = 'amelia.testwell@example.com';
/** Amelia's subject at the demo One Login (scripts/oidc-provider/users.ts). */
const AMELIA_ONE_LOGIN_SUB = 'urn:fdc:gov.uk:2022:demo-citizen-0001';
/** Another Nadia Blankley, born the same day as the one in the care record, verified at another address. */
const OTHER_NADIA = 'nadia.blankley@example.com';
const NO_MATCH = 'We could not find your care record';

test('a One Login citizen sees their care record without being asked for anything', async ({ page, checkAccessibility }) => {
  test.slow();
  await signIn(page, { provider: 'onelogin', email: AMELIA, from: '/care-record' });
  await expect(page).toHaveURL('/care-record');
  await expect(page.locator('h1')).toHaveText('Your care record');
  // No question on the way: no postcode or anything else to type.
  await expect(page.getByRole('main').getByRole('textbox')).toHaveCount(0);
  await expectWellFormedPage(page);
  await checkAccessibility(page);

  await page.getByRole('link', { name: 'View allergies' }).click();
  await expect(page.locator('h1')).toHaveText('Allergies');
  await expect(page.getByRole('main')).toContainText('Allergy to penicillin');

  // The page that once asked for a postcode is gone.
  expect((await page.goto('/care-record/find-your-record'))?.status()).toBe(404);
});

test('someone else with the same name and date of birth sees no record, and is told what to do', async ({ page, checkAccessibility }) => {
  test.slow();
  await signIn(page, { provider: 'onelogin', email: OTHER_NADIA, from: '/care-record' });
  await expect(page).toHaveURL('/care-record');
  await expect(page.locator('h1')).toHaveText(NO_MATCH);
  const main = page.getByRole('main');
  await expect(main).toContainText('as GOV.UK One Login checked them');
  await expect(main).toContainText('we have not shown you anything');
  await expect(main.getByRole('link', { name: 'add NHS login to your account' })).toHaveAttribute('href', '/account/sign-in-methods');
  await expect(main.getByRole('textbox')).toHaveCount(0);
  await expectWellFormedPage(page);
  await checkAccessibility(page);

  // "Check again" looks with the same verified details: still nothing.
  await page.getByRole('button', { name: 'Check again' }).click();
  await expect(page.locator('h1')).toHaveText(NO_MATCH);
  await checkAccessibility(page);

  // No section of anyone's record either.
  await page.goto('/care-record/medicines');
  await expect(page).toHaveURL('/care-record');
  await expect(page.locator('h1')).toHaveText(NO_MATCH);
  await expect(page.getByRole('main')).not.toContainText('Health problems');
});

test('the GP practice of a One Login citizen sees them as in its care', async ({ page, browser, javaScriptEnabled, checkAccessibility }) => {
  test.slow();
  await signIn(page, { provider: 'onelogin', email: AMELIA });
  const citizenId = accountOf('onelogin', AMELIA_ONE_LOGIN_SUB);
  // Grace works at Demo Lane Surgery, Amelia's GP practice in the care record.
  const staff = await staffBrowser(browser, 'grace', javaScriptEnabled);
  try {
    await staff.goto(`/staff/citizens/${citizenId}`);
    await expect(staff.locator('h1')).toHaveText('Amelia Testwell');
    await expect(staff.getByText('You cannot see this person’s information')).toHaveCount(0);
    await expect(staff.getByRole('button', { name: 'Use emergency access' })).toHaveCount(0);
    await expectWellFormedPage(staff);
    await checkAccessibility(staff);
  } finally {
    await staff.context().close();
  }
});
