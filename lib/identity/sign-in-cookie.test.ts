import { describe, expect, it } from 'vitest';
import { pendingSignInCookie, readPendingSignIn } from './sign-in-cookie';

function requestWith(setCookie: string): Request {
  return new Request('http://localhost:3000/api/auth/callback/onelogin', { headers: { cookie: setCookie.split(';')[0]! } });
}

describe('pending sign-in cookie', () => {
  const now = new Date('2026-11-23T09:00:00Z');

  it('brings back the shared computer answer and where to return to', () => {
    const cookie = pendingSignInCookie({ sharedDevice: true, returnTo: '/account/sign-in-history' }, now);
    expect(cookie).toMatch(/HttpOnly/);
    expect(readPendingSignIn(requestWith(cookie), now)).toEqual({ sharedDevice: true, returnTo: '/account/sign-in-history' });
  });

  it('is ignored when changed or out of date', () => {
    const cookie = pendingSignInCookie({ sharedDevice: false, returnTo: '/account' }, now);
    const [name, value] = cookie.split(';')[0]!.split('=') as [string, string];
    const [payload, signature] = value.split('.') as [string, string];
    const forged = Buffer.from(JSON.stringify({ s: true, r: '/account', e: 9e9 })).toString('base64url');
    expect(readPendingSignIn(requestWith(`${name}=${forged}.${signature}`), now)).toBeNull();
    expect(readPendingSignIn(requestWith(`${name}=${payload}.${signature}`), new Date(now.getTime() + 31 * 60_000))).toBeNull();
  });
});

describe('link intent in the pending sign-in cookie', () => {
  const now = new Date('2026-11-23T09:00:00Z');
  const link = { sessionId: 'session-1', userId: 'user-1', provider: 'nhslogin', expiresAt: now.getTime() + 10 * 60_000 };

  it('is sealed: the session id cannot be read in the cookie, and comes back whole', () => {
    const cookie = pendingSignInCookie({ sharedDevice: false, returnTo: '/account/sign-in-methods', link }, now);
    const payload = cookie.split(';')[0]!.split('=')[1]!.split('.')[0]!;
    expect(Buffer.from(payload, 'base64url').toString('utf8')).not.toContain('session-1');
    expect(readPendingSignIn(requestWith(cookie), now)?.link).toEqual(link);
  });

  it('is dropped once its own, shorter time has passed', () => {
    const cookie = pendingSignInCookie({ sharedDevice: false, returnTo: '/account', link }, now);
    const later = new Date(now.getTime() + 11 * 60_000);
    expect(readPendingSignIn(requestWith(cookie), later)).toEqual({ sharedDevice: false, returnTo: '/account' });
  });
});
