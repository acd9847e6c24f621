import { randomUUID } from 'node:crypto';
import Database from 'better-sqlite3';
import { DATABASE_FILE, NOTIFY_URL } from './site';

/** Notifications (lib/notifications): citizens who chose email or text, and what the local Notify sent. */

const stamp = () => new Date().toISOString().replace('Z', '+00:00');

/**
 * A registered citizen of this test's own (no sign-in needed) who wants to be invited to have
 * their say about transport, at most once a month, and chose to be contacted by email.
 */
export function invitableCitizenByEmail(label: string): { userId: string; email: string; givenName: string } {
  const db = new Database(DATABASE_FILE, { fileMustExist: true, timeout: 5_000 });
  try {
    const userId = `e2e-u-${randomUUID()}`;
    const email = `notify.${randomUUID().slice(0, 8)}@example.com`;
    const givenName = `Nadia${label.replace(/[^a-z0-9]/gi, '').slice(-6)}`;
    db.transaction(() => {
      db.prepare(
        'INSERT INTO "User" (id, "createdAt", "givenName", "familyName", "birthDate", "identityLevel", "registeredAt") VALUES (?, ?, ?, ?, ?, ?, ?)',
      ).run(userId, stamp(), givenName, 'Example', '1980-05-01', 'P9', stamp());
      db.prepare(
        'INSERT INTO "EngagementPreference" ("userId", "updatedAt", "wantsInvitations", topics, methods, "monthlyLimit") VALUES (?, ?, 1, ?, ?, 1)',
      ).run(userId, stamp(), 'transport', '');
      db.prepare('INSERT INTO "ContactPreference" ("userId", "updatedAt", channel, email, "changeId") VALUES (?, ?, ?, ?, ?)').run(
        userId,
        stamp(),
        'email',
        email,
        randomUUID(),
      );
    })();
    return { userId, email, givenName };
  } finally {
    db.close();
  }
}

export type SentNotification = {
  type: 'email' | 'sms';
  to: string;
  templateName: string;
  subject?: string;
  body: string;
  personalisation: Record<string, string>;
  reference: string | null;
};

/** What the local Notify (scripts/notify/server.ts) sent to this email address or mobile number. */
export async function sentTo(address: string): Promise<SentNotification[]> {
  const response = await fetch(`${NOTIFY_URL}/sent`);
  if (!response.ok) throw new Error(`${NOTIFY_URL}/sent answered ${response.status}`);
  return ((await response.json()) as SentNotification[]).filter((notification) => notification.to === address);
}
