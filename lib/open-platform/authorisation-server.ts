import { createECDH, hkdfSync } from 'node:crypto';
import type { KoaContext } from 'oidc-provider';
import type Provider from 'oidc-provider';
import { config } from '../platform/config';
import { getDb } from '../platform/db';
import { log } from '../platform/log';
import { paths } from '../platform/paths';
import { findApp, OIDC_SCOPES, SUPPORTED_SCOPES } from './apps';
import { oauthStore } from './oauth-store';

/**
 * The OAuth 2.0 authorisation server for apps (SMART App Launch v2, standalone patient launch).
 * The protocol is oidc-provider's, a certified OpenID Connect library; this file only configures
 * it: our database as its storage, the app registry as its clients, our consent page as its
 * only interaction, PKCE S256 always, short opaque access tokens for the FHIR API only,
 * rotating refresh tokens, revocation.
 *
 * It runs inside the web process: app/oauth/[...path] hands it the request (node-bridge.ts).
 */

/** Where the server lives, under the service's own address. */
export const OAUTH_PATH = '/oauth';
export const FHIR_PATH = '/fhir/r4';

export function oauthIssuer(): string {
  return `${config().publicUrl}${OAUTH_PATH}`;
}

/**
 * The scheme every request reaches the server by, as the bridge tells it (X-Forwarded-Proto):
 * the public address's. Its own addresses (the token endpoint that client assertions name) are
 * then the ones apps know, and its cookies are Secure exactly when the service is on HTTPS.
 */
export function publicProtocol(): 'http' | 'https' {
  return config().publicUrl.startsWith('https://') ? 'https' : 'http';
}

export function fhirBaseUrl(): string {
  return `${config().publicUrl}${FHIR_PATH}`;
}

/** The endpoints apps use (SMART configuration and the CapabilityStatement publish them). */
export function oauthEndpoints() {
  const issuer = oauthIssuer();
  return { issuer, authorize: `${issuer}/auth`, token: `${issuer}/token`, revoke: `${issuer}/token/revocation`, jwks: `${issuer}/jwks` };
}

export const ACCESS_TOKEN_SECONDS = 300;
const REFRESH_TOKEN_SECONDS = 90 * 24 * 3600;

/** A key derived from the service's secret, so every instance has the same one and none is stored. */
function derivedBytes(purpose: string, length = 32): Buffer {
  return Buffer.from(hkdfSync('sha256', config().appSecret, 'phr-open-platform', purpose, length));
}

/** The P-256 key id_tokens are signed with, derived from the service's secret. */
function signingJwk(): Record<string, string> {
  const d = derivedBytes('id-token-signing-key');
  const ecdh = createECDH('prime256v1');
  ecdh.setPrivateKey(d);
  const point = ecdh.getPublicKey();
  return {
    kty: 'EC',
    crv: 'P-256',
    kid: `phr-apps-${derivedBytes('id-token-key-id', 6).toString('hex')}`,
    use: 'sig',
    alg: 'ES256',
    x: point.subarray(1, 33).toString('base64url'),
    y: point.subarray(33, 65).toString('base64url'),
    d: d.toString('base64url'),
  };
}

type TokenContext = KoaContext & {
  oidc?: {
    route: string;
    entities: { Account?: { accountId: string }; Grant?: { accountId: string }; AuthorizationCode?: { scope?: string }; RefreshToken?: { scope?: string } };
  };
  body: unknown;
};

let provider: Promise<Provider> | null = null;

/** The one authorisation server of this process, made on first use. */
export function authorisationServer(): Promise<Provider> {
  provider ??= makeProvider().catch((error: unknown) => {
    provider = null;
    throw error;
  });
  return provider;
}

async function makeProvider(): Promise<Provider> {
  const { default: Provider, errors } = await import('oidc-provider');
  const settings = config();
  const fhirBase = fhirBaseUrl();
  const resourceScopes = SUPPORTED_SCOPES.filter((scope) => !OIDC_SCOPES.includes(scope));
  const server = new Provider(oauthIssuer(), {
    adapter: (model: string) => oauthStore(getDb, model),
    jwks: { keys: [signingJwk()] },
    enabledJWA: { idTokenSigningAlgValues: ['ES256'], clientAuthSigningAlgValues: ['ES256', 'RS256', 'PS256'] },
    clientAuthMethods: ['none', 'private_key_jwt'],
    responseTypes: ['code'],
    // Every app, public or confidential, proves its code with PKCE S256.
    pkce: { required: () => true },
    // OpenID Connect's own scopes; the FHIR API's come from getResourceServerInfo below.
    scopes: OIDC_SCOPES,
    claims: { openid: ['sub'], fhirUser: ['fhirUser'] },
    conformIdTokenClaims: false,
    // SMART's `aud` must name this FHIR server; `launch` is for EHR launch, which we do not offer.
    extraParams: {
      aud: (_ctx: unknown, value: unknown) => {
        if (value !== undefined && String(value).replace(/\/$/, '') !== fhirBase) throw new errors.InvalidRequest('aud is not this FHIR server');
      },
    },
    async findAccount(_ctx: unknown, sub: string) {
      return { accountId: sub, claims: () => ({ sub, fhirUser: `${fhirBase}/Patient/${sub}` }) };
    },
    features: {
      devInteractions: { enabled: false },
      // Only the service's FHIR API takes these tokens; they are opaque, so revoking works at once.
      resourceIndicators: {
        enabled: true,
        defaultResource: () => fhirBase,
        useGrantedResource: () => true,
        // The API scopes an app may be given are the registry's (client metadata holds only OpenID's).
        getResourceServerInfo: async (_ctx: unknown, indicator: string, client: { clientId: string }) => {
          if (indicator !== fhirBase) throw new errors.InvalidTarget();
          const allowed = new Set((await findApp(getDb(), client.clientId))?.scopes.split(' ') ?? []);
          return {
            scope: resourceScopes.filter((scope) => allowed.has(scope)).join(' '),
            audience: fhirBase,
            accessTokenFormat: 'opaque',
            accessTokenTTL: ACCESS_TOKEN_SECONDS,
          };
        },
      },
      // An app may revoke only its own tokens (another app's are left alone, and it is not told).
      revocation: {
        enabled: true,
        allowedPolicy: (_ctx: unknown, client: { clientId: string }, token: { clientId: string }) => token.clientId === client.clientId,
      },
      userinfo: { enabled: false },
    },
    rotateRefreshToken: true,
    // Consent is ours: the page at /apps/connect/<uid>, which needs the citizen signed in.
    interactions: { url: (_ctx: unknown, interaction: { uid: string }) => paths.apps.connect(interaction.uid) },
    cookies: {
      names: { session: 'phr_oauth_session', interaction: 'phr_oauth_interaction', resume: 'phr_oauth_resume' },
      long: { httpOnly: true, sameSite: 'lax', path: OAUTH_PATH, secure: publicProtocol() === 'https' },
      short: { httpOnly: true, sameSite: 'lax', secure: publicProtocol() === 'https' },
      keys: [derivedBytes('cookie-key').toString('base64url')],
    },
    routes: { authorization: '/auth', token: '/token', revocation: '/token/revocation', jwks: '/jwks' },
    ttl: {
      AccessToken: ACCESS_TOKEN_SECONDS,
      AuthorizationCode: 60,
      IdToken: 300,
      Interaction: 1800,
      Session: 600,
      Grant: REFRESH_TOKEN_SECONDS,
      RefreshToken: REFRESH_TOKEN_SECONDS,
    },
    // Apps call the token and revocation endpoints from their own servers or from browsers.
    clientBasedCORS: () => true,
    async renderError(ctx: KoaContext, out: { error: string; error_description?: string }) {
      log.warn('oauth-request-refused', { error: out.error, description: out.error_description });
      ctx.type = 'html';
      ctx.status = ctx.status >= 400 ? ctx.status : 400;
      ctx.body = await errorPageHtml(out.error);
    },
  } as never);
  // The service runs behind a proxy (or the bridge) that says the request came over HTTPS.
  server.proxy = true;
  server.use(async (ctx, next) => {
    await next();
    addPatientToTokenResponse(ctx as TokenContext);
  });
  (server as unknown as { on(event: string, listener: (...args: never[]) => void): void }).on(
    'interaction.started',
    (_ctx: unknown, prompt: { name: string; reasons: string[] }) => log.info('oauth-interaction', { prompt: prompt.name, reasons: prompt.reasons.join(',') }),
  );
  server.on('server_error', (_ctx, error) =>
    log.error('oauth-server-error', { name: error.name, message: error.message, at: error.stack?.split('\n')[1]?.trim() }),
  );
  return server;
}

/**
 * SMART: the token response says whose record the token is for (`patient`), and every scope
 * granted: oidc-provider lists only the access token's own (the FHIR API's), but SMART clients
 * (fhirclient among them) look for offline_access there before they use a refresh token.
 */
function addPatientToTokenResponse(ctx: TokenContext): void {
  if (ctx.oidc?.route !== 'token' || !ctx.body || typeof ctx.body !== 'object' || !('access_token' in ctx.body)) return;
  const body = ctx.body as Record<string, unknown>;
  const { entities } = ctx.oidc;
  const accountId = entities.Account?.accountId ?? entities.Grant?.accountId;
  const granted = (entities.AuthorizationCode?.scope ?? entities.RefreshToken?.scope ?? '').split(' ');
  const scopes = [...new Set([...String(body.scope ?? '').split(' '), ...granted.filter((scope) => OIDC_SCOPES.includes(scope))])].filter(Boolean);
  body.scope = scopes.join(' ');
  if (accountId && scopes.includes('launch/patient')) body.patient = accountId;
}

/** The page a person sees when an app sent them here with a request we cannot accept. */
async function errorPageHtml(code: string): Promise<string> {
  const { renderView } = await import('../platform/render');
  return renderView('apps/request-refused.njk', { code });
}
