import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import NextAuth from 'next-auth';
import { NextRequest } from 'next/server';
import { config, type IdentityProviderId } from '@/lib/platform/config';
import { expiredCookie, readCookies, serialiseCookie } from '@/lib/platform/cookies';
import { errorPage } from '@/lib/platform/page';
import { log } from '@/lib/platform/log';
import { freshCsrfSecretCookie } from '@/lib/platform/csrf';
import { redirect } from '@/lib/platform/render';
import { authOptions, nextAuthCsrfCookieName, nextAuthFlowCookieNames, TRY_AGAIN_PAGE } from './auth';
import { fetchJson } from './provider-metadata';
import { checkSignInAttempts, takeSignInAttempt, tooManySignInAttempts } from './sign-in-limit';
import { STAFF_PROVIDER } from './staff';
import { clearPendingSignInCookie, pendingSignInCookie, type PendingSignIn } from './sign-in-cookie';
import { paths } from '@/lib/platform/paths';
import { getDb } from '@/lib/platform/db';
import { countSignInStart } from './sign-in-starts';

/**
 * How our pages hand over to next-auth and take back from it.
 *
 * Starting a sign-in: next-auth only starts one on a POST to /api/auth/signin/<id> that
 * carries its double-submit CSRF token, and its helper for that is not usable from route
 * handlers. Our sign-in question page (our own CSRF check, GOV.UK validation, no
 * JavaScript) gives the browser next-auth's CSRF cookie, made the way next-auth makes it;
 * when the answers are valid our handler calls next-auth's route handler itself with a
 * POST built from them, and answers the browser with next-auth's redirect to the provider
 * and its state, PKCE and nonce cookies. next-auth still does every check it would do.
 */

type RouteContext = { params: Promise<{ nextauth: string[] }> };

function csrfHash(token: string): string {
  return createHash('sha256').update(`${token}${config().appSecret}`).digest('hex');
}

/** The browser's next-auth CSRF token, if its cookie is one next-auth would accept. */
function nextAuthCsrfToken(req: Request): string | null {
  const raw = readCookies(req).get(nextAuthCsrfCookieName());
  if (!raw) return null;
  const [token, hash] = decodeURIComponent(raw).split('|');
  if (!token || !hash) return null;
  const expected = Buffer.from(csrfHash(token));
  return expected.length === Buffer.from(hash).length && timingSafeEqual(expected, Buffer.from(hash)) ? token : null;
}

/** next-auth's CSRF cookie for a browser that has none yet (value `token|sha256(token + secret)`). */
export function nextAuthCsrfCookies(req: Request): string[] {
  if (nextAuthCsrfToken(req)) return [];
  const token = randomBytes(32).toString('hex');
  return [serialiseCookie(nextAuthCsrfCookieName(), encodeURIComponent(`${token}|${csrfHash(token)}`))];
}

type ProviderId = IdentityProviderId | typeof STAFF_PROVIDER;

/** The issuer of an enabled provider (citizens' as configured, and the staff directory), if it is one. */
function issuerOf(id: string): string | undefined {
  const { identity } = config();
  if (id === STAFF_PROVIDER) return identity.staff.issuer;
  return identity.providers.find((known) => known.id === id)?.issuer;
}

export async function startSignIn(req: Request, provider: ProviderId, pending: PendingSignIn, formPath: string = paths.signIn): Promise<Response> {
  const limit = await takeSignInAttempt(req);
  if (!limit.ok) return tooManySignInAttempts(limit.retryAfterSeconds);
  const token = nextAuthCsrfToken(req);
  // Only when the cookie went between showing the form and sending it: show the form again.
  if (!token) return redirect(`${formPath}?returnTo=${encodeURIComponent(pending.returnTo)}`);
  const { publicUrl } = config();
  const signInRequest = new NextRequest(`${publicUrl}/api/auth/signin/${provider}`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ csrfToken: token, callbackUrl: `${publicUrl}${pending.returnTo}` }).toString(),
  });
  const context: RouteContext = { params: Promise.resolve({ nextauth: ['signin', provider] }) };
  const response: Response = await NextAuth(signInRequest, context, authOptions(req));
  const location = response.headers.get('location') ?? '';
  // Anything but a redirect to this provider's authorisation endpoint is a fault, not a sign-in.
  const issuer = issuerOf(provider)!;
  const metadata = (await fetchJson(`${issuer}/.well-known/openid-configuration`)) as { authorization_endpoint?: string };
  if (!metadata.authorization_endpoint || !location.startsWith(`${metadata.authorization_endpoint}?`)) {
    throw new Error(`next-auth did not start the sign-in (status ${response.status})`);
  }
  log.info('sign-in-started', { provider, sharedDevice: pending.sharedDevice });
  // Only a sign-in (not a member of staff's, not adding a sign-in method) is the funnel's first step.
  // A count that cannot be written does not stop anyone signing in.
  if (formPath === paths.signIn && !pending.link) {
    await countSignInStart(getDb(), provider).catch((error: unknown) => log.warn('sign-in-start-not-counted', { provider, error: String(error) }));
  }
  return redirect(location, { cookies: [...response.headers.getSetCookie(), pendingSignInCookie(pending)] });
}

/** A sign-in that ends before next-auth gets to it leaves nothing behind. */
function endedSignInCookies(): string[] {
  return [...nextAuthFlowCookieNames().map(expiredCookie), clearPendingSignInCookie()];
}

/**
 * /api/auth/*: only the providers' callbacks are served. Sign-in starts from our own
 * page and sign-out is our own route, so next-auth's other endpoints are not exposed.
 */
export async function authRoute(req: NextRequest, context: RouteContext): Promise<Response> {
  const [action, providerId, ...rest] = (await context.params).nextauth;
  if (action !== 'callback' || !providerId || !issuerOf(providerId) || rest.length > 0) return errorPage(404);
  // A client whose callbacks keep failing (guessing codes, replaying) is stopped before any work.
  const limit = await checkSignInAttempts(req);
  if (!limit.ok) return tooManySignInAttempts(limit.retryAfterSeconds);

  // The person cancelled, or the provider could not confirm who they are: our own clear page.
  const providerError = req.nextUrl.searchParams.get('error');
  if (providerError) {
    const denied = providerError === 'access_denied';
    log.info('sign-in-refused', { provider: providerId, reason: denied ? 'access-denied' : 'provider-error' });
    if (!denied) await takeSignInAttempt(req);
    return redirect(denied ? paths.signInCouldNotConfirm : TRY_AGAIN_PAGE, { cookies: endedSignInCookies() });
  }

  const response: Response = await NextAuth(req, context, authOptions(req));
  // next-auth sends failed checks (state, nonce, PKCE, tokens) to its own error endpoint,
  // which we do not serve: our own page instead, leaving nothing of the sign-in behind.
  const location = response.headers.get('location');
  if (location?.startsWith(`${config().publicUrl}/api/auth/`)) {
    const code = new URL(location).searchParams.get('error') ?? 'unknown';
    log.warn('sign-in-failed', { provider: providerId, code: /^[A-Za-z]{1,40}$/.test(code) ? code : 'unknown' });
    await takeSignInAttempt(req);
    return redirect(TRY_AGAIN_PAGE, { cookies: endedSignInCookies() });
  }
  response.headers.append('set-cookie', clearPendingSignInCookie());
  // Signed in: a new form secret, so none from before the sign-in still works.
  response.headers.append('set-cookie', freshCsrfSecretCookie());
  response.headers.set('cache-control', 'no-store');
  return response;
}
