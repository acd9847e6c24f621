import { createHash, timingSafeEqual } from 'node:crypto';
import { appendAuditEntry, auditedTransaction, citizenActor, type Tx } from '@/lib/audit/public';
import { queueAddressedNotification, type AddressedMessage } from '@/lib/notifications/public';
import { appSecretMac } from '@/lib/platform/app-secret-mac';
import type { Db } from '@/lib/platform/db';
import { paths } from '@/lib/platform/paths';
import { contactText, endsAtOf, type CompleteInvite } from './invite-answers';
import { parsePermissions, storedPermissions, type ProxyPermission } from './permissions';

/**
 * Invitations to act for someone (ProxyAccess, basis 'invited'): the person invites someone by
 * email or text message; the invitee signs in with a proven identity and accepts or declines.
 *
 * The invitation's secret (the token in its link) is never stored: it is an HMAC of the
 * access's id with the app's secret, made again when the message is sent, and the row keeps
 * only its SHA-256 to find the invitation by. So neither the database nor the outbox holds a
 * working link. An invitation is answered once: accepting or declining changes its status in
 * one conditional update, so two answers at once cannot both count.
 */

/** How long an invitation can be accepted for. */
export const INVITATION_DAYS = 14;

/** At most this many invitations a person sends in a day: the service must not be a way to send anyone many messages. */
export const INVITATIONS_PER_DAY = 10;

const DAY_MS = 86_400_000;

/** The identity levels a proxy must have proved: GOV.UK One Login P2, NHS login P9. */
const PROVEN_LEVELS = ['P2', 'P9'];

type Person = { id: string; givenName: string; familyName: string };

const fullName = (user: { givenName: string; familyName: string }) => `${user.givenName} ${user.familyName}`;

/** The invitation's secret, made again whenever it is needed (never stored). */
export function invitationToken(accessId: string): string {
  return appSecretMac('proxy-invitation', accessId);
}

function tokenHash(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** A token as we make them (43 characters of base64url): anything else finds nothing. */
const TOKEN = /^[A-Za-z0-9_-]{43}$/;

/** How many invitations the person has sent since a day before `now`. */
export async function invitationsSentToday(db: Db, personId: string, now: Date): Promise<number> {
  return db.proxyAccess.count({ where: { personId, basis: 'invited', createdAt: { gt: new Date(now.getTime() - DAY_MS) } } });
}

/** The person's invitations still waiting and the accesses still active: an address already among them is not invited again. */
export async function openInvitationAddresses(db: Db, personId: string, now: Date): Promise<{ email: string | null; mobile: string | null }[]> {
  const rows = await db.proxyAccess.findMany({
    where: {
      personId,
      basis: 'invited',
      OR: [
        { status: 'invited', invitationExpiresAt: { gt: now } },
        { status: 'active', OR: [{ endsAt: null }, { endsAt: { gt: now } }] },
      ],
    },
    select: { invitedEmail: true, invitedMobile: true },
  });
  return rows.map((row) => ({ email: row.invitedEmail, mobile: row.invitedMobile }));
}

/**
 * Creates the invitation and queues its message in the caller's transaction (with the draft it
 * came from taken in the same one), with an audit entry. Returns its id and its secret (for
 * tests: the page never shows it).
 */
export async function createInvitation(tx: Tx, person: Person, invite: CompleteInvite, now: Date): Promise<{ id: string; token: string }> {
  const access = await tx.proxyAccess.create({
    data: {
      personId: person.id,
      basis: 'invited',
      status: 'invited',
      permissions: storedPermissions(invite.permissions),
      invitedName: invite.name,
      invitedEmail: invite.contact.channel === 'email' ? invite.contact.email : null,
      invitedMobile: invite.contact.channel === 'text' ? invite.contact.mobile : null,
      invitationExpiresAt: new Date(now.getTime() + INVITATION_DAYS * DAY_MS),
      endsAt: endsAtOf(invite.howLong),
      createdAt: now,
    },
    select: { id: true },
  });
  const token = invitationToken(access.id);
  await tx.proxyAccess.update({ where: { id: access.id }, data: { invitationTokenHash: tokenHash(token) } });
  await queueAddressedNotification(tx, { userId: person.id, template: 'proxy-invitation', subjectId: access.id }, now);
  await appendAuditEntry(
    tx,
    {
      ...citizenActor(person),
      citizenId: person.id,
      action: 'proxy-invited',
      detail: { accessId: access.id, permissions: storedPermissions(invite.permissions), channel: invite.contact.channel },
    },
    now,
  );
  return { id: access.id, token };
}

/** createInvitation in a transaction of its own (tests, and callers with nothing else to take). */
export function invite(db: Db, person: Person, answers: CompleteInvite, now: Date): Promise<{ id: string; token: string }> {
  return auditedTransaction(db, (tx) => createInvitation(tx, person, answers, now));
}

/**
 * What the invitation's message says and where it goes, asked by the notifications sender when
 * it sends it (lib/notifications AddressedMessages): nothing once it is withdrawn, answered or
 * expired, or the person's account is closed (the row goes with it).
 */
export async function invitationMessage(db: Db, accessId: string, now: Date): Promise<AddressedMessage | null> {
  const access = await db.proxyAccess.findUnique({ where: { id: accessId }, include: { person: { select: { givenName: true, familyName: true } } } });
  if (!access || access.status !== 'invited' || !access.invitedName || !access.invitationExpiresAt || access.invitationExpiresAt <= now) return null;
  const personalisation = { first_name: access.invitedName, sender: fullName(access.person) };
  const linkPath = paths.actingFor.invitation(invitationToken(access.id));
  if (access.invitedEmail) return { channel: 'email', to: access.invitedEmail, personalisation, linkPath };
  if (access.invitedMobile) return { channel: 'sms', to: access.invitedMobile, personalisation, linkPath };
  return null;
}

/** Why an invitation cannot be accepted (or declined) by this person now. */
export type InvitationRefusal = 'used' | 'withdrawn' | 'expired' | 'to-yourself' | 'unproven' | 'already-acting';

/** An invitation as its invitee sees it. */
export type Invitation = {
  id: string;
  personId: string;
  personName: string;
  invitedName: string;
  permissions: ProxyPermission[];
  endsAt: Date | null;
  expiresAt: Date;
};

type Invitee = { id: string; identityLevel: string };

/** The invitation this token is for, or null (a made-up or mistyped link: nothing is said about anyone). */
async function invitationRow(db: Db | Tx, token: string) {
  if (!TOKEN.test(token)) return null;
  const row = await db.proxyAccess.findUnique({
    where: { invitationTokenHash: tokenHash(token) },
    include: { person: { select: { givenName: true, familyName: true } } },
  });
  // The hash found it; the token must also be the one made for this row (a hash collision, or a row copied under another id).
  if (!row || !row.invitationExpiresAt) return null;
  const expected = Buffer.from(invitationToken(row.id));
  const given = Buffer.from(token);
  return expected.length === given.length && timingSafeEqual(expected, given) ? row : null;
}

type InvitationRow = NonNullable<Awaited<ReturnType<typeof invitationRow>>>;

async function refusalFor(db: Db | Tx, row: InvitationRow, invitee: Invitee, now: Date): Promise<InvitationRefusal | null> {
  if (row.status !== 'invited') return row.acceptedAt || row.endedReason === 'by-proxy' ? 'used' : 'withdrawn';
  if (row.invitationExpiresAt! <= now || (row.endsAt && row.endsAt <= now)) return 'expired';
  if (row.personId === invitee.id) return 'to-yourself';
  if (!PROVEN_LEVELS.includes(invitee.identityLevel)) return 'unproven';
  const acting = await db.proxyAccess.count({
    where: { personId: row.personId, proxyId: invitee.id, status: 'active', OR: [{ endsAt: null }, { endsAt: { gt: now } }] },
  });
  return acting > 0 ? 'already-acting' : null;
}

function asInvitation(row: InvitationRow): Invitation {
  return {
    id: row.id,
    personId: row.personId,
    personName: fullName(row.person),
    invitedName: row.invitedName ?? '',
    permissions: parsePermissions(row.permissions),
    endsAt: row.endsAt,
    expiresAt: row.invitationExpiresAt!,
  };
}

/** The invitation behind a link, and why this invitee cannot answer it (null: they can); null for an unknown link. */
export async function invitationFor(
  db: Db,
  token: string,
  invitee: Invitee,
  now: Date,
): Promise<{ invitation: Invitation; refusal: InvitationRefusal | null } | null> {
  const row = await invitationRow(db, token);
  if (!row) return null;
  return { invitation: asInvitation(row), refusal: await refusalFor(db, row, invitee, now) };
}

export type Answer = { ok: true; invitation: Invitation } | { ok: false; refusal: InvitationRefusal; invitation: Invitation } | null;

/**
 * Accepts or declines the invitation behind `token` for this invitee: every refusal is checked
 * again inside the transaction, and the status changes only if it is still waiting, so an
 * invitation counts once however many times (or by however many people) it is answered.
 */
export async function answerInvitation(
  db: Db,
  token: string,
  invitee: Invitee & { givenName: string; familyName: string },
  answer: 'accept' | 'decline',
  now: Date,
): Promise<Answer> {
  return auditedTransaction(db, async (tx) => {
    const row = await invitationRow(tx, token);
    if (!row) return null;
    const invitation = asInvitation(row);
    const refusal = await refusalFor(tx, row, invitee, now);
    if (refusal) return { ok: false, refusal, invitation };
    const accepted = answer === 'accept';
    const { count } = await tx.proxyAccess.updateMany({
      where: { id: row.id, status: 'invited' },
      data: accepted
        ? { status: 'active', proxyId: invitee.id, acceptedAt: now }
        : // Declined: ended by the one invited (by-proxy), who never acted.
          { status: 'ended', endedAt: now, endedReason: 'by-proxy' },
    });
    if (count === 0) return { ok: false, refusal: 'used', invitation };
    await appendAuditEntry(
      tx,
      {
        ...citizenActor({ id: invitee.id, givenName: invitee.givenName, familyName: invitee.familyName }),
        citizenId: row.personId,
        action: accepted ? 'proxy-accepted' : 'proxy-declined',
        detail: { accessId: row.id },
      },
      now,
    );
    return { ok: true, invitation };
  });
}

/** Where an invitation was sent, as the person reads it. */
export function sentTo(access: { invitedEmail: string | null; invitedMobile: string | null }): string | null {
  if (access.invitedEmail) return contactText({ channel: 'email', email: access.invitedEmail });
  if (access.invitedMobile) return contactText({ channel: 'text', mobile: access.invitedMobile });
  return null;
}
