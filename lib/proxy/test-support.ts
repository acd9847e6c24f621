// For lib/proxy's tests: made-up NHS numbers that pass the check digit, dates of birth of a given
// age, and requests sent as the journey sends them.
import { saveDraft } from '@/lib/platform/drafts';
import { isValidNhsNumber } from '@/lib/platform/nhs-number';
import type { CompleteRequest, Relationship } from './request';
import { DRAFT_JOURNEY, sendRequest, type Requester } from './request-store';
import { getDb, type Db } from '@/lib/platform/db';
import { citizenSessionCookie, makeCitizen } from '@/lib/platform/db-test-support';
import { PROXY_PERMISSIONS, storedPermissions, type ProxyPermission } from './permissions';

/** A made-up NHS number (999 numbers are never issued) with a right check digit. */
export function madeUpNhsNumber(): string {
  for (;;) {
    const nine = `999${String(Math.floor(Math.random() * 1_000_000)).padStart(6, '0')}`;
    for (let check = 0; check <= 9; check += 1) if (isValidNhsNumber(`${nine}${check}`)) return `${nine}${check}`;
  }
}

/** YYYY-MM-DD: `years` years and `days` days before `today` (UTC). */
export function bornBefore(today: Date, years: number, days = 0): string {
  return new Date(Date.UTC(today.getUTCFullYear() - years, today.getUTCMonth(), today.getUTCDate() - days)).toISOString().slice(0, 10);
}

export function completeRequest(
  relationship: Relationship,
  person: { givenName?: string; familyName?: string; birthDate: string; nhsNumber?: string },
  permissions: ProxyPermission[] = ['care-record', 'blood-pressure'],
): CompleteRequest {
  return {
    relationship,
    person: {
      givenName: person.givenName ?? 'Chloe',
      familyName: person.familyName ?? 'Testchild',
      birthDate: person.birthDate,
      nhsNumber: person.nhsNumber ?? madeUpNhsNumber(),
    },
    evidence:
      relationship === 'parent'
        ? { kind: 'birth-certificate', gpPractice: 'Demo Lane Surgery' }
        : { kind: 'lasting-power-of-attorney', reference: '7000-1234-5678', gpPractice: 'Demo Lane Surgery' },
    permissions,
  };
}

/** Sends a request as check answers does: the answers kept as the draft first. */
export async function ask(requester: Requester, request: CompleteRequest, now = new Date()) {
  await saveDraft(getDb(), requester.id, DRAFT_JOURNEY, request, now);
  return sendRequest(getDb(), requester, request, now);
}

/**
 * Someone signed in and acting for the person under an access made here: a new registered proxy,
 * an access (active, every permission unless told), and their session's cookie header.
 */
export async function actingSession(
  personId: string,
  access: { permissions?: readonly ProxyPermission[]; basis?: string; status?: string; endsAt?: Date | null } = {},
  db: Db = getDb(),
): Promise<{ cookie: string; proxyId: string; accessId: string }> {
  const proxyId = await makeCitizen({ givenName: 'Carer', familyName: 'Helpwell' }, db);
  const { id: accessId } = await db.proxyAccess.create({
    data: {
      personId,
      proxyId,
      basis: access.basis ?? 'invited',
      status: access.status ?? 'active',
      permissions: storedPermissions(access.permissions ?? PROXY_PERMISSIONS),
      endsAt: access.endsAt ?? null,
      acceptedAt: new Date(),
    },
  });
  return { cookie: await citizenSessionCookie(proxyId, db, { actingForId: accessId }), proxyId, accessId };
}
