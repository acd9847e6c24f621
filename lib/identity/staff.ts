import type { Db } from '@/lib/platform/db';
import { newSessionId } from './session-store';

/**
 * Staff: who they are and what they may do, from the staff directory's id_token.
 * Roles are read only from the signed claims, and checked on the server on every request.
 */

/** next-auth's id for the staff directory, also the provider named in a staff session's cookie. */
export const STAFF_PROVIDER = 'staff';

// proxy-verifier: checks parents' and attorneys' requests to act for someone (lib/proxy), for
// example at a GP practice, and grants or refuses them.
export const STAFF_ROLES = ['care-professional', 'engagement-coordinator', 'programme-admin', 'proxy-verifier'] as const;

export type StaffRole = (typeof STAFF_ROLES)[number];

export type StaffMember = {
  subject: string;
  givenName: string;
  familyName: string;
  organisation: { code: string; name: string };
  jobRole: string;
  roles: StaffRole[];
};

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() ? value.trim() : undefined;
}

function isStaffRole(value: unknown): value is StaffRole {
  return STAFF_ROLES.includes(value as StaffRole);
}

/**
 * The staff member in the id_token's claims, or null when a claim we need is missing.
 * Roles this service does not know are dropped: they grant nothing here.
 */
export function staffFromClaims(claims: Record<string, unknown>): StaffMember | null {
  const subject = text(claims.sub);
  const givenName = text(claims.given_name);
  const familyName = text(claims.family_name);
  const organisation = (claims.organisation ?? {}) as { code?: unknown; name?: unknown };
  const code = text(organisation.code);
  const name = text(organisation.name);
  if (!subject || !givenName || !familyName || !code || !name) return null;
  const roles = Array.isArray(claims.roles) ? [...new Set(claims.roles.filter(isStaffRole))] : [];
  return { subject, givenName, familyName, organisation: { code, name }, jobRole: text(claims.job_role) ?? '', roles };
}

export function hasRole(roles: readonly StaffRole[], role: StaffRole): boolean {
  return roles.includes(role);
}

/** The roles kept on a session row, read back; anything unknown is dropped. */
export function parseRoles(stored: string): StaffRole[] {
  return stored.split(',').filter(isStaffRole);
}

export async function recordStaffSignIn(
  db: Db,
  member: StaffMember,
  session: { idToken: string; idleSeconds: number; maxSeconds: number },
  now = new Date(),
): Promise<string> {
  const row = await db.staffSession.create({
    data: {
      id: newSessionId(),
      subject: member.subject,
      givenName: member.givenName,
      familyName: member.familyName,
      organisationCode: member.organisation.code,
      organisationName: member.organisation.name,
      jobRole: member.jobRole,
      roles: member.roles.join(','),
      idToken: session.idToken,
      idleSeconds: session.idleSeconds,
      createdAt: now,
      lastSeenAt: now,
      absoluteExpiresAt: new Date(now.getTime() + session.maxSeconds * 1000),
    },
  });
  return row.id;
}

export function findStaffSession(db: Db, id: string) {
  return db.staffSession.findUnique({ where: { id } });
}

export async function touchStaffSession(db: Db, id: string, now = new Date()): Promise<void> {
  await db.staffSession.updateMany({ where: { id, revokedAt: null }, data: { lastSeenAt: now } });
}

export async function revokeStaffSession(db: Db, id: string, now = new Date()): Promise<void> {
  await db.staffSession.updateMany({ where: { id, revokedAt: null }, data: { revokedAt: now } });
}
