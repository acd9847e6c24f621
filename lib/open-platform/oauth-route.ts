import { config } from '../platform/config';
import { log, errorFields } from '../platform/log';
import { authorisationServer, OAUTH_PATH, publicProtocol } from './authorisation-server';
import { runNodeListener } from './node-bridge';

/**
 * /oauth/*: every request to the OAuth server, handed to oidc-provider as it is, with three
 * changes that keep people safe on shared computers and keep consent ours:
 * - its own sign-in session is never used: the citizen's session with this service decides who
 *   is signed in, so the consent page is shown every time an app asks (and never to the
 *   previous person at a library computer);
 * - SMART apps ask for offline_access without prompt=consent; we always ask for consent, so the
 *   request says so (OpenID Connect drops offline_access otherwise);
 * - bodies are limited, as on every form.
 */

const MAX_BODY_BYTES = 32 * 1024;
const SESSION_COOKIE = /^phr_oauth_session(\.sig|\.legacy|\.legacy\.sig)?=/;

function withoutSessionCookie(cookieHeader: string | null): string {
  return (cookieHeader ?? '')
    .split(';')
    .map((part) => part.trim())
    .filter((part) => part && !SESSION_COOKIE.test(part))
    .join('; ');
}

/** The address oidc-provider sees: below its mount point, with prompt=consent where SMART needs it. */
function providerUrl(url: URL): string {
  const inner = new URL(url.pathname.slice(OAUTH_PATH.length) || '/', url.origin);
  url.searchParams.forEach((value, name) => inner.searchParams.append(name, value));
  const scopes = (inner.searchParams.get('scope') ?? '').split(' ');
  if (inner.pathname === '/auth' && scopes.includes('offline_access') && !inner.searchParams.has('prompt')) inner.searchParams.set('prompt', 'consent');
  return `${inner.pathname}${inner.search}`;
}

async function readBody(req: Request): Promise<Buffer | 'too-big'> {
  if (req.method === 'GET' || req.method === 'HEAD' || !req.body) return Buffer.alloc(0);
  const declared = Number(req.headers.get('content-length') ?? 0);
  if (declared > MAX_BODY_BYTES) return 'too-big';
  const body = Buffer.from(await req.arrayBuffer());
  return body.length > MAX_BODY_BYTES ? 'too-big' : body;
}

function oauthError(status: number, error: string, description: string): Response {
  return Response.json({ error, error_description: description }, { status, headers: { 'cache-control': 'no-store' } });
}

export async function oauthRoute(req: Request): Promise<Response> {
  const url = new URL(req.url);
  try {
    const body = await readBody(req);
    if (body === 'too-big') return oauthError(413, 'invalid_request', 'The request is too large');
    const headers: Record<string, string> = {};
    req.headers.forEach((value, name) => {
      headers[name] = value;
    });
    headers.cookie = withoutSessionCookie(req.headers.get('cookie'));
    // The bridge is the service's own: the scheme is the public address's (publicProtocol).
    headers['x-forwarded-proto'] = publicProtocol();
    // and the host is the public address's too, so the addresses it makes are the ones apps know.
    headers.host = new URL(config().publicUrl).host;
    const server = await authorisationServer();
    const inner = providerUrl(url);
    const response = await runNodeListener(server.callback(), { method: req.method, url: inner, originalUrl: `${OAUTH_PATH}${inner}`, headers, body });
    return withoutSessionSetCookie(response);
  } catch (error) {
    log.error('oauth-route-error', { path: url.pathname, ...errorFields(error) });
    return oauthError(500, 'server_error', 'Something went wrong');
  }
}

/** oidc-provider's own session cookie is never kept (see above). */
function withoutSessionSetCookie(response: Response): Response {
  const cookies = response.headers.getSetCookie().filter((cookie) => !SESSION_COOKIE.test(cookie));
  response.headers.delete('set-cookie');
  for (const cookie of cookies) response.headers.append('set-cookie', cookie);
  return response;
}
