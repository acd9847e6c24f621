import { parsePermissions, type ProxyPermission } from './permissions';

/**
 * Acting for someone else: who is acting, and which routes they may use. Whether the access still
 * holds is ./active.ts, checked on every request (lib/identity/citizen.ts).
 */

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
