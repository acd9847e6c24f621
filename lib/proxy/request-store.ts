import { appendAuditEntry, auditedTransaction, citizenActor, staffActor } from '@/lib/audit/public';
import type { Db, Tx } from '@/lib/platform/db';
import { takeDraft } from '@/lib/platform/drafts';
import { formatNhsNumber } from '@/lib/platform/nhs-number';
import { accessIsActive } from './active';
import { parsePermissions, storedPermissions } from './permissions';
import { ageFits, RELATIONSHIPS, requestDetailOf, type CompleteRequest, type Decision, type Relationship } from './request';

/**
 * Parents' and attorneys' requests in the database: sending one, the lists the person asking and
 * the member of staff read, and the decision.
 *
 * Whom a request is for (ProxyAccess.personId): the record already in the service with that NHS
 * number and date of birth (an adult with their own account, or a record we hold for a child
 * after an earlier request), else a new one made with the request: a User with no way of signing
 * in, not registered (so no professional finds it and no report counts it). Granting makes it a
 * record held for the person (heldForPersonSince, registeredAt), which is theirs when they first
 * sign in (lib/identity/held-record.ts). Refusing keeps it, with the refused request, so the person
 * asking can read why; once no request names it (the person asking closed their account), the
 * turning-16 sweep removes it (removeUnusedRequestRecords).
 */

export const DRAFT_JOURNEY = 'proxy/request' as const;

/** Only a parent's or an attorney's request is ever read here (invitations are not requests). */
const REQUESTED_BASES = { in: [...RELATIONSHIPS] };

export type Requester = { id: string; givenName: string; familyName: string; nhsNumber: string | null };

/** An NHS number as it may be kept: the 10 digits (from NHS login), or written with spaces. */
const nhsNumberForms = (digits: string) => [digits, formatNhsNumber(digits)];

/** The record in the service for the person with this NHS number and date of birth, if there is one. */
export function recordFor(db: Db | Tx, person: { nhsNumber: string; birthDate: string }) {
  return db.user.findFirst({
    where: { nhsNumber: { in: nhsNumberForms(person.nhsNumber) }, birthDate: person.birthDate },
    orderBy: { createdAt: 'asc' },
    select: { id: true },
  });
}

/** Whether the person asking is the person they name (their own NHS number, or their own record). */
export function isThemselves(requester: Requester, person: { nhsNumber: string }, record: { id: string } | null): boolean {
  return record?.id === requester.id || (requester.nhsNumber !== null && requester.nhsNumber.replace(/\s/g, '') === person.nhsNumber);
}

/** Whether they already have a request waiting, or access that still holds, for this record. */
export async function alreadyAsked(db: Db | Tx, requesterId: string, personId: string, now: Date): Promise<boolean> {
  const rows = await db.proxyAccess.findMany({
    where: { personId, proxyId: requesterId, status: { in: ['requested', 'active'] } },
    select: { status: true, endsAt: true, basis: true, person: { select: { birthDate: true } } },
  });
  return rows.some((row) => row.status === 'requested' || accessIsActive(row, row.person, now));
}

export type SendOutcome = { sent: true; id: string } | { sent: false; why: 'themselves' | 'already-asked' | 'already-sent' };

/**
 * Sends the request: the record it is for (found or made), the request, and an audit entry, in
 * one transaction, and the draft is used up in it (a second click sends nothing twice).
 */
export function sendRequest(db: Db, requester: Requester, request: CompleteRequest, now: Date): Promise<SendOutcome> {
  return auditedTransaction(db, async (tx): Promise<SendOutcome> => {
    const found = await recordFor(tx, request.person);
    if (isThemselves(requester, request.person, found)) return { sent: false, why: 'themselves' };
    if (found && (await alreadyAsked(tx, requester.id, found.id, now))) return { sent: false, why: 'already-asked' };
    if (!(await takeDraft(tx, requester.id, DRAFT_JOURNEY, now))) return { sent: false, why: 'already-sent' };
    const { givenName, familyName, birthDate, nhsNumber } = request.person;
    const personId =
      found?.id ?? (await tx.user.create({ data: { givenName, familyName, birthDate, nhsNumber, identityLevel: 'none' }, select: { id: true } })).id;
    const access = await tx.proxyAccess.create({
      data: {
        personId,
        proxyId: requester.id,
        basis: request.relationship,
        status: 'requested',
        permissions: storedPermissions(request.permissions),
        requestDetail: JSON.stringify(requestDetailOf(request)),
        createdAt: now,
      },
      select: { id: true },
    });
    await appendAuditEntry(
      tx,
      {
        ...citizenActor(requester),
        citizenId: personId,
        action: 'proxy-access-requested',
        category: 'proxy-access',
        detail: { accessId: access.id, basis: request.relationship, permissions: storedPermissions(request.permissions) },
      },
      now,
    );
    return { sent: true, id: access.id };
  });
}

const personFields = { id: true, givenName: true, familyName: true, birthDate: true } as const;

/** Every request this person made (parent or attorney), newest first, with whom each is for. */
export function requestsOf(db: Db, requesterId: string) {
  return db.proxyAccess.findMany({
    where: { proxyId: requesterId, basis: REQUESTED_BASES },
    include: { person: { select: personFields } },
    orderBy: { createdAt: 'desc' },
    take: 100,
  });
}

/** Requests waiting for a member of staff, oldest first. */
export function waitingRequests(db: Db) {
  return db.proxyAccess.findMany({
    where: { status: 'requested', basis: REQUESTED_BASES },
    include: { person: { select: personFields }, proxy: { select: { givenName: true, familyName: true } } },
    orderBy: { createdAt: 'asc' },
    take: 200,
  });
}

/** One request, with what a member of staff needs to check it: both people, and what the service already holds for the person. */
export function requestForReview(db: Db, id: string) {
  return db.proxyAccess.findFirst({
    where: { id, basis: REQUESTED_BASES },
    include: {
      person: { select: { ...personFields, nhsNumber: true, registeredAt: true, heldForPersonSince: true, _count: { select: { identities: true } } } },
      proxy: { select: { id: true, givenName: true, familyName: true, birthDate: true, nhsNumber: true, identityLevel: true } },
    },
  });
}

export type ReviewedRequest = NonNullable<Awaited<ReturnType<typeof requestForReview>>>;

/** The member of staff who decides, as the request and the audit log keep them. */
export type Decider = { subject: string; givenName: string; familyName: string; organisationName: string; organisationCode: string; jobRole: string };

/** Every look at a request (the person's name, date of birth and NHS number) is recorded, as for any record. */
export function recordRequestViewed(db: Db, staff: Decider, request: { id: string; personId: string }) {
  return auditedTransaction(db, (tx) =>
    appendAuditEntry(tx, {
      ...staffActor(staff),
      citizenId: request.personId,
      action: 'proxy-request-viewed',
      category: 'proxy-access',
      detail: { accessId: request.id },
    }),
  );
}

export type DecideOutcome = 'decided' | 'not-found' | 'already-decided' | 'turned-16' | 'nothing-granted' | 'no-reason';

/**
 * Grants (what was asked, or less) or refuses with a reason (never without one), once: a second decision (another
 * member of staff at the same moment, or a second click) changes nothing. Granting makes the
 * request's new record a record held for the person; a parent's request can no longer be granted
 * once the child is 16.
 */
export function decideRequest(db: Db, id: string, staff: Decider, decision: Decision, now: Date): Promise<DecideOutcome> {
  return auditedTransaction(db, async (tx): Promise<DecideOutcome> => {
    const row = await tx.proxyAccess.findFirst({ where: { id, basis: REQUESTED_BASES }, include: { person: { select: { birthDate: true } } } });
    if (!row) return 'not-found';
    if (row.status !== 'requested') return 'already-decided';
    const decided = {
      decidedAt: now,
      decidedByStaffId: staff.subject,
      decidedByName: `${staff.givenName} ${staff.familyName}`,
      decidedByOrganisation: `${staff.organisationName} (${staff.organisationCode})`,
    };
    // Never more than was asked for, whatever the form sent.
    const granted =
      decision.decision === 'grant'
        ? storedPermissions(parsePermissions(row.permissions).filter((permission) => decision.permissions.includes(permission)))
        : null;
    if (granted !== null && !ageFits(row.basis as Relationship, row.person.birthDate, now)) return 'turned-16';
    if (granted === '') return 'nothing-granted';
    // The person asking is always told why: a refusal without a reason is never recorded.
    if (decision.decision === 'refuse' && !decision.reason.trim()) return 'no-reason';
    const data =
      decision.decision === 'grant'
        ? { ...decided, status: 'active', permissions: granted ?? '' }
        : { ...decided, status: 'refused', decisionReason: decision.reason };
    const { count } = await tx.proxyAccess.updateMany({ where: { id, status: 'requested' }, data });
    if (count !== 1) return 'already-decided';
    // The record made with the request is now held for the person (an account of their own is left as it is).
    if (decision.decision === 'grant') {
      await tx.user.updateMany({
        where: { id: row.personId, registeredAt: null, heldForPersonSince: null, identities: { none: {} } },
        data: { heldForPersonSince: now, registeredAt: now },
      });
    }
    await appendAuditEntry(
      tx,
      {
        ...staffActor(staff),
        citizenId: row.personId,
        action: decision.decision === 'grant' ? 'proxy-access-granted' : 'proxy-access-refused',
        category: 'proxy-access',
        reason: decision.decision === 'refuse' ? decision.reason : null,
        detail: { accessId: id, basis: row.basis, asked: row.permissions, ...(granted !== null ? { granted } : {}) },
      },
      now,
    );
    return 'decided';
  });
}
