import type { Browser, Page } from '@playwright/test';
import Database from 'better-sqlite3';
import { isValidNhsNumber } from '../lib/platform/nhs-number';
import { expectWellFormedPage } from './support/page-checks';
import { citizenSession, createCitizen, signedIn } from './support/sharing';
import { signIn } from './support/sign-in';
import { BASE_URL, DATABASE_FILE } from './support/site';
import { staffSignIn } from './support/staff';
import { expect, test } from './support/test';

/**
 * A parent's (or an attorney's) request to act for someone, checked by a proxy verifier, with
 * JavaScript on and off and axe on every page: the parent asks, one question a page; Vera, a
 * proxy verifier at the GP practice, signs in as staff and grants it (or refuses it, with a
 * reason); the parent sees the outcome. The answers wait in one draft per account until check
 * answers, so no two tests ask as the same person at once: the granting journey signs in as Nora
 * Parentwell with JavaScript on and Owen Parentwell with it off (scripts/oidc-provider/users.ts);
 * the refusal's attorney is an account of its own, signed in straight in the database.
 */

const PARENTS = {
  on: { email: 'nora.parentwell@example.com', name: 'Nora Parentwell' },
  off: { email: 'owen.parentwell@example.com', name: 'Owen Parentwell' },
};
const VERIFIER = 'vera.checkley@staff.example.org';

// Long journeys, two browsers, axe on every page, on a shared 2-core machine.
test.describe.configure({ timeout: 300_000 });

/** A family name no other test uses, in letters only (names never hold digits). */
function uniqueFamilyName(): string {
  const letters = Array.from({ length: 8 }, () => String.fromCharCode(97 + Math.floor(Math.random() * 26))).join('');
  return `Test${letters}`;
}

/** A made-up NHS number (999 numbers are never issued) with a right check digit. */
function madeUpNhsNumber(): string {
  for (;;) {
    const nine = `999${String(Math.floor(Math.random() * 1_000_000)).padStart(6, '0')}`;
    for (let check = 0; check <= 9; check += 1) if (isValidNhsNumber(`${nine}${check}`)) return `${nine}${check}`;
  }
}

/** What the e2e database holds for the request for the person with this family name. */
function storedRequest(familyName: string): { status: string; permissions: string; decisionReason: string | null; heldForPersonSince: unknown } | undefined {
  const db = new Database(DATABASE_FILE, { readonly: true, fileMustExist: true });
  try {
    return db
      .prepare(
        'SELECT a.status, a.permissions, a."decisionReason", u."heldForPersonSince" FROM "ProxyAccess" a JOIN "User" u ON u.id = a."personId" WHERE u."familyName" = ?',
      )
      .get(familyName) as ReturnType<typeof storedRequest>;
  } finally {
    db.close();
  }
}

type Person = { givenName: string; familyName: string; born: Date; nhsNumber: string };

/** The signed-in parent or attorney asks to act for the person, page by page, sending some questions with mistakes first. */
async function askToActFor(page: Page, check: (page: Page) => Promise<void>, relationship: 'parent' | 'attorney', person: Person) {
  await expect(page.locator('h1')).toHaveText('Your requests to act for someone');
  await check(page);
  await page.getByRole('button', { name: 'Ask to act for someone' }).click();

  await expect(page).toHaveURL('/acting-for/request/relationship');
  await check(page);
  await page.getByRole('button', { name: 'Continue' }).click();
  await expect(page).toHaveTitle(/^Error: /);
  await expect(page.locator('.govuk-error-summary')).toContainText('Select whether you are their parent or guardian, or their attorney or deputy');
  await check(page);
  await page.getByRole('radio', { name: relationship === 'parent' ? 'Parent or guardian of a child under 16' : /^Attorney or deputy/ }).check();
  await page.getByRole('button', { name: 'Continue' }).click();

  await expect(page).toHaveURL('/acting-for/request/their-details');
  await check(page);
  await page.getByRole('textbox', { name: 'First name' }).fill(person.givenName);
  await page.getByRole('textbox', { name: 'Last name' }).fill(person.familyName);
  await page.getByRole('textbox', { name: 'Day' }).fill(String(person.born.getUTCDate()));
  await page.getByRole('textbox', { name: 'Month' }).fill(String(person.born.getUTCMonth() + 1));
  await page.getByRole('textbox', { name: 'Year' }).fill(String(person.born.getUTCFullYear()));
  await page.getByRole('textbox', { name: 'NHS number' }).fill('999 000');
  await page.getByRole('button', { name: 'Continue' }).click();
  await expect(page.locator('.govuk-error-summary')).toContainText('NHS number must be 10 digits');
  await check(page);
  await page.getByRole('textbox', { name: 'NHS number' }).fill(person.nhsNumber);
  await page.getByRole('button', { name: 'Continue' }).click();

  await expect(page).toHaveURL('/acting-for/request/evidence');
  await check(page);
  if (relationship === 'parent') {
    await page.getByRole('radio', { name: 'Their birth certificate, naming you as a parent' }).check();
  } else {
    await page.getByRole('radio', { name: 'A lasting power of attorney for health and welfare' }).check();
    await page.getByRole('textbox', { name: 'Which GP practice are they registered with?' }).fill('Demo Lane Surgery');
    await page.getByRole('button', { name: 'Continue' }).click();
    await expect(page.locator('.govuk-error-summary')).toContainText('Enter the reference number of the lasting power of attorney');
    await check(page);
    await page.getByRole('textbox', { name: 'Reference number' }).fill('7000-1234-5678');
  }
  await page.getByRole('textbox', { name: 'Which GP practice are they registered with?' }).fill('Demo Lane Surgery');
  await page.getByRole('button', { name: 'Continue' }).click();

  await expect(page).toHaveURL('/acting-for/request/permissions');
  await check(page);
  await page.getByRole('checkbox', { name: 'See their care record' }).check();
  await page.getByRole('checkbox', { name: 'See and add their blood pressure readings' }).check();
  await page.getByRole('button', { name: 'Continue' }).click();

  await expect(page).toHaveURL('/acting-for/request/check-answers');
  await expect(page.getByRole('main')).toContainText(`${person.givenName} ${person.familyName}`);
  await check(page);
  await page.getByRole('button', { name: 'Send request' }).click();
  await expect(page).toHaveURL('/acting-for/request/sent');
  await expect(page.locator('h1')).toHaveText('Request sent');
  await check(page);
}

/** Vera, in a browser of her own, signs in as staff and opens the request from `from` for the person. */
async function verifierOpens(browser: Browser, javaScriptEnabled: boolean, check: (page: Page) => Promise<void>, from: string, person: Person): Promise<Page> {
  const context = await browser.newContext({ baseURL: BASE_URL, javaScriptEnabled });
  const staff = await context.newPage();
  await staffSignIn(staff, VERIFIER, { check });
  await staff.getByRole('link', { name: 'Requests to act for someone' }).click();
  await expect(staff).toHaveURL('/staff/proxy-requests');
  await check(staff);
  await staff.getByRole('link', { name: `${from} asks to act for ${person.givenName} ${person.familyName}` }).click();
  await expect(staff.locator('h1')).toHaveText(`Request to act for ${person.givenName} ${person.familyName}`);
  await check(staff);
  return staff;
}

/** The card for the person on the list of requests of whoever asked. */
const cardFor = (page: Page, person: Person) =>
  page.locator('.govuk-summary-card').filter({ has: page.getByRole('heading', { name: `${person.givenName} ${person.familyName}` }) });

test('a parent asks to act for their child, a proxy verifier grants part of it, and it ends when the child turns 16', async ({
  page,
  browser,
  javaScriptEnabled,
  checkAccessibility,
}) => {
  const check = async (p: Page) => {
    await expectWellFormedPage(p);
    await checkAccessibility(p);
  };
  // 16 in 30 days.
  const today = new Date();
  const born = new Date(Date.UTC(today.getUTCFullYear() - 16, today.getUTCMonth(), today.getUTCDate() + 30));
  const child: Person = { givenName: 'Poppy', familyName: uniqueFamilyName(), born, nhsNumber: madeUpNhsNumber() };
  const parent = PARENTS[javaScriptEnabled ? 'on' : 'off'];
  await signIn(page, { provider: 'nhslogin', email: parent.email, from: '/acting-for/requests' });
  await askToActFor(page, check, 'parent', child);
  await page.getByRole('link', { name: 'your requests to act for someone' }).click();
  await expect(cardFor(page, child)).toContainText('Waiting for a check');
  expect(storedRequest(child.familyName)).toMatchObject({ status: 'requested', permissions: 'care-record,blood-pressure', heldForPersonSince: null });

  const staff = await verifierOpens(browser, javaScriptEnabled, check, parent.name, child);
  await expect(staff.getByRole('main')).toContainText('None yet: granting this request makes one');
  await staff.getByRole('radio', { name: 'Yes, grant it' }).check();
  await staff.getByRole('checkbox', { name: 'See their care record' }).uncheck();
  await staff.getByRole('button', { name: 'Save decision' }).click();
  await expect(staff).toHaveURL(/\/staff\/proxy-requests\?decided=/);
  await expect(staff.locator('.govuk-notification-banner')).toContainText(`You granted the request from ${parent.name} to act for Poppy ${child.familyName}.`);
  await check(staff);
  await staff.context().close();

  expect(storedRequest(child.familyName)).toMatchObject({ status: 'active', permissions: 'blood-pressure', heldForPersonSince: expect.anything() });
  await page.reload();
  const card = cardFor(page, child);
  await expect(card).toContainText('Granted');
  await expect(card).toContainText('See and add their blood pressure readings');
  await expect(card).not.toContainText('See their care record');
  await check(page);

  // A month later (this browser's own clock, lib/platform/clock.ts): Poppy is 16, and her parent's access has ended.
  const dayAfterBirthday = new Date(Date.UTC(born.getUTCFullYear() + 16, born.getUTCMonth(), born.getUTCDate() + 1, 12));
  await page.setExtraHTTPHeaders({ 'x-test-clock': dayAfterBirthday.toISOString() });
  await page.reload();
  await expect(cardFor(page, child)).toContainText('Ended');
  await expect(cardFor(page, child)).toContainText('Poppy turned 16 on');
  await check(page);
});

test('a proxy verifier refuses a request only with a reason, which the person who asked then reads', async ({
  page,
  browser,
  javaScriptEnabled,
  checkAccessibility,
}) => {
  const check = async (p: Page) => {
    await expectWellFormedPage(p);
    await checkAccessibility(p);
  };
  const adult: Person = { givenName: 'Edith', familyName: uniqueFamilyName(), born: new Date(Date.UTC(1938, 3, 2)), nhsNumber: madeUpNhsNumber() };
  const attorney = createCitizen({ givenName: 'Pat', familyName: uniqueFamilyName(), birthDate: '1966-05-14', nhsNumber: madeUpNhsNumber() });
  await signedIn(page.context(), await citizenSession(attorney));
  await page.goto('/acting-for/requests');
  await askToActFor(page, check, 'attorney', adult);

  const staff = await verifierOpens(browser, javaScriptEnabled, check, `Pat ${attorney.familyName}`, adult);
  await staff.getByRole('radio', { name: 'No, refuse it' }).check();
  await staff.getByRole('button', { name: 'Save decision' }).click();
  await expect(staff).toHaveTitle(/^Error: /);
  await expect(staff.locator('.govuk-error-summary')).toContainText('Enter why you are refusing the request');
  await check(staff);
  expect(storedRequest(adult.familyName)).toMatchObject({ status: 'requested' });

  const reason = 'The lasting power of attorney you showed was for property and financial affairs. Bring the one for health and welfare.';
  await staff.getByRole('textbox', { name: 'If you refuse it: why?' }).fill(reason);
  await staff.getByRole('button', { name: 'Save decision' }).click();
  await expect(staff.locator('.govuk-notification-banner')).toContainText(
    `You refused the request from Pat ${attorney.familyName} to act for Edith ${adult.familyName}.`,
  );
  await staff.context().close();

  expect(storedRequest(adult.familyName)).toMatchObject({ status: 'refused', decisionReason: reason, heldForPersonSince: null });
  await page.goto('/acting-for/requests');
  const card = cardFor(page, adult);
  await expect(card).toContainText('Refused');
  await expect(card).toContainText(reason);
  await check(page);
});
