/**
 * When a signed-in session ends. Our Session table, not the cookie, decides: a session
 * ends when it is revoked (signed out, or "sign out of all other devices"), after a
 * spell of no use (shorter on a shared computer), or at its absolute limit however
 * busy it is.
 */

export type SessionLimits = { idleSeconds: number; idleSecondsShared: number; maxSeconds: number; maxSecondsShared: number };

export type SessionTimes = { revokedAt: Date | null; lastSeenAt: Date; idleSeconds: number; absoluteExpiresAt: Date };

export type SessionState = 'active' | 'revoked' | 'idle' | 'expired';

export function newSessionTimes(sharedDevice: boolean, now: Date, limits: SessionLimits) {
  const maxSeconds = sharedDevice ? limits.maxSecondsShared : limits.maxSeconds;
  return {
    idleSeconds: sharedDevice ? limits.idleSecondsShared : limits.idleSeconds,
    lastSeenAt: now,
    absoluteExpiresAt: new Date(now.getTime() + maxSeconds * 1000),
  };
}

export function sessionState(session: SessionTimes, now: Date): SessionState {
  if (session.revokedAt) return 'revoked';
  if (now.getTime() >= session.absoluteExpiresAt.getTime()) return 'expired';
  if (now.getTime() - session.lastSeenAt.getTime() >= session.idleSeconds * 1000) return 'idle';
  return 'active';
}

/**
 * Writing lastSeenAt on every page would be a write per request; a minute's precision
 * is plenty for timeouts counted in minutes.
 */
export function needsTouch(session: SessionTimes, now: Date): boolean {
  return now.getTime() - session.lastSeenAt.getTime() >= 60_000;
}

/**
 * Seconds until this session ends if nothing else happens: the idle timeout counted from
 * the last request we recorded, or the absolute expiry if that comes first. The timeout
 * warning counts down from this, so it can never promise more time than the server allows.
 */
export function secondsLeft(session: SessionTimes, now: Date): number {
  const idleEnds = session.lastSeenAt.getTime() + session.idleSeconds * 1000;
  const ends = Math.min(idleEnds, session.absoluteExpiresAt.getTime());
  return Math.max(0, Math.floor((ends - now.getTime()) / 1000));
}
