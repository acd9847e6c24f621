import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRemoteJWKSet, decodeJwt, importJWK, jwtVerify, type JWK } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADDRESS_CLAIM, CORE_IDENTITY_CLAIM } from './core-identity';
import { ensureDevClientKeys, type DevClientKeys } from './dev-keys';
import { profiles, type ProviderId } from './providers';
import { startOidcServer, type RunningOidcServer } from './server';
import { APP_URL, Browser, clientAssertion, discover, formAction, isRedirect, linkHref, pageTitle, pkce, type Discovery } from './test-support';
import { citizens, DEMO_PASSWORD, staff } from './users';

let server: RunningOidcServer;
let keysDir: string;
let clientKeys: DevClientKeys;
const discovery = {} as Record<ProviderId, Discovery>;
const logLines: string[] = [];

const [verified, authenticatedOnly, underSixteen, failsIdentity] = citizens;
const gp = staff[0]!;

beforeAll(async () => {
  keysDir = fs.mkdtempSync(path.join(os.tmpdir(), 'oidc-provider-test-'));
  server = await startOidcServer({ port: 0, appUrls: [APP_URL], keysDir, log: (line) => logLines.push(line) });
  clientKeys = ensureDevClientKeys(keysDir);
  for (const id of ['onelogin', 'nhslogin', 'staff'] as const) discovery[id] = await discover(server.issuers[id]);
});

afterAll(async () => {
  await server?.close();
  fs.rmSync(keysDir, { recursive: true, force: true });
});

interface SignInOptions {
  email?: string;
  password?: string;
  vtr?: string[];
  claims?: object;
  scope?: string;
  identity?: 'continue' | 'cancel';
  browser?: Browser;
  params?: Record<string, string | undefined>;
}

interface SignInResult {
  callback: URL;
  verifier: string;
  nonce: string;
  state: string;
  browser: Browser;
  titles: string[];
}

const defaultScope: Record<ProviderId, string> = {
  onelogin: 'openid email phone',
  nhslogin: 'openid profile email phone',
  staff: 'openid profile email roles',
};

/** Walks the browser side of a sign-in and returns the redirect back to the app. */
async function signIn(id: ProviderId, options: SignInOptions = {}): Promise<SignInResult> {
  const browser = options.browser ?? new Browser();
  const { verifier, challenge } = pkce();
  const nonce = `nonce-${Math.random()}`;
  const state = `state-${Math.random()}`;
  const query: Record<string, string | undefined> = {
    response_type: 'code',
    client_id: profiles[id].clientId,
    redirect_uri: `${APP_URL}/api/auth/callback/${id}`,
    scope: options.scope ?? defaultScope[id],
    state,
    nonce,
    code_challenge: challenge,
    code_challenge_method: 'S256',
    vtr: options.vtr ? JSON.stringify(options.vtr) : undefined,
    claims: options.claims ? JSON.stringify(options.claims) : undefined,
    ...options.params,
  };
  const url = new URL(discovery[id].authorization_endpoint);
  for (const [name, value] of Object.entries(query)) if (value !== undefined) url.searchParams.set(name, value);

  const titles: string[] = [];
  let response = await browser.follow(await browser.get(url), server.url);
  for (let pages = 0; pages < 4 && !isRedirect(response); pages += 1) {
    const html = await response.text();
    const title = pageTitle(html);
    titles.push(title);
    if (title.startsWith('Sign in')) {
      response = await browser.post(formAction(html, server.url), {
        email: options.email ?? verified!.email,
        password: options.password ?? DEMO_PASSWORD,
      });
    } else if (title.startsWith('Prove your identity')) {
      response = options.identity === 'cancel' ? await browser.get(linkHref(html, 'Cancel', server.url)) : await browser.post(formAction(html, server.url), {});
    } else {
      throw new Error(`Unexpected page ${response.status} ${title}`);
    }
    response = await browser.follow(response, server.url);
  }
  const location = response.headers.get('location') ?? '';
  expect(location.startsWith(`${APP_URL}/`), `redirected to ${location}`).toBe(true);
  return { callback: new URL(location), verifier, nonce, state, browser, titles };
}

async function tokenRequest(id: ProviderId, form: Record<string, string>) {
  const response = await fetch(discovery[id].token_endpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(form).toString(),
  });
  return { status: response.status, body: (await response.json()) as Record<string, string> };
}

async function redeem(id: ProviderId, result: SignInResult, overrides: { key?: JWK; audience?: string; verifier?: string } = {}) {
  const code = result.callback.searchParams.get('code');
  expect(code, result.callback.href).toBeTruthy();
  return tokenRequest(id, {
    grant_type: 'authorization_code',
    code: code!,
    redirect_uri: `${APP_URL}/api/auth/callback/${id}`,
    code_verifier: overrides.verifier ?? result.verifier,
    client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
    client_assertion: await clientAssertion(overrides.key ?? clientKeys.privateJwk, profiles[id].clientId, overrides.audience ?? discovery[id].token_endpoint),
  });
}

/** Redeems the code, verifies the id_token (signature, iss, aud, nonce) and fetches userinfo. */
async function tokensAndUserinfo(id: ProviderId, result: SignInResult) {
  const tokens = await redeem(id, result);
  expect(tokens.status, JSON.stringify(tokens.body)).toBe(200);
  const { payload: idToken, protectedHeader } = await jwtVerify(tokens.body.id_token!, createRemoteJWKSet(new URL(discovery[id].jwks_uri)), {
    issuer: server.issuers[id],
    audience: profiles[id].clientId,
  });
  expect(protectedHeader.alg).toBe(profiles[id].idTokenAlg);
  expect(idToken.nonce).toBe(result.nonce);
  const userinfo = await fetch(discovery[id].userinfo_endpoint, {
    headers: { authorization: `Bearer ${tokens.body.access_token}` },
  }).then((response) => response.json() as Promise<Record<string, unknown>>);
  expect(userinfo.sub).toBe(idToken.sub);
  return { idToken, userinfo, rawIdToken: tokens.body.id_token! };
}

function isValidNhsNumber(value: string): boolean {
  if (!/^\d{10}$/.test(value)) return false;
  const digits = [...value].map(Number);
  const sum = digits.slice(0, 9).reduce((total, digit, index) => total + digit * (10 - index), 0);
  const check = (11 - (sum % 11)) % 11;
  return check !== 10 && check === digits[9];
}

describe('discovery', () => {
  it.each(['onelogin', 'nhslogin', 'staff'] as const)('%s publishes its own issuer and private_key_jwt + PKCE only', async (id) => {
    const meta = discovery[id];
    expect(meta.issuer).toBe(`${server.url}/${id}`);
    expect(meta.token_endpoint).toBe(`${server.url}/${id}/token`);
    expect(meta.token_endpoint_auth_methods_supported).toEqual(['private_key_jwt']);
    expect(meta.code_challenge_methods_supported).toEqual(['S256']);
    expect(meta.response_types_supported).toEqual(['code']);
    expect(meta.id_token_signing_alg_values_supported).toEqual([profiles[id].idTokenAlg]);
    const jwks = await fetch(meta.jwks_uri).then((response) => response.json() as Promise<{ keys: JWK[] }>);
    expect(jwks.keys).toHaveLength(1);
    expect(jwks.keys[0]).not.toHaveProperty('d');
  });

  it('serves /health and the stylesheet without web fonts', async () => {
    expect((await fetch(`${server.url}/health`)).status).toBe(200);
    const css = await fetch(`${server.url}/assets/govuk-frontend.min.css`);
    expect(css.headers.get('content-type')).toContain('text/css');
    expect(await css.text()).not.toContain('@font-face');
  });
});

describe('One Login', () => {
  const identityClaims = { userinfo: { [CORE_IDENTITY_CLAIM]: null } };

  it('authenticates at Cl.Cm without an identity step or core identity', async () => {
    const result = await signIn('onelogin', { vtr: ['Cl.Cm'], claims: identityClaims });
    expect(result.titles).toEqual(['Sign in – Demo One Login']);
    expect(result.callback.searchParams.get('state')).toBe(result.state);
    const { idToken, userinfo } = await tokensAndUserinfo('onelogin', result);
    expect(idToken).toMatchObject({ vot: 'Cl.Cm', vtm: `${server.issuers.onelogin}/trustmark`, sub: verified!.oneLoginSub });
    expect(userinfo).toMatchObject({ email: verified!.email, email_verified: true, phone_number: verified!.phoneNumber });
    expect(userinfo).not.toHaveProperty(CORE_IDENTITY_CLAIM);
  });

  it('proves identity at Cl.Cm.P2 and returns a core identity JWT verifiable with the DID document key', async () => {
    const result = await signIn('onelogin', { vtr: ['Cl.Cm.P2'], claims: identityClaims });
    expect(result.titles).toEqual(['Sign in – Demo One Login', 'Prove your identity – Demo One Login']);
    const { idToken, userinfo } = await tokensAndUserinfo('onelogin', result);
    // Like One Login, the id_token's vot carries the credential level only.
    expect(idToken.vot).toBe('Cl.Cm');

    const identity = server.providers.onelogin.coreIdentity!;
    const did = await fetch(identity.didUrl).then(
      (response) =>
        response.json() as Promise<{
          id: string;
          assertionMethod: { id: string; publicKeyJwk: JWK }[];
        }>,
    );
    const jwt = String(userinfo[CORE_IDENTITY_CLAIM]);
    const { kid } = JSON.parse(Buffer.from(jwt.split('.')[0]!, 'base64url').toString()) as { kid: string };
    expect(kid.split('#')[0]).toBe(did.id);
    const method = did.assertionMethod.find((entry) => entry.id === kid);
    const { payload, protectedHeader } = await jwtVerify(jwt, await importJWK(method!.publicKeyJwk, 'ES256'), {
      issuer: identity.issuer,
      audience: 'phr-onelogin',
      subject: String(idToken.sub),
    });
    expect(protectedHeader.alg).toBe('ES256');
    expect(payload).toMatchObject({
      vot: 'P2',
      vc: {
        credentialSubject: {
          name: [
            {
              nameParts: [
                { type: 'GivenName', value: 'Amelia' },
                { type: 'FamilyName', value: 'Testwell' },
              ],
            },
          ],
          birthDate: [{ value: verified!.birthDate }],
        },
      },
    });
    expect(payload.nbf).toBeTypeOf('number');
  });

  it('goes straight to the identity step when a live session asks again for P2', async () => {
    const first = await signIn('onelogin', { vtr: ['Cl.Cm'] });
    const second = await signIn('onelogin', { vtr: ['Cl.Cm.P2'], claims: identityClaims, browser: first.browser });
    expect(second.titles).toEqual(['Prove your identity – Demo One Login']);
    const { idToken, userinfo } = await tokensAndUserinfo('onelogin', second);
    expect(idToken.sub).toBe(verified!.oneLoginSub);
    expect(userinfo).toHaveProperty(CORE_IDENTITY_CLAIM);
  });

  it('returns a person with no verified identity without a core identity claim', async () => {
    const result = await signIn('onelogin', { email: authenticatedOnly!.email, vtr: ['Cl.Cm.P2'], claims: identityClaims });
    const { idToken, userinfo } = await tokensAndUserinfo('onelogin', result);
    expect(idToken.vot).toBe('Cl.Cm');
    expect(userinfo).not.toHaveProperty(CORE_IDENTITY_CLAIM);
  });

  it('gives the checked addresses only when the claims parameter asks for them and identity is proven', async () => {
    const withAddress = { userinfo: { [CORE_IDENTITY_CLAIM]: null, [ADDRESS_CLAIM]: null } };
    const proven = await tokensAndUserinfo('onelogin', await signIn('onelogin', { vtr: ['Cl.Cm.P2'], claims: withAddress }));
    expect(proven.userinfo[ADDRESS_CLAIM]).toEqual(verified!.addresses);
    // The current one: no validUntil.
    expect(proven.userinfo[ADDRESS_CLAIM]).toContainEqual(expect.objectContaining({ postalCode: 'LS6 2QR', streetName: 'Example Terrace' }));

    const notAsked = await tokensAndUserinfo('onelogin', await signIn('onelogin', { vtr: ['Cl.Cm.P2'], claims: identityClaims }));
    expect(notAsked.userinfo).toHaveProperty(CORE_IDENTITY_CLAIM);
    expect(notAsked.userinfo).not.toHaveProperty(ADDRESS_CLAIM);

    const lowLevel = await tokensAndUserinfo('onelogin', await signIn('onelogin', { vtr: ['Cl.Cm'], claims: withAddress }));
    expect(lowLevel.userinfo).not.toHaveProperty(ADDRESS_CLAIM);
    const notProven = await tokensAndUserinfo(
      'onelogin',
      await signIn('onelogin', { email: authenticatedOnly!.email, vtr: ['Cl.Cm.P2'], claims: withAddress }),
    );
    expect(notProven.userinfo).not.toHaveProperty(ADDRESS_CLAIM);
  });

  it('gives the under-16 citizen a birth date 14 years ago', async () => {
    const result = await signIn('onelogin', { email: underSixteen!.email, vtr: ['Cl.Cm.P2'], claims: identityClaims });
    const { userinfo } = await tokensAndUserinfo('onelogin', result);
    const payload = decodeJwt(String(userinfo[CORE_IDENTITY_CLAIM])) as { vc: { credentialSubject: { birthDate: { value: string }[] } } };
    const birth = new Date(payload.vc.credentialSubject.birthDate[0]!.value);
    const today = new Date();
    const age =
      today.getUTCFullYear() -
      birth.getUTCFullYear() -
      (today.getUTCMonth() * 100 + today.getUTCDate() < birth.getUTCMonth() * 100 + birth.getUTCDate() ? 1 : 0);
    expect(age).toBe(14);
  });

  it('answers access_denied when the identity check fails', async () => {
    const result = await signIn('onelogin', { email: failsIdentity!.email, vtr: ['Cl.Cm.P2'], claims: identityClaims });
    expect(result.callback.searchParams.get('error')).toBe('access_denied');
    expect(result.callback.searchParams.get('error_description')).toMatch(/identity could not be confirmed/);
    expect(result.callback.searchParams.get('state')).toBe(result.state);
    expect(result.callback.searchParams.has('code')).toBe(false);
  });

  it('answers access_denied when the user cancels', async () => {
    const result = await signIn('onelogin', { vtr: ['Cl.Cm.P2'], identity: 'cancel' });
    expect(result.callback.searchParams.get('error')).toBe('access_denied');
  });

  it('refuses requests without nonce or with a malformed vtr, back at the redirect URI', async () => {
    const noNonce = await signIn('onelogin', { params: { nonce: undefined } });
    expect(noNonce.callback.searchParams.get('error')).toBe('invalid_request');
    expect(noNonce.callback.searchParams.get('error_description')).toBe('nonce is required');
    const badVtr = await signIn('onelogin', { params: { vtr: '["Cl.P2"]' } });
    expect(badVtr.callback.searchParams.get('error_description')).toBe('Request vtr not valid');
  });
});

describe('NHS login', () => {
  it('P9: vot, identity_proofing_level and a valid NHS number', async () => {
    const result = await signIn('nhslogin', { vtr: ['P9.Cp.Cd'] });
    expect(result.titles).toEqual(['Sign in – Demo NHS login', 'Prove your identity – Demo NHS login']);
    const { idToken, userinfo } = await tokensAndUserinfo('nhslogin', result);
    expect(idToken).toMatchObject({ vot: 'P9.Cp.Cd', identity_proofing_level: 'P9', vtm: `${server.issuers.nhslogin}/trustmark` });
    expect(userinfo).toMatchObject({
      identity_proofing_level: 'P9',
      nhs_number: verified!.nhsNumber,
      given_name: 'Amelia',
      family_name: 'Testwell',
      birthdate: verified!.birthDate,
      email: verified!.email,
      phone_number: verified!.phoneNumber,
    });
    expect(isValidNhsNumber(String(userinfo.nhs_number))).toBe(true);
  });

  it('P5: no identity step and no NHS number', async () => {
    const result = await signIn('nhslogin', { email: authenticatedOnly!.email, vtr: ['P5.Cp.Cd'] });
    expect(result.titles).toEqual(['Sign in – Demo NHS login']);
    const { idToken, userinfo } = await tokensAndUserinfo('nhslogin', result);
    expect(idToken).toMatchObject({ vot: 'P5.Cp.Cd', identity_proofing_level: 'P5' });
    expect(userinfo).not.toHaveProperty('nhs_number');
  });

  it('reports the lower level reached when P9 was asked of a P5 account', async () => {
    const result = await signIn('nhslogin', { email: authenticatedOnly!.email, vtr: ['P9.Cp.Cd'] });
    const { idToken, userinfo } = await tokensAndUserinfo('nhslogin', result);
    expect(idToken.vot).toBe('P5.Cp.Cd');
    expect(userinfo).not.toHaveProperty('nhs_number');
  });

  it('answers access_denied when the identity check fails', async () => {
    const result = await signIn('nhslogin', { email: failsIdentity!.email, vtr: ['P9.Cp.Cd'] });
    expect(result.callback.searchParams.get('error')).toBe('access_denied');
  });

  it('every demo NHS number is a valid 999 test number', () => {
    for (const citizen of citizens) if (citizen.nhsNumber) expect(isValidNhsNumber(citizen.nhsNumber) && citizen.nhsNumber.startsWith('999')).toBe(true);
  });
});

describe('staff sign-in', () => {
  it('puts roles, organisation and job role in the id_token and userinfo', async () => {
    const result = await signIn('staff', { email: gp.email });
    const { idToken, userinfo } = await tokensAndUserinfo('staff', result);
    const expected = {
      sub: gp.sub,
      name: 'Grace Practiceton',
      email: gp.email,
      roles: ['care-professional'],
      organisation: { code: 'ZZ0001', name: 'Demo Lane Surgery' },
      job_role: 'General Practitioner',
    };
    expect(idToken).toMatchObject(expected);
    expect(userinfo).toMatchObject(expected);
  });

  it('does not accept citizens', async () => {
    const browser = new Browser();
    await expect(signIn('staff', { email: verified!.email, browser })).rejects.toThrow(/Unexpected page 422/);
  });
});

describe('sign-in page', () => {
  it('re-renders with an error summary and 422 on a wrong password, keeping the email', async () => {
    const browser = new Browser();
    const { challenge } = pkce();
    const url = new URL(discovery.onelogin.authorization_endpoint);
    url.search = new URLSearchParams({
      response_type: 'code',
      client_id: 'phr-onelogin',
      redirect_uri: `${APP_URL}/api/auth/callback/onelogin`,
      scope: 'openid email',
      state: 's',
      nonce: 'n',
      code_challenge: challenge,
      code_challenge_method: 'S256',
    }).toString();
    const page = await browser.follow(await browser.get(url), server.url);
    const html = await page.text();
    expect(page.status).toBe(200);
    expect(html).toContain('<html lang="en"');
    expect(html).toContain('This is a demonstration sign-in service. Do not use real details.');
    expect(html.match(/<h1/g)).toHaveLength(1);
    expect(html).toContain(verified!.email);
    expect(html).not.toContain('<script');

    const wrong = await browser.post(formAction(html, server.url), { email: verified!.email, password: 'not-the-password' });
    const wrongHtml = await wrong.text();
    expect(wrong.status).toBe(422);
    expect(pageTitle(wrongHtml)).toBe('Error: Sign in – Demo One Login');
    expect(wrongHtml).toContain('govuk-error-summary');
    expect(wrongHtml).toContain('href="#password"');
    expect(wrongHtml).toContain(`value="${verified!.email}"`);
    expect(logLines.some((line) => line.includes('"outcome":"wrong-credentials"'))).toBe(true);
    expect(logLines.some((line) => line.includes(verified!.email))).toBe(false);
  });

  it('sets provider cookies that cannot clash with the app', async () => {
    const result = await signIn('onelogin', { vtr: ['Cl.Cm'] });
    const names = result.browser.setCookieHeaders.map((header) => header.split('=')[0]!);
    expect(names.length).toBeGreaterThan(0);
    for (const name of names) expect(name).toMatch(/^demo_op_onelogin_/);
    const session = result.browser.setCookieHeaders.find((header) => header.startsWith('demo_op_onelogin_session='));
    expect(session).toMatch(/path=\/onelogin/i);
  });
});

describe('token endpoint', () => {
  it('refuses a client assertion signed with another key', async () => {
    const result = await signIn('onelogin', { vtr: ['Cl.Cm'] });
    const otherKeys = ensureDevClientKeys(fs.mkdtempSync(path.join(os.tmpdir(), 'oidc-other-key-')));
    const tokens = await redeem('onelogin', result, { key: { ...otherKeys.privateJwk, kid: clientKeys.kid } });
    expect(tokens.status).toBe(401);
    expect(tokens.body.error).toBe('invalid_client');
  });

  it('refuses an assertion for another audience', async () => {
    const result = await signIn('onelogin', { vtr: ['Cl.Cm'] });
    const tokens = await redeem('onelogin', result, { audience: 'http://localhost:9/elsewhere' });
    expect(tokens.body.error).toBe('invalid_client');
  });

  it('refuses a code redeemed with the wrong PKCE verifier', async () => {
    const result = await signIn('onelogin', { vtr: ['Cl.Cm'] });
    const tokens = await redeem('onelogin', result, { verifier: pkce().verifier });
    expect(tokens.status).toBe(400);
    expect(tokens.body.error).toBe('invalid_grant');
  });
});

describe('end session', () => {
  it('signs out with id_token_hint through a plain confirm form and returns to the app with state', async () => {
    const result = await signIn('nhslogin', { vtr: ['P5.Cp.Cd'] });
    const { rawIdToken } = await tokensAndUserinfo('nhslogin', result);
    const logout = new URL(discovery.nhslogin.end_session_endpoint);
    logout.search = new URLSearchParams({
      id_token_hint: rawIdToken,
      post_logout_redirect_uri: `${APP_URL}/signed-out`,
      state: 'bye',
    }).toString();
    const signOut = async () => {
      const confirm = await result.browser.get(logout);
      const html = await confirm.text();
      expect(confirm.status).toBe(200);
      expect(pageTitle(html)).toBe('Sign out – Demo NHS login');
      expect(html).not.toContain('<script');
      const xsrf = /name="xsrf" value="([^"]+)"/.exec(html)?.[1];
      const done = await result.browser.post(formAction(html, server.url), { xsrf: xsrf!, logout: 'yes' });
      expect(done.status).toBe(303);
      expect(done.headers.get('location')).toBe(`${APP_URL}/signed-out?state=bye`);
    };
    await signOut();
    // Again, now without a provider session: the same plain form, not a self-submitting page.
    await signOut();

    // The provider session is gone: the next sign-in asks for the password again.
    const again = await signIn('nhslogin', { vtr: ['P5.Cp.Cd'], browser: result.browser });
    expect(again.titles).toEqual(['Sign in – Demo NHS login']);
  });
});
