import type { Page } from '@playwright/test';
import { uniqueText } from './support/database';
import { letterJson, letterStatus, newNhsNumber, postLetter } from './support/letters';
import { expectWellFormedPage } from './support/page-checks';
import { citizenSession, createCitizen, signedIn } from './support/sharing';
import { expect, test } from './support/test';

/**
 * Letters, with JavaScript on and off: Leeds Teaching Hospitals' system delivers a letter through
 * the signed letters API; the citizen finds it unread under "Letters", reads it (the HTML
 * version, sanitised), downloads the PDF, and sees it read; the hospital sees when it was read.
 * A bad letter (wrong NHS number) is refused and shown to nobody. axe on every page. Each
 * project makes its own citizen, with an NHS number of their own (both run at once).
 */

test.describe.configure({ timeout: 120_000 });

test('a letter arrives through the API, and the citizen reads it and downloads the PDF', async ({ page, request, javaScriptEnabled, checkAccessibility }) => {
  const check = async (p: Page) => {
    await expectWellFormedPage(p);
    await checkAccessibility(p);
  };
  const nhsNumber = newNhsNumber();
  const citizen = createCitizen({ givenName: javaScriptEnabled ? 'Letitia' : 'Lionel', familyName: 'Letterwell', birthDate: '1970-06-01', nhsNumber });
  const title = uniqueText('Your eye clinic appointment');

  // The hospital's system delivers it; the same letter again with the same key is the same letter.
  const delivered = await postLetter(request, letterJson(nhsNumber, title), `eye-${nhsNumber}`);
  expect(delivered.status()).toBe(201);
  const { id } = (await delivered.json()) as { id: string };
  const again = await postLetter(request, letterJson(nhsNumber, title), `eye-${nhsNumber}`);
  expect(again.status()).toBe(201);
  expect(((await again.json()) as { id: string }).id).toBe(id);
  // A letter with a wrong NHS number: a clear refusal, nothing stored.
  const wrong = await postLetter(request, letterJson('9990012378', uniqueText('Never shown')));
  expect(wrong.status()).toBe(422);
  expect(((await wrong.json()) as { errors: { field: string }[] }).errors.map((error) => error.field)).toEqual(['nhsNumber']);
  expect((await letterStatus(request, id)).status).toBe('delivered');

  await signedIn(page.context(), await citizenSession(citizen));
  await page.goto('/account');
  await page.getByRole('link', { name: 'Letters', exact: true }).click();
  await expect(page).toHaveURL('/letters');
  await expect(page.locator('h1')).toHaveText('Letters');
  const table = page.getByRole('table', { name: '1 unread letter' });
  await expect(table).toContainText(title);
  await expect(table).toContainText('Leeds Teaching Hospitals NHS Trust');
  await expect(table).toContainText('Unread');
  await expect(page.getByText('Never shown')).toHaveCount(0);
  await check(page);

  // Reading it: the accessible version, with nothing of the sender's script.
  await page.getByRole('link', { name: title }).click();
  await expect(page).toHaveURL(`/letters/${id}`);
  await expect(page.locator('h1')).toHaveText(title);
  await expect(page.getByText('Your appointment is on 5 January 2027 at 10:30am.')).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Eye clinic', level: 2 })).toBeVisible();
  await expect(page.locator('.app-letter script')).toHaveCount(0);
  await check(page);

  // The PDF, as a file.
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: /Download this letter \(PDF/ }).click()]);
  expect(download.suggestedFilename()).toBe('letter-2026-12-01.pdf');
  const pdf = await page.request.get(`/letters/${id}/pdf`);
  expect(pdf.headers()['content-type']).toBe('application/pdf');
  expect(pdf.headers()['cache-control']).toContain('no-store');
  expect((await pdf.body()).subarray(0, 5).toString()).toBe('%PDF-');

  // Back in the list it is read, and the hospital sees when.
  await page.goto('/letters');
  await expect(page.getByRole('table', { name: 'All letters read' })).toContainText('Read');
  await check(page);
  const status = await letterStatus(request, id);
  expect(status.status).toBe('read');
  expect(status.readAt).not.toBeNull();

  // Another id is "Page not found".
  const missing = await page.goto('/letters/abc123');
  expect(missing?.status()).toBe(404);
});
