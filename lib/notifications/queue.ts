import { randomUUID } from 'node:crypto';
import { Prisma } from '@/lib/generated/sqlite/client';
import { isPostgres, type Tx } from '@/lib/platform/db';
import { callerPersonalisation, TEMPLATE_FIELDS, type Template } from './templates';

/**
 * Notifications are queued in the outbox (lib/platform/outbox.ts, destination "notify") in the
 * transaction that makes the change they tell of, and sent by the worker (sender.ts):
 *
 * - only to citizens who chose email or text message (their contact preferences, kept by
 *   lib/contact-details); post, "only through this service" or no choice at all: nothing is queued;
 * - once per citizen, template and subject (the letter, the activity, the change): the message's
 *   idempotency key is made of the three, so a caller that runs again queues nothing more;
 * - a whole city at once (engagement invitations) in one INSERT ... SELECT, nobody loaded into the app.
 *
 * The message holds the template and the caller's part of the personalisation only: the address
 * or number, and the first name, are read when it is sent, so a change of mind in between counts.
 * Reading contact preferences here is the one place another capability's table is read, in SQL
 * only, because a set of citizens is queued inside the database.
 */

export const NOTIFY_DESTINATION = 'notify';
export type NotificationChannel = 'email' | 'sms' | 'none';

export type NotificationPayload = { template: Template; personalisation: Record<string, string> };

/** The idempotency key: at most one message per citizen, template and subject, ever. */
export function notificationKey(template: Template, userId: string, subjectId: string): string {
  return `notify:${template}:${userId}:${subjectId}`;
}

/**
 * Queues the template for every citizen `recipients` selects (columns "userId" and "subjectId")
 * who wants email or text messages, and not already queued for that subject. Returns how many.
 */
export async function queueNotifications(
  tx: Tx,
  request: { template: Template; recipients: Prisma.Sql; personalisation?: Record<string, string> },
  now = new Date(),
): Promise<number> {
  if (TEMPLATE_FIELDS[request.template].addressed) throw new Error(`${request.template} goes to an address someone gave: use queueAddressedNotification`);
  const payload: NotificationPayload = { template: request.template, personalisation: callerPersonalisation(request.template, request.personalisation) };
  const postgres = isPostgres();
  const id = postgres ? Prisma.sql`'c' || substr(replace(gen_random_uuid()::text, '-', ''), 1, 24)` : Prisma.sql`'c' || lower(hex(randomblob(12)))`;
  // PostgreSQL types a bound value in a select list as text; the columns are timestamps.
  const at = postgres ? Prisma.sql`CAST(${now} AS timestamp(3))` : Prisma.sql`${now}`;
  const text = (value: string) => Prisma.sql`CAST(${value} AS TEXT)`;
  // ON CONFLICT: one already queued (a caller run twice, or two at once) is left as it is. SQLite
  // needs the WHERE for it to read ON CONFLICT as the upsert clause rather than a join's ON.
  return tx.$executeRaw`
    INSERT INTO "OutboxMessage" ("id", "idempotencyKey", "createdAt", "destination", "topic", "userId", "subjectId", "payload", "status", "attempts", "nextAttemptAt")
    SELECT ${id}, ${text(`notify:${request.template}:`)} || r."userId" || ':' || r."subjectId", ${at}, ${text(NOTIFY_DESTINATION)}, ${text(request.template)},
      r."userId", r."subjectId", ${text(JSON.stringify(payload))}, 'pending', 0, ${at}
    FROM (${request.recipients}) r
    JOIN "ContactPreference" cp ON cp."userId" = r."userId"
    WHERE (cp."channel" = 'email' AND cp."email" IS NOT NULL) OR (cp."channel" = 'text' AND cp."mobile" IS NOT NULL)
    ON CONFLICT ("idempotencyKey") DO NOTHING`;
}

/**
 * Queues one notification for one citizen, by the channel they chose, and says which ('none':
 * they want neither email nor text messages, and nothing was queued). Without a subjectId every
 * call queues a message of its own; with one, the first call for it does.
 */
export async function queueNotification(
  tx: Tx,
  request: { userId: string; template: Template; personalisation?: Record<string, string>; subjectId?: string },
  now = new Date(),
): Promise<NotificationChannel> {
  const subjectId = request.subjectId ?? randomUUID();
  const recipients = Prisma.sql`SELECT CAST(${request.userId} AS TEXT) AS "userId", CAST(${subjectId} AS TEXT) AS "subjectId"`;
  await queueNotifications(tx, { template: request.template, recipients, personalisation: request.personalisation }, now);
  const [preference] = await tx.$queryRaw<{ channel: string }[]>`
    SELECT cp."channel" FROM "ContactPreference" cp
    WHERE cp."userId" = ${request.userId} AND ((cp."channel" = 'email' AND cp."email" IS NOT NULL) OR (cp."channel" = 'text' AND cp."mobile" IS NOT NULL))`;
  if (!preference) return 'none';
  return preference.channel === 'email' ? 'email' : 'sms';
}

/**
 * Queues a message that goes to an address someone gave rather than to a citizen's own email or
 * mobile (an `addressed` template: an invitation to act for them). It is theirs (`userId`: whose
 * doing it is, so closing their account cancels it) and about `subjectId`; nothing else is kept in
 * the outbox: where it goes and what it says are asked of the capability that queued it when it
 * is sent (sender.ts's `addressed`), so a withdrawn invitation is never sent. Once per subject.
 */
export async function queueAddressedNotification(tx: Tx, request: { userId: string; template: Template; subjectId: string }, now = new Date()): Promise<void> {
  if (!TEMPLATE_FIELDS[request.template].addressed) throw new Error(`${request.template} goes to a citizen's own address: use queueNotification`);
  const payload: NotificationPayload = { template: request.template, personalisation: {} };
  const idempotencyKey = notificationKey(request.template, request.userId, request.subjectId);
  await tx.outboxMessage.upsert({
    where: { idempotencyKey },
    create: {
      idempotencyKey,
      createdAt: now,
      destination: NOTIFY_DESTINATION,
      topic: request.template,
      userId: request.userId,
      subjectId: request.subjectId,
      payload: JSON.stringify(payload),
      status: 'pending',
      nextAttemptAt: now,
    },
    update: {},
  });
}
