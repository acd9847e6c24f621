import Database from 'better-sqlite3';
import { DATABASE_FILE } from './site';

/**
 * Feedback rows whose comments are exactly `comments`. Tests use unique comments
 * rather than counting all rows, because other tests write at the same time.
 */
export function storedFeedback(comments: string): { id: string; rating: string; email: string | null }[] {
  const db = new Database(DATABASE_FILE, { readonly: true, fileMustExist: true });
  try {
    return db.prepare('SELECT id, rating, email FROM "Feedback" WHERE comments = ?').all(comments) as { id: string; rating: string; email: string | null }[];
  } finally {
    db.close();
  }
}

/** Text no other test sends, so what a test stored can be told apart. */
export function uniqueText(label: string): string {
  return `${label} ${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 10)}`;
}

/** How many accounts exist for people with this given name (refused sign-ins must make none). */
export function usersNamed(givenName: string): number {
  const db = new Database(DATABASE_FILE, { readonly: true, fileMustExist: true });
  try {
    return (db.prepare('SELECT COUNT(*) AS n FROM "User" WHERE "givenName" = ?').get(givenName) as { n: number }).n;
  } finally {
    db.close();
  }
}

/** The registration of the person with this given name at this provider, or null when they have no account. */
export function registrationOf(givenName: string, provider: string): { registered: boolean; consentVersion: string | null } | null {
  const db = new Database(DATABASE_FILE, { readonly: true, fileMustExist: true });
  try {
    const row = db
      .prepare(
        'SELECT u."registeredAt" AS registeredAt, u."consentVersion" AS consentVersion FROM "User" u JOIN "UserIdentity" i ON i."userId" = u.id WHERE u."givenName" = ? AND i.provider = ?',
      )
      .get(givenName, provider) as { registeredAt: unknown; consentVersion: string | null } | undefined;
    return row ? { registered: row.registeredAt !== null, consentVersion: row.consentVersion } : null;
  } finally {
    db.close();
  }
}

/** The accounts of people with this given name, each as its ways of signing in (sorted): one account with both after adding or joining. */
export function signInMethodsOf(givenName: string): string[][] {
  const db = new Database(DATABASE_FILE, { readonly: true, fileMustExist: true });
  try {
    const rows = db
      .prepare(
        'SELECT u.id AS userId, i.provider AS provider FROM "User" u LEFT JOIN "UserIdentity" i ON i."userId" = u.id WHERE u."givenName" = ? ORDER BY u.id, i.provider',
      )
      .all(givenName) as { userId: string; provider: string | null }[];
    const accounts = new Map<string, string[]>();
    for (const row of rows) accounts.set(row.userId, [...(accounts.get(row.userId) ?? []), ...(row.provider ? [row.provider] : [])]);
    return [...accounts.values()];
  } finally {
    db.close();
  }
}

/** The id of the account of the person with this given name at this provider (null when they have none). */
export function userIdOf(givenName: string, provider: string): string | null {
  const db = new Database(DATABASE_FILE, { readonly: true, fileMustExist: true });
  try {
    const row = db
      .prepare('SELECT u.id AS id FROM "User" u JOIN "UserIdentity" i ON i."userId" = u.id WHERE u."givenName" = ? AND i.provider = ?')
      .get(givenName, provider) as { id: string } | undefined;
    return row?.id ?? null;
  } finally {
    db.close();
  }
}

/**
 * Everything kept about a person, for "nothing changed" checks: their User row, their rows in
 * every table with a "userId" column (found from the database, so a table added later is
 * included) and the accesses to their record. Sessions are left out: using one touches it.
 */
export function recordOf(userId: string): Record<string, unknown[]> {
  const db = new Database(DATABASE_FILE, { readonly: true, fileMustExist: true });
  try {
    const tables = (db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name <> 'Session'`).all() as { name: string }[])
      .map((table) => table.name)
      .filter((table) => (db.prepare(`SELECT name FROM pragma_table_info(?)`).all(table) as { name: string }[]).some((column) => column.name === 'userId'))
      .sort();
    const record: Record<string, unknown[]> = {
      User: db.prepare('SELECT * FROM "User" WHERE id = ?').all(userId),
      ProxyAccess: db.prepare('SELECT * FROM "ProxyAccess" WHERE "personId" = ? ORDER BY id').all(userId),
    };
    for (const table of tables) record[table] = db.prepare(`SELECT * FROM "${table}" WHERE "userId" = ? ORDER BY rowid`).all(userId);
    return record;
  } finally {
    db.close();
  }
}
