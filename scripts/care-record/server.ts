/**
 * The demo care record: a FHIR R4 server (development, demo and tests only) that serves the
 * synthetic patients of generate.ts to clients authenticated in the SMART backend services
 * style, and keeps (in memory) the Observations and Flags our service writes for what
 * citizens add (writes.ts). The app talks to it only over HTTP, exactly as it will to the city's shared
 * care record.
 *
 *   npx tsx scripts/care-record/server.ts
 *
 * Environment: CARE_RECORD_PORT (3300), CARE_RECORD_HOST (127.0.0.1), CARE_RECORD_PUBLIC_URL
 * (http://localhost:<port>), CARE_RECORD_SEED, CARE_RECORD_FAULT (start in a fault mode, e.g.
 * "down" or "slow:3000"; tests only), DEV_KEYS_DIR (.tmp/dev-keys), LOG_LEVEL (silent).
 */
import { randomBytes } from 'node:crypto';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { Bundle, CapabilityStatement, OperationOutcome, Resource, ResourceType } from '@medplum/fhirtypes';
import { createLocalJWKSet, decodeJwt, errors as joseErrors, jwtVerify, type JWK } from 'jose';
import { devKeysDir } from '../oidc-provider/dev-keys';
import { CARE_RECORD_CLIENT_ID, ensureCareRecordClientKeys } from './client-keys';
import { DEFAULT_SEED, generateCareRecord, type CareRecordDataset } from './generate';
import { search, SEARCH_PARAMS, SearchError } from './search';
import { runAsCommand } from '../dev-server';
import { createWrittenStore, WRITABLE_TYPES, WriteRefused } from './writes';

const FHIR_JSON = 'application/fhir+json; charset=utf-8';
/** SMART: a client assertion may not be valid for more than five minutes. */
const MAX_ASSERTION_LIFETIME_SECONDS = 300;
// SMART v1 (read, write, *) and v2 (c r u d s, in that order) system scopes.
const SCOPE_PATTERN = /^system\/(\*|[A-Z][A-Za-z]+)\.(read|write|\*|(?=[cruds])c?r?u?d?s?)$/;

/** What one scope allows: reading (read, search) and writing (create, update). */
function scopeAllows(access: string): { read: boolean; write: boolean } {
  if (access === '*') return { read: true, write: true };
  if (access === 'read' || access === 'write') return { read: access === 'read', write: access === 'write' };
  return { read: /[rs]/.test(access), write: /[cu]/.test(access) };
}

export type FaultMode = 'normal' | 'slow' | 'error500' | 'down' | 'flaky';

export interface FaultSettings {
  mode: FaultMode;
  /** slow: how long each request waits before it is answered. */
  delayMs: number;
  /** flaky: every Nth request fails with a 500. */
  every: number;
}

export interface CareRecordServerOptions {
  /** 0 picks a free port. */
  port?: number;
  host?: string;
  publicUrl?: string;
  seed?: number;
  /** "Now" for the generated record; default: when the server starts. */
  clock?: Date;
  keysDir?: string;
  /** Registered clients: client id → public JWKs. Default: the app's dev key. */
  clients?: Record<string, JWK[]>;
  accessTokenTtlSeconds?: number;
  fault?: Partial<FaultSettings>;
  /** The server's notion of the current time in ms (tests move it to expire tokens). */
  now?: () => number;
  /** Receives the one-line JSON logs; default: stdout unless LOG_LEVEL=silent. */
  log?: (line: string) => void;
}

export interface RunningCareRecordServer {
  url: string;
  tokenUrl: string;
  dataset: CareRecordDataset;
  close(): Promise<void>;
}

const DEFAULT_FAULT: FaultSettings = { mode: 'normal', delayMs: 5000, every: 3 };

/** "slow:3000", "flaky:2", "down"… as in CARE_RECORD_FAULT. */
export function parseFault(text: string): Partial<FaultSettings> {
  const [mode, amount] = text.split(':');
  if (!isFaultMode(mode)) throw new Error(`Unknown fault mode "${text}" (normal, slow[:ms], error500, down, flaky[:n])`);
  const number = amount ? Number(amount) : undefined;
  return { mode, ...(mode === 'slow' && number ? { delayMs: number } : {}), ...(mode === 'flaky' && number ? { every: number } : {}) };
}

function isFaultMode(value: unknown): value is FaultMode {
  return typeof value === 'string' && ['normal', 'slow', 'error500', 'down', 'flaky'].includes(value);
}

type IssueCode = OperationOutcome['issue'][number]['code'];

class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: IssueCode,
    message: string,
  ) {
    super(message);
  }
}

export async function startCareRecordServer(options: CareRecordServerOptions = {}): Promise<RunningCareRecordServer> {
  const writeLog =
    options.log ??
    ((line: string) => {
      if (process.env.LOG_LEVEL !== 'silent') process.stdout.write(`${line}\n`);
    });
  const log = (fields: Record<string, unknown>) => writeLog(JSON.stringify({ time: new Date().toISOString(), level: 'info', ...fields }));
  const now = options.now ?? Date.now;
  const dataset = generateCareRecord({ seed: options.seed ?? DEFAULT_SEED, clock: options.clock ?? new Date(now()) });
  const byTypeAndId = new Map(dataset.resources.map((resource) => [`${resource.resourceType}/${resource.id}`, resource]));
  const clients = options.clients ?? { [CARE_RECORD_CLIENT_ID]: [ensureCareRecordClientKeys(options.keysDir ?? devKeysDir()).publicJwk] };
  const tokenTtl = options.accessTokenTtlSeconds ?? 300;
  /** Bearer token → the resource types its scopes allow to read and to write ("*" for all) and when it expires. */
  const accessTokens = new Map<string, { types: Set<string>; writeTypes: Set<string>; expiresAt: number }>();
  const usedJtis = new Map<string, number>();
  let fault: FaultSettings = { ...DEFAULT_FAULT, ...options.fault };
  let faultCounter = 0;

  const patientIds = new Set(dataset.resources.filter((resource) => resource.resourceType === 'Patient').map((resource) => resource.id!));
  const written = createWrittenStore({
    patientExists: (id) => patientIds.has(id),
    isTheirs: (type, id) => byTypeAndId.has(`${type}/${id}`),
    now,
  });

  const server = http.createServer((req, res) => {
    const started = performance.now();
    const url = new URL(req.url ?? '/', 'http://care-record');
    res.on('close', () =>
      log({
        event: 'request',
        method: req.method,
        // Paths and parameter names only: ids and values (NHS numbers, names) stay out of logs.
        path: url.pathname.replace(/^\/([A-Z][A-Za-z]+)\/.+$/, '/$1/{id}'),
        params: [...new Set(url.searchParams.keys())],
        status: res.writableFinished ? res.statusCode : 'dropped',
        ms: Math.round(performance.now() - started),
        fault: fault.mode,
      }),
    );
    handle(req, res, url).catch((error: unknown) => {
      if (error instanceof HttpError || error instanceof WriteRefused) return sendOutcome(res, error.status, error.code, error.message);
      log({ event: 'server-error', error: (error as Error).message });
      if (!res.headersSent) sendOutcome(res, 500, 'exception', 'Something went wrong in the demo care record');
      else res.end();
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 3300, options.host ?? '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const publicUrl = (options.publicUrl ?? `http://localhost:${port}`).replace(/\/$/, '');
  const tokenUrl = `${publicUrl}/token`;

  async function handle(req: IncomingMessage, res: ServerResponse, url: URL) {
    if (url.pathname === '/_faults') return handleFaults(req, res);

    if (fault.mode === 'down') {
      // Like a dropped connection: the client gets no HTTP response at all.
      req.socket.destroy();
      return;
    }
    if (fault.mode === 'slow') {
      await new Promise((resolve) => setTimeout(resolve, fault.delayMs));
      if (req.socket.destroyed) return;
    }
    if (fault.mode === 'error500') throw new HttpError(500, 'exception', 'Injected fault: error500');
    if (fault.mode === 'flaky') {
      faultCounter += 1;
      if (faultCounter % fault.every === 0) throw new HttpError(500, 'transient', `Injected fault: flaky (every ${fault.every})`);
    }

    if (url.pathname === '/health') return sendJson(res, 200, { status: 'ok' }, 'application/json; charset=utf-8');
    if (url.pathname === '/token') return handleToken(req, res);
    if (req.method === 'PUT') return handleWrite(req, res, url);
    if (req.method !== 'GET') throw new HttpError(405, 'not-supported', 'GET, or PUT for the resources citizens add');
    if (url.pathname === '/metadata') return sendJson(res, 200, capabilityStatement(publicUrl));
    if (url.pathname === '/.well-known/smart-configuration') return sendJson(res, 200, smartConfiguration(tokenUrl), 'application/json; charset=utf-8');

    const [, type, id, ...rest] = url.pathname.split('/');
    const grant = authenticate(req);
    if (!type || !SEARCH_PARAMS[type] || rest.length)
      throw new HttpError(404, 'not-supported', `Unknown resource type or path ${type ? `"${type}"` : ''}`.trim());
    if (!grant.types.has('*') && !grant.types.has(type)) throw new HttpError(403, 'forbidden', `The access token's scope does not include ${type}`);
    if (id) {
      const resource = byTypeAndId.get(`${type}/${id}`) ?? written.get(type, id);
      if (!resource) throw new HttpError(404, 'not-found', `${type}/${id} is not known`);
      return sendJson(res, 200, resource);
    }
    let matches: Resource[];
    try {
      matches = search(type, WRITABLE_TYPES.has(type) ? [...dataset.resources, ...written.all()] : dataset.resources, url.searchParams);
    } catch (error) {
      if (error instanceof SearchError) throw new HttpError(400, 'invalid', error.message);
      throw error;
    }
    const bundle: Bundle = {
      resourceType: 'Bundle',
      id: randomBytes(8).toString('hex'),
      meta: { lastUpdated: new Date(now()).toISOString() },
      type: 'searchset',
      total: matches.length,
      link: [{ relation: 'self', url: `${publicUrl}${url.pathname}${url.search}` }],
      entry: matches.map((resource) => ({ fullUrl: `${publicUrl}/${type}/${resource.id}`, resource, search: { mode: 'match' } })),
    };
    return sendJson(res, 200, bundle);
  }

  /** PUT /{type}/{id}: create or update one of the resources citizens add (update-as-create). */
  async function handleWrite(req: IncomingMessage, res: ServerResponse, url: URL) {
    const [, type, id, ...rest] = url.pathname.split('/');
    const grant = authenticate(req);
    if (!type || !id || rest.length || !WRITABLE_TYPES.has(type)) {
      throw new HttpError(405, 'not-supported', `Only ${[...WRITABLE_TYPES].join(' and ')} can be written, at /{type}/{id}`);
    }
    if (!grant.writeTypes.has('*') && !grant.writeTypes.has(type))
      throw new HttpError(403, 'forbidden', `The access token's scope does not allow writing ${type}`);
    const contentType = (req.headers['content-type'] ?? '').split(';')[0]!.trim();
    if (contentType !== 'application/fhir+json' && contentType !== 'application/json') {
      throw new HttpError(415, 'not-supported', 'Send application/fhir+json');
    }
    let body: unknown;
    try {
      body = JSON.parse(await readBody(req));
    } catch (error) {
      if (error instanceof HttpError) throw error;
      throw new HttpError(400, 'structure', 'The body is not JSON');
    }
    const { resource, created } = written.put(type, id, body);
    log({ event: 'write', resourceType: type, created, version: resource.meta?.versionId });
    res.setHeader('location', `${publicUrl}/${type}/${id}/_history/${resource.meta?.versionId}`);
    res.setHeader('etag', `W/"${resource.meta?.versionId}"`);
    return sendJson(res, created ? 201 : 200, resource);
  }

  function authenticate(req: IncomingMessage) {
    const token = /^Bearer (\S+)$/i.exec(req.headers.authorization ?? '')?.[1];
    const grant = token ? accessTokens.get(token) : undefined;
    if (!grant || grant.expiresAt <= now()) {
      if (grant) accessTokens.delete(token!);
      throw new HttpError(401, 'login', token ? 'The access token is not valid or has expired' : 'An access token is required (Authorization: Bearer …)');
    }
    return grant;
  }

  async function handleToken(req: IncomingMessage, res: ServerResponse) {
    if (req.method !== 'POST') return sendOAuthError(res, 405, 'invalid_request', 'POST only');
    const form = new URLSearchParams(await readBody(req));
    if (form.get('grant_type') !== 'client_credentials') return sendOAuthError(res, 400, 'unsupported_grant_type', 'grant_type must be client_credentials');
    if (form.get('client_assertion_type') !== 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer' || !form.get('client_assertion')) {
      return sendOAuthError(res, 401, 'invalid_client', 'A private_key_jwt client_assertion is required');
    }
    const scope = form.get('scope') ?? '';
    if (!scope || !scope.split(' ').every((item) => SCOPE_PATTERN.test(item))) {
      return sendOAuthError(res, 400, 'invalid_scope', 'scope must be system scopes such as system/*.read, system/Patient.rs or system/Observation.write');
    }
    const assertion = form.get('client_assertion')!;
    let clientId: string;
    try {
      const claimed = decodeJwt(assertion);
      const keys = typeof claimed.iss === 'string' ? clients[claimed.iss] : undefined;
      if (!keys) throw new Error('unknown client');
      clientId = claimed.iss as string;
      // The audience is the token endpoint; also accept it as reached (127.0.0.1 vs localhost).
      const audiences = [...new Set([tokenUrl, `http://${req.headers.host}/token`])];
      const { payload } = await jwtVerify(assertion, createLocalJWKSet({ keys }), {
        algorithms: ['ES256'],
        issuer: clientId,
        subject: clientId,
        audience: audiences,
        requiredClaims: ['exp', 'jti'],
        currentDate: new Date(now()),
      });
      const nowSeconds = Math.floor(now() / 1000);
      if (payload.exp! - nowSeconds > MAX_ASSERTION_LIFETIME_SECONDS) throw new Error('exp too far ahead');
      for (const [jti, expiresAt] of usedJtis) if (expiresAt < nowSeconds) usedJtis.delete(jti);
      const replayKey = `${clientId} ${payload.jti}`;
      if (usedJtis.has(replayKey)) throw new Error('jti replayed');
      usedJtis.set(replayKey, payload.exp!);
    } catch (error) {
      const reason = error instanceof joseErrors.JOSEError ? error.code : (error as Error).message;
      log({ event: 'token', outcome: 'rejected', reason });
      return sendOAuthError(res, 401, 'invalid_client', 'The client assertion was not accepted');
    }
    const accessToken = randomBytes(32).toString('base64url');
    const grants = scope.split(' ').map((item) => {
      const [, type, access] = SCOPE_PATTERN.exec(item)!;
      return { type: type!, ...scopeAllows(access!) };
    });
    const types = new Set(grants.filter((grant) => grant.read).map((grant) => grant.type));
    const writeTypes = new Set(grants.filter((grant) => grant.write).map((grant) => grant.type));
    accessTokens.set(accessToken, { types, writeTypes, expiresAt: now() + tokenTtl * 1000 });
    log({ event: 'token', outcome: 'issued', client: clientId, scope });
    res.statusCode = 200;
    res.setHeader('content-type', 'application/json; charset=utf-8');
    res.setHeader('cache-control', 'no-store');
    res.end(JSON.stringify({ access_token: accessToken, token_type: 'bearer', expires_in: tokenTtl, scope }));
  }

  async function handleFaults(req: IncomingMessage, res: ServerResponse) {
    if (req.method === 'POST') {
      let body: Record<string, unknown>;
      try {
        body = JSON.parse((await readBody(req)) || '{}') as Record<string, unknown>;
      } catch {
        throw new HttpError(400, 'invalid', 'Send JSON, e.g. {"mode":"slow","delayMs":2000}');
      }
      const { mode, delayMs, every } = body;
      if (!isFaultMode(mode)) throw new HttpError(400, 'invalid', 'mode must be normal, slow, error500, down or flaky');
      const positive = (value: unknown) => typeof value === 'number' && Number.isInteger(value) && value > 0;
      if ((delayMs !== undefined && !positive(delayMs)) || (every !== undefined && !positive(every))) {
        throw new HttpError(400, 'invalid', 'delayMs and every must be positive integers');
      }
      fault = { ...DEFAULT_FAULT, mode, ...(delayMs ? { delayMs: delayMs as number } : {}), ...(every ? { every: every as number } : {}) };
      faultCounter = 0;
    } else if (req.method !== 'GET') {
      throw new HttpError(405, 'not-supported', 'GET or POST');
    }
    sendJson(res, 200, fault, 'application/json; charset=utf-8');
  }

  return {
    url: publicUrl,
    tokenUrl,
    dataset,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeIdleConnections();
        // Requests held by the slow fault must not keep the server up.
        setTimeout(() => server.closeAllConnections(), 1000).unref();
      }),
  };
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > 64 * 1024) throw new HttpError(413, 'too-costly', 'Request body too large');
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function sendJson(res: ServerResponse, status: number, body: unknown, contentType = FHIR_JSON) {
  res.statusCode = status;
  res.setHeader('content-type', contentType);
  res.setHeader('cache-control', 'no-store');
  res.end(JSON.stringify(body));
}

function sendOutcome(res: ServerResponse, status: number, code: IssueCode, diagnostics: string) {
  if (status === 401) res.setHeader('www-authenticate', 'Bearer realm="care-record"');
  const outcome: OperationOutcome = { resourceType: 'OperationOutcome', issue: [{ severity: 'error', code, diagnostics }] };
  sendJson(res, status, outcome);
}

function sendOAuthError(res: ServerResponse, status: number, error: string, description: string) {
  sendJson(res, status, { error, error_description: description }, 'application/json; charset=utf-8');
}

function smartConfiguration(tokenUrl: string) {
  return {
    token_endpoint: tokenUrl,
    grant_types_supported: ['client_credentials'],
    token_endpoint_auth_methods_supported: ['private_key_jwt'],
    token_endpoint_auth_signing_alg_values_supported: ['ES256'],
    scopes_supported: ['system/*.read', 'system/*.rs', 'system/Observation.write', 'system/Flag.write', 'system/Observation.cu', 'system/Flag.cu'],
    capabilities: ['client-confidential-asymmetric'],
  };
}

function capabilityStatement(publicUrl: string): CapabilityStatement {
  return {
    resourceType: 'CapabilityStatement',
    status: 'active',
    date: new Date().toISOString().slice(0, 10),
    publisher: 'Person Held Record (demo care record)',
    kind: 'instance',
    software: { name: 'Person Held Record demo care record' },
    implementation: { description: 'Synthetic patients for development, demo and tests only', url: publicUrl },
    fhirVersion: '4.0.1',
    format: ['application/fhir+json'],
    rest: [
      {
        mode: 'server',
        security: {
          service: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/restful-security-service', code: 'SMART-on-FHIR' }] }],
          description: 'SMART backend services: client_credentials with a private_key_jwt (ES256) client assertion at /token; then Authorization: Bearer',
          extension: [
            {
              url: 'http://fhir-registry.smarthealthit.org/StructureDefinition/oauth-uris',
              extension: [{ url: 'token', valueUri: `${publicUrl}/token` }],
            },
          ],
        },
        resource: Object.entries(SEARCH_PARAMS).map(([type, params]) => ({
          type: type as ResourceType,
          interaction: [{ code: 'read' }, { code: 'search-type' }, ...(WRITABLE_TYPES.has(type) ? [{ code: 'update' as const }] : [])],
          ...(WRITABLE_TYPES.has(type) ? { updateCreate: true } : {}),
          searchParam: params.map(({ name, type: paramType, documentation }) => ({ name, type: paramType, documentation })),
        })),
      },
    ],
  };
}

async function main() {
  const fault = process.env.CARE_RECORD_FAULT ? parseFault(process.env.CARE_RECORD_FAULT) : undefined;
  const keysDir = path.resolve(devKeysDir());
  const running = await startCareRecordServer({
    port: Number(process.env.CARE_RECORD_PORT ?? 3300),
    host: process.env.CARE_RECORD_HOST,
    publicUrl: process.env.CARE_RECORD_PUBLIC_URL,
    seed: process.env.CARE_RECORD_SEED ? Number(process.env.CARE_RECORD_SEED) : undefined,
    keysDir,
    fault,
  });
  const width = Math.max(...running.dataset.demoPatients.map((patient) => `${patient.givenName} ${patient.familyName}`.length));
  process.stdout.write(
    [
      'Demo care record, FHIR R4 (development and tests only: every patient is made up)',
      `  Base URL ${running.url}   token endpoint ${running.tokenUrl}   client ${CARE_RECORD_CLIENT_ID} (ES256 key in ${keysDir})`,
      ...(fault ? [`  Starting with fault mode: ${JSON.stringify(fault)}`] : []),
      '',
      'Demo patients',
      ...running.dataset.demoPatients.map(
        (patient) =>
          `  ${patient.nhsNumber}  ${`${patient.givenName} ${patient.familyName}`.padEnd(width)}  ${patient.birthDate}  ${patient.postcode.padEnd(8)}  ${patient.summary}`,
      ),
      '',
    ].join('\n'),
  );

  return running;
}

runAsCommand(import.meta.filename, 'the demo care record', main);
