/**
 * oidc-provider 9 ships no TypeScript types (and @types/oidc-provider is not installed):
 * the small part of its API the demo providers use, as documented in its docs/README.md.
 */
declare module 'oidc-provider' {
  import type { IncomingMessage, ServerResponse } from 'node:http';

  type Awaitable<T> = T | Promise<T>;
  type Claims = Record<string, unknown>;

  export type ClaimsUse = 'id_token' | 'userinfo';

  export interface Account {
    accountId: string;
    claims(use: ClaimsUse, scope: string, claims: Claims, rejected: string[]): Awaitable<Claims>;
  }

  export interface SessionState {
    secret?: string;
  }

  export interface OIDCContext {
    route: string;
    session: { accountId?: string; state?: SessionState };
    result?: { login?: { accountId?: string; acr?: string } };
    client?: { clientId: string; clientName?: string };
    entities: {
      AuthorizationCode?: { acr?: string };
      AccessToken?: { extra?: { vector?: string } };
    };
    urlFor(name: string, options?: Record<string, string>): string;
  }

  export interface KoaContext {
    /** Absent on requests no oidc-provider route matched. */
    oidc?: OIDCContext;
    type: string;
    body: unknown;
    status: number;
  }

  export interface KoaContextWithOIDC extends KoaContext {
    oidc: OIDCContext;
  }

  export interface ClientMetadata {
    client_id: string;
    client_name?: string;
    redirect_uris: string[];
    post_logout_redirect_uris?: string[];
    grant_types?: string[];
    response_types?: string[];
    token_endpoint_auth_method?: string;
    token_endpoint_auth_signing_alg?: string;
    id_token_signed_response_alg?: string;
    jwks?: { keys: object[] };
  }

  export interface InteractionResult {
    login?: { accountId: string; acr?: string; ts?: number; remember?: boolean };
    consent?: { grantId?: string };
    error?: string;
    error_description?: string;
  }

  export interface InteractionDetails {
    uid: string;
    params: Record<string, unknown>;
    prompt: { name: string; reasons: string[]; details: Record<string, unknown> };
    session?: { accountId: string; uid?: string };
    result?: InteractionResult;
    grantId?: string;
    returnTo: string;
  }

  export interface Configuration {
    clients?: ClientMetadata[];
    clientAuthMethods?: string[];
    clientBasedCORS?: (ctx: KoaContextWithOIDC, origin: string, client: unknown) => boolean;
    jwks?: { keys: object[] };
    enabledJWA?: Record<string, string[]>;
    responseTypes?: string[];
    pkce?: { required: (ctx: KoaContextWithOIDC, client: unknown) => boolean };
    scopes?: string[];
    claims?: Record<string, string[] | null>;
    conformIdTokenClaims?: boolean;
    extraParams?: Record<string, (ctx: KoaContextWithOIDC, value: unknown, client: unknown) => Awaitable<void>>;
    findAccount?: (ctx: KoaContextWithOIDC, sub: string, token?: unknown) => Awaitable<Account | undefined>;
    extraTokenClaims?: (ctx: KoaContextWithOIDC, token: unknown) => Awaitable<Claims | undefined>;
    features?: {
      devInteractions?: { enabled: boolean };
      claimsParameter?: { enabled: boolean };
      dPoP?: { enabled: boolean };
      pushedAuthorizationRequests?: { enabled: boolean };
      resourceIndicators?: { enabled: boolean };
      userinfo?: { enabled: boolean };
      rpInitiatedLogout?: {
        enabled: boolean;
        logoutSource?: (ctx: KoaContextWithOIDC, form: string) => Awaitable<void>;
        postLogoutSuccessSource?: (ctx: KoaContextWithOIDC) => Awaitable<void>;
      };
    };
    interactions?: {
      policy?: Policy;
      url?: (ctx: KoaContextWithOIDC, interaction: { uid: string }) => Awaitable<string>;
    };
    cookies?: {
      names?: Record<string, string>;
      long?: Record<string, unknown>;
      short?: Record<string, unknown>;
      keys?: string[];
    };
    routes?: Record<string, string>;
    ttl?: Record<string, number>;
    renderError?: (ctx: KoaContextWithOIDC, out: { error: string; error_description?: string }, error: Error) => Awaitable<void>;
  }

  export interface Grant {
    accountId: string;
    clientId: string;
    addOIDCScope(scope: string): void;
    addOIDCClaims(claims: string[]): void;
    /** lib/open-platform: scopes for a resource server (the FHIR API). */
    addResourceScope(resource: string, scope: string): void;
    save(): Promise<string>;
  }

  /** lib/open-platform: an opaque access token as found in storage. */
  export interface AccessToken {
    accountId: string;
    clientId: string;
    grantId: string;
    scope?: string;
    aud?: string | string[];
    isExpired: boolean;
  }

  export default class Provider {
    constructor(issuer: string, configuration?: Configuration);
    readonly issuer: string;
    callback(): (req: IncomingMessage, res: ServerResponse) => void;
    interactionDetails(req: IncomingMessage, res: ServerResponse): Promise<InteractionDetails>;
    interactionResult(req: IncomingMessage, res: ServerResponse, result: InteractionResult, options?: { mergeWithLastSubmission?: boolean }): Promise<string>;
    interactionFinished(req: IncomingMessage, res: ServerResponse, result: InteractionResult, options?: { mergeWithLastSubmission?: boolean }): Promise<void>;
    use(middleware: (ctx: KoaContext, next: () => Promise<void>) => Promise<void>): this;
    on(event: 'server_error', listener: (ctx: KoaContextWithOIDC, error: Error) => void): this;
    readonly Session: { findByUid(uid: string): Promise<{ loginTs?: number } | undefined> };
    readonly Grant: {
      new (properties: { accountId: string; clientId: string }): Grant;
      find(id: string): Promise<Grant | undefined>;
    };
    /** Koa's: trust X-Forwarded-Proto (lib/open-platform runs behind the web server's bridge). */
    proxy: boolean;
    readonly AccessToken: { find(token: string): Promise<AccessToken | undefined> };
    readonly Client: { find(id: string): Promise<{ clientId: string; clientName?: string } | undefined> };
  }

  export const errors: {
    InvalidRequest: new (description?: string) => Error;
    InvalidTarget: new (description?: string) => Error;
    SessionNotFound: new (description?: string) => Error;
  };

  class Check {
    constructor(reason: string, description: string, check: (ctx: KoaContextWithOIDC) => Awaitable<boolean>);
  }

  export interface Prompt {
    name: string;
    checks: Check[] & { add(check: Check, index?: number): void };
  }

  export type Policy = Prompt[] & { get(name: string): Prompt | undefined };

  export const interactionPolicy: {
    base(): Policy;
    Check: typeof Check;
  };
}
