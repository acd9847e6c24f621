import Database from 'better-sqlite3';
import { CARE_RECORD_RECEIVER_URL, COUNCIL_RECEIVER_URL, DATABASE_FILE } from './site';

/** What the contact details journeys stored, for the person with this given name at this provider. */

function query<T>(sql: string, ...params: unknown[]): T[] {
  const db = new Database(DATABASE_FILE, { readonly: true, fileMustExist: true });
  try {
    return db.prepare(sql).all(...params) as T[];
  } finally {
    db.close();
  }
}

const USER_AT = 'SELECT u.id FROM "User" u JOIN "UserIdentity" i ON i."userId" = u.id WHERE u."givenName" = ? AND i.provider = ?';

export function addressesOf(givenName: string, provider: string): { line1: string; postcode: string; source: string }[] {
  return query(`SELECT line1, postcode, source FROM "PostalAddress" WHERE "userId" IN (${USER_AT}) ORDER BY "createdAt"`, givenName, provider);
}

export function postToDigitalSwitchesOf(givenName: string, provider: string): { toChannel: string }[] {
  return query(`SELECT "toChannel" FROM "PostToDigitalSwitch" WHERE "userId" IN (${USER_AT}) ORDER BY at`, givenName, provider);
}

export function preferenceOf(givenName: string, provider: string): { channel: string; email: string | null; mobile: string | null } | undefined {
  return query<{ channel: string; email: string | null; mobile: string | null }>(
    `SELECT channel, email, mobile FROM "ContactPreference" WHERE "userId" IN (${USER_AT})`,
    givenName,
    provider,
  )[0];
}

export type ReceivedChange = { key: string; path: string; body: Record<string, unknown> };

/** What each demo receiver kept (once per idempotency key). */
export async function receivedBy(organisation: 'care-record' | 'council'): Promise<ReceivedChange[]> {
  const response = await fetch(`${organisation === 'care-record' ? CARE_RECORD_RECEIVER_URL : COUNCIL_RECEIVER_URL}/received`);
  return (await response.json()) as ReceivedChange[];
}
