import { getDb, type Db } from '@/lib/platform/db';
import { citizenSessionCookie, makeCitizen } from '@/lib/platform/db-test-support';
import { PROXY_PERMISSIONS, storedPermissions, type ProxyPermission } from './permissions';

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
