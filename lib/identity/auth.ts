import type { AuthOptions, User } from 'next-auth';
import type { OAuthConfig } from 'next-auth/providers/oauth';
import type { TokenSet } from 'openid-client';
import { config, type IdentityProviderConfig, type IdentityProviderId } from '@/lib/platform/config';
import { getDb } from '@/lib/platform/db';
import { errorFields, log } from '@/lib/platform/log';
import { ADDRESS_CLAIM, CORE_IDENTITY_CLAIM, admit, nhsLoginClaims, oneLoginIdentity, type IdentityResult } from './claims';
import { CLIENT_ASSERTION_TYPE, clientAssertion } from './client-assertion';
import { deviceKind } from './device';
import { finishAddingSignInMethod } from './link-callback';
import { fetchJson } from './provider-metadata';
import { readPendingSignIn } from './sign-in-cookie';
import { sessionCookieName } from './session-cookie';
import { readSessionClaims } from './citizen';
import { recordSignIn, revokeSession } from './session-store';
import { recordStaffSignIn, revokeStaffSession, staffFromClaims, STAFF_PROVIDER, type StaffMember } from './staff';
import { paths } from '@/lib/platform/paths';

/**
 * next-auth (v4) runs the OpenID Connect code flow with the citizen identity providers and the staff directory.
 * It keeps nothing of its own: its JWT cookie holds only our session id, our user id and
 * the provider; the Session table (StaffSession for staff) is the source of truth
 * (lib/identity/citizen.ts, lib/identity/staff-page.ts).
 */

export const PROVIDER_NAMES: Record<IdentityProviderId, string> = {
  onelogin: 'GOV.UK One Login',
  nhslogin: 'NHS login',
};

/** Pages a refused sign-in is sent to. */
export const REFUSAL_PAGES = {
  'identity-not-proven': paths.signInProveYourIdentity,
  'under-16': paths.signInUnder16,
} as const;

/** Where next-auth sends other sign-in failures (bad state, nonce or PKCE, a token error). */
export const TRY_AGAIN_PAGE = paths.signInTryAgain;

/** next-auth's double-submit CSRF cookie, as next-auth names it. */
export function nextAuthCsrfCookieName(): string {
  return `${config().secureCookies ? '__Host-' : ''}next-auth.csrf-token`;
}

/** next-auth's short-lived cookies for one sign-in (cleared when a sign-in ends early). */
export function nextAuthFlowCookieNames(): string[] {
  const prefix = config().secureCookies ? '__Secure-' : '';
  return ['next-auth.state', 'next-auth.pkce.code_verifier', 'next-auth.nonce', 'next-auth.callback-url'].map((name) => prefix + name);
}

type Profile = { sub?: string } & Record<string, unknown>;
type IdentityUser = User & { identity: IdentityResult };
type StaffUser = User & { staff: StaffMember | null };

/** The code exchange, authenticated with our own client assertion (private_key_jwt). */
function privateKeyJwtToken(clientId: string): OAuthConfig<Profile>['token'] {
  const { clientKey } = config().identity;
  return {
    async request({ client, params, checks, provider: configured }) {
      const tokenEndpoint = client.issuer.metadata.token_endpoint as string;
      const assertion = await clientAssertion({ clientId, tokenEndpoint, key: clientKey() });
      // callback() checks state, PKCE, nonce and the id_token's signature, issuer, audience and algorithm.
      const tokens = await client.callback(configured.callbackUrl, params, checks, {
        exchangeBody: { client_assertion_type: CLIENT_ASSERTION_TYPE, client_assertion: assertion },
      });
      return { tokens };
    },
  };
}

/**
 * How long a call to an identity provider (discovery, token, userinfo) may take. openid-client's
 * own default, 3.5 seconds, fails a sign-in whenever a provider or this server is briefly slow;
 * the person then has to start again.
 */
const PROVIDER_HTTP_OPTIONS = { timeout: 10_000 };

/** The staff directory: roles, organisation and job role come in the id_token, so no userinfo call. */
function staffProvider(): OAuthConfig<Profile> {
  const { staff } = config().identity;
  return {
    id: STAFF_PROVIDER,
    name: 'Staff sign-in',
    type: 'oauth',
    wellKnown: `${staff.issuer}/.well-known/openid-configuration`,
    clientId: staff.clientId,
    httpOptions: PROVIDER_HTTP_OPTIONS,
    client: { token_endpoint_auth_method: 'none', id_token_signed_response_alg: 'RS256' },
    authorization: { params: { scope: 'openid profile email roles' } },
    checks: ['pkce', 'state', 'nonce'],
    idToken: true,
    token: privateKeyJwtToken(staff.clientId),
    profile(claims) {
      return { id: String(claims.sub), staff: staffFromClaims(claims) } as StaffUser;
    },
  };
}

/** Citizens' providers share the flow; they differ in the level asked for and the claims that prove it. */
function citizenProvider(
  provider: IdentityProviderConfig,
  options: { idTokenAlg: string; scope: string; params: Record<string, string>; identity: (userinfo: Profile, sub: string) => Promise<IdentityResult> },
): OAuthConfig<Profile> {
  return {
    id: provider.id,
    name: PROVIDER_NAMES[provider.id],
    type: 'oauth',
    wellKnown: `${provider.issuer}/.well-known/openid-configuration`,
    clientId: provider.clientId,
    httpOptions: PROVIDER_HTTP_OPTIONS,
    // We authenticate with our own client assertion (token.request), so openid-client sends none.
    client: { token_endpoint_auth_method: 'none', id_token_signed_response_alg: options.idTokenAlg },
    authorization: { params: { scope: options.scope, ...options.params } },
    checks: ['pkce', 'state', 'nonce'],
    idToken: true,
    token: privateKeyJwtToken(provider.clientId),
    // With idToken: true next-auth skips userinfo unless asked; the identity claims are only there.
    userinfo: {
      async request({ client, tokens }) {
        // Passing the token set makes openid-client check that userinfo's sub is the id_token's.
        return (await client.userinfo(tokens as TokenSet)) as Profile;
      },
    },
    async profile(userinfo, tokens) {
      const sub = (tokens as TokenSet).claims().sub;
      return { id: sub, identity: await options.identity(userinfo, sub) } as IdentityUser;
    },
  };
}

function providers(): OAuthConfig<Profile>[] {
  const { identity } = config();
  const citizens = identity.providers.map((provider) =>
    provider.id === 'onelogin'
      ? citizenProvider(provider, {
          idTokenAlg: 'ES256',
          scope: 'openid email phone',
          params: { vtr: JSON.stringify(['Cl.Cm.P2']), claims: JSON.stringify({ userinfo: { [CORE_IDENTITY_CLAIM]: null, [ADDRESS_CLAIM]: null } }) },
          identity: async (userinfo, sub) =>
            oneLoginIdentity(userinfo, {
              didDocument: await fetchJson(identity.oneLoginDidUrl),
              issuer: `${provider.issuer}/identity`,
              audience: provider.clientId,
              subject: sub,
            }),
        })
      : citizenProvider(provider, {
          idTokenAlg: 'RS512',
          scope: 'openid profile email phone',
          params: { vtr: JSON.stringify(['P9.Cp.Cd']) },
          identity: async (userinfo) => nhsLoginClaims(userinfo),
        }),
  );
  return [...citizens, staffProvider()];
}

/**
 * next-auth's options for one request: the callbacks need the request for the answers
 * kept in the pending sign-in cookie and the kind of device.
 */
export function authOptions(req: Request): AuthOptions {
  const settings = config();
  // next-auth reads its own address from the environment; ours comes from our configuration.
  process.env.NEXTAUTH_URL = `${settings.publicUrl}/api/auth`;
  return {
    secret: settings.appSecret,
    providers: providers(),
    useSecureCookies: settings.secureCookies,
    session: { strategy: 'jwt', maxAge: settings.identity.session.maxSeconds },
    cookies: {
      sessionToken: {
        name: sessionCookieName(),
        options: { httpOnly: true, sameSite: 'lax', path: '/', secure: settings.secureCookies },
      },
    },
    pages: { signIn: paths.signIn, error: TRY_AGAIN_PAGE },
    callbacks: {
      // Never trust the level asked for: decide on what came back, before anything is stored.
      async signIn({ user, account }) {
        if (account?.provider === STAFF_PROVIDER) {
          if ((user as StaffUser).staff) return true;
          log.info('sign-in-refused', { provider: STAFF_PROVIDER, reason: 'claims-missing' });
          return TRY_AGAIN_PAGE;
        }
        // A signed-in citizen adding this way of signing in: their own session goes on, never a new one.
        const link = readPendingSignIn(req)?.link;
        if (link && account) return finishAddingSignInMethod(req, link, account.provider, user.id, (user as IdentityUser).identity);
        const result = admit((user as IdentityUser).identity, new Date());
        if (result.ok) return true;
        log.info('sign-in-refused', { provider: account?.provider, reason: result.refusal });
        return REFUSAL_PAGES[result.refusal];
      },
      async jwt({ token, user, account }) {
        if (!account || !user) return token;
        // Signing in again in the same browser: the session it had ends now, not when it times out.
        const previous = await readSessionClaims(req);
        if (previous) await (previous.provider === STAFF_PROVIDER ? revokeStaffSession : revokeSession)(getDb(), previous.sid);
        if (account.provider === STAFF_PROVIDER) {
          const member = (user as StaffUser).staff;
          if (!member || !account.id_token) throw new Error('Staff sign-in reached the session without its claims');
          const sid = await recordStaffSignIn(getDb(), member, {
            idToken: account.id_token,
            idleSeconds: settings.identity.staff.idleSeconds,
            maxSeconds: settings.identity.session.maxSeconds,
          });
          log.info('signed-in', { provider: STAFF_PROVIDER, roles: member.roles.join(',') });
          return { sid, sub: member.subject, provider: STAFF_PROVIDER };
        }
        const result = (user as IdentityUser).identity;
        if (!result.ok || !account.id_token) throw new Error('Sign-in reached the session without a proven identity');
        const pending = readPendingSignIn(req);
        const sharedDevice = pending?.sharedDevice ?? false;
        const device = deviceKind(req.headers.get('user-agent'));
        const signedIn = await recordSignIn(
          getDb(),
          { provider: account.provider, subject: user.id, identity: result.identity, idToken: account.id_token, sharedDevice, deviceKind: device },
          settings.identity.session,
        );
        log.info('signed-in', { provider: account.provider, deviceKind: device, sharedDevice, newUser: signedIn.isNewUser });
        // All the cookie holds: which session, whose, and where from.
        return { sid: signedIn.sessionId, sub: signedIn.userId, provider: account.provider };
      },
    },
    // next-auth's own logs can carry profiles and tokens: keep the error code, and the error's
    // name and message (openid-client's and the database's say what failed, not whose it was).
    // An error, not a warning: a sign-in that fails sends the person to "try again".
    logger: {
      error: (code, metadata) => log.error('auth-error', { code, ...authErrorFields(metadata) }),
      warn: (code) => log.warn('auth-warning', { code }),
      debug: () => undefined,
    },
  };
}

/** The error next-auth passes with a logged failure (the metadata itself, or its `error`), as log fields. */
function authErrorFields(metadata: unknown) {
  const error = metadata && typeof metadata === 'object' && 'error' in metadata ? (metadata as { error: unknown }).error : metadata;
  return error instanceof Error ? errorFields(error) : {};
}
