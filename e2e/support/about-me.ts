import { randomUUID } from 'node:crypto';
import Database from 'better-sqlite3';
import { DATABASE_FILE } from './site';

/** Test helpers for the "about me" journeys (lib/about-me), reading and writing the e2e database. */

function open(readonly: boolean) {
  return new Database(DATABASE_FILE, { readonly, fileMustExist: true, timeout: 5_000 });
}

/** Another citizen with one condition, for checking that nobody else can reach it: its id. */
export function anotherCitizensCondition(): string {
  const db = open(false);
  try {
    const userId = `e2e-other-${randomUUID()}`;
    const conditionId = `e2e-condition-${randomUUID()}`;
    const now = new Date().toISOString();
    db.prepare(
      'INSERT INTO "User" (id, "createdAt", "givenName", "familyName", "birthDate", "identityLevel", "registeredAt") VALUES (?, ?, ?, ?, ?, ?, ?)',
    ).run(userId, now, 'Other', 'Citizen', '1970-01-01', 'P9', now);
    db.prepare('INSERT INTO "LongTermCondition" (id, "userId", "addedAt", code, name) VALUES (?, ?, ?, ?, ?)').run(
      conditionId,
      userId,
      now,
      null,
      'Someone else’s condition',
    );
    return conditionId;
  } finally {
    db.close();
  }
}

/** Whether a condition row still exists. */
export function conditionExists(id: string): boolean {
  const db = open(true);
  try {
    return Boolean(db.prepare('SELECT 1 FROM "LongTermCondition" WHERE id = ?').get(id));
  } finally {
    db.close();
  }
}

/** How many top three versions and conditions the people with this title text have stored. */
export function topThreeVersionsContaining(text: string): number {
  const db = open(true);
  try {
    return (db.prepare('SELECT COUNT(*) AS n FROM "TopThingsVersion" WHERE items LIKE ?').get(`%${text}%`) as { n: number }).n;
  } finally {
    db.close();
  }
}
