import { z } from 'zod';
import { citizenActor, recordAudit } from '@/lib/audit/public';
import { citizenPage, guardedCitizen, type Citizen, type CitizenPageRequest } from '@/lib/identity/public';
import { getDb } from '../platform/db';
import { notFound } from '../platform/errors';
import { formPage, renderPage, routeParam } from '../platform/page';
import { paths } from '../platform/paths';
import { htmlResponse, redirect, renderView } from '../platform/render';
import { connectedApps, disconnectApp, findApp, OIDC_SCOPES, recordConnection, redirectUrisOf, SCOPE_WORDS, type App } from './apps';
import { authorisationServer, fhirBaseUrl, publicProtocol } from './authorisation-server';
import { nodeRequest, capturingResponse } from './node-bridge';
import { formatWhen } from '../platform/uk-time';
import { config } from '../platform/config';
import { identityProviderOrigins } from '../platform/identity-defaults';
import { securityHeaders } from '../platform/security-headers';

/**
 * The citizen's side of the open platform: the consent page an app's request leads to, and
 * "Apps you have connected" with "Disconnect". Both are ordinary pages (no JavaScript needed).
 */

type Interaction = { uid: string; params: Record<string, unknown>; returnTo: string };

/** The app's request this browser is in the middle of (oidc-provider's interaction), or null once it has ended. */
async function interactionOf(req: Request): Promise<Interaction | null> {
  const server = await authorisationServer();
  const nodeReq = nodeRequest({ method: 'GET', url: '/', headers: { cookie: req.headers.get('cookie') ?? '', 'x-forwarded-proto': publicProtocol() } });
  try {
    return (await server.interactionDetails(nodeReq, capturingResponse(nodeReq).res)) as Interaction;
  } catch {
    return null;
  }
}

/** Finishes the app's request with the citizen's answer: the address to send the browser back to. */
async function finishInteraction(req: Request, result: Record<string, unknown>): Promise<string> {
  const server = await authorisationServer();
  const nodeReq = nodeRequest({ method: 'POST', url: '/', headers: { cookie: req.headers.get('cookie') ?? '', 'x-forwarded-proto': publicProtocol() } });
  const returnTo = new URL(await server.interactionResult(nodeReq, capturingResponse(nodeReq).res, result as never, { mergeWithLastSubmission: false }));
  // The address it gives back is on this service: made from its own public address.
  return new URL(`${returnTo.pathname}${returnTo.search}`, config().publicUrl).href;
}

/** What the app asked for that it may have, in the order the page lists them. */
function grantedScopes(interaction: Interaction, app: App): string[] {
  const allowed = new Set(app.scopes.split(' '));
  const asked = new Set(String(interaction.params.scope ?? '').split(' '));
  return Object.keys(SCOPE_WORDS).filter((scope) => asked.has(scope) && allowed.has(scope));
}

/** "What it can see" and "What it can add", in plain words, once each. */
export function scopeDescriptions(scopes: string[]): { see: string[]; add: string[]; keepsAccess: boolean } {
  const words = (kind: 'see' | 'add') => [...new Set(scopes.filter((scope) => SCOPE_WORDS[scope]?.kind === kind).map((scope) => SCOPE_WORDS[scope]!.words))];
  return { see: words('see'), add: words('add'), keepsAccess: scopes.includes('offline_access') };
}

type Loaded = { interaction: Interaction; app: App; scopes: string[] };

/**
 * A request that has ended (answered, timed out, or from another browser), or never was: nothing
 * to consent to here (404, as for any address that is not there), with what to do: go back to
 * the app and start again.
 */
function requestEnded(): Response {
  return htmlResponse(renderView('apps/request-refused.njk', { code: 'ended' }), { status: 404 });
}

/**
 * The consent form's answer ends at the app's address, and Chrome applies the page's CSP
 * form-action to the redirects after a post: the consent page's policy names the app's origins.
 */
let basePolicy: string | undefined;
function allowRedirectToApp(response: Response, app: App): Response {
  basePolicy ??= securityHeaders({ production: config().environment === 'production', formActionOrigins: identityProviderOrigins() })[
    'Content-Security-Policy'
  ]!;
  const origins = [...new Set(redirectUrisOf(app).map((uri) => new URL(uri).origin))];
  response.headers.set('content-security-policy', basePolicy.replace("form-action 'self'", `form-action 'self' ${origins.join(' ')}`));
  return response;
}

const consentForm = formPage<{ answer: 'yes' | 'no' }, Loaded | Response, CitizenPageRequest>({
  route: citizenPage,
  view: 'apps/connect.njk',
  schema: z.object({ answer: z.enum(['yes', 'no'], { error: 'Select yes if you want to connect the app' }) }),
  async load(page) {
    const interaction = await interactionOf(page.req);
    if (!interaction || interaction.uid !== routeParam(page, 'uid')) return requestEnded();
    const app = await findApp(getDb(), String(interaction.params.client_id ?? ''));
    if (!app || app.withdrawnAt) return requestEnded();
    return { interaction, app, scopes: grantedScopes(interaction, app) };
  },
  context(_page, loaded) {
    const { app, scopes, interaction } = loaded as Loaded;
    return { app, uid: interaction.uid, ...scopeDescriptions(scopes) };
  },
  async onValid({ answer }, page, loaded) {
    const { app, scopes, interaction } = loaded as Loaded;
    const citizen = guardedCitizen(page);
    const db = getDb();
    if (answer === 'no') {
      const returnTo = await finishInteraction(page.req, { error: 'access_denied', error_description: 'The person chose not to connect the app' });
      return redirect(returnTo);
    }
    const server = await authorisationServer();
    const grant = new server.Grant({ accountId: citizen.userId, clientId: app.id });
    const oidcScopes = scopes.filter((scope) => OIDC_SCOPES.includes(scope));
    const apiScopes = scopes.filter((scope) => !OIDC_SCOPES.includes(scope));
    if (oidcScopes.length) grant.addOIDCScope(oidcScopes.join(' '));
    if (apiScopes.length) grant.addResourceScope(fhirBaseUrl(), apiScopes.join(' '));
    const grantId = await grant.save();
    await recordConnection(db, { userId: citizen.userId, appId: app.id, grantId, scopes }, page.now);
    await recordAudit(db, { citizenId: citizen.userId, ...actorOf(citizen), action: 'app-connected', detail: { app: app.id } });
    const returnTo = await finishInteraction(page.req, { login: { accountId: citizen.userId, remember: false }, consent: { grantId } });
    return redirect(returnTo);
  },
});

/** The consent page: GET shows what the app asks for; the answer goes back to the app. */
export const connectAppPage = {
  GET: withAppRedirects(consentForm.GET),
  POST: withAppRedirects(consentForm.POST),
};

/** The consent page's own responses may lead to the app's address (see allowRedirectToApp). */
function withAppRedirects<R extends (req: Request, context?: never) => Promise<Response>>(route: R & { access: string }): R & { access: string } {
  const wrapped = async (req: Request, context?: never) => {
    const response = await route(req, context);
    const interaction = response.status === 200 || response.status === 422 ? await interactionOf(req) : null;
    const app = interaction ? await findApp(getDb(), String(interaction.params.client_id ?? '')) : null;
    return app ? allowRedirectToApp(response, app) : response;
  };
  return Object.assign(wrapped, { access: route.access }) as unknown as R & { access: string };
}

/** The audit log's name for the signed-in citizen. */
function actorOf(citizen: Citizen) {
  const user = citizen.user as { givenName: string; familyName: string };
  return citizenActor({ id: citizen.userId, givenName: user.givenName, familyName: user.familyName });
}

function whenText(date: Date | null): string {
  return date ? formatWhen(date) : 'Not used yet';
}

/** "Apps you have connected": what each may do, when it last used its access, and "Disconnect". */
export const connectedAppsPage = citizenPage(async (page) => {
  const apps = await connectedApps(getDb(), page.citizen.userId);
  const disconnected = page.url.searchParams.get('disconnected');
  return renderPage(page, 'apps/connected.njk', {
    apps: apps.map(({ app, connection }) => ({
      app,
      ...scopeDescriptions(connection.scopes.split(' ')),
      connectedAt: whenText(connection.connectedAt),
      lastUsedAt: whenText(connection.lastUsedAt),
    })),
    disconnectedName: disconnected ? (await findApp(getDb(), disconnected))?.name : undefined,
  });
});

/** "Are you sure?" then disconnect: every token the app holds for this citizen stops working at once. */
export const disconnectAppPage = {
  GET: citizenPage(async (page) => {
    const app = (await connectedApp(page)) ?? notFound();
    return renderPage(page, 'apps/disconnect.njk', { app });
  }),
  POST: citizenPage(async (page) => {
    const app = await connectedApp(page);
    // Sent twice (a double click): the first disconnected it; back to the list.
    if (!app) return (await findApp(getDb(), routeParam(page, 'appId'))) ? redirect(paths.apps.connected) : notFound();
    const db = getDb();
    await disconnectApp(db, page.citizen.userId, app.id, page.now);
    await recordAudit(db, { citizenId: page.citizen.userId, ...actorOf(page.citizen), action: 'app-disconnected', detail: { app: app.id } });
    return redirect(`${paths.apps.connected}?disconnected=${encodeURIComponent(app.id)}`);
  }),
};

async function connectedApp(page: CitizenPageRequest): Promise<App | null> {
  const appId = routeParam(page, 'appId');
  const apps = await connectedApps(getDb(), page.citizen.userId);
  return apps.find(({ app }) => app.id === appId)?.app ?? null;
}
