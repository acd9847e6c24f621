import { decodeJwt, decodeProtectedHeader, exportJWK, generateKeyPair, jwtVerify } from 'jose';
import { describe, expect, it } from 'vitest';
import { clientAssertion } from './client-assertion';

describe('clientAssertion (private_key_jwt)', () => {
  it('is for the token endpoint, from the client, short-lived and unique', async () => {
    const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true });
    const jwk = { ...(await exportJWK(privateKey)), kid: 'client-key-1', alg: 'ES256' };
    const options = { clientId: 'phr-onelogin', tokenEndpoint: 'https://oidc.example/token', key: { jwk }, now: new Date() };
    const first = await clientAssertion(options);
    const second = await clientAssertion(options);

    const { payload } = await jwtVerify(first, publicKey, { audience: 'https://oidc.example/token', issuer: 'phr-onelogin', subject: 'phr-onelogin' });
    expect(decodeProtectedHeader(first)).toMatchObject({ alg: 'ES256', kid: 'client-key-1' });
    expect(payload.exp! - payload.iat!).toBeLessThanOrEqual(60);
    expect(payload.jti).toEqual(expect.any(String));
    expect(decodeJwt(second).jti).not.toBe(payload.jti);
  });
});
