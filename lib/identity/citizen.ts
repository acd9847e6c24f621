import { decode } from 'next-auth/jwt';
import { config } from '@/lib/platform/config';
import { readCookies } from '@/lib/platform/cookies';
import { getDb } from '@/lib/platform/db';
import { log } from '@/lib/platform/log';
import { accessIsActive, actorOf, type Actor } from '@/lib/proxy/public';
import { sessionCookieName } from './session-cookie';
import { findSession, revokeSession, touchSession } from './session-store';
import { needsTouch, sessionState } from './session-rules';
import { STAFF_PROVIDER } from './staff';

/**
 * Who is signed in, checked against the Session table on every request: the cookie only
 * names a session, which may have been revoked or timed out since.
 */

type SessionRow = NonNullable<Awaited<ReturnType<typeof findSession>>>;

/**
 * The signed-in citizen a page works for. Someone acting for another person (lib/proxy) is, to
 * every page, that person (`userId` and `user` are theirs), with `actor` saying who is really
 * there: the proxy's own account and what they may do. `actingEnded`: this session was acting
 * under an access that no longer holds (ended, expired, the child turned 16), now cleared.
 */
export type Citizen = Omit<SessionRow, 'actingFor'> & { actor?: Actor<SessionRow['user']>; actingEnded?: boolean };

/** `ended` names whose session it was when we know, so answers sent just after a timeout can be kept for them. */
export type CitizenLookup = { state: 'signed-in'; citizen: Citizen } | { state: 'signed-out' } | { state: 'ended'; userId?: string };

/** What next-auth's JWT cookie holds: nothing else. */
export type SessionClaims = { sid: string; sub: string; provider: string };

/**
 * Cookies already decoded, and what they hold: decoding is a key derivation and a decryption,
 * and a signed-in page (a staff page twice) would do both on every request for the same cookie.
 * Only a cookie that decoded is kept, never past its own expiry nor longer than KEEP_MS; bounded.
 */
const decoded = new Map<string, { claims: SessionClaims; until: number }>();
const KEEP_MS = 5 * 60_000;
const MAX_DECODED = 20_000;

function claimsOf(payload: Record<string, unknown> | null): SessionClaims | null {
  if (typeof payload?.sid !== 'string' || typeof payload.sub !== 'string' || typeof payload.provider !== 'string') return null;
  return { sid: payload.sid, sub: payload.sub, provider: payload.provider };
}

export async function readSessionClaims(req: Request): Promise<SessionClaims | null> {
  const token = readCookies(req).get(sessionCookieName());
  if (!token) return null;
  const now = Date.now();
  const known = decoded.get(token);
  if (known && known.until > now) return known.claims;
  try {
    const payload = await decode({ token, secret: config().appSecret });
    const claims = claimsOf(payload);
    if (!claims) return null;
    const expires = typeof payload?.exp === 'number' ? payload.exp * 1000 : now;
    if (decoded.size >= MAX_DECODED) decoded.clear();
    decoded.set(token, { claims, until: Math.min(expires, now + KEEP_MS) });
    return claims;
  } catch {
    return null;
  }
}

export async function currentCitizen(req: Request, now = new Date()): Promise<CitizenLookup> {
  const claims = await readSessionClaims(req);
  // A staff session is never a citizen's: to citizen pages, staff are not signed in.
  if (!claims || claims.provider === STAFF_PROVIDER) return { state: 'signed-out' };
  const db = getDb();
  const session = await findSession(db, claims.sid);
  if (!session || session.userId !== claims.sub) return { state: 'ended' };
  const state = sessionState(session, now);
  if (state !== 'active') {
    // Close a timed-out session for good, so it cannot come back to life.
    if (state !== 'revoked') {
      await revokeSession(db, session.id, now);
      log.info('session-ended', { reason: state, provider: session.provider, sharedDevice: session.sharedDevice });
    }
    return { state: 'ended', userId: session.userId };
  }
  if (needsTouch(session, now)) await touchSession(db, session.id, now);
  return { state: 'signed-in', citizen: await actingAs(db, session, now) };
}

/** The citizen a session works for: its own, or the person it acts for while that access holds. */
async function actingAs(db: ReturnType<typeof getDb>, session: SessionRow, now: Date): Promise<Citizen> {
  const { actingFor, ...own } = session;
  // actingSince without an access: the access row went with the person's account.
  if (!own.actingForId && !own.actingSince) return own;
  if (actingFor && actingFor.proxyId === own.userId && accessIsActive(actingFor, actingFor.person, now)) {
    return { ...own, userId: actingFor.personId, user: actingFor.person, actor: actorOf(own.user, actingFor) };
  }
  await db.session.update({ where: { id: own.id }, data: { actingForId: null, actingSince: null } });
  log.info('acting-ended', { reason: actingFor ? actingFor.status : 'access-gone' });
  return { ...own, actingForId: null, actingSince: null, actingEnded: true };
}

/** The signed-in person's own account, whoever they are acting for. */
export function ownUser(citizen: Citizen): Citizen['user'] {
  return citizen.actor?.user ?? citizen.user;
}
