/**
 * "Blood pressure diary": the example third-party app for the Person Held Record's open platform
 * (development, demo and tests only). It connects with SMART App Launch v2 (standalone patient
 * launch, authorisation code with PKCE S256) through the `fhirclient` library, reads the person's
 * blood pressure Observations and adds new ones through the PHR's FHIR R4 API. It talks to the
 * PHR only over HTTP, as any app maker's app would. See docs/open-platform.md.
 *
 *   npx tsx scripts/market-app/server.ts
 *
 * Environment: MARKET_APP_PORT (3700), MARKET_APP_HOST (localhost), MARKET_APP_URL
 * (http://localhost:<port>; the redirect URI is <url>/callback), PHR_URL (http://localhost:3000;
 * the FHIR base is <url>/fhir/r4), MARKET_APP_CLIENT_ID (bp-diary), LOG_LEVEL=silent.
 */
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Bundle, Observation, Patient } from '@medplum/fhirtypes';
import smart from 'fhirclient';
import type Client from 'fhirclient/lib/Client';
import { SMART_KEY } from 'fhirclient/lib/settings';
import { runAsCommand } from '../dev-server';
import { messagePage, privacyPage, readingsPage, startPage, STYLESHEET } from './pages';
import {
  bloodPressureObservation,
  isOnServer,
  isVeryHigh,
  outcomeErrors,
  pageLinks,
  READINGS_SEARCH,
  readingForm,
  readingsIn,
  validateReading,
  type FormError,
  type ReadingForm,
} from './readings';
import { createSessionStore, csrfMatches, fhirclientStorage, oneAtATime, takeMessage, takeVeryHigh, type Session } from './sessions';

/** What the app asks for: exactly what it is registered for, and what its pages use. */
export const SCOPES = 'launch/patient openid fhirUser offline_access patient/Observation.rs patient/Observation.c patient/Patient.r';
const FHIR_JSON = 'application/fhir+json';
const MAX_FORM_BYTES = 8 * 1024;

export type MarketAppConfig = {
  port: number;
  host: string;
  /** The app's own address; default http://localhost:<port>. */
  appUrl?: string;
  phrUrl: string;
  clientId: string;
  /** How long a call to the PHR may take. */
  timeoutMs: number;
};

export function configFrom(env: NodeJS.ProcessEnv): MarketAppConfig {
  const port = Number(env.MARKET_APP_PORT ?? 3700);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`MARKET_APP_PORT must be a port number, not "${env.MARKET_APP_PORT}"`);
  const checkedUrl = (name: string, value: string) => {
    if (!/^https?:\/\/[^/]+/.test(value)) throw new Error(`${name} must be an http(s) address, not "${value}"`);
    return value.replace(/\/+$/, '');
  };
  return {
    port,
    host: env.MARKET_APP_HOST ?? 'localhost',
    appUrl: env.MARKET_APP_URL ? checkedUrl('MARKET_APP_URL', env.MARKET_APP_URL) : undefined,
    phrUrl: checkedUrl('PHR_URL', env.PHR_URL ?? 'http://localhost:3000'),
    clientId: env.MARKET_APP_CLIENT_ID ?? 'bp-diary',
    timeoutMs: 10_000,
  };
}

/** A page that refuses or reports a failure, with its status: thrown by handlers, shown by the server. */
class Refused extends Error {
  constructor(
    readonly status: number,
    readonly title: string,
    readonly paragraphs: string[],
    readonly headers: Record<string, string> = {},
  ) {
    super(title);
  }
}

/** The PHR no longer accepts the app's tokens: the person disconnected it, or the connection ran out. */
class ConnectionEnded extends Error {}

const START_AGAIN = { href: '/', text: 'Go to the start page' };
const ENDED_MESSAGE = 'Blood pressure diary is no longer connected to your Person Held Record. Connect again to carry on.';

function unavailable(): Refused {
  return new Refused(502, 'Your Person Held Record is not available', [
    'Blood pressure diary could not reach your Person Held Record. Nothing has been changed.',
    'Try again later.',
  ]);
}

type PhrAnswer = { status: number; body: unknown };

export async function startMarketApp(config: MarketAppConfig, options: { log?: (line: string) => void; now?: () => Date } = {}) {
  const writeLog =
    options.log ??
    ((line: string) => {
      if (process.env.LOG_LEVEL !== 'silent') process.stdout.write(`${line}\n`);
    });
  const log = (fields: Record<string, unknown>) => writeLog(JSON.stringify({ time: new Date().toISOString(), app: 'market-app', ...fields }));
  const now = options.now ?? (() => new Date());
  const fhirBase = `${config.phrUrl}/fhir/r4`;
  let appUrl = config.appUrl ?? '';
  const sessions = createSessionStore({
    secureCookies: (config.appUrl ?? '').startsWith('https:'),
    // The app keeps a connection only while it is used: one left behind is ended at the PHR too.
    onTimeout: (session) => {
      const state = session.smart.get(String(session.smart.get(SMART_KEY))) as { tokenResponse?: { refresh_token?: unknown } } | undefined;
      const refreshToken = state?.tokenResponse?.refresh_token;
      if (typeof refreshToken === 'string') void revoke(refreshToken, 'refresh_token');
    },
  });
  const securityHeaders = {
    // The connect button's POST is answered with a redirect to the PHR's authorisation page.
    'content-security-policy': `default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self' ${new URL(config.phrUrl).origin}; frame-ancestors 'none'; base-uri 'none'`,
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
  };

  function send(res: ServerResponse, status: number, body: string, headers: Record<string, string> = {}) {
    res.writeHead(status, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store', ...securityHeaders, ...headers });
    res.end(body);
  }
  function redirect(res: ServerResponse, location: string) {
    res.writeHead(303, { location, 'cache-control': 'no-store', ...securityHeaders });
    res.end();
  }

  const server = http.createServer((req, res) => {
    const started = performance.now();
    const url = new URL(req.url ?? '/', 'http://app');
    // Paths only: the query may hold a paging link, and nothing about the person goes in logs.
    res.on('finish', () =>
      log({ event: 'request', method: req.method, path: url.pathname, status: res.statusCode, ms: Math.round(performance.now() - started) }),
    );
    route(req, res, url).catch((error: unknown) => {
      if (res.headersSent) return res.end();
      if (error instanceof Refused) {
        return send(res, error.status, messagePage({ title: error.title, paragraphs: error.paragraphs, link: START_AGAIN }), error.headers);
      }
      log({ event: 'error', error: (error as Error).message });
      send(res, 500, messagePage({ title: 'Sorry, there is a problem with the app', paragraphs: ['Try again later.'], link: START_AGAIN }));
    });
  });

  async function route(req: IncomingMessage, res: ServerResponse, url: URL) {
    switch (`${req.method} ${url.pathname}`) {
      case 'GET /health':
        res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' });
        return res.end('ok');
      case 'GET /style.css':
        res.writeHead(200, { 'content-type': 'text/css; charset=utf-8', 'cache-control': 'public, max-age=3600', ...securityHeaders });
        return res.end(STYLESHEET);
      case 'GET /privacy':
        return send(res, 200, privacyPage());
      case 'GET /': {
        const session = sessions.find(req) ?? sessions.start(res);
        return send(res, 200, startPage({ csrf: session.csrfToken, connected: session.connected, message: takeMessage(session) }));
      }
      case 'POST /launch':
        return launch(req, res);
      case 'GET /callback':
        return callback(req, res, url);
      case 'GET /readings':
        return whenConnected(req, res, (session, client) => showReadings(res, session, client, url));
      case 'POST /readings':
        return whenConnected(req, res, async (session, client) => addReading(res, session, client, url, await readForm(req, session)));
      case 'POST /disconnect':
        return disconnect(req, res);
    }
    const known = ['/', '/privacy', '/launch', '/callback', '/readings', '/disconnect', '/health', '/style.css'].includes(url.pathname);
    if (known) throw new Refused(405, 'This address does not work that way', ['Go back and try again.'], { allow: 'GET, POST' });
    throw new Refused(404, 'Page not found', ['If you typed the web address, check it is correct.']);
  }

  /** fhirclient for this request, keeping its state in the person's session. */
  function fhirclient(req: IncomingMessage, res: ServerResponse, session: Session) {
    const api = smart(req, res, fhirclientStorage(session));
    // A public client names itself when it refreshes: the token is all the PHR would have otherwise.
    api.options.refreshTokenWithClientId = true;
    return api;
  }

  /** "Connect to your Person Held Record": fhirclient finds the PHR's endpoints and sends the person to its consent page. */
  async function launch(req: IncomingMessage, res: ServerResponse) {
    const session = sessions.find(req);
    if (!session) throw expired(403);
    await readForm(req, session);
    session.connected = false;
    // fhirclient lets iss, clientId and fhirServiceUrl in the request's URL override its options:
    // this app talks to one PHR as one client, whatever a link says.
    req.url = '/launch';
    // fhirclient keeps the SMART configuration it fetches for the life of the process, a failed
    // fetch too: it is only asked once the PHR has answered.
    if (!(await smartConfiguration())) throw unavailable();
    let authoriseAt: string;
    try {
      authoriseAt = String(
        await fhirclient(req, res, session).authorize({
          iss: fhirBase,
          clientId: config.clientId,
          scope: SCOPES,
          redirectUri: `${appUrl}/callback`,
          pkceMode: 'required',
          noRedirect: true,
          wellKnownRequestOptions: { signal: AbortSignal.timeout(config.timeoutMs) },
        }),
      );
    } catch (error) {
      log({ event: 'launch-failed', error: (error as Error).message });
      throw unavailable();
    }
    return redirect(res, authoriseAt);
  }

  /** The PHR sends the person back here: with a code to exchange for tokens, or with why not. */
  async function callback(req: IncomingMessage, res: ServerResponse, url: URL) {
    const session = sessions.find(req);
    if (!session) throw expired();
    const error = url.searchParams.get('error');
    if (error === 'access_denied') {
      session.message = 'You did not connect Blood pressure diary to your Person Held Record. Nothing was shared.';
      return redirect(res, '/');
    }
    if (error) {
      log({ event: 'authorisation-refused', error: error.slice(0, 40) });
      throw new Refused(502, 'Connecting did not work', ['Your Person Held Record could not connect Blood pressure diary. Nothing was shared.']);
    }
    // The state must be the one this browser's launch made: a callback from anyone else's is refused.
    const state = url.searchParams.get('state');
    if (!state || !session.smart.has(state)) throw expired();
    const client = await oneAtATime(session, async () => {
      try {
        return await fhirclient(req, res, session).ready();
      } catch (failure) {
        log({ event: 'token-exchange-failed', error: (failure as Error).message.split('\n')[0] });
        throw new Refused(502, 'Connecting did not work', ['Your Person Held Record did not finish connecting Blood pressure diary. Nothing was shared.']);
      }
    });
    const patientId = client.patient.id;
    if (!patientId) throw new Refused(502, 'Connecting did not work', ['Your Person Held Record did not say whose record to use.']);
    sessions.renew(session, res);
    session.connected = true;
    session.name = await oneAtATime(session, () => nameOf(client, patientId)).catch(() => undefined);
    return redirect(res, '/readings');
  }

  async function nameOf(client: Client, patientId: string): Promise<string | undefined> {
    const answer = await phr(client, `${fhirBase}/Patient/${encodeURIComponent(patientId)}`);
    const patient = answer.status === 200 ? (answer.body as Patient) : undefined;
    const name = patient?.resourceType === 'Patient' ? (patient.name?.find((n) => n.use === 'official') ?? patient.name?.[0]) : undefined;
    return name ? (name.text ?? [...(name.given ?? []), name.family].filter(Boolean).join(' ')) || undefined : undefined;
  }

  /** Pages for a connected person: one request to the PHR at a time, and back to the start when the connection has ended. */
  async function whenConnected(req: IncomingMessage, res: ServerResponse, page: (session: Session, client: Client) => Promise<void>) {
    const session = sessions.find(req);
    if (!session?.connected) return redirect(res, '/');
    // As in launch: fhirclient takes launch parameters from the URL, and these pages have none.
    req.url = new URL(req.url ?? '/', 'http://app').pathname;
    try {
      await oneAtATime(session, async () => page(session, await fhirclient(req, res, session).ready()));
    } catch (error) {
      if (!(error instanceof ConnectionEnded)) throw error;
      sessions.end(session, res);
      sessions.start(res, ENDED_MESSAGE);
      return redirect(res, '/');
    }
  }

  async function showReadings(res: ServerResponse, session: Session, client: Client, url: URL, form?: { values: ReadingForm; errors: FormError[] }) {
    // Paging follows the Bundle's own links, and only into the same FHIR server: the token goes with them.
    const page = form ? null : url.searchParams.get('page');
    if (page !== null && !isOnServer(page, fhirBase)) throw new Refused(404, 'Page not found', ['Go back to your newest readings and try again.']);
    const answer = await phr(client, page ?? `${fhirBase}/${READINGS_SEARCH}`);
    const bundle = answer.body as Bundle | undefined;
    if (answer.status !== 200 || bundle?.resourceType !== 'Bundle') throw refusalFor(answer);
    const links = pageLinks(bundle, fhirBase);
    const appPage = (link?: string) => (link ? `/readings?${new URLSearchParams({ page: link })}` : undefined);
    send(
      res,
      form ? 422 : 200,
      readingsPage({
        csrf: session.csrfToken,
        name: session.name,
        readings: readingsIn(bundle),
        olderPage: appPage(links.next),
        newerPage: appPage(links.previous),
        paged: page !== null,
        form: form?.values,
        errors: form?.errors,
        message: takeMessage(session),
        veryHigh: form ? undefined : takeVeryHigh(session),
      }),
    );
  }

  async function addReading(res: ServerResponse, session: Session, client: Client, url: URL, body: URLSearchParams) {
    const values = readingForm(body);
    const checked = validateReading(values, now());
    if ('errors' in checked) return showReadings(res, session, client, url, { values, errors: checked.errors });
    const patientId = client.patient.id;
    if (!patientId) throw new ConnectionEnded();
    const answer = await phr(client, `${fhirBase}/Observation`, bloodPressureObservation(patientId, checked.reading));
    if (answer.status === 201 || answer.status === 200) {
      session.message = 'Reading added';
      // The PHR asks apps to give its advice for a very high reading, as its own form does.
      if (isVeryHigh(checked.reading, answer.body as Observation))
        session.veryHigh = { systolic: checked.reading.systolic, diastolic: checked.reading.diastolic };
      return redirect(res, '/readings');
    }
    if (answer.status === 403 || answer.status >= 500) throw refusalFor(answer);
    // The PHR's own rules: its OperationOutcome says, in plain English, what to change.
    const errors = outcomeErrors(answer.body);
    return showReadings(res, session, client, url, {
      values,
      errors: errors.length ? errors : [{ field: 'systolic', text: 'Your Person Held Record did not accept this reading. Check it and try again.' }],
    });
  }

  async function disconnect(req: IncomingMessage, res: ServerResponse) {
    const session = sessions.find(req);
    if (!session) return redirect(res, '/');
    await readForm(req, session);
    if (session.connected) {
      req.url = '/disconnect';
      await oneAtATime(session, async () => {
        const client = await fhirclient(req, res, session).ready();
        const refreshToken: unknown = client.getState('tokenResponse.refresh_token');
        const accessToken: unknown = client.getState('tokenResponse.access_token');
        // Revoking the refresh token ends the whole grant; without one, the access token is all there is.
        if (typeof refreshToken === 'string') await revoke(refreshToken, 'refresh_token');
        else if (typeof accessToken === 'string') await revoke(accessToken, 'access_token');
      }).catch((error: Error) => log({ event: 'disconnect-failed', error: error.message }));
    }
    sessions.end(session, res);
    sessions.start(res, 'Blood pressure diary is no longer connected to your Person Held Record.');
    return redirect(res, '/');
  }

  /** RFC 7009 revocation at the endpoint the PHR publishes. Best effort: the app forgets the tokens whatever happens. */
  async function revoke(token: string, hint: 'refresh_token' | 'access_token') {
    try {
      const configuration = await smartConfiguration();
      if (typeof configuration?.revocation_endpoint !== 'string') return log({ event: 'revocation-skipped', reason: 'no revocation_endpoint' });
      const answer = await fetch(configuration.revocation_endpoint, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ token, token_type_hint: hint, client_id: config.clientId }),
        signal: AbortSignal.timeout(config.timeoutMs),
      });
      if (!answer.ok) log({ event: 'revocation-failed', status: answer.status });
    } catch (error) {
      log({ event: 'revocation-failed', error: (error as Error).message });
    }
  }

  /** The PHR's SMART configuration, or undefined when the PHR does not give it. */
  async function smartConfiguration(): Promise<{ authorization_endpoint?: unknown; revocation_endpoint?: unknown } | undefined> {
    try {
      const answer = await fetch(`${fhirBase}/.well-known/smart-configuration`, {
        headers: { accept: 'application/json' },
        signal: AbortSignal.timeout(config.timeoutMs),
      });
      const body = answer.ok ? ((await answer.json()) as { authorization_endpoint?: unknown }) : undefined;
      return typeof body?.authorization_endpoint === 'string' ? body : undefined;
    } catch (error) {
      log({ event: 'smart-configuration-failed', error: (error as Error).message });
      return undefined;
    }
  }

  /**
   * One call to the PHR's FHIR API with the session's access token, refreshed first when it is
   * about to expire (fhirclient keeps the new tokens in the session). fhirclient's own request()
   * would do this too, but it turns a 4xx into an error without the OperationOutcome the person
   * needs to see, and has no timeout.
   */
  async function phr(client: Client, url: string, resource?: object): Promise<PhrAnswer> {
    try {
      await client.refreshIfNeeded({ signal: AbortSignal.timeout(config.timeoutMs) });
    } catch (error) {
      // The PHR could not be reached, or failed: try later. It refused the refresh token, or
      // fhirclient cannot refresh at all (no offline_access in the token response's scope):
      // the connection is over, and the person connects again.
      const { status, name } = error as { status?: unknown; name?: unknown };
      const unreachable = ['FetchError', 'AbortError', 'TimeoutError'].includes(String(name)) || (typeof status === 'number' && status >= 500);
      log({ event: 'refresh-failed', status: typeof status === 'number' ? status : undefined, error: (error as Error).message.split('\n')[0] });
      throw unreachable ? unavailable() : new ConnectionEnded();
    }
    let response: Response;
    try {
      response = await fetch(url, {
        method: resource ? 'POST' : 'GET',
        headers: {
          accept: FHIR_JSON,
          authorization: client.getAuthorizationHeader() ?? '',
          ...(resource ? { 'content-type': FHIR_JSON } : {}),
        },
        body: resource ? JSON.stringify(resource) : undefined,
        redirect: 'error',
        signal: AbortSignal.timeout(config.timeoutMs),
      });
    } catch {
      throw unavailable();
    }
    if (response.status === 401) throw new ConnectionEnded();
    if (response.status === 429 || response.status === 503) throw busy(response.headers.get('retry-after'));
    const text = await response.text().catch(() => '');
    let body: unknown;
    try {
      body = /json/.test(response.headers.get('content-type') ?? '') ? JSON.parse(text) : undefined;
    } catch {
      body = undefined;
    }
    return { status: response.status, body };
  }

  function refusalFor(answer: PhrAnswer): Refused {
    if (answer.status === 403) {
      return new Refused(403, 'Blood pressure diary is not allowed to do that', [
        'Your Person Held Record did not allow Blood pressure diary to see or add blood pressure readings.',
        'To let it, disconnect it and connect again, and agree to share your readings.',
      ]);
    }
    log({ event: 'phr-answer', status: answer.status });
    return unavailable();
  }

  const port = await new Promise<number>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, () => resolve((server.address() as AddressInfo).port));
  });
  appUrl ||= `http://localhost:${port}`;

  return {
    url: appUrl,
    fhirBase,
    close(): Promise<void> {
      sessions.stop();
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

/** No session, a launch state this browser did not make, or a form without this session's CSRF token. */
function expired(status = 400): Refused {
  return new Refused(status, 'Your visit has timed out', ['Nothing was changed or shared. Go back to the start and try again.']);
}

/** The PHR's rate limit, or the PHR down for a while: the person is asked to wait as long as the PHR asked the app to. */
function busy(retryAfter: string | null): Refused {
  const seconds = Number(retryAfter);
  const wait = Number.isInteger(seconds) && seconds > 0 ? (seconds <= 90 ? `${seconds} seconds` : `${Math.ceil(seconds / 60)} minutes`) : 'a few minutes';
  return new Refused(
    503,
    'Your Person Held Record is busy',
    [`Try again in ${wait}. Nothing has been changed.`],
    Number.isInteger(seconds) && seconds > 0 ? { 'retry-after': String(seconds) } : {},
  );
}

/** The form a POST sent, once its size, encoding and CSRF token are checked. */
async function readForm(req: IncomingMessage, session: Session): Promise<URLSearchParams> {
  if (!(req.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded')) {
    throw new Refused(415, 'The form could not be sent', ['Go back and try again.']);
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_FORM_BYTES) throw new Refused(413, 'The form could not be sent', ['What you entered was too long. Go back and try again.']);
    chunks.push(chunk);
  }
  const form = new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
  if (!csrfMatches(session, form.get('csrf'))) throw expired(403);
  return form;
}

async function main() {
  const config = configFrom(process.env);
  const app = await startMarketApp(config);
  process.stdout.write(`Blood pressure diary (example app): ${app.url}, connecting to ${app.fhirBase} as client ${config.clientId}\n`);
  return app;
}

runAsCommand(import.meta.filename, 'the example market app', main);
