/**
 * The three demo OpenID providers, each a separate oidc-provider instance with its own
 * issuer, keys, clients, cookies and in-memory store:
 * - onelogin: shaped like GOV.UK One Login (vtr with Cl.Cm / Cl.Cm.P2, vot + vtm in the
 *   id_token, core identity JWT and the checked addresses in userinfo);
 * - nhslogin: shaped like NHS login (vtr with P5 / P9, identity_proofing_level, nhs_number);
 * - staff: a staff directory (roles, organisation, job role).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import Provider, { errors, interactionPolicy, type Account, type ClaimsUse, type KoaContext, type KoaContextWithOIDC, type OIDCContext } from 'oidc-provider';
import type { JWK } from 'jose';
import { ADDRESS_CLAIM, createCoreIdentityIssuer, CORE_IDENTITY_CLAIM, type CoreIdentityIssuer } from './core-identity';
import { DEV_CLIENT_ALG, loadOrCreateJwk, type SigningAlg } from './dev-keys';
import { citizens, oneLoginLevel, staff, type Citizen, type StaffMember } from './users';
import { parseVector, parseVtr, VtrError, type Scheme } from './vectors';
import { render } from './views';

export type ProviderId = 'onelogin' | 'nhslogin' | 'staff';
export type Person = Citizen | StaffMember;

export interface Profile {
  id: ProviderId;
  /** Shown on every page so nobody mistakes it for the real service. */
  name: string;
  clientId: string;
  scheme?: Scheme;
  idTokenAlg: SigningAlg;
  signInButton: string;
}

export const profiles: Record<ProviderId, Profile> = {
  // One Login signs id_tokens with ES256 by default.
  onelogin: { id: 'onelogin', name: 'Demo One Login', clientId: 'phr-onelogin', scheme: 'onelogin', idTokenAlg: 'ES256', signInButton: 'Continue' },
  // NHS login's interface specification signs with RS512.
  nhslogin: { id: 'nhslogin', name: 'Demo NHS login', clientId: 'phr-nhslogin', scheme: 'nhslogin', idTokenAlg: 'RS512', signInButton: 'Continue' },
  staff: { id: 'staff', name: 'Demo staff sign-in', clientId: 'phr-staff', idTokenAlg: 'RS256', signInButton: 'Sign in' },
};

export const CLIENT_NAME = 'Person Held Record';

export interface ProviderSettings {
  /** Base URL the browser and the app use, e.g. http://localhost:3200. */
  publicUrl: string;
  /** Base URLs of the app (relying party); callbacks and sign-out pages hang off them. */
  appUrls: readonly string[];
  keysDir: string;
  clientPublicJwk: JWK;
  /** Keys that sign the provider's cookies; new ones each start. */
  cookieKeys: string[];
  log: (event: string, fields: Record<string, string | undefined>) => void;
}

export interface DemoProvider {
  profile: Profile;
  issuer: string;
  /** Path prefix the provider is mounted at, e.g. /onelogin. */
  mountPath: string;
  provider: Provider;
  handle: (req: IncomingMessage, res: ServerResponse) => void;
  coreIdentity?: CoreIdentityIssuer;
  /** Small JSON documents served beside the OpenID endpoints (trustmark, DID document). */
  documents: Record<string, () => unknown>;
  findByEmail(email: string): Person | undefined;
  findBySub(sub: string): Person | undefined;
  levelOf(person: Person): string;
  settings: ProviderSettings;
}

/** Reason of the extra login check: each request needs its level of trust decided. */
export const VECTOR_CHECK = 'vector_of_trust_not_decided';

export function subOf(profile: Profile, person: Person): string {
  if (person.kind === 'staff') return person.sub;
  return profile.id === 'onelogin' ? person.oneLoginSub : person.nhsLoginSub;
}

export function peopleFor(profile: Profile): readonly Person[] {
  return profile.id === 'staff' ? staff : citizens;
}

/** What an account reaches at a provider, for the demo account lists. */
export function describeLevels(profile: Profile, person: Person): string {
  if (person.kind === 'staff') return `${person.roles.join(', ')}: ${person.organisation.name} (${person.organisation.code})`;
  if (profile.id === 'onelogin') {
    if (person.identityCheck === 'passes') return 'Cl.Cm, identity P2';
    return person.identityCheck === 'fails' ? 'Cl.Cm, identity check fails' : 'Cl.Cm, no identity';
  }
  if (person.identityCheck === 'fails') return `${person.nhsLoginLevel}, identity check fails`;
  return person.nhsNumber ? `${person.nhsLoginLevel} with NHS number` : `${person.nhsLoginLevel}, no NHS number`;
}

export async function createDemoProvider(id: ProviderId, settings: ProviderSettings): Promise<DemoProvider> {
  const profile = profiles[id];
  const mountPath = `/${id}`;
  const issuer = `${settings.publicUrl}${mountPath}`;
  const trustmark = `${issuer}/trustmark`;
  const people = peopleFor(profile);
  const coreIdentity =
    id === 'onelogin'
      ? await createCoreIdentityIssuer(issuer, loadOrCreateJwk(settings.keysDir, 'op-onelogin-core-identity.es256.private.jwk.json', 'ES256'))
      : undefined;

  const findBySub = (sub: string) => people.find((person) => subOf(profile, person) === sub);
  const levelOf = (person: Person) => {
    if (person.kind === 'staff') return 'P0';
    return id === 'onelogin' ? oneLoginLevel(person) : person.nhsLoginLevel;
  };

  async function claimsFor(person: Person, use: ClaimsUse, vector: string | undefined, clientId: string) {
    const sub = subOf(profile, person);
    if (person.kind === 'staff') {
      return {
        sub,
        name: `${person.givenName} ${person.familyName}`,
        given_name: person.givenName,
        family_name: person.familyName,
        email: person.email,
        email_verified: true,
        roles: person.roles,
        organisation: person.organisation,
        job_role: person.jobRole,
      };
    }
    const claims: Record<string, unknown> = {
      sub,
      email: person.email,
      email_verified: true,
      phone_number: person.phoneNumber,
      phone_number_verified: true,
    };
    if (!vector || !profile.scheme) return claims;
    const achieved = parseVector(profile.scheme, vector);
    if (id === 'onelogin') {
      // One Login's id_token vot holds the credential part only, even after an identity check.
      if (use === 'id_token') Object.assign(claims, { vot: achieved.credential, vtm: trustmark });
      if (use === 'userinfo' && achieved.level === 'P2' && coreIdentity) {
        claims[CORE_IDENTITY_CLAIM] = await coreIdentity.sign(person, { sub, audience: clientId, trustmark });
        if (person.addresses?.length) claims[ADDRESS_CLAIM] = person.addresses;
      }
      return claims;
    }
    claims.identity_proofing_level = achieved.level;
    if (use === 'id_token') Object.assign(claims, { vot: vector, vtm: trustmark });
    if (achieved.level !== 'P0') {
      Object.assign(claims, { given_name: person.givenName, family_name: person.familyName, birthdate: person.birthDate });
    }
    if (achieved.level === 'P9' && person.nhsNumber) claims.nhs_number = person.nhsNumber;
    return claims;
  }

  const policy = interactionPolicy.base();
  if (profile.scheme) {
    // Every authorisation request passes through our interaction once, even with a live
    // session, so that its vtr is weighed and the level reached is recorded for it (as the
    // session's acr, which oidc-provider copies into the authorisation code).
    policy
      .get('login')
      ?.checks.add(
        new interactionPolicy.Check(
          VECTOR_CHECK,
          'the level of trust for this request has not been decided',
          (ctx) => Boolean(ctx.oidc.session.accountId) && !ctx.oidc.result?.login?.acr,
        ),
      );
  }

  const requireParam = (name: string) => (_ctx: KoaContextWithOIDC, value: unknown) => {
    if (typeof value !== 'string' || value === '') throw new errors.InvalidRequest(`${name} is required`);
  };
  const scheme = profile.scheme;

  const page = (view: string, context: Record<string, unknown>) => render(view, { providerName: profile.name, ...context });

  // The sign-out confirmation: oidc-provider always asks before ending a session (One
  // Login does not); a plain form, so it works with JavaScript off.
  const signOutPage = (ctx: KoaContext, oidc: OIDCContext) => {
    ctx.type = 'html';
    ctx.body = page('sign-out.njk', {
      clientName: oidc.client?.clientName,
      action: oidc.urlFor('end_session_confirm'),
      xsrf: oidc.session.state?.secret,
    });
  };

  const signingKey = loadOrCreateJwk(settings.keysDir, `op-${id}.${profile.idTokenAlg.toLowerCase()}.private.jwk.json`, profile.idTokenAlg);

  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: profile.clientId,
        client_name: CLIENT_NAME,
        redirect_uris: settings.appUrls.map((url) => `${url}/api/auth/callback/${id}`),
        post_logout_redirect_uris: settings.appUrls.map((url) => `${url}/signed-out`),
        grant_types: ['authorization_code'],
        response_types: ['code'],
        token_endpoint_auth_method: 'private_key_jwt',
        token_endpoint_auth_signing_alg: DEV_CLIENT_ALG,
        id_token_signed_response_alg: profile.idTokenAlg,
        jwks: { keys: [settings.clientPublicJwk] },
      },
    ],
    // No client secrets anywhere: the only client authentication is a signed assertion.
    clientAuthMethods: ['private_key_jwt'],
    // The app calls the token and userinfo endpoints from its server, never from a browser.
    clientBasedCORS: () => false,
    jwks: { keys: [signingKey] },
    enabledJWA: {
      idTokenSigningAlgValues: [profile.idTokenAlg],
      clientAuthSigningAlgValues: ['ES256', 'RS256'],
    },
    responseTypes: ['code'],
    pkce: { required: () => true },
    scopes:
      id === 'onelogin' ? ['openid', 'email', 'phone'] : id === 'nhslogin' ? ['openid', 'profile', 'email', 'phone'] : ['openid', 'profile', 'email', 'roles'],
    claims:
      id === 'onelogin'
        ? {
            openid: ['sub', 'vot', 'vtm'],
            email: ['email', 'email_verified'],
            phone: ['phone_number', 'phone_number_verified'],
            // Not in any scope: like One Login, these come only when the claims parameter asks.
            [CORE_IDENTITY_CLAIM]: null,
            [ADDRESS_CLAIM]: null,
          }
        : id === 'nhslogin'
          ? {
              openid: ['sub', 'vot', 'vtm', 'identity_proofing_level'],
              profile: ['given_name', 'family_name', 'birthdate', 'nhs_number'],
              email: ['email', 'email_verified'],
              phone: ['phone_number', 'phone_number_verified'],
            }
          : {
              profile: ['name', 'given_name', 'family_name'],
              email: ['email', 'email_verified'],
              roles: ['roles', 'organisation', 'job_role'],
            },
    // Citizen providers keep scope claims to userinfo, as One Login and NHS login do; the
    // staff provider also puts them in the id_token so the app needs no userinfo call.
    conformIdTokenClaims: id !== 'staff',
    extraParams: {
      nonce: requireParam('nonce'),
      state: requireParam('state'),
      ...(scheme
        ? {
            vtr: (_ctx: KoaContextWithOIDC, value: unknown) => {
              try {
                parseVtr(scheme, value);
              } catch (error) {
                if (error instanceof VtrError) throw new errors.InvalidRequest('Request vtr not valid');
                throw error;
              }
            },
          }
        : {}),
    },
    async findAccount(ctx, sub): Promise<Account | undefined> {
      const person = findBySub(sub);
      if (!person) return undefined;
      return {
        accountId: sub,
        claims: (use) =>
          claimsFor(
            person,
            use,
            use === 'id_token' ? ctx.oidc.entities.AuthorizationCode?.acr : ctx.oidc.entities.AccessToken?.extra?.vector,
            ctx.oidc.client?.clientId ?? profile.clientId,
          ),
      };
    },
    // Carries the level this request reached from the authorisation code to the access
    // token, where userinfo finds it.
    extraTokenClaims(ctx) {
      const vector = ctx.oidc.entities.AuthorizationCode?.acr;
      return vector ? { vector } : undefined;
    },
    features: {
      devInteractions: { enabled: false },
      claimsParameter: { enabled: id === 'onelogin' },
      dPoP: { enabled: false },
      pushedAuthorizationRequests: { enabled: false },
      resourceIndicators: { enabled: false },
      userinfo: { enabled: true },
      rpInitiatedLogout: {
        enabled: true,
        logoutSource: (ctx) => signOutPage(ctx, ctx.oidc),
        async postLogoutSuccessSource(ctx) {
          ctx.type = 'html';
          ctx.body = page('signed-out.njk', {});
        },
      },
    },
    interactions: {
      policy,
      url: (_ctx, interaction) => `${mountPath}/interaction/${interaction.uid}`,
    },
    cookies: {
      // Three providers share the host localhost with the app (cookies ignore ports):
      // distinct names, and the long-lived session cookie scoped to this provider's path.
      names: { session: `demo_op_${id}_session`, interaction: `demo_op_${id}_interaction`, resume: `demo_op_${id}_resume` },
      long: { httpOnly: true, sameSite: 'lax', path: mountPath },
      short: { httpOnly: true, sameSite: 'lax' },
      keys: settings.cookieKeys,
    },
    routes: {
      authorization: '/authorize',
      token: '/token',
      userinfo: '/userinfo',
      jwks: '/.well-known/jwks.json',
      end_session: '/logout',
    },
    // One Login's lifetimes: access token 3 minutes, id_token 2 minutes.
    ttl: { AccessToken: 180, AuthorizationCode: 60, IdToken: 120, Interaction: 1800, Session: 3600, Grant: 3600 },
    async renderError(ctx, out) {
      ctx.type = 'html';
      ctx.body = page('error.njk', {
        message: 'The sign-in request could not be completed.',
        code: out.error,
        description: out.error_description,
      });
    },
  });

  // Without a provider session (expired, or the provider restarted) oidc-provider answers
  // sign-out with a page that submits itself by script; give it the same plain form.
  provider.use(async (ctx, next) => {
    await next();
    const { oidc } = ctx;
    if (oidc?.route === 'end_session' && ctx.status === 200 && !oidc.session.accountId) signOutPage(ctx, oidc);
  });

  provider.on('server_error', (_ctx, error) => settings.log('server-error', { provider: id, error: error.message }));

  const documents: Record<string, () => unknown> = scheme
    ? {
        // What the vtm claim points at: the vector components this provider supports.
        '/trustmark': () => ({
          idp: issuer,
          trustmark_provider: issuer,
          C: id === 'onelogin' ? ['Cl', 'Cm'] : ['Cp', 'Cd', 'Ck', 'Cm'],
          P: id === 'onelogin' ? ['P0', 'P2'] : ['P0', 'P5', 'P9'],
        }),
      }
    : {};
  if (coreIdentity) documents['/identity/.well-known/did.json'] = () => coreIdentity.didDocument();

  return {
    profile,
    issuer,
    mountPath,
    provider,
    handle: provider.callback(),
    coreIdentity,
    documents,
    findByEmail: (email) => people.find((person) => person.email === email.trim().toLowerCase()),
    findBySub,
    levelOf,
    settings,
  };
}
