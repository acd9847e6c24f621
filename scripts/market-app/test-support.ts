/**
 * A stand-in for the PHR's side of the open platform, for the market app's tests: the SMART
 * configuration, an authorisation endpoint that consents at once (or refuses), a token endpoint
 * that checks PKCE S256 and rotates refresh tokens (a spent one coming back ends the grant), RFC
 * 7009 revocation, Patient read and blood pressure Observation search (paged) and create. It
 * follows the contract the app is written against, not the real PHR's code.
 */
import { createHash, randomBytes } from 'node:crypto';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Bundle, Observation } from '@medplum/fhirtypes';

export const PATIENT_ID = 'patient-amelia';

type Grant = { clientId: string; scope: string; patient: string; ended: boolean };

export async function startFakePhr(
  options: {
    clientId?: string;
    accessTokenSeconds?: number;
    readings?: number;
    /** The token response's scope without openid, fhirUser and offline_access (as an access token's own scope would be). */
    resourceScopesOnly?: boolean;
  } = {},
) {
  const clientId = options.clientId ?? 'bp-diary';
  let redirectUri = '';
  let consent: 'allow' | 'deny' = 'allow';
  let rateLimited = false;
  const codes = new Map<string, { challenge: string; redirectUri: string; scope: string }>();
  const accessTokens = new Map<string, { grant: Grant; expiresAt: number }>();
  const refreshTokens = new Map<string, { grant: Grant; spent: boolean }>();
  const tokenRequests: URLSearchParams[] = [];
  const refreshTokensIssued: string[] = [];
  const revocations: URLSearchParams[] = [];
  const authorisations: URLSearchParams[] = [];
  let reuseDetected = false;
  const observations: Observation[] = Array.from({ length: options.readings ?? 12 }, (_, i) =>
    observation(`seed-${i}`, 120 + i, 80, new Date(Date.UTC(2026, 10, 1 + i, 8, 30))),
  );

  const server = http.createServer((req, res) => {
    handle(req, res).catch((error: Error) => json(res, 500, outcome(error.message)));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const fhirBase = `${url}/fhir/r4`;

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const target = new URL(req.url ?? '/', url);
    const route = `${req.method} ${target.pathname}`;
    if (route === 'GET /fhir/r4/.well-known/smart-configuration') {
      return json(res, 200, {
        authorization_endpoint: `${url}/oauth/auth`,
        token_endpoint: `${url}/oauth/token`,
        revocation_endpoint: `${url}/oauth/token/revocation`,
        code_challenge_methods_supported: ['S256'],
        capabilities: ['launch-standalone', 'client-public', 'context-standalone-patient', 'permission-v2', 'permission-offline'],
      });
    }
    if (route === 'GET /oauth/auth') return authorise(res, target.searchParams);
    if (route === 'POST /oauth/token') return token(res, new URLSearchParams(await body(req)));
    if (route === 'POST /oauth/token/revocation') {
      const form = new URLSearchParams(await body(req));
      revocations.push(form);
      const refresh = refreshTokens.get(form.get('token') ?? '');
      if (refresh) refresh.grant.ended = true;
      res.writeHead(200).end();
      return;
    }
    if (!target.pathname.startsWith('/fhir/r4/')) return json(res, 404, outcome('Not found'));
    const access = accessTokens.get((req.headers.authorization ?? '').replace(/^Bearer /, ''));
    if (!access || access.grant.ended || access.expiresAt < Date.now()) return json(res, 401, outcome('The access token is not valid'));
    if (rateLimited) {
      res.setHeader('retry-after', '30');
      return json(res, 429, outcome('Too many requests: try again in 30 seconds'));
    }
    if (route === `GET /fhir/r4/Patient/${access.grant.patient}`) {
      return json(res, 200, { resourceType: 'Patient', id: access.grant.patient, name: [{ use: 'official', given: ['Amelia'], family: 'Testwell' }] });
    }
    if (route === 'GET /fhir/r4/Observation') return search(res, target.searchParams);
    if (route === 'POST /fhir/r4/Observation') return create(res, JSON.parse(await body(req)) as Observation, access.grant);
    return json(res, 404, outcome('Not found'));
  }

  function authorise(res: ServerResponse, params: URLSearchParams) {
    authorisations.push(params);
    if (params.get('client_id') !== clientId || params.get('redirect_uri') !== redirectUri) return json(res, 400, { error: 'invalid_request' });
    if (params.get('response_type') !== 'code' || params.get('code_challenge_method') !== 'S256' || params.get('aud') !== fhirBase) {
      return json(res, 400, { error: 'invalid_request' });
    }
    const back = new URL(redirectUri);
    back.searchParams.set('state', params.get('state') ?? '');
    if (consent === 'deny') back.searchParams.set('error', 'access_denied');
    else {
      const code = randomBytes(16).toString('base64url');
      codes.set(code, { challenge: params.get('code_challenge') ?? '', redirectUri, scope: params.get('scope') ?? '' });
      back.searchParams.set('code', code);
    }
    res.writeHead(302, { location: back.href }).end();
  }

  function token(res: ServerResponse, form: URLSearchParams) {
    tokenRequests.push(form);
    if (form.get('client_id') !== clientId) return json(res, 401, { error: 'invalid_client' });
    let grant: Grant;
    if (form.get('grant_type') === 'authorization_code') {
      const code = codes.get(form.get('code') ?? '');
      codes.delete(form.get('code') ?? '');
      const verifier = form.get('code_verifier') ?? '';
      if (!code || code.redirectUri !== form.get('redirect_uri') || createHash('sha256').update(verifier).digest('base64url') !== code.challenge) {
        return json(res, 400, { error: 'invalid_grant' });
      }
      grant = { clientId, scope: code.scope, patient: PATIENT_ID, ended: false };
    } else if (form.get('grant_type') === 'refresh_token') {
      const refresh = refreshTokens.get(form.get('refresh_token') ?? '');
      if (!refresh || refresh.grant.ended) return json(res, 400, { error: 'invalid_grant' });
      if (refresh.spent) {
        reuseDetected = true;
        refresh.grant.ended = true;
        return json(res, 400, { error: 'invalid_grant' });
      }
      refresh.spent = true;
      grant = refresh.grant;
    } else return json(res, 400, { error: 'unsupported_grant_type' });
    const accessToken = randomBytes(16).toString('base64url');
    const refreshToken = randomBytes(16).toString('base64url');
    const seconds = options.accessTokenSeconds ?? 300;
    accessTokens.set(accessToken, { grant, expiresAt: Date.now() + seconds * 1000 });
    refreshTokens.set(refreshToken, { grant, spent: false });
    refreshTokensIssued.push(refreshToken);
    return json(res, 200, {
      access_token: accessToken,
      token_type: 'Bearer',
      expires_in: seconds,
      scope: options.resourceScopesOnly ? grant.scope.replace(/\b(openid|fhirUser|offline_access)\b ?/g, '').trim() : grant.scope,
      patient: grant.patient,
      refresh_token: refreshToken,
    });
  }

  /** As the PHR's: newest first, paged with _count and _offset, and any other parameter refused. */
  function search(res: ServerResponse, params: URLSearchParams) {
    const unknown = [...params.keys()].find((name) => !['code', 'category', 'date', 'patient', 'subject', '_count', '_offset'].includes(name));
    if (unknown) return json(res, 400, outcome(`The search parameter ${unknown} is not supported here`));
    if (params.get('code') !== 'http://loinc.org|85354-9') return json(res, 400, outcome('Search by the blood pressure code'));
    const count = Number(params.get('_count') ?? 20);
    const offset = Number(params.get('_offset') ?? 0);
    const sorted = [...observations].sort((a, b) => b.effectiveDateTime!.localeCompare(a.effectiveDateTime!));
    const pageUrl = (at: number) => {
      const query = new URLSearchParams(params);
      query.set('_offset', String(at));
      return `${fhirBase}/Observation?${query}`;
    };
    const bundle: Bundle = {
      resourceType: 'Bundle',
      type: 'searchset',
      total: sorted.length,
      link: [
        { relation: 'self', url: pageUrl(offset) },
        ...(offset + count < sorted.length ? [{ relation: 'next', url: pageUrl(offset + count) }] : []),
        ...(offset > 0 ? [{ relation: 'previous', url: pageUrl(Math.max(0, offset - count)) }] : []),
      ],
      entry: sorted.slice(offset, offset + count).map((resource) => ({ fullUrl: `${fhirBase}/Observation/${resource.id}`, resource })),
    };
    return json(res, 200, bundle);
  }

  function create(res: ServerResponse, resource: Observation, grant: Grant) {
    if (resource.subject?.reference !== `Patient/${grant.patient}`) return json(res, 403, outcome('You can only add readings to your own record'));
    const systolic = resource.component?.[0]?.valueQuantity?.value ?? 0;
    const diastolic = resource.component?.[1]?.valueQuantity?.value ?? 0;
    const arm = resource.bodySite?.coding?.[0]?.code;
    const position = resource.extension?.find((e) => e.url === 'http://hl7.org/fhir/StructureDefinition/observation-bodyPosition');
    if (!['368208006', '368209003'].includes(arm ?? '') || !position?.valueCodeableConcept?.coding?.length) {
      return json(res, 422, outcome('bodySite and the body position extension are required'));
    }
    if (systolic > 250) {
      return json(res, 422, {
        resourceType: 'OperationOutcome',
        issue: [
          {
            severity: 'error',
            code: 'value',
            diagnostics: `A top number of ${systolic} is higher than a home reading can be <checked>: take it again`,
            expression: ['Observation.component[0].valueQuantity.value'],
          },
        ],
      });
    }
    const veryHigh = systolic >= 180 || diastolic >= 120;
    const stored: Observation = {
      ...resource,
      id: `new-${observations.length}`,
      ...(veryHigh ? { interpretation: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation', code: 'HH' }] }] } : {}),
    };
    observations.push(stored);
    res.setHeader('location', `${fhirBase}/Observation/${stored.id}/_history/1`);
    return json(res, 201, stored);
  }

  return {
    url,
    fhirBase,
    /** The app's redirect URI, as registered. */
    register(uri: string) {
      redirectUri = uri;
    },
    setConsent(answer: 'allow' | 'deny') {
      consent = answer;
    },
    setRateLimited(on: boolean) {
      rateLimited = on;
    },
    /** The person disconnects the app in their Person Held Record. */
    endAllGrants() {
      for (const { grant } of accessTokens.values()) grant.ended = true;
    },
    observations,
    tokenRequests,
    refreshTokensIssued,
    revocations,
    authorisations,
    reuseDetected: () => reuseDetected,
    close(): Promise<void> {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

function observation(id: string, systolic: number, diastolic: number, takenAt: Date): Observation {
  const component = (code: string, value: number) => ({
    code: { coding: [{ system: 'http://loinc.org', code }] },
    valueQuantity: { value, unit: 'mmHg', system: 'http://unitsofmeasure.org', code: 'mm[Hg]' },
  });
  return {
    resourceType: 'Observation',
    id,
    status: 'final',
    code: { coding: [{ system: 'http://loinc.org', code: '85354-9' }] },
    subject: { reference: `Patient/${PATIENT_ID}` },
    effectiveDateTime: takenAt.toISOString(),
    component: [component('8480-6', systolic), component('8462-4', diastolic)],
  };
}

function outcome(diagnostics: string) {
  return { resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: 'processing', diagnostics }] };
}

function json(res: ServerResponse, status: number, body: unknown) {
  res.writeHead(status, { 'content-type': 'application/fhir+json; charset=utf-8' }).end(JSON.stringify(body));
}

async function body(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req as AsyncIterable<Buffer>) chunks.push(chunk);
  return Buffer.concat(chunks).toString('utf8');
}

/** A browser for the tests: keeps the app's cookies, follows no redirects by itself. */
export function testBrowser() {
  const cookies = new Map<string, string>();
  async function visit(url: string, init: { method?: string; form?: Record<string, string> } = {}) {
    const response = await fetch(url, {
      method: init.method ?? (init.form ? 'POST' : 'GET'),
      redirect: 'manual',
      headers: {
        cookie: [...cookies].map(([name, value]) => `${name}=${value}`).join('; '),
        ...(init.form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
      },
      body: init.form ? new URLSearchParams(init.form).toString() : undefined,
    });
    for (const cookie of response.headers.getSetCookie()) {
      const [pair = ''] = cookie.split(';');
      const [name = '', value = ''] = pair.split('=');
      if (/max-age=0/i.test(cookie)) cookies.delete(name);
      else cookies.set(name, value);
    }
    return { status: response.status, location: response.headers.get('location'), headers: response.headers, html: await response.text() };
  }
  return { visit, cookies };
}

/** The page with its layout whitespace folded, to match markup in it. */
export function squash(page: string): string {
  return page.replace(/\s+/g, ' ').replace(/> </g, '><');
}

/** The CSRF token in a page's forms. */
export function csrfIn(html: string): string {
  const match = /name="csrf" value="([^"]+)"/.exec(html);
  if (!match?.[1]) throw new Error('No CSRF token in the page');
  return match[1];
}
