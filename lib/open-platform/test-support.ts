// For the open platform's tests and benchmark: SMART App Launch done in-process against the real
// authorisation server and pages, as a browser and an app would do it.
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { getDb } from '@/lib/platform/db';
import { citizenSessionCookie } from '@/lib/platform/testing/people';
import { browserCsrf, formPost } from '@/lib/platform/testing/requests';
import { registerApp } from './apps';
import { connectAppPage } from './consent-pages';
import { fhirRoute } from './fhir-route';
import { oauthRoute } from './oauth-route';

/** A step of the launch that did not happen as a browser would see it (usable outside tests too: the benchmark). */
function step(ok: boolean, what: string, got: unknown): void {
  if (!ok) throw new Error(`SMART launch: expected ${what}, got ${String(got)}`);
}

export const PHR = 'http://localhost:3000';
export const FHIR = `${PHR}/fhir/r4`;
export const REDIRECT = 'https://diary.example/callback';

export type Tokens = { access_token: string; refresh_token?: string; scope: string; patient?: string; id_token?: string; expires_in: number };

/** The cookies a browser keeps, by name (paths ignored: each request here goes where they were meant for). */
export class Jar {
  private readonly cookies = new Map<string, string>();
  constructor(initial = '') {
    this.add(initial.split(';').filter(Boolean));
  }
  add(setCookies: string[]) {
    for (const cookie of setCookies) {
      const [pair] = cookie.split(';');
      const [name, ...value] = pair!.trim().split('=');
      if (value.join('=') === '' || /expires=Thu, 01 Jan 1970/i.test(cookie)) this.cookies.delete(name!);
      else this.cookies.set(name!, value.join('='));
    }
  }
  header() {
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
  }
}

/** Registers an app sent back to REDIRECT: public, or confidential with its public keys (`jwks`). */
export async function register(id: string, scopes: string[], confidential?: { jwks: { keys: unknown[] } }) {
  await registerApp(
    getDb(),
    {
      id,
      name: `Diary ${id}`,
      publisher: 'Example Apps Ltd',
      redirectUris: [REDIRECT],
      scopes,
      privacyPolicyUrl: 'https://diary.example/privacy',
      clientType: confidential ? 'confidential' : 'public',
      jwks: confidential?.jwks,
    },
    'test',
  );
}

export function pkce() {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

/** The whole launch, as a browser and the app would do it; the citizen answers `answer` on the consent page. */
export async function launch(appId: string, userId: string, scope: string, answer: 'yes' | 'no' = 'yes') {
  const { verifier, challenge } = pkce();
  const csrf = browserCsrf();
  const jar = new Jar(`${await citizenSessionCookie(userId)}; ${csrf.cookie}`);
  const query = new URLSearchParams({
    response_type: 'code',
    client_id: appId,
    redirect_uri: REDIRECT,
    scope,
    state: randomUUID(),
    aud: FHIR,
    code_challenge: challenge,
    code_challenge_method: 'S256',
  });
  const ask = await oauthRoute(new Request(`${PHR}/oauth/auth?${query}`, { headers: { cookie: jar.header() } }));
  step(ask.status === 303, 'the authorisation request is sent to the consent page', ask.status);
  jar.add(ask.headers.getSetCookie());
  const consentPath = ask.headers.get('location')!;
  step(/^\/apps\/connect\//.test(consentPath), 'the consent page is ours', consentPath);

  const page = await connectAppPage.GET(new Request(`${PHR}${consentPath}`, { headers: { cookie: jar.header() } }), {
    params: Promise.resolve({ uid: consentPath.split('/').pop()! }),
  } as never);
  step(page.status === 200, 'the consent page is shown', page.status);
  const posted = await connectAppPage.POST(formPost(consentPath, { answer }, { csrf, headers: { cookie: jar.header() } }), {
    params: Promise.resolve({ uid: consentPath.split('/').pop()! }),
  } as never);
  step(posted.status === 303, 'the answer goes back to the authorisation server', posted.status);
  const resume = new URL(posted.headers.get('location')!);
  const back = await oauthRoute(new Request(resume, { headers: { cookie: jar.header() } }));
  step(back.status === 303, 'the authorisation server answers the app', back.status);
  const callback = new URL(back.headers.get('location')!);
  step(`${callback.origin}${callback.pathname}` === REDIRECT, 'the answer goes to the app', callback.href);
  return { callback, verifier };
}

export async function token(fields: Record<string, string>) {
  const response = await oauthRoute(
    new Request(`${PHR}/oauth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(fields).toString(),
    }),
  );
  return { status: response.status, body: (await response.json()) as Tokens & { error?: string } };
}

export async function connect(appId: string, userId: string, scope: string): Promise<Tokens> {
  const { callback, verifier } = await launch(appId, userId, scope);
  const redeemed = await token({
    grant_type: 'authorization_code',
    code: callback.searchParams.get('code')!,
    redirect_uri: REDIRECT,
    client_id: appId,
    code_verifier: verifier,
  });
  step(redeemed.status === 200, 'the code is exchanged for tokens', redeemed.status);
  return redeemed.body;
}

export function api(accessToken: string, path: string, init: RequestInit = {}) {
  return fhirRoute(
    new Request(`${FHIR}/${path}`, { ...init, headers: { authorization: `Bearer ${accessToken}`, ...(init.headers as Record<string, string>) } }),
  );
}
