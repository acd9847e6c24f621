import { randomUUID } from 'node:crypto';
import type { z } from 'zod';
import { currentCitizen, type CitizenLookup } from '../identity/citizen';
import { keepAnswersCookie, takeKeptAnswers } from './kept-answers';
import { secondsLeft, type SessionTimes } from '../identity/session-rules';
import { requestTime } from './clock';
import { config } from './config';
import { isDatabaseUnavailable } from './db';
import { csrfState, type CsrfState } from './csrf';
import { HttpError } from './errors';
import { readForm, shownValue, validateForm, type FormErrors, type FormValues } from './forms';
import { errorFields, log } from './log';
import { htmlResponse, redirect, renderView, type PageOptions } from './render';
import { paths } from './paths';
import { appendAuditEntry, auditedTransaction } from '../audit/public';
import { proxyMayUse, RELATIONSHIP_TEXT, type ProxyPermission } from '../proxy/public';
import { getDb } from './db';

/** What a page handler gets: the request, its URL, the CSRF token for its forms, and who is signed in. */
export type PageRequest = {
  req: Request;
  url: URL;
  requestId: string;
  csrf: CsrfState;
  session: CitizenLookup;
  /** When the request happens (lib/platform/clock.ts): pages judge "today" and "the future" by it. */
  now: Date;
  /** The route's dynamic segments (app/.../[id]), from Next; validate before use. */
  params: Record<string, string | string[] | undefined>;
};

/** What Next passes a route handler beside the request. */
export type RouteContext = { params?: Promise<Record<string, string | string[] | undefined>> };

export type ViewContext = Record<string, unknown>;

/** A dynamic segment of the route (app/.../[name]) as one string, '' when missing: callers validate it. */
export function routeParam(page: PageRequest, name: string): string {
  const value = page.params[name];
  return typeof value === 'string' ? value : '';
}

/** Whose page it is on paper: the signed-in citizen's name, and when it was printed. */
function printedFor(page: PageRequest): { name: string; at: Date } | undefined {
  const user = page.session.state === 'signed-in' ? (page.session.citizen.user as { givenName: string; familyName: string } | undefined) : undefined;
  return user ? { name: `${user.givenName} ${user.familyName}`, at: page.now } : undefined;
}

export function renderPage(page: PageRequest, view: string, context: ViewContext = {}, options: PageOptions = {}): Response {
  const signedIn = page.session.state === 'signed-in';
  // With JavaScript, signed-in pages warn before the session times out (GOV.UK timeout warning
  // pattern): a citizen's session, or on staff pages the member of staff's.
  const session = page.session.state === 'signed-in' ? page.session.citizen : (page as { staff?: SessionTimes }).staff;
  const sessionSecondsLeft = session ? secondsLeft(session, new Date()) : undefined;
  // Answers this person sent to this page just after their session timed out: the form shows them again.
  const kept =
    page.session.state === 'signed-in' && page.req.method === 'GET'
      ? takeKeptAnswers(page.req, page.session.citizen.userId, page.url.pathname)
      : { values: null, cookies: [] };
  const keptAnswers = kept.values !== null && Object.keys(kept.values).length > 0;
  const html = renderView(view, {
    ...context,
    ...(keptAnswers ? { values: { ...(context.values as object | undefined), ...kept.values }, keptAnswers } : {}),
    currentPath: page.url.pathname,
    // On paper, every page says whose it is and when it was printed (frontend/application.scss, print).
    printHeader: printedFor(page),
    csrfToken: page.csrf.token,
    signedIn,
    // Acting for someone else (lib/proxy): every page says whose record it is, with the way back.
    actingFor: page.session.state === 'signed-in' && page.session.citizen.actor ? { name: printedFor(page)?.name } : undefined,
    sessionSecondsLeft,
  });
  const cookies = [...(options.cookies ?? []), ...kept.cookies];
  if (page.csrf.setCookie) cookies.push(page.csrf.setCookie);
  return htmlResponse(html, { ...options, cookies });
}

const errorViews: Record<number, string> = {
  404: 'errors/not-found.njk',
  500: 'errors/problem.njk',
  503: 'errors/unavailable.njk',
};

/** The GOV.UK-pattern page for a status; other 4xx share one "we could not accept that" page. */
export function errorPage(status: number, reason = ''): Response {
  const view = errorViews[status] ?? 'errors/request-refused.njk';
  const headers: Record<string, string> = status === 503 ? { 'retry-after': '3600' } : status === 405 ? { allow: 'GET, HEAD, POST' } : {};
  return htmlResponse(renderView(view, { status, reason }), { status, headers });
}

type Handler = (page: PageRequest) => Response | Promise<Response>;

/**
 * Who may use a route, declared where the route is made: `public` (anyone), `citizen` (the
 * signed-in, registered citizen: identity's citizenPage and citizenGuard; never someone acting
 * for them), `citizen-or-proxy` (the citizen or anyone acting for them), `citizen-or-proxy:<permission>`
 * (the citizen, or someone acting for them with that permission), `registering` (a
 * signed-in citizen still in the registration journey), `signed-in` (a citizen or a member of
 * staff), `staff` (any signed-in member of staff) or `staff:<role>`. The route list (docs/routes.md) is built from it, and the in-process
 * page tests check that each route really sends signed-out people to sign in.
 */
export type Access =
  | 'public'
  | 'citizen'
  | 'registering'
  | 'signed-in'
  | 'staff'
  | `staff:${string}`
  /** The citizen, or someone acting for them (lib/proxy): any proxy, or only one with that permission. */
  | 'citizen-or-proxy'
  | `citizen-or-proxy:${ProxyPermission}`;

/** A route handler as Next calls it, carrying who may use it. */
export type PageRoute = ((req: Request, context?: RouteContext) => Promise<Response>) & { access: Access };

/**
 * Wraps every page route: maintenance mode, and errors turned into the right
 * page (never a stack trace, never a bare 500). Logs carry no personal data.
 */
export function pageRoute(handler: Handler, access: Access = 'public'): PageRoute {
  const route = async (req: Request, context?: RouteContext): Promise<Response> => {
    const requestId = randomUUID();
    const url = new URL(req.url);
    if (config().maintenanceMode) return errorPage(503, 'maintenance');
    try {
      // Every form post is checked (Origin, CSRF token, size, encoding) before anything else
      // happens, whichever page it is for: a handler cannot forget to.
      if (req.method !== 'GET' && req.method !== 'HEAD') await readForm(req);
      // Every page knows who is signed in: the header offers "Sign out" on all of them.
      const page: PageRequest = {
        req,
        url,
        requestId,
        csrf: csrfState(req),
        session: await currentCitizen(req),
        now: requestTime(req),
        params: (await context?.params) ?? {},
      };
      const refused = actingRefusal(page, access);
      if (refused) return refused;
      const response = await handler(page);
      await auditActing(page, access, response);
      return await keepAnswersAfterTimeout(page, response);
    } catch (error) {
      if (error instanceof HttpError) {
        log.warn('request-refused', { requestId, method: req.method, path: url.pathname, status: error.status, reason: error.reason });
        return errorPage(error.status, error.reason);
      }
      if (isDatabaseUnavailable(error)) {
        log.error('dependency-unavailable', { requestId, path: url.pathname, ...errorFields(error) });
        return errorPage(503, 'dependency');
      }
      log.error('unhandled-error', { requestId, method: req.method, path: url.pathname, ...errorFields(error) });
      return errorPage(500);
    }
  };
  return Object.assign(route, { access });
}

/**
 * Someone acting for another person (lib/proxy) reaches only the pages their permissions open:
 * any other citizen page is not there for them (404), and a form sent to one is refused (403),
 * whichever page it is: a handler cannot forget to. A session whose acting access has just ended
 * is sent to be told so, and what it sent is not applied to anyone's record.
 */
function actingRefusal(page: PageRequest, access: Access): Response | null {
  if (page.session.state !== 'signed-in') return null;
  const { citizen } = page.session;
  const read = page.req.method === 'GET' || page.req.method === 'HEAD';
  if (citizen.actingEnded && access.startsWith('citizen')) return redirect(paths.actingFor.ended);
  if (!citizen.actor || proxyMayUse(access, citizen.actor.permissions)) return null;
  throw new HttpError(read ? 404 : 403, 'not-permitted-while-acting');
}

/**
 * Everything someone acting for another person sees or does on that person's pages goes in the
 * audit log, as done by them for the person: the person reads it in "Who has viewed or changed
 * your record". A page shown (200) is a view; a form accepted (303) a change.
 */
async function auditActing(page: PageRequest, access: Access, response: Response): Promise<void> {
  // The person's pages a permission opens; not the proxy's own business (their invitations, requests, whom they act for).
  if (page.session.state !== 'signed-in' || !page.session.citizen.actor || !access.startsWith('citizen-or-proxy:')) return;
  const { citizen } = page.session;
  const { actor } = citizen;
  if (!actor) return;
  const read = page.req.method === 'GET' || page.req.method === 'HEAD';
  if (read ? response.status !== 200 : response.status !== 303) return;
  const [, permission] = access.split(':');
  await auditedTransaction(getDb(), (tx) =>
    appendAuditEntry(tx, {
      citizenId: citizen.userId,
      actorKind: 'proxy',
      actorId: actor.user.id,
      actorName: `${actor.user.givenName} ${actor.user.familyName}`,
      actorOrganisation: null,
      actorRole: RELATIONSHIP_TEXT[actor.basis] ?? null,
      action: read ? 'proxy-viewed' : 'proxy-changed',
      category: permission ?? null,
      detail: { path: page.url.pathname, accessId: actor.accessId, basis: actor.basis },
    }),
  );
}

/**
 * A form sent just after the sender's session timed out, on any page: the pipeline keeps the
 * answers for them (sealed) when the page sends them to sign in again, so that afterwards they
 * find the form filled in as they left it (renderPage puts them back).
 */
async function keepAnswersAfterTimeout(page: PageRequest, response: Response): Promise<Response> {
  if (page.req.method === 'GET' || page.req.method === 'HEAD') return response;
  if (page.session.state !== 'ended' || !page.session.userId) return response;
  const signInAgain = response.status === 303 && (response.headers.get('location') ?? '').startsWith(paths.signedOut);
  if (!signInAgain) return response;
  const cookie = keepAnswersCookie(page.session.userId, page.url.pathname, await readForm(page.req));
  if (cookie) response.headers.append('set-cookie', cookie);
  return response;
}

/** A form's values as its fields show them again: one string each, and a list for each checkbox field. */
function shownValues(values: FormValues, lists: readonly string[] = []): Record<string, string | string[]> {
  const shown: Record<string, string | string[]> = Object.fromEntries(Object.keys(values).map((name) => [name, shownValue(values, name)]));
  // One ticked box is sent as a single value, none as nothing: the checkboxes macro wants a list.
  for (const name of lists) shown[name] = [values[name] ?? []].flat();
  return shown;
}

/**
 * How a form page is reached when plain pageRoute is not enough: a page wrapper that checks who
 * the page is for, declares that access and hands the page on with them (identity's citizenPage,
 * or staffPage with a role, whose handlers get `page.citizen` or `page.staff`).
 */
export type FormRoute<P extends PageRequest> = (handler: (page: P) => Promise<Response>) => PageRoute;

/** What a form's own rules say: the answers as the work needs them, or what to fix. */
export type FormCheck<T> = { ok: true; data: T } | { ok: false; errors: FormErrors };

/**
 * A form's rules: a zod schema (or one made from what `load` found: the questions on offer), or,
 * when the rules need the database or the person (a condition already on their list), a
 * `validate` function with GOV.UK messages of its own.
 */
type FormRules<T, L, P> =
  | { schema: z.ZodType<T> | ((loaded: L) => z.ZodType<T>); validate?: undefined }
  | { validate: (values: FormValues, page: P, loaded: L) => FormCheck<T> | Promise<FormCheck<T>>; schema?: undefined };

/**
 * A question page: GET shows the form; POST validates it and either shows it
 * again with errors (422) or does the work and redirects (303).
 */
export function formPage<T, L = undefined, P extends PageRequest = PageRequest>(
  spec: {
    view: string;
    /** What the form is about (an activity, a question), loaded once a request; a response (a redirect) instead when the form is not for now. */
    load?: (page: P) => Promise<L | Response>;
    context?: (page: P, loaded: L) => ViewContext | Promise<ViewContext>;
    /** What the form shows when first opened (what is already saved); empty otherwise. */
    values?: (page: P, loaded: L) => Record<string, unknown> | Promise<Record<string, unknown>>;
    /** The form's checkbox fields, shown again as lists. */
    lists?: readonly string[];
    /** Who may see the form: a response (usually a redirect) instead of the form, or null to go on. */
    guard?: (page: P) => Response | null;
    /** Cookies the form needs set when it is shown (e.g. another component's CSRF cookie). */
    cookies?: (page: P) => string[];
    /** The address to go to next, or a whole response when the next step is not ours to render. */
    onValid: (data: T, page: P, loaded: L) => Promise<string | Response>;
  } & FormRules<T, L, P> &
    (
      | {
          /** Who may use the form (see Access); the guard enforces it. */
          access: Access;
          route?: undefined;
        }
      | { route: FormRoute<P>; access?: undefined }
    ),
) {
  // Without a route, P is PageRequest: pageRoute's own page.
  const route: FormRoute<P> = spec.route ?? ((handler) => pageRoute(handler as unknown as Handler, spec.access));
  const check = async (values: FormValues, page: P, loaded: L): Promise<FormCheck<T>> => {
    if (spec.validate) return spec.validate(values, page, loaded);
    const schema = typeof spec.schema === 'function' ? spec.schema(loaded) : spec.schema;
    return validateForm(schema, values);
  };
  /** The guard, then the load: a response from either is sent instead of the form. */
  const prepare = async (page: P): Promise<{ loaded: L } | Response> => {
    const refused = spec.guard?.(page);
    if (refused) return refused;
    const loaded = spec.load ? await spec.load(page) : (undefined as L);
    return loaded instanceof Response ? loaded : { loaded };
  };
  return {
    GET: route(async (page) => {
      const ready = await prepare(page);
      if (ready instanceof Response) return ready;
      const context = { ...(await spec.context?.(page, ready.loaded)), values: (await spec.values?.(page, ready.loaded)) ?? {} };
      return renderPage(page, spec.view, context, { cookies: spec.cookies?.(page) ?? [] });
    }),
    POST: route(async (page) => {
      const ready = await prepare(page);
      if (ready instanceof Response) return ready;
      const values = await readForm(page.req);
      const result = await check(values, page, ready.loaded);
      if (!result.ok) {
        const context = { ...(await spec.context?.(page, ready.loaded)), values: shownValues(values, spec.lists), errors: result.errors };
        return renderPage(page, spec.view, context, { status: 422, cookies: spec.cookies?.(page) });
      }
      const next = await spec.onValid(result.data, page, ready.loaded);
      return typeof next === 'string' ? redirect(next) : next;
    }),
  };
}
