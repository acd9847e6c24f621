import { cookieName } from '@/lib/platform/cookies';

/** The JWT session cookie: named by us (the identity provider uses `_session` on a shared host). */
export function sessionCookieName(): string {
  return cookieName('phr_auth');
}
