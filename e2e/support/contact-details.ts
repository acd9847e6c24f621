import { randomUUID } from 'node:crypto';
import Database from 'better-sqlite3';
import { DEVELOPMENT_PARTNER_KEYS } from '../../lib/platform/config';
import { signRequest } from '../../lib/platform/signed-requests';
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

/** What each demo receiver kept (once per idempotency key): asked for signed with that organisation's development key, as the receiver requires. */
export async function receivedBy(organisation: 'care-record' | 'council'): Promise<ReceivedChange[]> {
  const url = `${organisation === 'care-record' ? CARE_RECORD_RECEIVER_URL : COUNCIL_RECEIVER_URL}/received`;
  const secret = DEVELOPMENT_PARTNER_KEYS[organisation] as string;
  const response = await fetch(url, { headers: signRequest({ organisationId: organisation, secret, method: 'GET', url, body: '' }) });
  if (!response.ok) throw new Error(`${url} answered ${response.status}`);
  return (await response.json()) as ReceivedChange[];
}

/** GET /received without a signature: what anyone else gets. */
export async function receivedUnsigned(organisation: 'care-record' | 'council'): Promise<number> {
  const response = await fetch(`${organisation === 'care-record' ? CARE_RECORD_RECEIVER_URL : COUNCIL_RECEIVER_URL}/received`);
  await response.body?.cancel();
  return response.status;
}

/** A change the dispatcher gave up on (as after every try failed), for this citizen: its id and key. */
export function failedDelivery(userId: string): { id: string; key: string } {
  const db = new Database(DATABASE_FILE, { fileMustExist: true, timeout: 5_000 });
  try {
    const id = `e2e-outbox-${randomUUID()}`;
    const key = randomUUID();
    const now = new Date().toISOString().replace('Z', '+00:00');
    const payload = JSON.stringify({
      type: 'address-changed',
      changedAt: now,
      citizen: { id: userId },
      address: { line1: '1 Test Street', town: 'Leeds', postcode: 'LS1 1AA' },
    });
    db.prepare(
      'INSERT INTO "OutboxMessage" (id, "idempotencyKey", "createdAt", destination, topic, "userId", "subjectId", payload, status, attempts, "nextAttemptAt", "lastError") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
    ).run(id, key, now, 'council', 'address-changed', userId, randomUUID(), payload, 'failed', 8, now, 'HTTP 503');
    return { id, key };
  } finally {
    db.close();
  }
}

export function deliveryStatus(id: string): string | undefined {
  return query<{ status: string }>('SELECT status FROM "OutboxMessage" WHERE id = ?', id)[0]?.status;
}
