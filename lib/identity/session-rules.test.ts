import { describe, expect, it } from 'vitest';
import { needsTouch, newSessionTimes, secondsLeft, sessionState } from './session-rules';

const LIMITS = { idleSeconds: 30 * 60, idleSecondsShared: 10 * 60, maxSeconds: 12 * 3600, maxSecondsShared: 2 * 3600 };
const START = new Date('2026-11-23T09:00:00Z');
const minutes = (n: number) => new Date(START.getTime() + n * 60_000);

function session(shared: boolean) {
  return { ...newSessionTimes(shared, START, LIMITS), revokedAt: null as Date | null };
}

describe('session expiry', () => {
  it('times out after 30 minutes unused, or 10 on a shared computer', () => {
    expect(sessionState(session(false), minutes(29))).toBe('active');
    expect(sessionState(session(false), minutes(30))).toBe('idle');
    expect(sessionState(session(true), minutes(9))).toBe('active');
    expect(sessionState(session(true), minutes(10))).toBe('idle');
  });

  it('counts idle time from the last use', () => {
    expect(sessionState({ ...session(true), lastSeenAt: minutes(100) }, minutes(109))).toBe('active');
  });

  it('ends at the absolute limit however busy: 12 hours, or 2 on a shared computer', () => {
    expect(sessionState({ ...session(false), lastSeenAt: minutes(12 * 60 - 1) }, minutes(12 * 60))).toBe('expired');
    expect(sessionState({ ...session(true), lastSeenAt: minutes(119) }, minutes(119))).toBe('active');
    expect(sessionState({ ...session(true), lastSeenAt: minutes(119) }, minutes(120))).toBe('expired');
  });

  it('is over once revoked', () => {
    expect(sessionState({ ...session(false), revokedAt: minutes(1) }, minutes(2))).toBe('revoked');
  });

  it('records use at most once a minute', () => {
    expect(needsTouch(session(false), new Date(START.getTime() + 59_000))).toBe(false);
    expect(needsTouch(session(false), minutes(1))).toBe(true);
  });
});

describe('secondsLeft', () => {
  const now = new Date('2026-11-23T12:00:00Z');
  const times = (lastSeenMinutesAgo: number, idleMinutes: number, absoluteInMinutes: number) => ({
    revokedAt: null,
    lastSeenAt: new Date(now.getTime() - lastSeenMinutesAgo * 60_000),
    idleSeconds: idleMinutes * 60,
    absoluteExpiresAt: new Date(now.getTime() + absoluteInMinutes * 60_000),
  });

  it('counts down the idle timeout from the last request', () => {
    expect(secondsLeft(times(4, 10, 120), now)).toBe(6 * 60);
  });

  it('never promises more than the absolute lifetime allows', () => {
    expect(secondsLeft(times(0, 30, 5), now)).toBe(5 * 60);
  });

  it('is zero once the session has ended', () => {
    expect(secondsLeft(times(11, 10, 120), now)).toBe(0);
  });
});
