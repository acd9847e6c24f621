import { randomUUID } from 'node:crypto';
import Database from 'better-sqlite3';
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
