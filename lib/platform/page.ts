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
import { readForm, shownValue, validateForm, type FormValues } from './forms';
import { errorFields, log } from './log';
import { htmlResponse, redirect, renderView, type PageOptions } from './render';

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
    csrfToken: page.csrf.token,
    signedIn,
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
  const headers: Record<string, string> = status === 503 ? { 'retry-after': '3600' } : {};
  return htmlResponse(renderView(view, { status, reason }), { status, headers });
}

type Handler = (page: PageRequest) => Response | Promise<Response>;

/**
 * Wraps every page route: maintenance mode, and errors turned into the right
 * page (never a stack trace, never a bare 500). Logs carry no personal data.
 */
export function pageRoute(handler: Handler) {
  return async (req: Request, context?: RouteContext): Promise<Response> => {
    const requestId = randomUUID();
    const url = new URL(req.url);
    if (config().maintenanceMode) return errorPage(503, 'maintenance');
    try {
      // Every form post is checked (Origin, CSRF token, size, encoding) before anything else
      // happens, whichever page it is for: a handler cannot forget to.
      if (req.method !== 'GET' && req.method !== 'HEAD') await readForm(req);
      // Every page knows who is signed in: the header offers "Sign out" on all of them.
      const page: PageRequest = { req, url, requestId, csrf: csrfState(req), session: await currentCitizen(req), now: requestTime(req), params: (await context?.params) ?? {} };
      return await keepAnswersAfterTimeout(page, await handler(page));
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
}

/**
 * A form sent just after the sender's session timed out, on any page: the pipeline keeps the
 * answers for them (sealed) when the page sends them to sign in again, so that afterwards they
 * find the form filled in as they left it (renderPage puts them back).
 */
async function keepAnswersAfterTimeout(page: PageRequest, response: Response): Promise<Response> {
  if (page.req.method === 'GET' || page.req.method === 'HEAD') return response;
  if (page.session.state !== 'ended' || !page.session.userId) return response;
  const signInAgain = response.status === 303 && (response.headers.get('location') ?? '').startsWith('/signed-out');
  if (!signInAgain) return response;
  const cookie = keepAnswersCookie(page.session.userId, page.url.pathname, await readForm(page.req));
  if (cookie) response.headers.append('set-cookie', cookie);
  return response;
}

function shownValues(values: FormValues): Record<string, string> {
  return Object.fromEntries(Object.keys(values).map((name) => [name, shownValue(values, name)]));
}

/**
 * A question page: GET shows the form; POST validates it and either shows it
 * again with errors (422) or does the work and redirects (303).
 */
export function formPage<S extends z.ZodType>(spec: {
  view: string;
  schema: S;
  context?: (page: PageRequest) => ViewContext | Promise<ViewContext>;
  /** Who may see the form: a response (usually a redirect) instead of the form, or null to go on. */
  guard?: (page: PageRequest) => Response | null;
  /** Cookies the form needs set when it is shown (e.g. another component's CSRF cookie). */
  cookies?: (page: PageRequest) => string[];
  /** The address to go to next, or a whole response when the next step is not ours to render. */
  onValid: (data: z.output<S>, page: PageRequest) => Promise<string | Response>;
}) {
  return {
    GET: pageRoute(async (page) => {
      const refused = spec.guard?.(page);
      if (refused) return refused;
      return renderPage(page, spec.view, { ...(await spec.context?.(page)), values: {} }, { cookies: spec.cookies?.(page) ?? [] });
    }),
    POST: pageRoute(async (page) => {
      const refused = spec.guard?.(page);
      if (refused) return refused;
      const result = validateForm(spec.schema, await readForm(page.req));
      if (!result.ok) {
        const context = { ...(await spec.context?.(page)), values: shownValues(result.values), errors: result.errors };
        return renderPage(page, spec.view, context, { status: 422, cookies: spec.cookies?.(page) });
      }
      const next = await spec.onValid(result.data, page);
      return typeof next === 'string' ? redirect(next) : next;
    }),
  };
}
