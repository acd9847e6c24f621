import { config } from '../platform/config';
import { getDb, isDatabaseUnavailable } from '../platform/db';
import { errorFields, log } from '../platform/log';
import { ServiceUnavailableError } from '../platform/errors';
import { privateKey, SharedTokenBucket, type LimitResult } from '../platform/rate-limit';
import { requestTime } from '../platform/clock';
import { findApp, liveConnection, touchConnection } from './apps';
import { authorisationServer, FHIR_PATH, fhirBaseUrl, oauthEndpoints } from './authorisation-server';
import { capabilityStatement, handleFhir, operationOutcome, type ApiCaller, type FhirResponse } from './fhir/api';
import { smartConfiguration } from './smart-configuration';

/**
 * /fhir/r4/*: the FHIR R4 API. Public: the CapabilityStatement (metadata) and the SMART
 * configuration. Everything else needs an access token an app got with the citizen's consent
 * (authorisation-server.ts); each answer is FHIR JSON, every error an OperationOutcome.
 */

const MAX_BODY_BYTES = 64 * 1024;
const FHIR_JSON = 'application/fhir+json; charset=utf-8';

/**
 * Each token may make `perToken` requests a minute, each app `perApp` across all its tokens,
 * counted in the database by every instance together. Tokens are keyed by a keyed hash: the
 * table never holds one that could be used.
 */
function rateLimits(): { perToken: SharedTokenBucket; perApp: SharedTokenBucket } {
  const { perTokenPerMinute, perAppPerMinute } = config().openPlatform.rateLimits;
  return {
    perToken: new SharedTokenBucket('api:token', { capacity: perTokenPerMinute, refillSeconds: 60 }),
    perApp: new SharedTokenBucket('api:app', { capacity: perAppPerMinute, refillSeconds: 60 }),
  };
}

function fhirJson(response: FhirResponse): Response {
  return new Response(JSON.stringify(response.body), {
    status: response.status,
    headers: { 'content-type': FHIR_JSON, 'cache-control': 'no-store', ...response.headers },
  });
}

function unauthorised(diagnostics: string, error = 'invalid_token'): Response {
  const response = operationOutcome(401, 'login', diagnostics);
  return fhirJson({ ...response, headers: { 'www-authenticate': `Bearer realm="${fhirBaseUrl()}", error="${error}"` } });
}

/** Who is calling: the app and the citizen behind a live access token, or the 401 to answer. */
async function callerOf(req: Request): Promise<ApiCaller | Response> {
  const header = req.headers.get('authorization') ?? '';
  const match = /^Bearer ([A-Za-z0-9._~+/=-]{10,200})$/.exec(header);
  if (!match) return unauthorised('An access token is needed: connect the app to your record first', 'invalid_request');
  const server = await authorisationServer();
  const token = await server.AccessToken.find(match[1]!);
  const audiences = [token?.aud ?? []].flat();
  if (!token || token.isExpired || !audiences.includes(fhirBaseUrl())) return unauthorised('The access token is not valid or has expired');
  const db = getDb();
  const connection = await liveConnection(db, token.grantId);
  const app = connection && (await findApp(db, token.clientId));
  if (!connection || !app || app.withdrawnAt || connection.userId !== token.accountId) return unauthorised('The app has been disconnected');
  await touchConnection(db, connection);
  return { userId: token.accountId, appId: app.id, appName: app.name, scopes: new Set((token.scope ?? '').split(' ').filter(Boolean)) };
}

/**
 * The 429 to answer when the app or its token has made too many requests, else null. Fails
 * closed: when the database cannot count, the request gets the 503 "try again later" (apps
 * retry) rather than going through unlimited while the database is struggling; the answer would
 * need the database anyway.
 */
async function limited(caller: ApiCaller, authorization: string): Promise<Response | null> {
  const { perToken, perApp } = rateLimits();
  let result: LimitResult;
  try {
    const appResult = await perApp.take(caller.appId);
    result = appResult.ok ? await perToken.take(privateKey(authorization)) : appResult;
  } catch (error) {
    throw new ServiceUnavailableError(`rate limit: ${error instanceof Error ? error.message : 'not counted'}`);
  }
  if (result.ok) return null;
  return fhirJson({
    ...operationOutcome(429, 'throttled', 'Too many requests: wait a little and try again'),
    headers: { 'retry-after': String(result.retryAfterSeconds) },
  });
}

async function readBody(req: Request): Promise<string | null | 'too-big'> {
  if (req.method !== 'POST') return null;
  if (Number(req.headers.get('content-length') ?? 0) > MAX_BODY_BYTES) return 'too-big';
  const body = Buffer.from(await req.arrayBuffer());
  return body.length > MAX_BODY_BYTES ? 'too-big' : body.toString('utf8');
}

/** The address below /fhir/r4, one segment each, or null when it cannot be decoded. */
function pathSegments(url: URL): string[] | null {
  try {
    return url.pathname.slice(FHIR_PATH.length).split('/').filter(Boolean).map(decodeURIComponent);
  } catch {
    return null;
  }
}

export async function fhirRoute(req: Request): Promise<Response> {
  const url = new URL(req.url);
  try {
    const path = pathSegments(url);
    if (!path) return fhirJson(operationOutcome(400, 'invalid', 'The address is not valid'));
    // Other methods than GET and POST are sent here by scripts/server/method-guard.cjs.
    if (path.join('/') === 'method-not-allowed') {
      return fhirJson({ ...operationOutcome(405, 'not-supported', 'This API takes only GET and POST'), headers: { allow: 'GET, POST' } });
    }
    if (req.method === 'GET' && path.join('/') === 'metadata') {
      const { authorize, token, revoke } = oauthEndpoints();
      return fhirJson({ status: 200, body: capabilityStatement(fhirBaseUrl(), { authorize, token, revoke }) });
    }
    if (req.method === 'GET' && path.join('/') === '.well-known/smart-configuration') {
      return Response.json(smartConfiguration(), { headers: { 'cache-control': 'public, max-age=3600' } });
    }
    const caller = await callerOf(req);
    if (caller instanceof Response) return caller;
    const refused = await limited(caller, req.headers.get('authorization')!);
    if (refused) return refused;
    const body = await readBody(req);
    if (body === 'too-big') return fhirJson(operationOutcome(413, 'too-costly', 'The request is too large: send at most 64 KB'));
    const response = await handleFhir(getDb(), caller, {
      method: req.method,
      path,
      query: url.searchParams,
      body: body ?? undefined,
      contentType: req.headers.get('content-type'),
      baseUrl: fhirBaseUrl(),
      now: requestTime(req),
    });
    return fhirJson(response);
  } catch (error) {
    if (isDatabaseUnavailable(error)) {
      log.error('dependency-unavailable', { path: url.pathname, ...errorFields(error) });
      return fhirJson({
        ...operationOutcome(503, 'transient', 'The service is not available at the moment: try again later'),
        headers: { 'retry-after': '60' },
      });
    }
    log.error('fhir-api-error', { method: req.method, path: url.pathname, ...errorFields(error) });
    return fhirJson(operationOutcome(500, 'exception', 'Something went wrong'));
  }
}
