import type { Page } from '@playwright/test';
import Database from 'better-sqlite3';
import { fillReading, submit } from './support/blood-pressure';
import { expectWellFormedPage } from './support/page-checks';
import { citizenSession, createCitizen, signedIn, type TestCitizen } from './support/sharing';
import { DATABASE_FILE } from './support/site';
import { expect, test } from './support/test';

/**
 * Home-monitoring weeks over days and weeks, in minutes: each test's browser lives at the time it
 * says (the x-test-clock header, honoured only by the e2e build on this machine: lib/platform/clock.ts).
 * Every test has a citizen of its own, so weeks never meet another test's.
 */
test.describe.configure({ mode: 'default', timeout: 300_000 });

/** A time on UK clocks in November and December 2026 (GMT, so UTC is the same). */
const gmt = (month: 11 | 12, day: number, hour: number, minute = 0) =>
  `2026-${month}-${String(day).padStart(2, '0')}T${String(hour).padStart(2, '0')}:${String(minute).padStart(2, '0')}:00Z`;

async function liveAt(page: Page, iso: string) {
  await page.context().setExtraHTTPHeaders({ 'x-test-clock': iso });
}

async function newCitizen(page: Page, givenName: string): Promise<TestCitizen> {
  const citizen = createCitizen({ givenName, familyName: 'Weekly', birthDate: '1970-05-01', nhsNumber: null });
  await signedIn(page.context(), await citizenSession(citizen));
  return citizen;
}

/** Two readings taken just now, a minute apart, as NICE asks. */
async function addPairNow(page: Page, systolic: number, diastolic: number) {
  await page.goto('/blood-pressure/add');
  await fillReading(page, { systolic: String(systolic), diastolic: String(diastolic), second: { systolic: String(systolic), diastolic: String(diastolic) } });
  await submit(page, 'Continue', 303);
  await submit(page, 'Save reading', 303);
  await expect(page.getByRole('heading', { name: 'Reading saved' })).toBeVisible();
}

/** The citizen's own readings with these numbers (both projects run these tests at once, with the same numbers). */
function readingsOf(userId: string, systolic: number, diastolic: number): { id: string }[] {
  const db = new Database(DATABASE_FILE, { readonly: true, fileMustExist: true });
  try {
    return db
      .prepare('SELECT id FROM "BloodPressureReading" WHERE "userId" = ? AND systolic = ? AND diastolic = ? ORDER BY "measuredAt"')
      .all(userId, systolic, diastolic) as { id: string }[];
  } finally {
    db.close();
  }
}

async function wellFormedAndAccessible(page: Page, checkAccessibility: (page: Page) => Promise<void>) {
  await expectWellFormedPage(page);
  await checkAccessibility(page);
}

/** "Another day in the last 7 days", with its date (November 2026). */
async function startAnotherDay(page: Page, day: string) {
  await page.getByRole('radio', { name: 'Another day in the last 7 days' }).check();
  await page.getByRole('textbox', { name: 'Day' }).fill(day);
  await page.getByRole('textbox', { name: 'Month' }).fill('11');
  await page.getByRole('textbox', { name: 'Year' }).fill('2026');
}

function weeksOf(userId: string) {
  const db = new Database(DATABASE_FILE, { readonly: true, fileMustExist: true });
  try {
    return db
      .prepare(
        'SELECT "startedOn", "endsOn", "endedEarly", "finishedAt", result, systolic, diastolic, "readingCount", "recalculatedAt" FROM "HomeMonitoringWeek" WHERE "userId" = ? ORDER BY "startedOn"',
      )
      .all(userId) as {
      startedOn: string;
      endsOn: string;
      endedEarly: number;
      finishedAt: string | null;
      result: string | null;
      systolic: number | null;
      diastolic: number | null;
      readingCount: number | null;
      recalculatedAt: string | null;
    }[];
  } finally {
    db.close();
  }
}

test('a citizen starts a week, takes readings on several days, and a week later sees the result it had when it ended', async ({ page, checkAccessibility }) => {
  test.slow();
  const checked = () => wellFormedAndAccessible(page, checkAccessibility);
  const citizen = await newCitizen(page, 'Winnie');

  // Wednesday 25 November: no week yet.
  await liveAt(page, gmt(11, 25, 8));
  await page.goto('/blood-pressure');
  await page.getByRole('button', { name: 'Start a 7-day home reading week' }).click();
  await expect(page).toHaveURL('/blood-pressure/week/start');
  await checked();

  // Bad input: nothing chosen; a day in the future; more than 7 days ago. Nothing is stored.
  await submit(page, 'Start my week', 422);
  await expect(page).toHaveTitle(/^Error: /);
  await expect(page.locator('.govuk-error-summary').getByRole('link')).toHaveText(['Select when you want to start your week']);
  await checked();
  for (const [day, message] of [
    ['26', 'Date your week starts must be today or in the past'],
    ['17', 'Date your week starts must be in the last 7 days'],
    ['31', 'Date your week starts must be a real date'],
  ] as const) {
    await startAnotherDay(page, day);
    await submit(page, 'Start my week', 422);
    await expect(page.locator('.govuk-error-summary').getByRole('link')).toHaveText([message]);
    await expect(page.getByRole('radio', { name: 'Another day in the last 7 days' })).toBeChecked();
  }
  await checked();
  expect(weeksOf(citizen.id)).toEqual([]);

  await page.getByRole('radio', { name: 'Today, 25 November 2026' }).check();
  await submit(page, 'Start my week', 303);
  await expect(page).toHaveURL('/blood-pressure?started=1');
  await expect(page.getByText('Your home reading week has started')).toBeVisible();
  await expect(page.getByText('Your week started on Wednesday 25 November. It ends at the end of Tuesday 1 December. Today is day 1.')).toBeVisible();
  await checked();
  // One week at a time: the start page sends them back to the week they have.
  await page.goto('/blood-pressure/week/start');
  await expect(page).toHaveURL('/blood-pressure');

  // Day 2 very high, the next two days lower: morning and evening, two readings each, "just now".
  for (const [day, systolic, diastolic] of [
    [26, 178, 100],
    [27, 146, 92],
    [28, 146, 92],
  ] as const) {
    await liveAt(page, gmt(11, day, 7, 30));
    await addPairNow(page, systolic, diastolic);
    await liveAt(page, gmt(11, day, 19, 30));
    await addPairNow(page, systolic, diastolic);
  }
  expect(readingsOf(citizen.id, 146, 92)).toHaveLength(8);

  // Saturday 28 November, evening: enough for an average, worked out when the week ends.
  await page.goto('/blood-pressure');
  await expect(page.getByRole('heading', { name: 'You have enough readings for an average' })).toBeVisible();
  const days = page.locator('.govuk-summary-list').last();
  await expect(days).toContainText('Day 1: Wednesday 25 November');
  await expect(days).toContainText('Practice day: not used for your average');
  await expect(days).toContainText('Day 7: Tuesday 1 December');
  await expect(days).toContainText('To do: 2 morning and 2 evening readings');
  await checked();

  // Wednesday 2 December: the week has ended. 157/95: the stage 2 range.
  await liveAt(page, gmt(12, 2, 9));
  await page.goto('/blood-pressure');
  await expect(page.getByRole('heading', { name: 'Your last week: 25 November 2026 to 1 December 2026' })).toBeVisible();
  await expect(page.getByText('Your average was 157/95 mmHg, from 12 readings, leaving out your first day.')).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Your average is 150/95 or more' })).toBeVisible();
  await expect(page.getByText('Either number on its own can put your average in a higher range.')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Start a 7-day home reading week' })).toBeVisible();
  await checked();

  // Three weeks later, after readings outside any week: the same result.
  await liveAt(page, gmt(12, 10, 8));
  await addPairNow(page, 120, 70);
  await liveAt(page, gmt(12, 23, 9));
  await page.goto('/blood-pressure/weeks');
  await expect(page.getByRole('table')).toContainText('157/95 mmHg');
  await checked();
  await page.getByRole('link', { name: '25 November 2026 to 1 December 2026' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('25 November 2026 to 1 December 2026');
  await expect(page.getByRole('heading', { name: 'Your average: 157/95 mmHg' })).toBeVisible();
  await expect(page.getByRole('table', { name: 'The readings in your average' }).locator('tbody tr')).toHaveCount(12);
  await checked();
  expect(weeksOf(citizen.id)).toEqual([
    expect.objectContaining({
      startedOn: '2026-11-25',
      endsOn: '2026-12-01',
      result: 'stage-2-range',
      systolic: 157,
      diastolic: 95,
      readingCount: 12,
      recalculatedAt: null,
    }),
  ]);
});

test('a week cannot end before day 4 or overlap another; a very high reading changed later gets the urgent advice, and the week is worked out again', async ({
  page,
  checkAccessibility,
}) => {
  test.slow();
  const checked = () => wellFormedAndAccessible(page, checkAccessibility);
  const citizen = await newCitizen(page, 'Walter');

  // Started yesterday, Monday 9 November, from Tuesday.
  await liveAt(page, gmt(11, 10, 8));
  await page.goto('/blood-pressure/week/start');
  await startAnotherDay(page, '9');
  await submit(page, 'Start my week', 303);
  await expect(page.getByText('Today is day 2.')).toBeVisible();
  await addPairNow(page, 131, 81);

  // Ending on day 2 is refused, with the day it can end.
  await page.goto('/blood-pressure');
  await expect(page.getByText('You can end your week early from day 4, Thursday 12 November.')).toBeVisible();
  await page.goto('/blood-pressure/week/end');
  await checked();
  await submit(page, 'Continue', 422);
  await expect(page.locator('.govuk-error-summary').getByRole('link')).toHaveText(['Select yes if you want to end your week now']);
  await page.getByRole('radio', { name: 'Yes' }).check();
  await submit(page, 'Continue', 422);
  await expect(page.locator('.govuk-error-summary').getByRole('link')).toHaveText(['You can end your week from day 4, Thursday 12 November']);
  await checked();
  expect(weeksOf(citizen.id)[0]).toMatchObject({ finishedAt: null, endsOn: '2026-11-15' });

  // Day 4: ended early. Too few complete days: no average, and it says why.
  await liveAt(page, gmt(11, 12, 20));
  await page.goto('/blood-pressure');
  await page.getByRole('link', { name: 'End your week now' }).click();
  await page.getByRole('radio', { name: 'Yes' }).check();
  await submit(page, 'Continue', 303);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('9 November 2026 to 12 November 2026');
  await expect(page.getByText('You ended this week early.')).toBeVisible();
  await expect(page.getByRole('heading', { name: 'There were not enough readings for an average' })).toBeVisible();
  await checked();

  // A new week may not overlap it.
  await liveAt(page, gmt(11, 16, 9));
  await page.goto('/blood-pressure/week/start');
  await startAnotherDay(page, '12');
  await submit(page, 'Start my week', 422);
  await expect(page.locator('.govuk-error-summary').getByRole('link')).toHaveText([
    'You already have a home reading week on some of these days. Choose a day after it ends',
  ]);
  await checked();
  expect(weeksOf(citizen.id)).toHaveLength(1);

  // Monday 16 November: a reading, then a later one; the first is changed to a very high one.
  await addPairNow(page, 132, 82);
  const [first] = readingsOf(citizen.id, 132, 82);
  await liveAt(page, gmt(11, 16, 9, 30));
  await addPairNow(page, 122, 72);
  await page.goto(`/blood-pressure/readings/${first!.id}/change`);
  await page.getByLabel('Systolic (top number)', { exact: true }).fill('190');
  await page.getByLabel('Diastolic (bottom number)', { exact: true }).fill('125');
  await submit(page, 'Save changes', 303);
  await expect(page).toHaveURL(`/blood-pressure/readings/${first!.id}/changed`);
  await expect(page.getByRole('alert').getByRole('heading', { name: 'This reading is very high' })).toBeVisible();
  await expect(page.getByText('Call 999 now if you also have any of these:')).toBeVisible();
  await checked();

  // The overview keeps the advice while that reading is from the last 24 hours, though it is not the latest.
  await page.goto('/blood-pressure');
  await expect(page.getByRole('alert').getByRole('heading', { name: 'Your reading of 190/125 is very high' })).toBeVisible();
  await checked();
  await liveAt(page, gmt(11, 17, 9, 15));
  await page.goto('/blood-pressure');
  await expect(page.getByRole('alert')).toHaveCount(0);

  // A reading inside the finished week is changed: the week is worked out again, and the citizen is told.
  const [inWeek] = readingsOf(citizen.id, 131, 81);
  await page.goto(`/blood-pressure/readings/${inWeek!.id}/change`);
  await page.getByLabel('Systolic (top number)', { exact: true }).fill('133');
  await submit(page, 'Save changes', 303);
  await expect(page.getByRole('heading', { name: 'We have worked out your week again' })).toBeVisible();
  await expect(page.getByText('You changed a reading in your home reading week from 9 November 2026 to 12 November 2026')).toBeVisible();
  await checked();
  expect(weeksOf(citizen.id)[0]).toMatchObject({ endedEarly: 1, result: 'not-enough-readings', recalculatedAt: expect.stringContaining('2026-11-17') });
});
