import { parsePermissions, type ProxyPermission } from './permissions';

/**
 * Acting for someone else: when a session's acting access still holds. Checked on every request
 * (lib/identity/citizen.ts), so an access the person ended, one past its end date, or a parent's
 * once the child is 16 stops working at once, whatever the session remembers.
 */

/** Age in whole years on a UK calendar date (birthDate YYYY-MM-DD). */
function ageOn(birthDate: string, today: Date): number {
  const [year, month, day] = birthDate.split('-').map(Number) as [number, number, number];
  const beforeBirthday = today.getUTCMonth() + 1 < month || (today.getUTCMonth() + 1 === month && today.getUTCDate() < day);
  return today.getUTCFullYear() - year - (beforeBirthday ? 1 : 0);
}

/** The age at which a parent's access ends and the young person can have their own account. */
export const AGE_OF_OWN_ACCOUNT = 16;

type AccessRow = { status: string; endsAt: Date | null; basis: string };

/** Whether an access lets its proxy act now: active, not past its end, and a parent's only while the child is under 16. */
export function accessIsActive(access: AccessRow, person: { birthDate: string }, now: Date): boolean {
  if (access.status !== 'active') return false;
  if (access.endsAt && access.endsAt <= now) return false;
  if (access.basis === 'parent' && ageOn(person.birthDate, now) >= AGE_OF_OWN_ACCOUNT) return false;
  return true;
}

/** Who is acting, as pages and the audit log need them. */
export type Actor<U> = {
  /** The proxy's own account. */
  user: U;
  accessId: string;
  /** invited | parent | attorney */
  basis: string;
  permissions: ProxyPermission[];
};

export function actorOf<U>(user: U, access: { id: string; basis: string; permissions: string }): Actor<U> {
  return { user, accessId: access.id, basis: access.basis, permissions: parsePermissions(access.permissions) };
}

/** How the relationship reads in the audit log and to professionals. */
export const RELATIONSHIP_TEXT: Record<string, string> = {
  invited: 'Invited helper',
  parent: 'Parent or guardian',
  attorney: 'Attorney or deputy',
};

/**
 * Whether someone acting for another person may use a route with this access (lib/platform/page.ts
 * Access). Closed unless the route says otherwise: the person's own pages (their sign-in, their
 * account, their data) are never a proxy's.
 */
export function proxyMayUse(access: string, permissions: readonly ProxyPermission[]): boolean {
  if (access === 'public' || access === 'signed-in' || access === 'citizen-or-proxy') return true;
  if (access === 'staff' || access.startsWith('staff:')) return true;
  const [kind, permission] = access.split(':');
  return kind === 'citizen-or-proxy' && permissions.includes(permission as ProxyPermission);
}
