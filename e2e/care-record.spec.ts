import type { Page } from '@playwright/test';
import { expectWellFormedPage } from './support/page-checks';
import { signIn } from './support/sign-in';
import { expect, test } from './support/test';

/**
 * The care record, read from the demo shared care record (scripts/care-record). Amelia signs
 * in with NHS login, which gives her NHS number: her record is found by it on her first visit.
 * These tests only read, so both projects may run them at once. Linking a One Login citizen by
 * what One Login verified is in one-record.spec.ts; an unavailable care record changes shared
 * state, so it is in care-record-serial.spec.ts.
 */

const AMELIA = 'amelia.testwell@example.com';

async function signInAmelia(page: Page) {
  await signIn(page, { provider: 'nhslogin', email: AMELIA, from: '/care-record' });
  await expect(page).toHaveURL('/care-record');
}

/** Each section: the summary's link, its page's heading, and something Amelia's record holds there. */
const SECTIONS = [
  { link: 'health problems', h1: 'Health problems', shows: ['Hypothyroidism', 'Asthma'] },
  {
    link: 'medicines',
    h1: 'Medicines',
    shows: ['Current medicines', 'Levothyroxine sodium 75microgram tablets', 'Past medicines', 'Amoxicillin 500mg capsules'],
  },
  { link: 'allergies', h1: 'Allergies', shows: ['Allergy to penicillin', 'Eruption of skin'] },
  { link: 'vaccinations', h1: 'Vaccinations', shows: ['Influenza vaccine', 'Tetanus, diphtheria and polio vaccine'] },
  { link: 'test results', h1: 'Test results', shows: ['Thyroid stimulating hormone (TSH)', '0.27 to 4.2 mU/L', 'Above the usual range'] },
  { link: 'appointments', h1: 'Appointments', shows: ['Upcoming appointments', 'Respiratory clinic', 'Cancelled by the practice', 'Past appointments'] },
  { link: 'letters and documents', h1: 'Letters and documents', shows: ['Respiratory clinic: letter', 'Endocrinology clinic: letter'] },
  { link: 'your care team', h1: 'Your care team', shows: ['Sofia Carewell, Demo City Council', '0113 496 0003'] },
  {
    link: 'care plan and council contacts',
    h1: 'Care plan and council contacts',
    shows: ['Carer support plan', 'Who to contact', 'Sofia Carewell, Demo City Council'],
  },
];

test('the summary lists every section with what it holds', async ({ page, checkAccessibility }) => {
  test.setTimeout(180_000);
  await signInAmelia(page);
  await expect(page.locator('h1')).toHaveText('Your care record');
  const summary = page.locator('.govuk-summary-list');
  await expect(summary.locator('dt')).toHaveText(SECTIONS.map((section) => section.h1));
  await expect(summary).toContainText('2 health problems');
  await expectWellFormedPage(page);
  await checkAccessibility(page);
});

// A few sections per test, so that each stays short and both workers share them.
for (const group of [SECTIONS.slice(0, 3), SECTIONS.slice(3, 6), SECTIONS.slice(6)]) {
  test(`sections: ${group.map((section) => section.link).join(', ')}; each item says where it came from`, async ({ page, checkAccessibility }) => {
    test.setTimeout(180_000);
    await signInAmelia(page);
    for (const section of group) {
      await page.goto('/care-record');
      await page.getByRole('link', { name: `View ${section.link}` }).click();
      await expect(page.locator('h1')).toHaveText(section.h1);
      const main = page.getByRole('main');
      for (const text of section.shows) await expect(main.getByText(text, { exact: false }).first()).toBeVisible();
      // Where it came from and when, on every item; never an empty section.
      await expect(main).toContainText(/Recorded by|From|Booked by|Written by/);
      await expect(main).toContainText(/Last updated|updated \d/);
      await expect(main).not.toContainText('No information available');
      await expectWellFormedPage(page);
      await checkAccessibility(page);
    }
  });
}

test('a letter can be read as a web page and downloaded as the PDF the record holds', async ({ page, checkAccessibility }) => {
  test.setTimeout(180_000);
  await signInAmelia(page);
  await page.goto('/care-record/letters');
  await page.getByRole('link', { name: 'Read Respiratory clinic: letter' }).click();
  await expect(page.locator('h1')).toHaveText('Respiratory clinic: letter');
  await expect(page.getByRole('main')).toContainText('Thank you for coming to the respiratory clinic');
  await expectWellFormedPage(page);
  await checkAccessibility(page);

  const link = page.getByRole('link', { name: /^Download this letter \(PDF, \d+ KB\)$/ });
  const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
  expect(download.suggestedFilename()).toMatch(/^letter-\d{4}-\d{2}-\d{2}\.pdf$/);

  const response = await page.request.get((await link.getAttribute('href'))!);
  expect(response.status()).toBe(200);
  expect(response.headers()['content-type']).toBe('application/pdf');
  expect(response.headers()['content-disposition']).toMatch(/^attachment; filename="letter-\d{4}-\d{2}-\d{2}\.pdf"$/);
  expect(response.headers()['cache-control']).toBe('no-store');
  expect((await response.body()).subarray(0, 5).toString()).toBe('%PDF-');

  // A letter without a PDF offers none, and says so only by not offering it.
  await page.goto('/care-record/letters');
  await page.getByRole('link', { name: 'Read Endocrinology clinic: letter' }).click();
  await expect(page.locator('h1')).toHaveText('Endocrinology clinic: letter');
  await expect(page.getByRole('link', { name: /Download this letter/ })).toHaveCount(0);
  const noPdf = await page.request.get(`${new URL(page.url()).pathname}/pdf`);
  expect(noPdf.status()).toBe(404);
});

test('another letter address, or a made-up one, shows nothing', async ({ page }) => {
  test.slow();
  await signInAmelia(page);
  for (const path of [
    '/care-record/letters/00000000-0000-4000-a000-000000000000',
    '/care-record/letters/%3Cscript%3E',
    '/care-record/letters/00000000-0000-4000-a000-000000000000/pdf',
  ]) {
    expect((await page.goto(path))?.status(), path).toBe(404);
  }
});

test('the care record is only for the signed-in citizen', async ({ page }) => {
  test.slow();
  for (const path of ['/care-record', '/care-record/medicines']) {
    await page.goto(path);
    await expect(page).toHaveURL(`/sign-in?returnTo=${encodeURIComponent(path)}`);
  }
  // The PDF is never given without a session either.
  const response = await page.request.get('/care-record/letters/any/pdf', { maxRedirects: 0 });
  expect(response.status()).toBe(303);
});
