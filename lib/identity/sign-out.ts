import { config } from '@/lib/platform/config';
import { expiredCookie } from '@/lib/platform/cookies';
import { csrfSecretCookieName } from '@/lib/platform/csrf';
import { getDb } from '@/lib/platform/db';
import { log } from '@/lib/platform/log';
import { redirect } from '@/lib/platform/render';
import { nextAuthCsrfCookieName, nextAuthFlowCookieNames } from './auth';
import type { CitizenLookup } from './citizen';
import { sessionCookieName } from './session-cookie';
import { endSessionEndpoint } from './provider-metadata';
import { revokeSession } from './session-store';
import { clearPendingSignInCookie } from './sign-in-cookie';
import { paths } from '@/lib/platform/paths';

/** Our cookies and next-auth's: nothing of the sign-in is left in the browser, and the next page gets a new form secret. */
export function signedOutCookies(): string[] {
  return [sessionCookieName(), csrfSecretCookieName(), nextAuthCsrfCookieName(), ...nextAuthFlowCookieNames()]
    .map(expiredCookie)
    .concat(clearPendingSignInCookie());
}

/**
 * Signs out here (the session row is revoked, so the cookie is worthless even if kept),
 * then at the identity provider, which brings the person back to /signed-out.
 */
export async function signOut(session: CitizenLookup): Promise<Response> {
  if (session.state !== 'signed-in') return redirect(paths.signedOut, { cookies: signedOutCookies() });
  const { citizen } = session;
  await revokeSession(getDb(), citizen.id);
  log.info('signed-out', { provider: citizen.provider });
  return signOutAtProvider(config().identity.providers.find((known) => known.id === citizen.provider)?.issuer, citizen.idToken);
}

/** Why the person is signing out, when it is not just signing out: the provider gives it back to /signed-out as `state`. */
export const ACCOUNT_CLOSED_STATE = 'account-closed';

/**
 * The provider's end-session, with our cookies cleared; just /signed-out if it has none.
 * Providers send people back only to the address registered with them (/signed-out), so a
 * reason to end somewhere else (an account just closed) travels as `state`, which they return.
 */
export async function signOutAtProvider(issuer: string | undefined, idToken: string, reason?: typeof ACCOUNT_CLOSED_STATE): Promise<Response> {
  const endpoint = issuer ? await endSessionEndpoint(issuer).catch(() => undefined) : undefined;
  const ending = reason === ACCOUNT_CLOSED_STATE ? paths.accountClosed : paths.signedOut;
  if (!endpoint) return redirect(ending, { cookies: signedOutCookies() });
  const url = new URL(endpoint);
  url.searchParams.set('id_token_hint', idToken);
  url.searchParams.set('post_logout_redirect_uri', `${config().publicUrl}/signed-out`);
  if (reason) url.searchParams.set('state', reason);
  return redirect(url.href, { cookies: signedOutCookies() });
}
