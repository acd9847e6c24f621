import { config } from '@/lib/platform/config';
import { getDb } from '@/lib/platform/db';
import { log } from '@/lib/platform/log';
import { pageRoute, renderPage, type PageRequest } from '@/lib/platform/page';
import { redirect } from '@/lib/platform/render';
import { readSessionClaims } from './citizen';
import { needsTouch, sessionState } from './session-rules';
import { signedOutCookies, signOutAtProvider } from './sign-out';
import { findStaffSession, hasRole, parseRoles, revokeStaffSession, STAFF_PROVIDER, touchStaffSession, type StaffRole } from './staff';
import { paths } from '@/lib/platform/paths';

/** Who is signed in as staff, checked against the StaffSession table on every request. */

export type SignedInStaff = NonNullable<Awaited<ReturnType<typeof findStaffSession>>> & { roleList: StaffRole[] };

export type StaffLookup = { state: 'signed-in'; staff: SignedInStaff } | { state: 'signed-out' } | { state: 'ended' };

export async function currentStaff(req: Request, now = new Date()): Promise<StaffLookup> {
  const claims = await readSessionClaims(req);
  // A citizen's session is never a staff one.
  if (!claims || claims.provider !== STAFF_PROVIDER) return { state: 'signed-out' };
  const db = getDb();
  const session = await findStaffSession(db, claims.sid);
  if (!session || session.subject !== claims.sub) return { state: 'ended' };
  const state = sessionState(session, now);
  if (state !== 'active') {
    if (state !== 'revoked') {
      await revokeStaffSession(db, session.id, now);
      log.info('session-ended', { reason: state, provider: STAFF_PROVIDER });
    }
    return { state: 'ended' };
  }
  if (needsTouch(session, now)) await touchStaffSession(db, session.id, now);
  return { state: 'signed-in', staff: { ...session, roleList: parseRoles(session.roles) } };
}

export type StaffAccess = 'allowed' | 'sign-in' | 'forbidden';

/** The guard's decision: signed in as staff, and holding the role when the page needs one. */
export function staffAccess(lookup: StaffLookup, role: StaffRole | null): StaffAccess {
  if (lookup.state !== 'signed-in') return 'sign-in';
  if (role && !hasRole(lookup.staff.roleList, role)) return 'forbidden';
  return 'allowed';
}

export type StaffPageRequest = PageRequest & { staff: SignedInStaff };

/**
 * A staff page. The role is checked on the server on every request, from the session
 * row (never from anything the browser sends). `null`: any signed-in member of staff.
 */
export function staffPage(role: StaffRole | null, handler: (page: StaffPageRequest) => Response | Promise<Response>) {
  return pageRoute(
    async (page) => {
      const lookup = await currentStaff(page.req);
      if (lookup.state !== 'signed-in') return redirect(paths.staff.signIn, lookup.state === 'ended' ? { cookies: signedOutCookies() } : {});
      if (staffAccess(lookup, role) === 'forbidden') {
        log.warn('authorisation-refused', { requestId: page.requestId, path: page.url.pathname, role });
        return renderPage(page, 'staff/forbidden.njk', { staffSignedIn: true }, { status: 403 });
      }
      return handler({ ...page, staff: lookup.staff });
    },
    role ? `staff:${role}` : 'staff',
  );
}

/** Staff sign out like citizens: our session revoked, then the directory's end-session. */
export async function signOutStaff(staff: SignedInStaff): Promise<Response> {
  await revokeStaffSession(getDb(), staff.id);
  log.info('signed-out', { provider: STAFF_PROVIDER });
  return signOutAtProvider(config().identity.staff.issuer, staff.idToken);
}
