import { randomBytes, randomUUID } from 'node:crypto';
import Database from 'better-sqlite3';
import { DATABASE_FILE } from './site';
import type { TestCitizen } from './sharing';

/**
 * A test citizen's account as other journeys leave it, written straight into the e2e database:
 * an app connected (as the consent page records it) and a join of two accounts waiting for the
 * citizen's answers (as signing in with the other account starts it); and what it has given.
 */

const stamp = (at: Date) => at.toISOString().replace('Z', '+00:00');

function write<T>(work: (db: Database.Database) => T): T {
  const db = new Database(DATABASE_FILE, { fileMustExist: true, timeout: 5_000 });
  try {
    return db.transaction(() => work(db))();
  } finally {
    db.close();
  }
}

/** The citizen has connected this registered app (lib/open-platform: an AppConnection with a grant of its own). */
export function connectApp(citizen: TestCitizen, appId: string, scopes = 'launch/patient patient/Observation.rs'): void {
  write((db) =>
    db
      .prepare('INSERT INTO "AppConnection" (id, "userId", "appId", "grantId", scopes, "connectedAt") VALUES (?, ?, ?, ?, ?, ?)')
      .run(randomUUID(), citizen.id, appId, `e2e-grant-${randomUUID()}`, scopes, stamp(new Date())),
  );
}

/**
 * The citizen signed in with another account's way of signing in (`other` owns it, with its own
 * top three things): the join waits for their answers (lib/identity/account-links.ts startJoin).
 */
export function pendingJoin(citizen: TestCitizen, other: TestCitizen): void {
  const subject = `e2e-join-${randomBytes(8).toString('hex')}`;
  const now = new Date();
  write((db) => {
    db.prepare('INSERT INTO "UserIdentity" (id, "createdAt", provider, subject, "userId") VALUES (?, ?, ?, ?, ?)').run(
      `e2e-identity-${randomUUID()}`,
      stamp(now),
      'onelogin',
      subject,
      other.id,
    );
    db.prepare('INSERT INTO "Draft" ("userId", journey, answers, "updatedAt", "expiresAt") VALUES (?, ?, ?, ?, ?)').run(
      citizen.id,
      'identity/join-accounts',
      JSON.stringify({ otherUserId: other.id, provider: 'onelogin', subject, choices: {} }),
      stamp(now),
      stamp(new Date(now.getTime() + 3_600_000)),
    );
  });
}

/** The ids of the accesses (lib/proxy) a citizen has given (`personId`: invitations) or asked for (`proxyId`: requests), newest first. */
export function proxyAccessesOf(who: { personId: string } | { proxyId: string }): string[] {
  const [column, id] = 'personId' in who ? ['personId', who.personId] : ['proxyId', who.proxyId];
  const db = new Database(DATABASE_FILE, { readonly: true, fileMustExist: true });
  try {
    return (db.prepare(`SELECT id FROM "ProxyAccess" WHERE "${column}" = ? ORDER BY "createdAt" DESC`).all(id) as { id: string }[]).map((row) => row.id);
  } finally {
    db.close();
  }
}
