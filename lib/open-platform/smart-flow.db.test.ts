// SMART App Launch against the real authorisation server (oidc-provider, its records in the
// database under test), in-process: an app asks, the citizen consents on our page, the app
// redeems its code with PKCE, calls the FHIR API, refreshes (rotation), and loses everything
// when the citizen disconnects it. Plus what an attacker would try: another citizen's id, a
// scope not granted, a token of another app, a refresh token used twice, too many requests.
import { randomUUID, type KeyObject } from 'node:crypto';
import { exportJWK, generateKeyPair } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import { CLIENT_ASSERTION_TYPE, clientAssertion } from '@/lib/identity/public';
import { getDb } from '@/lib/platform/db';
import { makeCitizen, useDatabaseUnderTest } from '@/lib/platform/db-test-support';
import { disconnectApp } from './apps';
import { sentReading } from './fhir/test-support';
import { oauthRoute } from './oauth-route';
import { api, connect, launch, PHR, REDIRECT, register, token } from './test-support';

useDatabaseUnderTest({ PUBLIC_URL: 'http://localhost:3000', API_RATE_LIMIT_PER_TOKEN: '40', API_RATE_LIMIT_PER_APP: '1000' });

const run = randomUUID().slice(0, 8);
const reading = (patient: string) => sentReading({ subject: { reference: `Patient/${patient}` } });

const ALL = 'launch/patient openid fhirUser offline_access patient/Patient.r patient/Observation.rs patient/Observation.c';
let mo: string;
let tess: string;
const diary = `diary-${run}`;
const reader = `reader-${run}`;

beforeAll(async () => {
  mo = await makeCitizen({ givenName: 'Mo' });
  tess = await makeCitizen({ givenName: 'Tess' });
  await register(diary, ALL.split(' '));
  await register(reader, ['launch/patient', 'openid', 'patient/Observation.rs']);
});

describe('SMART App Launch with the authorisation server', () => {
  it('gives a consented app short-lived tokens for its citizen only, with every granted scope', async () => {
    const tokens = await connect(diary, mo, ALL);
    expect(tokens.patient).toBe(mo);
    expect(tokens.expires_in).toBeLessThanOrEqual(300);
    expect(tokens.scope.split(' ').sort()).toEqual(ALL.split(' ').sort());
    expect(tokens.refresh_token).toBeTruthy();

    const patient = await api(tokens.access_token, `Patient/${mo}`);
    expect(patient.status).toBe(200);
    expect(patient.headers.get('content-type')).toContain('application/fhir+json');
    // Another citizen's record is not there, by id or by search.
    expect((await api(tokens.access_token, `Patient/${tess}`)).status).toBe(404);
    expect((await api(tokens.access_token, `Observation?patient=${tess}`)).status).toBe(403);

    const created = await api(tokens.access_token, 'Observation', {
      method: 'POST',
      headers: { 'content-type': 'application/fhir+json' },
      body: JSON.stringify(reading(mo)),
    });
    expect(created.status).toBe(201);
    const forTess = await api(tokens.access_token, 'Observation', {
      method: 'POST',
      headers: { 'content-type': 'application/fhir+json' },
      body: JSON.stringify(reading(tess)),
    });
    expect(forTess.status).toBe(403);
  });

  it('refuses to connect when the citizen says no: the app gets access_denied and no code', async () => {
    const { callback } = await launch(diary, tess, ALL, 'no');
    expect(callback.searchParams.get('error')).toBe('access_denied');
    expect(callback.searchParams.get('code')).toBeNull();
  });

  it('enforces scopes: an app with read access cannot add', async () => {
    const tokens = await connect(reader, tess, 'launch/patient openid patient/Observation.rs');
    expect((await api(tokens.access_token, 'Observation?code=85354-9')).status).toBe(200);
    const refused = await api(tokens.access_token, 'Observation', {
      method: 'POST',
      headers: { 'content-type': 'application/fhir+json' },
      body: JSON.stringify(reading(tess)),
    });
    expect(refused.status).toBe(403);
    expect((await refused.json()).resourceType).toBe('OperationOutcome');
    expect((await api(tokens.access_token, `Patient/${tess}`)).status).toBe(403);
  });

  it('rotates refresh tokens: each is used once, and using one twice ends the grant', async () => {
    const tokens = await connect(diary, mo, ALL);
    const first = await token({ grant_type: 'refresh_token', refresh_token: tokens.refresh_token!, client_id: diary });
    expect(first.status).toBe(200);
    expect(first.body.refresh_token).not.toBe(tokens.refresh_token);
    expect((await api(first.body.access_token, `Patient/${mo}`)).status).toBe(200);
    const replayed = await token({ grant_type: 'refresh_token', refresh_token: tokens.refresh_token!, client_id: diary });
    expect(replayed.status).toBe(400);
    expect(replayed.body.error).toBe('invalid_grant');
  });

  it('revokes: a token the app revokes stops working', async () => {
    const tokens = await connect(diary, tess, ALL);
    const revoked = await oauthRoute(
      new Request(`${PHR}/oauth/token/revocation`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ token: tokens.access_token, client_id: diary }).toString(),
      }),
    );
    expect(revoked.status).toBe(200);
    expect((await api(tokens.access_token, `Patient/${tess}`)).status).toBe(401);
  });

  it('disconnecting ends every token the app holds for that citizen, at once', async () => {
    const tokens = await connect(diary, mo, ALL);
    expect((await api(tokens.access_token, `Patient/${mo}`)).status).toBe(200);
    await disconnectApp(getDb(), mo, diary);
    const after = await api(tokens.access_token, `Patient/${mo}`);
    expect(after.status).toBe(401);
    expect(after.headers.get('www-authenticate')).toContain('invalid_token');
    expect((await token({ grant_type: 'refresh_token', refresh_token: tokens.refresh_token!, client_id: diary })).status).toBe(400);
  });

  it('refuses a code redeemed without the PKCE verifier, or by another app', async () => {
    const { callback } = await launch(diary, tess, ALL);
    const code = callback.searchParams.get('code')!;
    expect((await token({ grant_type: 'authorization_code', code, redirect_uri: REDIRECT, client_id: reader, code_verifier: 'x'.repeat(43) })).status).toBe(
      400,
    );
    expect((await token({ grant_type: 'authorization_code', code, redirect_uri: REDIRECT, client_id: diary, code_verifier: 'y'.repeat(43) })).status).toBe(400);
  });

  it('answers too many requests with 429, Retry-After and an OperationOutcome', async () => {
    const tokens = await connect(reader, mo, 'launch/patient openid patient/Observation.rs');
    const answers = [];
    for (let i = 0; i < 45; i += 1) answers.push(await api(tokens.access_token, 'Observation?code=85354-9&_count=1'));
    const limited = answers.find((answer) => answer.status === 429);
    expect(limited).toBeDefined();
    expect(Number(limited!.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await limited!.json()).resourceType).toBe('OperationOutcome');
  });

  it("takes a confidential app's private_key_jwt, and refuses it without one or with another key", async () => {
    const server = `server-${run}`;
    const { publicKey, privateKey } = await generateKeyPair('ES256', { extractable: true });
    const publicJwk = { ...(await exportJWK(publicKey)), kid: 'app-key-1', alg: 'ES256', use: 'sig' };
    await register(server, ALL.split(' '), { jwks: { keys: [publicJwk] } });
    const sign = async (key: CryptoKey | KeyObject) =>
      clientAssertion({ clientId: server, tokenEndpoint: `${PHR}/oauth/token`, key: { jwk: { ...(await exportJWK(key)), kid: 'app-key-1', alg: 'ES256' } } });

    const redeem = async (extra: Record<string, string>) => {
      const { callback, verifier } = await launch(server, tess, ALL);
      return token({ grant_type: 'authorization_code', code: callback.searchParams.get('code')!, redirect_uri: REDIRECT, code_verifier: verifier, ...extra });
    };
    // No client authentication at all, or signed with a key that is not the app's: refused.
    expect((await redeem({ client_id: server })).status).toBe(401);
    const stranger = await generateKeyPair('ES256', { extractable: true });
    expect((await redeem({ client_assertion_type: CLIENT_ASSERTION_TYPE, client_assertion: await sign(stranger.privateKey) })).status).toBe(401);
    // Signed with the app's own key: tokens, for this citizen only.
    const accepted = await redeem({ client_assertion_type: CLIENT_ASSERTION_TYPE, client_assertion: await sign(privateKey) });
    expect(accepted.body.error ?? '', JSON.stringify(accepted.body)).toBe('');
    expect(accepted.status).toBe(200);
    expect(accepted.body.patient).toBe(tess);
  });

  it('never answers bad input with a server error', async () => {
    const tokens = await connect(diary, tess, ALL);
    const post = (body: string, type = 'application/fhir+json') =>
      api(tokens.access_token, 'Observation', { method: 'POST', headers: { 'content-type': type }, body });
    expect((await post('{not json')).status).toBe(400);
    expect((await post(JSON.stringify({ resourceType: 'Patient' }))).status).toBe(400);
    expect((await post('x'.repeat(70 * 1024))).status).toBe(413);
    expect((await post('{}', 'text/plain')).status).toBe(415);
    expect((await api(tokens.access_token, 'Observation/%E0')).status).toBe(400);
    expect((await api(tokens.access_token, 'Observation?colour=blue')).status).toBe(400);
  });
});
