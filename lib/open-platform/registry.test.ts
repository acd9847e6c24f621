import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { FormValues } from '../platform/forms';
import { SUPPORTED_SCOPES } from './apps';
import { CLIENT_ID_TAKEN, checkRegistration, scopeWords } from './registry';

const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
const ecPublic = { ...ec.publicKey.export({ format: 'jwk' }), kid: 'ec-1', alg: 'ES256', use: 'sig' };
const ecPrivate = ec.privateKey.export({ format: 'jwk' });
const rsaPublic = rsa.publicKey.export({ format: 'jwk' });

const good: FormValues = {
  name: 'Blood pressure diary',
  publisher: 'Example Health Apps Ltd',
  privacyPolicyUrl: 'https://diary.example/privacy',
  clientId: 'bp-diary',
  redirectUris: 'https://diary.example/callback',
  clientType: 'public',
  scopes: ['launch/patient', 'openid', 'fhirUser', 'patient/Observation.rs'],
};

const noneTaken = async (_id: string) => false;

/** The message for one field when the form is `good` with `changes`; undefined when the form passes. */
async function messageFor(field: string, changes: FormValues, taken = noneTaken): Promise<string | undefined> {
  const values: FormValues = { ...good, ...changes };
  for (const [name, value] of Object.entries(changes)) if (value === undefined) delete values[name];
  const result = await checkRegistration(values, taken);
  return result.ok ? undefined : result.errors.fields[field]?.text;
}

const keySet = (keys: unknown) => JSON.stringify({ keys });
const confidential = (jwks: string): FormValues => ({ clientType: 'confidential', jwks });

describe('registering an app: what passes', () => {
  it('a public app, as the registry stores it: text trimmed, redirect URIs one a line without repeats, scopes in the registry’s order', async () => {
    const result = await checkRegistration(
      {
        ...good,
        name: '  Blood pressure diary ',
        redirectUris: ' https://diary.example/callback\r\n\r\nhttp://localhost:3700/callback\nhttps://diary.example/callback\nhttp://127.0.0.1:3700/cb?x=1',
        scopes: ['patient/Observation.rs', 'openid', 'fhirUser', 'launch/patient'],
        jwks: 'ignored for a public app',
      },
      noneTaken,
    );
    expect(result).toEqual({
      ok: true,
      data: {
        id: 'bp-diary',
        name: 'Blood pressure diary',
        publisher: 'Example Health Apps Ltd',
        privacyPolicyUrl: 'https://diary.example/privacy',
        redirectUris: ['https://diary.example/callback', 'http://localhost:3700/callback', 'http://127.0.0.1:3700/cb?x=1'],
        scopes: SUPPORTED_SCOPES.filter((scope) => ['launch/patient', 'openid', 'fhirUser', 'patient/Observation.rs'].includes(scope)),
        clientType: 'public',
      },
    });
  });

  it('a confidential app with its public keys (EC and RSA); a single ticked box; a privacy policy on localhost or with a #', async () => {
    const result = await checkRegistration(
      {
        ...good,
        ...confidential(keySet([ecPublic, rsaPublic])),
        scopes: 'patient/Patient.r',
        privacyPolicyUrl: 'http://localhost:3700/about#privacy',
      },
      noneTaken,
    );
    expect(result.ok).toBe(true);
    if (result.ok) {
      expect(result.data.jwks).toEqual({ keys: [ecPublic, rsaPublic] });
      expect(result.data.scopes).toEqual(['patient/Patient.r']);
      expect(result.data.clientType).toBe('confidential');
    }
  });

  it('client IDs at the limits', async () => {
    expect(await messageFor('clientId', { clientId: 'abc' })).toBeUndefined();
    expect(await messageFor('clientId', { clientId: 'a'.repeat(40) })).toBeUndefined();
    expect(await messageFor('clientId', { clientId: 'my-app-2' })).toBeUndefined();
  });
});

describe('registering an app: each mistake has its own message', () => {
  it.each([
    ['name', { name: undefined }, 'Enter the app’s name'],
    ['name', { name: '   ' }, 'Enter the app’s name'],
    ['name', { name: ['One', 'Two'] }, 'Enter the app’s name'],
    ['name', { name: 'a'.repeat(61) }, 'App name must be 60 characters or fewer'],
    ['publisher', { publisher: '' }, 'Enter who publishes the app'],
    ['publisher', { publisher: 'a'.repeat(101) }, 'Publisher must be 100 characters or fewer'],
    ['privacyPolicyUrl', { privacyPolicyUrl: '' }, 'Enter a link to the app’s privacy policy'],
    ['privacyPolicyUrl', { privacyPolicyUrl: 'diary.example/privacy' }, 'Privacy policy link must be a full web address, like https://app.example/privacy'],
    [
      'privacyPolicyUrl',
      { privacyPolicyUrl: 'ftp://diary.example/privacy' },
      'Privacy policy link must be a full web address, like https://app.example/privacy',
    ],
    [
      'privacyPolicyUrl',
      { privacyPolicyUrl: 'http://diary.example/privacy' },
      'Privacy policy link must start with https:// (http:// is only for localhost and 127.0.0.1)',
    ],
    ['privacyPolicyUrl', { privacyPolicyUrl: `https://diary.example/${'a'.repeat(480)}` }, 'Privacy policy link must be 500 characters or fewer'],
    ['clientId', { clientId: '' }, 'Enter the app’s client ID'],
    ['clientId', { clientId: 'BP-Diary' }, 'Client ID must only include lowercase letters, numbers and hyphens'],
    ['clientId', { clientId: 'bp_diary' }, 'Client ID must only include lowercase letters, numbers and hyphens'],
    ['clientId', { clientId: 'bp diary' }, 'Client ID must only include lowercase letters, numbers and hyphens'],
    ['clientId', { clientId: 'ab' }, 'Client ID must be between 3 and 40 characters'],
    ['clientId', { clientId: 'a'.repeat(41) }, 'Client ID must be between 3 and 40 characters'],
    ['redirectUris', { redirectUris: '' }, 'Enter at least one redirect URI'],
    ['redirectUris', { redirectUris: '\n  \n' }, 'Enter at least one redirect URI'],
    ['redirectUris', { redirectUris: [1, 2, 3, 4, 5, 6].map((n) => `https://diary.example/${n}`).join('\n') }, 'Enter 5 redirect URIs or fewer'],
    [
      'redirectUris',
      { redirectUris: 'https://diary.example/callback\n/callback' },
      'Redirect URI 2 must be a full web address, like https://app.example/callback',
    ],
    ['redirectUris', { redirectUris: 'https://' }, 'Redirect URI 1 must be a full web address, like https://app.example/callback'],
    ['redirectUris', { redirectUris: 'https://diary.example/call back' }, 'Redirect URI 1 must be a full web address, like https://app.example/callback'],
    ['redirectUris', { redirectUris: 'com.example.diary:/callback' }, 'Redirect URI 1 must be a full web address, like https://app.example/callback'],
    [
      'redirectUris',
      { redirectUris: 'http://diary.example/callback' },
      'Redirect URI 1 must start with https:// (http:// is only for localhost and 127.0.0.1)',
    ],
    ['redirectUris', { redirectUris: 'https://diary.example/callback#done' }, 'Redirect URI 1 must not include a fragment (a # and what follows it)'],
    ['redirectUris', { redirectUris: 'https://diary.example/callback#' }, 'Redirect URI 1 must not include a fragment (a # and what follows it)'],
    ['redirectUris', { redirectUris: `https://diary.example/${'a'.repeat(480)}` }, 'Redirect URI 1 must be 500 characters or fewer'],
    ['clientType', { clientType: undefined }, 'Select whether the app is public or confidential'],
    ['clientType', { clientType: 'secret' }, 'Select whether the app is public or confidential'],
    ['scopes', { scopes: undefined }, 'Select at least one scope'],
    ['scopes', { scopes: ['openid', 'patient/*.*'] }, 'Select scopes from the list'],
    ['scopes', { scopes: ['fhirUser', 'patient/Patient.r'] }, 'Select openid as well as fhirUser'],
  ])('%s: %j', async (field, changes, message) => {
    expect(await messageFor(field, changes as FormValues)).toBe(message);
  });

  it('a client ID another app has', async () => {
    expect(await messageFor('clientId', {}, async (id) => id === 'bp-diary')).toBe(CLIENT_ID_TAKEN);
  });

  it('does not look up a client ID that breaks the rules', async () => {
    const asked: string[] = [];
    await messageFor('clientId', { clientId: 'NOT OK' }, async (id) => (asked.push(id), false));
    expect(asked).toEqual([]);
  });
});

describe("a confidential app's JSON Web Key Set", () => {
  it.each([
    ['missing', '', 'Enter the app’s JSON Web Key Set'],
    ['only spaces', '   ', 'Enter the app’s JSON Web Key Set'],
    ['too long', keySet([{ ...ecPublic, kid: 'a'.repeat(8000) }]), 'JSON Web Key Set must be 8,000 characters or fewer'],
    ['not JSON', '{keys: []', 'JSON Web Key Set must be JSON, like {"keys": [ … ]}'],
    ['a single key, not a set', JSON.stringify(ecPublic), 'JSON Web Key Set must have a "keys" list with at least one key in it'],
    ['no keys', keySet([]), 'JSON Web Key Set must have a "keys" list with at least one key in it'],
    ['keys not a list', JSON.stringify({ keys: ecPublic }), 'JSON Web Key Set must have a "keys" list with at least one key in it'],
    ['null', 'null', 'JSON Web Key Set must have a "keys" list with at least one key in it'],
    ['a key without a type', keySet([ecPublic, { ...rsaPublic, kty: undefined }]), 'Key 2 in the JSON Web Key Set must have a "kty" (its key type)'],
    ['a key that is not an object', keySet(['EC']), 'Key 1 in the JSON Web Key Set must have a "kty" (its key type)'],
    ['a private key', keySet([ecPrivate]), 'Key 1 in the JSON Web Key Set includes a private part ("d"): enter public keys only'],
    ['a shared secret', keySet([{ kty: 'oct', k: 'c2VjcmV0' }]), 'Key 1 in the JSON Web Key Set includes a private part ("k"): enter public keys only'],
    [
      'an unknown key type',
      keySet([{ kty: 'XYZ', x: 'abc' }]),
      'Key 1 in the JSON Web Key Set is not a public key we can read: check its "kty" and its values',
    ],
    [
      'a key with a value missing',
      keySet([{ ...ecPublic, y: undefined }]),
      'Key 1 in the JSON Web Key Set is not a public key we can read: check its "kty" and its values',
    ],
  ])('%s', async (_case, jwks, message) => {
    expect(await messageFor('jwks', confidential(jwks))).toBe(message);
  });
});

describe('the error summary', () => {
  it('lists every mistake once, in the order of the page, each linked to its field', async () => {
    const result = await checkRegistration({ clientType: 'confidential', jwks: '' }, noneTaken);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.errors.summary.map((entry) => entry.href)).toEqual([
        '#name',
        '#publisher',
        '#privacyPolicyUrl',
        '#clientId',
        '#redirectUris',
        '#jwks',
        '#scopes',
      ]);
      expect(result.errors.summary[0]).toEqual({ text: 'Enter the app’s name', href: '#name' });
    }
  });
});

describe('scopes in words', () => {
  it('says what each supported scope lets the app do', () => {
    expect(scopeWords('patient/Observation.rs')).toBe('See your blood pressure readings and test results');
    expect(scopeWords('patient/Observation.c')).toBe('Add blood pressure readings');
    expect(scopeWords('launch/patient')).toBe('Know which record is yours');
    for (const scope of SUPPORTED_SCOPES) expect(scopeWords(scope)).not.toBe(scope);
  });
});
