import { randomUUID } from 'node:crypto';
import Database from 'better-sqlite3';
import { expect, type Page } from '@playwright/test';
import { DATABASE_FILE } from './site';

/** Blood pressure rows in the e2e database, for checking what the pages stored (and did not). */

// How Prisma's SQLite adapter writes instants, so comparisons in its queries still work.
const stored = (at: Date) => at.toISOString().replace('Z', '+00:00');

function open(readonly: boolean) {
  return new Database(DATABASE_FILE, { readonly, fileMustExist: true, timeout: 5_000 });
}

export type StoredRow = { id: string; systolic: number; diastolic: number; pulse: number | null; pairId: string | null; deletedAt: string | null };

/** The rows of readings with these numbers (tests use numbers no other test uses). */
export function readingsWith(systolic: number, diastolic: number): StoredRow[] {
  const db = open(true);
  try {
    return db
      .prepare('SELECT id, systolic, diastolic, pulse, "pairId", "deletedAt" FROM "BloodPressureReading" WHERE systolic = ? AND diastolic = ?')
      .all(systolic, diastolic) as StoredRow[];
  } finally {
    db.close();
  }
}

export function readingById(id: string): StoredRow | undefined {
  const db = open(true);
  try {
    return db.prepare('SELECT id, systolic, diastolic, pulse, "pairId", "deletedAt" FROM "BloodPressureReading" WHERE id = ?').get(id) as StoredRow | undefined;
  } finally {
    db.close();
  }
}

export function changesOf(readingId: string): string[] {
  const db = open(true);
  try {
    return (db.prepare('SELECT action FROM "BloodPressureReadingChange" WHERE "readingId" = ? ORDER BY at, id').all(readingId) as { action: string }[]).map(
      (row) => row.action,
    );
  } finally {
    db.close();
  }
}

/** Another citizen (no sign-in of theirs is needed) with one reading; returns the reading's id. */
export function anotherCitizensReading(values: { systolic: number; diastolic: number; pulse: number }): string {
  const db = open(false);
  try {
    const now = new Date();
    const userId = `e2e-other-${randomUUID()}`;
    const readingId = `e2e-other-reading-${randomUUID()}`;
    db.prepare(
      'INSERT INTO "User" (id, "createdAt", "givenName", "familyName", "birthDate", "identityLevel", "registeredAt") VALUES (?, ?, ?, ?, ?, ?, ?)',
    ).run(userId, stored(now), 'Other', 'Citizen', '1960-01-01', 'P9', stored(now));
    db.prepare(
      'INSERT INTO "BloodPressureReading" (id, "userId", "createdAt", "updatedAt", "measuredAt", systolic, diastolic, pulse, arm, sitting) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
    ).run(readingId, userId, stored(now), stored(now), stored(new Date(now.getTime() - 3_600_000)), values.systolic, values.diastolic, values.pulse, 'left', 1);
    return readingId;
  } finally {
    db.close();
  }
}

/** Clicks a button and checks the status of the response to the form post. */
export async function submit(page: Page, button: string, status: number) {
  const response = page.waitForResponse((r) => r.request().method() === 'POST');
  await page.getByRole('button', { name: button }).click();
  expect((await response).status()).toBe(status);
  await page.waitForLoadState();
}

export type Reading = {
  systolic: string;
  diastolic: string;
  pulse?: string;
  second?: { systolic: string; diastolic: string };
  when?: { day: string; month: string; year: string; hour: string; minute: string };
};

export async function fillReading(page: Page, reading: Reading) {
  await page.getByLabel('Systolic (top number)', { exact: true }).fill(reading.systolic);
  await page.getByLabel('Diastolic (bottom number)', { exact: true }).fill(reading.diastolic);
  await page.getByLabel('Pulse (optional)', { exact: true }).fill(reading.pulse ?? '');
  if (reading.second) {
    await page.getByLabel('Systolic (top number) of your second reading').fill(reading.second.systolic);
    await page.getByLabel('Diastolic (bottom number) of your second reading').fill(reading.second.diastolic);
  }
  if (reading.when) {
    await page.getByRole('radio', { name: 'Earlier' }).check();
    for (const [name, value] of Object.entries(reading.when)) {
      await page.getByRole('textbox', { name: name.charAt(0).toUpperCase() + name.slice(1), exact: true }).fill(value);
    }
  } else {
    await page.getByRole('radio', { name: 'Just now' }).check();
  }
  await page.getByRole('radio', { name: 'Left arm' }).check();
  await page.getByRole('group', { name: 'Were you sitting down?' }).getByRole('radio', { name: 'Yes' }).check();
}

/**
 * Readings for a signed-in test citizen long ago (200 days and more), so they show only under
 * "All readings" and no other test's time period: each reading 117/76 with no pulse given, two
 * a day for `days` days. Added once per citizen.
 */
export function longAgoReadings(givenName: string, provider: string, days = 20): void {
  const db = open(false);
  try {
    const user = db
      .prepare('SELECT u.id AS id FROM "User" u JOIN "UserIdentity" i ON i."userId" = u.id WHERE u."givenName" = ? AND i.provider = ?')
      .get(givenName, provider) as { id: string } | undefined;
    if (!user) throw new Error(`${givenName} has no account at ${provider}`);
    const already = db.prepare('SELECT COUNT(*) AS n FROM "BloodPressureReading" WHERE "userId" = ? AND systolic = 117 AND diastolic = 76').get(user.id) as {
      n: number;
    };
    if (already.n > 0) return;
    const insert = db.prepare(
      'INSERT INTO "BloodPressureReading" (id, "userId", "createdAt", "updatedAt", "measuredAt", systolic, diastolic, pulse, arm, sitting) VALUES (?, ?, ?, ?, ?, ?, ?, NULL, ?, ?)',
    );
    const now = new Date();
    for (let day = 0; day < days; day += 1) {
      for (const hour of [7, 19]) {
        const at = new Date(now.getTime() - (200 + day) * 86_400_000);
        at.setUTCHours(hour, 30, 0, 0);
        insert.run(`e2e-long-ago-${randomUUID()}`, user.id, stored(now), stored(now), stored(at), 117, 76, 'right', 1);
      }
    }
  } finally {
    db.close();
  }
}
