import type { Page } from '@playwright/test';
import { anotherCitizensReading, changesOf, fillReading, readingById, readingsWith, submit } from './support/blood-pressure';
import { expectWellFormedPage } from './support/page-checks';
import { signIn } from './support/sign-in';
import { BASE_URL } from './support/site';
import { expect, test } from './support/test';

/**
 * Blood pressure: add (with check answers), guidance, history with chart and table,
 * change, delete, download; and one citizen never reaching another's readings.
 * Amelia at One Login (JS on) and at NHS login (JS off) are two people to this service,
 * so the projects never share readings; within a project these tests run in order.
 * Every test uses numbers no other test uses, to find its own rows.
 */
// Generous: axe on every page and error state, twice, on 2 shared cores.
test.describe.configure({ mode: 'default', timeout: 300_000 });

const EMAIL = 'amelia.testwell@example.com';

/** Numbers differ by project, so each finds its own rows in the shared database. */
const own = (javaScriptEnabled: boolean, value: number) => value + (javaScriptEnabled ? 0 : 1);

async function signInAsAmelia(page: Page, javaScriptEnabled: boolean, from = '/blood-pressure') {
  await signIn(page, { provider: javaScriptEnabled ? 'onelogin' : 'nhslogin', email: EMAIL, from });
  await expect(page).toHaveURL(from);
}

/** A date and time a few days ago, as the form's boxes take it (UK clocks: the e2e server's time zone is not assumed). */
function daysAgo(days: number, hour: number, minute: number) {
  const date = new Date(Date.now() - days * 86_400_000);
  const [year, month, day] = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London' }).format(date).split('-');
  return { day: String(Number(day)), month: String(Number(month)), year: year!, hour: String(hour), minute: String(minute).padStart(2, '0') };
}

test('bad readings are refused with clear messages, and nothing is stored', async ({ page, checkAccessibility, javaScriptEnabled }) => {
  await signInAsAmelia(page, javaScriptEnabled, '/blood-pressure/add');

  // Nothing answered.
  await submit(page, 'Continue', 422);
  await expect(page).toHaveTitle(/^Error: /);
  await expect(page.locator('.govuk-error-summary').getByRole('link')).toHaveText([
    'Enter the systolic (top number)',
    'Enter the diastolic (bottom number)',
    'Select when you took this reading',
    'Select which arm you used',
    'Select yes if you were sitting down',
  ]);
  await expectWellFormedPage(page);
  await checkAccessibility(page);

  // Implausible numbers, text with HTML, and a date that does not exist: refused, shown back as text.
  const systolic = own(javaScriptEnabled, 80);
  await fillReading(page, {
    systolic: String(systolic),
    diastolic: '120',
    pulse: '<b>72</b>',
    when: { day: '31', month: '2', year: '2026', hour: '8', minute: '30' },
  });
  await submit(page, 'Continue', 422);
  await expect(page.locator('.govuk-error-summary').getByRole('link')).toHaveText([
    'Systolic (top number) must be higher than diastolic (bottom number)',
    'Pulse must be a whole number, like 72',
    'Date you took this reading must be a real date',
  ]);
  await expect(page.getByLabel('Pulse (optional)', { exact: true })).toHaveValue('<b>72</b>');
  await expect(page.locator('main b')).toHaveCount(0);
  expect(readingsWith(systolic, 120)).toEqual([]);
  // A time with a real date but an impossible hour.
  await fillReading(page, { systolic: '120', diastolic: '80', when: { ...daysAgo(1, 25, 0) } });
  await submit(page, 'Continue', 422);
  await expect(page.locator('.govuk-error-summary').getByRole('link')).toHaveText(['Time you took this reading must be a real time, like 8:30 or 19:45']);
});

test('a citizen adds two readings together, checks them, and a very high reading gets a prominent warning', async ({
  page,
  checkAccessibility,
  javaScriptEnabled,
}) => {
  const checked = async () => {
    await expectWellFormedPage(page);
    await checkAccessibility(page);
  };
  await signInAsAmelia(page, javaScriptEnabled);
  await expect(page.locator('h1')).toHaveText('Blood pressure');
  await checked();

  await page.getByRole('button', { name: 'Add a reading' }).click();
  await expect(page).toHaveURL('/blood-pressure/add');
  await checked();

  const [s1, s2] = [own(javaScriptEnabled, 186), own(javaScriptEnabled, 184)];
  await fillReading(page, { systolic: String(s1), diastolic: '103', pulse: '77', second: { systolic: String(s2), diastolic: '101' } });
  await submit(page, 'Continue', 303);
  await expect(page).toHaveURL('/blood-pressure/add/check');
  await expect(page.locator('h1')).toHaveText('Check your reading before saving it');
  await expect(page.locator('.govuk-summary-list__value').first()).toHaveText(`${s1}/103 mmHg`);
  await checked();
  // Nothing is saved until the citizen confirms.
  expect(readingsWith(s1, 103)).toEqual([]);

  // "Change" goes back to the form with the answers kept.
  await page.getByRole('link', { name: 'Change reading', exact: true }).click();
  await expect(page).toHaveURL(/\/blood-pressure\/add#systolic$/);
  await expect(page.getByLabel('Systolic (top number)', { exact: true })).toHaveValue(String(s1));
  await expect(page.getByLabel('Systolic (top number) of your second reading')).toHaveValue(String(s2));
  await submit(page, 'Continue', 303);

  await submit(page, 'Save reading', 303);
  await expect(page).toHaveURL(/\/blood-pressure\/add\/saved\?id=/);
  await expect(page.locator('h1')).toHaveText('Reading saved');
  const warning = page.getByRole('alert').filter({ hasText: 'Important' });
  await expect(warning.getByRole('heading', { name: 'This reading is very high' })).toBeVisible();
  await expect(warning).toContainText('Contact your GP practice today. If they are closed, call NHS 111.');
  await expect(warning).toContainText('Call 999 now if you also have any of these:');
  await checked();

  const [first] = readingsWith(s1, 103);
  const [second] = readingsWith(s2, 101);
  expect(first).toMatchObject({ pulse: 77, deletedAt: null });
  expect(second?.pairId).toBe(first?.id);
  expect(first?.pairId).toBe(first?.id);
  expect(changesOf(first!.id)).toEqual(['added']);

  // The answers were used once: going back to check answers starts again.
  await page.goto('/blood-pressure/add/check');
  await expect(page).toHaveURL('/blood-pressure/add');

  // The overview keeps the warning while a reading from the last 24 hours is very high.
  await page.goto('/blood-pressure');
  await expect(page.getByRole('alert').getByRole('heading', { name: /^Your reading of \d+\/\d+ is very high$/ })).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Home reading week' })).toBeVisible();
});

async function addEarlierReading(page: Page, systolic: number, diastolic: number) {
  await fillReading(page, { systolic: String(systolic), diastolic: String(diastolic), pulse: '64', when: daysAgo(3, 19, 12) });
  await submit(page, 'Continue', 303);
  await submit(page, 'Save reading', 303);
  await expect(page.getByRole('heading', { name: 'This reading is in the expected range' })).toBeVisible();
  const [saved] = readingsWith(systolic, diastolic);
  expect(saved).toBeDefined();
  return saved!;
}

test('a citizen sees their readings as a chart with a matching table, for each time period, and downloads them', async ({
  page,
  checkAccessibility,
  javaScriptEnabled,
}) => {
  await signInAsAmelia(page, javaScriptEnabled, '/blood-pressure/add');
  const s = own(javaScriptEnabled, 131);
  await addEarlierReading(page, s, 84);

  await page.goto('/blood-pressure/readings');
  await expect(page.locator('h1')).toHaveText('Your blood pressure readings');
  // The chart: an image with a title and a description, and the same points in a table.
  // Drawn twice, for narrow and wide screens; the one for this screen is shown.
  const chart = page.locator('figure svg:visible');
  await expect(chart).toHaveAttribute('role', 'img');
  await expect(chart).toHaveAttribute('aria-labelledby', /^blood-pressure-chart-(narrow|wide)-title blood-pressure-chart-\1-desc$/);
  await expect(chart.locator('title')).toHaveText('Blood pressure, last 30 days');
  await expect(chart.locator('desc')).toContainText(/^Line chart of \d+ readings? from /);
  await expect(page.locator('figcaption')).toHaveText((await chart.locator('desc').textContent()) as string);
  // Each line marks a point for each reading (an SVG marker: a circle on the systolic line).
  const points = (await chart.locator('polyline').first().getAttribute('points'))!.split(' ').length;
  await expect(chart.locator('polyline').first()).toHaveAttribute('marker-mid', /^url\(#blood-pressure-chart-(narrow|wide)-circle\)$/);
  await expect(page.locator('.govuk-details table tbody tr')).toHaveCount(points);
  await expect(page.locator('.govuk-details table')).toContainText(String(s));
  await expect(page.locator('tbody tr', { hasText: `${s}/84` })).toHaveCount(1);
  await expectWellFormedPage(page);
  await checkAccessibility(page);

  // Other time periods are plain links.
  await page.getByRole('link', { name: 'All readings' }).click();
  await expect(page).toHaveURL('/blood-pressure/readings?range=all');
  await expect(chart.locator('title')).toHaveText('Blood pressure, all your readings');

  // The download: an attachment, not stored by the browser.
  const download = await page.request.get('/blood-pressure/readings.csv');
  expect(download.status()).toBe(200);
  expect(download.headers()['content-disposition']).toMatch(/^attachment; filename="blood-pressure-readings-\d{4}-\d{2}-\d{2}\.csv"$/);
  expect(download.headers()['cache-control']).toBe('no-store');
  const csv = await download.text();
  expect(csv.split('\r\n')[0]).toBe('Date and time measured,Systolic (mmHg),Diastolic (mmHg),Pulse (beats a minute),Arm,Sitting down');
  expect(csv).toContain(`,${s},84,64,Left,Yes\r\n`);
});

test('a citizen changes and deletes one of their readings, and both are kept in its history', async ({ page, checkAccessibility, javaScriptEnabled }) => {
  const checked = async () => {
    await expectWellFormedPage(page);
    await checkAccessibility(page);
  };
  await signInAsAmelia(page, javaScriptEnabled, '/blood-pressure/add');
  const s = own(javaScriptEnabled, 121);
  const saved = await addEarlierReading(page, s, 76);
  await page.goto('/blood-pressure/readings');

  // Change: bad input is refused, then a good change is saved.
  const when = await page
    .locator('tbody tr', { hasText: `${s}/76` })
    .locator('td')
    .first()
    .textContent();
  await page.getByRole('link', { name: `Change reading of ${s}/76 from ${when}` }).click();
  await expect(page).toHaveURL(`/blood-pressure/readings/${saved.id}/change`);
  await expect(page.getByLabel('Systolic (top number)', { exact: true })).toHaveValue(String(s));
  await checked();
  await page.getByLabel('Systolic (top number)', { exact: true }).fill('14O');
  await submit(page, 'Save changes', 422);
  await expect(page.locator('.govuk-error-summary').getByRole('link')).toHaveText(['Systolic (top number) must be a whole number, like 120']);
  await checked();
  expect(readingById(saved.id)?.systolic).toBe(s);
  await page.getByLabel('Systolic (top number)', { exact: true }).fill(String(s + 2));
  await submit(page, 'Save changes', 303);
  await expect(page).toHaveURL(`/blood-pressure/readings/${saved.id}/changed`);
  await expect(page.getByRole('heading', { name: 'Your reading has been changed' })).toBeVisible();
  await expect(page.getByText(`It is now ${s + 2}/76 mmHg`)).toBeVisible();
  await checked();
  expect(readingById(saved.id)).toMatchObject({ systolic: s + 2, diastolic: 76, deletedAt: null });
  expect(changesOf(saved.id)).toEqual(['added', 'changed']);
  await page.getByRole('link', { name: 'See all your readings' }).click();

  // Delete, after "Are you sure".
  await page.getByRole('link', { name: `Delete reading of ${s + 2}/76 from ${when}` }).click();
  await expect(page.locator('h1')).toHaveText('Are you sure you want to delete this reading?');
  await checked();
  await submit(page, 'Yes, delete this reading', 303);
  await expect(page.getByText('Your reading has been deleted')).toBeVisible();
  await expect(page.locator('tbody tr', { hasText: `${s + 2}/76` })).toHaveCount(0);
  expect(readingById(saved.id)?.deletedAt).not.toBeNull();
  expect(changesOf(saved.id)).toEqual(['added', 'changed', 'deleted']);
  const csv = await (await page.request.get('/blood-pressure/readings.csv')).text();
  expect(csv).not.toContain(`,${s + 2},76,`);
});

test("a citizen can never see, change, delete or download another citizen's readings", async ({ page, browser, checkAccessibility, javaScriptEnabled }) => {
  // Signed out, the pages ask you to sign in first.
  const stranger = await browser.newContext({ javaScriptEnabled });
  const strangerPage = await stranger.newPage();
  await strangerPage.goto(`${BASE_URL}/blood-pressure/readings`);
  await expect(strangerPage).toHaveURL(/\/sign-in\?returnTo=%2Fblood-pressure%2Freadings$/);
  await stranger.close();

  const theirs = anotherCitizensReading({ systolic: 177, diastolic: 111, pulse: 123 });
  await signInAsAmelia(page, javaScriptEnabled);

  for (const path of [`/blood-pressure/readings/${theirs}/change`, `/blood-pressure/readings/${theirs}/delete`, `/blood-pressure/add/saved?id=${theirs}`]) {
    const response = await page.goto(path);
    expect(response?.status(), path).toBe(404);
    await expect(page.locator('h1')).toHaveText('Page not found');
  }
  await checkAccessibility(page);

  // Posting straight to their reading's addresses, with a valid form token: refused as not found.
  await page.goto('/blood-pressure/add');
  const token = await page.locator('main input[name="_csrf"]').inputValue();
  const form = { _csrf: token, systolic: '120', diastolic: '80', measuredWhen: 'now', arm: 'left', sitting: 'yes' };
  for (const action of ['change', 'delete']) {
    const response = await page.request.post(`/blood-pressure/readings/${theirs}/${action}`, { form, headers: { origin: BASE_URL } });
    expect(response.status(), action).toBe(404);
  }
  expect(readingById(theirs)).toMatchObject({ systolic: 177, diastolic: 111, deletedAt: null });
  expect(changesOf(theirs)).toEqual([]);

  // Nor does it appear in their history, chart or download.
  await page.goto('/blood-pressure/readings?range=all');
  await expect(page.locator('main')).not.toContainText('177/111');
  await expect(page.locator('.govuk-details table')).not.toContainText('177');
  const csv = await (await page.request.get('/blood-pressure/readings.csv')).text();
  expect(csv).not.toContain(',177,111,');
});
