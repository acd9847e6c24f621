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

/** The provider's end-session, with our cookies cleared; just /signed-out if it has none. */
export async function signOutAtProvider(issuer: string | undefined, idToken: string): Promise<Response> {
  const endpoint = issuer ? await endSessionEndpoint(issuer).catch(() => undefined) : undefined;
  if (!endpoint) return redirect(paths.signedOut, { cookies: signedOutCookies() });
  const url = new URL(endpoint);
  url.searchParams.set('id_token_hint', idToken);
  url.searchParams.set('post_logout_redirect_uri', `${config().publicUrl}/signed-out`);
  return redirect(url.href, { cookies: signedOutCookies() });
}
