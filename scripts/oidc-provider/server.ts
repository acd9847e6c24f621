/**
 * One process, three demo OpenID providers (local development, demo and tests only):
 *   <public url>/onelogin   shaped like GOV.UK One Login   client phr-onelogin
 *   <public url>/nhslogin   shaped like NHS login          client phr-nhslogin
 *   <public url>/staff      a staff identity provider      client phr-staff
 *
 *   npx tsx scripts/oidc-provider/server.ts
 *
 * Environment: OIDC_PORT (3200), OIDC_HOST (127.0.0.1), OIDC_PUBLIC_URL
 * (http://localhost:<port>: the issuers' base, use exactly this address from the browser
 * and the app), OIDC_APP_URL (http://localhost:3000; several separated by commas),
 * DEV_KEYS_DIR (.tmp/dev-keys), LOG_LEVEL (silent hides the sign-in lines).
 */
import { randomBytes } from 'node:crypto';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { devKeysDir, ensureDevClientKeys } from './dev-keys';
import { handleInteraction, sendPage } from './interactions';
import { CLIENT_NAME, createDemoProvider, describeLevels, peopleFor, profiles, type DemoProvider, type ProviderId } from './providers';
import { DEMO_PASSWORD } from './users';
import { STYLESHEET_PATH, stylesheet } from './views';
import { runAsCommand } from '../dev-server';

export interface OidcServerOptions {
  /** 0 picks a free port. */
  port?: number;
  host?: string;
  publicUrl?: string;
  appUrls?: readonly string[];
  keysDir?: string;
  /** Receives the one-line JSON logs; default: stdout unless LOG_LEVEL=silent. */
  log?: (line: string) => void;
}

export interface RunningOidcServer {
  url: string;
  issuers: Record<ProviderId, string>;
  providers: Record<ProviderId, DemoProvider>;
  close(): Promise<void>;
}

const PROVIDER_IDS: readonly ProviderId[] = ['onelogin', 'nhslogin', 'staff'];

export async function startOidcServer(options: OidcServerOptions = {}): Promise<RunningOidcServer> {
  const writeLog =
    options.log ??
    ((line: string) => {
      if (process.env.LOG_LEVEL !== 'silent') process.stdout.write(`${line}\n`);
    });
  const log = (event: string, fields: Record<string, string | undefined>) =>
    writeLog(JSON.stringify({ time: new Date().toISOString(), level: 'info', event, ...fields }));

  let route: (req: IncomingMessage, res: ServerResponse) => Promise<void> = async (_req, res) => {
    res.statusCode = 503;
    res.end();
  };
  const server = http.createServer((req, res) => {
    route(req, res).catch((error: Error) => {
      log('server-error', { error: error.message });
      if (!res.headersSent) sendPage(undefined, res, 500, 'error.njk', { message: 'Something went wrong in the demo identity provider.' });
      else res.end();
    });
  });
  // The issuers need the port, so listen first (port 0 in tests) and build the providers after.
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 3200, options.host ?? '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const publicUrl = (options.publicUrl ?? `http://localhost:${port}`).replace(/\/$/, '');
  const appUrls = (options.appUrls ?? ['http://localhost:3000']).map((url) => url.replace(/\/$/, ''));
  const keysDir = options.keysDir ?? devKeysDir();
  const settings = {
    publicUrl,
    appUrls,
    keysDir,
    clientPublicJwk: ensureDevClientKeys(keysDir).publicJwk,
    cookieKeys: [randomBytes(32).toString('base64url')],
    log,
  };

  const providers = {} as Record<ProviderId, DemoProvider>;
  for (const id of PROVIDER_IDS) providers[id] = await createDemoProvider(id, settings);

  const securityHeaders = {
    // No script sources of our own. oidc-provider adds the hash of its one inline
    // auto-submit script to script-src when it serves that page.
    'content-security-policy': [
      "default-src 'none'",
      "script-src 'self'",
      "style-src 'self'",
      "img-src 'self'",
      // Chrome applies form-action to the redirects after a form post, which end at the app.
      `form-action 'self' ${appUrls.map((url) => new URL(url).origin).join(' ')}`,
      "frame-ancestors 'none'",
      "base-uri 'none'",
    ].join('; '),
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
  };

  route = async (req, res) => {
    for (const [name, value] of Object.entries(securityHeaders)) res.setHeader(name, value);
    const url = new URL(req.url ?? '/', publicUrl);

    if (url.pathname === '/health') return sendJson(res, 200, { status: 'ok' });
    if (url.pathname === STYLESHEET_PATH) {
      res.setHeader('content-type', 'text/css; charset=utf-8');
      res.setHeader('cache-control', 'public, max-age=3600');
      res.end(stylesheet());
      return;
    }
    if (url.pathname === '/') return sendIndex(res, providers);

    const demo = PROVIDER_IDS.map((id) => providers[id]).find(({ mountPath }) => url.pathname === mountPath || url.pathname.startsWith(`${mountPath}/`));
    if (!demo) return sendPage(undefined, res, 404, 'error.njk', { message: 'Page not found.' });

    const subPath = url.pathname.slice(demo.mountPath.length) || '/';
    if (subPath.startsWith('/interaction/')) return handleInteraction(demo, req, res, subPath);
    const document = demo.documents[subPath];
    if (document) return sendJson(res, 200, document());

    // How oidc-provider expects to be mounted under a path (as Express does it): it works
    // out its mount path, and so its own URLs, from originalUrl minus url.
    Object.assign(req, { originalUrl: req.url, url: `${subPath}${url.search}` });
    demo.handle(req, res);
  };

  return {
    url: publicUrl,
    issuers: Object.fromEntries(PROVIDER_IDS.map((id) => [id, providers[id].issuer])) as Record<ProviderId, string>,
    providers,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeIdleConnections();
      }),
  };
}

function sendJson(res: ServerResponse, status: number, body: unknown) {
  res.statusCode = status;
  res.setHeader('content-type', 'application/json; charset=utf-8');
  res.setHeader('cache-control', 'no-store');
  res.end(JSON.stringify(body));
}

function sendIndex(res: ServerResponse, providers: Record<ProviderId, DemoProvider>) {
  sendPage(undefined, res, 200, 'index.njk', {
    password: DEMO_PASSWORD,
    providerRows: PROVIDER_IDS.map((id) => [{ text: profiles[id].name }, { text: providers[id].issuer }, { text: profiles[id].clientId }]),
    accountRows: PROVIDER_IDS.filter((id) => id !== 'nhslogin').flatMap((id) =>
      peopleFor(profiles[id]).map((person) => [
        { text: person.email },
        { text: `${person.givenName} ${person.familyName}: ${person.summary}` },
        {
          text:
            person.kind === 'staff'
              ? describeLevels(profiles.staff, person)
              : `One Login ${describeLevels(profiles.onelogin, person)}; NHS login ${describeLevels(profiles.nhslogin, person)}`,
        },
      ]),
    ),
  });
}

function banner(running: RunningOidcServer, appUrls: readonly string[], keysDir: string): string {
  const onelogin = running.providers.onelogin;
  const rows = PROVIDER_IDS.filter((id) => id !== 'nhslogin').flatMap((id) =>
    peopleFor(profiles[id]).map((person) => [
      person.email,
      person.summary,
      person.kind === 'staff'
        ? describeLevels(profiles.staff, person)
        : `One Login: ${describeLevels(profiles.onelogin, person)} | NHS login: ${describeLevels(profiles.nhslogin, person)}`,
    ]),
  );
  const widths = [0, 1].map((column) => Math.max(...rows.map((row) => row[column]!.length)));
  return [
    `Demo identity providers for ${CLIENT_NAME} (development and tests only)`,
    ...PROVIDER_IDS.map((id) => `  ${profiles[id].name.padEnd(20)} issuer ${running.issuers[id]}   client ${profiles[id].clientId}`),
    `  One Login core identity: iss ${onelogin.coreIdentity?.issuer}, keys (DID document) ${onelogin.coreIdentity?.didUrl}`,
    `  Registered app URLs: ${appUrls.join(', ')}   client keys: ${keysDir}`,
    '',
    `Demo accounts (password for all: ${DEMO_PASSWORD})`,
    ...rows.map(([email, who, levels]) => `  ${email!.padEnd(widths[0]!)}  ${who!.padEnd(widths[1]!)}  ${levels}`),
    '',
  ].join('\n');
}

async function main() {
  const port = Number(process.env.OIDC_PORT ?? 3200);
  const appUrls = (process.env.OIDC_APP_URL ?? 'http://localhost:3000')
    .split(',')
    .map((url) => url.trim())
    .filter(Boolean);
  const keysDir = path.resolve(devKeysDir());
  const running = await startOidcServer({
    port,
    host: process.env.OIDC_HOST,
    publicUrl: process.env.OIDC_PUBLIC_URL,
    appUrls,
    keysDir,
  });
  process.stdout.write(banner(running, appUrls, keysDir));

  return running;
}

runAsCommand(import.meta.filename, 'the demo identity providers', main);
