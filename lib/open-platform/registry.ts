import { createPublicKey, type JsonWebKey } from 'node:crypto';
import type { Db } from '../platform/db';
import { requiredText } from '../platform/form-fields';
import type { FormErrors, FormValues } from '../platform/forms';
import type { FormCheck } from '../platform/page';
import { listApps, redirectUrisOf, registerApp, SCOPE_WORDS, SUPPORTED_SCOPES, type App, type NewApp } from './apps';

/**
 * The app registry as programme administrators keep it: the rules an app's registration must
 * meet (each broken rule with its own GOV.UK message), registering, and the list of apps with
 * how many citizens have each connected now.
 */

export const REGISTRATION_LIMITS = {
  name: 60,
  publisher: 100,
  clientId: { min: 3, max: 40 },
  redirectUris: 5,
  /** Any web address: a redirect URI or the privacy policy link. */
  address: 500,
  /** Well within the form's size limit once encoded, and room for several RSA keys. */
  jwks: 8000,
} as const;

export const CLIENT_ID_TAKEN = 'An app with this client ID is already registered';

export const CLIENT_TYPES = ['public', 'confidential'] as const;

/** Plain http is for an app maker trying their app on their own computer only. */
const LOCAL_HOSTS = new Set(['localhost', '127.0.0.1']);

/** A scope in words for the registry's pages, from the words citizens see on the consent page. */
export function scopeWords(scope: string): string {
  const known = SCOPE_WORDS[scope];
  if (!known) return scope;
  const lowered = known.words.charAt(0).toLowerCase() + known.words.slice(1);
  if (known.kind === 'see') return `See ${lowered}`;
  if (known.kind === 'add') return `Add ${lowered}`;
  return known.words.charAt(0).toUpperCase() + known.words.slice(1);
}

type AddressProblem = 'not-an-address' | 'not-https' | 'fragment' | 'too-long';

/** What is wrong with a web address we will send people to, or null: absolute, https (or http on this computer). */
export function addressProblem(value: string, options: { fragmentAllowed: boolean }): AddressProblem | null {
  if (value.length > REGISTRATION_LIMITS.address) return 'too-long';
  let parsed: URL;
  try {
    parsed = new URL(value);
  } catch {
    return 'not-an-address';
  }
  if (/\s/.test(value) || !/^https?:\/\/[^/]/i.test(value) || !parsed.hostname) return 'not-an-address';
  if (!options.fragmentAllowed && value.includes('#')) return 'fragment';
  if (parsed.protocol === 'http:' && !LOCAL_HOSTS.has(parsed.hostname)) return 'not-https';
  return null;
}

function addressMessage(problem: AddressProblem, label: string, example: string): string {
  return {
    'not-an-address': `${label} must be a full web address, like ${example}`,
    'not-https': `${label} must start with https:// (http:// is only for localhost and 127.0.0.1)`,
    fragment: `${label} must not include a fragment (a # and what follows it)`,
    'too-long': `${label} must be ${REGISTRATION_LIMITS.address} characters or fewer`,
  }[problem];
}

/** The parts of a JSON Web Key that are private, for each kind of key oidc-provider accepts. */
const PRIVATE_PARTS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'priv', 'k'];

/** The app's public keys, or what is wrong with them. */
export function checkKeySet(text: string): { ok: true; jwks: { keys: Record<string, unknown>[] } } | { ok: false; message: string } {
  const problem = (message: string) => ({ ok: false as const, message });
  if (!text) return problem('Enter the app’s JSON Web Key Set');
  if (text.length > REGISTRATION_LIMITS.jwks)
    return problem(`JSON Web Key Set must be ${REGISTRATION_LIMITS.jwks.toLocaleString('en-GB')} characters or fewer`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return problem('JSON Web Key Set must be JSON, like {"keys": [ … ]}');
  }
  const keys = (parsed as { keys?: unknown } | null)?.keys;
  if (typeof parsed !== 'object' || parsed === null || !Array.isArray(keys) || keys.length === 0) {
    return problem('JSON Web Key Set must have a "keys" list with at least one key in it');
  }
  for (const [index, key] of keys.entries()) {
    const which = `Key ${index + 1} in the JSON Web Key Set`;
    if (typeof key !== 'object' || key === null || Array.isArray(key) || typeof key.kty !== 'string' || !key.kty) {
      return problem(`${which} must have a "kty" (its key type)`);
    }
    const privatePart = PRIVATE_PARTS.find((part) => part in key);
    if (privatePart) return problem(`${which} includes a private part ("${privatePart}"): enter public keys only`);
    try {
      createPublicKey({ key: key as JsonWebKey, format: 'jwk' });
    } catch {
      return problem(`${which} is not a public key we can read: check its "kty" and its values`);
    }
  }
  return { ok: true, jwks: { keys: keys as Record<string, unknown>[] } };
}

/** A form field as the one string a browser sends; a field sent twice is not our form. */
function one(values: FormValues, name: string): string {
  const value = values[name];
  return typeof value === 'string' ? value : '';
}

const nameRule = requiredText(
  { required: 'Enter the app’s name', tooLong: `App name must be ${REGISTRATION_LIMITS.name} characters or fewer` },
  REGISTRATION_LIMITS.name,
);
const publisherRule = requiredText(
  { required: 'Enter who publishes the app', tooLong: `Publisher must be ${REGISTRATION_LIMITS.publisher} characters or fewer` },
  REGISTRATION_LIMITS.publisher,
);

/**
 * Checks a registration form, field by field in the order the page shows them, so that the error
 * summary lists them in that order. `clientIdTaken` says whether an app already has the client ID.
 */
export async function checkRegistration(values: FormValues, clientIdTaken: (id: string) => Promise<boolean>): Promise<FormCheck<NewApp>> {
  const errors: FormErrors = { summary: [], fields: {} };
  const fail = (field: string, text: string) => {
    errors.fields[field] = { text };
    errors.summary.push({ text, href: `#${field}` });
  };

  const name = nameRule.safeParse(one(values, 'name'));
  if (!name.success) fail('name', name.error.issues[0]!.message);

  const publisher = publisherRule.safeParse(one(values, 'publisher'));
  if (!publisher.success) fail('publisher', publisher.error.issues[0]!.message);

  const privacyPolicyUrl = one(values, 'privacyPolicyUrl').trim();
  const policyProblem = privacyPolicyUrl ? addressProblem(privacyPolicyUrl, { fragmentAllowed: true }) : null;
  if (!privacyPolicyUrl) fail('privacyPolicyUrl', 'Enter a link to the app’s privacy policy');
  else if (policyProblem) fail('privacyPolicyUrl', addressMessage(policyProblem, 'Privacy policy link', 'https://app.example/privacy'));

  const clientId = one(values, 'clientId').trim();
  const { min, max } = REGISTRATION_LIMITS.clientId;
  if (!clientId) fail('clientId', 'Enter the app’s client ID');
  else if (!/^[a-z0-9-]+$/.test(clientId)) fail('clientId', 'Client ID must only include lowercase letters, numbers and hyphens');
  else if (clientId.length < min || clientId.length > max) fail('clientId', `Client ID must be between ${min} and ${max} characters`);
  else if (await clientIdTaken(clientId)) fail('clientId', CLIENT_ID_TAKEN);

  // One a line; blank lines and repeats are not mistakes worth stopping for.
  const redirectUris = [
    ...new Set(
      one(values, 'redirectUris')
        .split(/\r?\n/)
        .map((line) => line.trim())
        .filter(Boolean),
    ),
  ];
  const uriProblems = redirectUris.map((uri) => addressProblem(uri, { fragmentAllowed: false }));
  const firstBad = uriProblems.findIndex((problem) => problem !== null);
  if (redirectUris.length === 0) fail('redirectUris', 'Enter at least one redirect URI');
  else if (redirectUris.length > REGISTRATION_LIMITS.redirectUris) fail('redirectUris', `Enter ${REGISTRATION_LIMITS.redirectUris} redirect URIs or fewer`);
  else if (firstBad !== -1) fail('redirectUris', addressMessage(uriProblems[firstBad]!, `Redirect URI ${firstBad + 1}`, 'https://app.example/callback'));

  const clientType = one(values, 'clientType');
  const isClientType = (CLIENT_TYPES as readonly string[]).includes(clientType);
  if (!isClientType) fail('clientType', 'Select whether the app is public or confidential');
  const keySet = clientType === 'confidential' ? checkKeySet(one(values, 'jwks').trim()) : null;
  if (keySet && !keySet.ok) fail('jwks', keySet.message);

  const chosen = [values.scopes ?? []].flat();
  if (chosen.length === 0) fail('scopes', 'Select at least one scope');
  else if (chosen.some((scope) => !SUPPORTED_SCOPES.includes(scope))) fail('scopes', 'Select scopes from the list');
  else if (chosen.includes('fhirUser') && !chosen.includes('openid')) fail('scopes', 'Select openid as well as fhirUser');

  if (errors.summary.length > 0 || !name.success || !publisher.success) return { ok: false, errors };
  return {
    ok: true,
    data: {
      id: clientId,
      name: name.data,
      publisher: publisher.data,
      redirectUris,
      // In the order the registry lists them, whatever order the form sent them in.
      scopes: SUPPORTED_SCOPES.filter((scope) => chosen.includes(scope)),
      privacyPolicyUrl,
      clientType: clientType as NewApp['clientType'],
      ...(keySet?.ok ? { jwks: keySet.jwks } : {}),
    },
  };
}

function isUniqueViolation(error: unknown): boolean {
  return (error as { code?: string } | null)?.code === 'P2002';
}

/** Registers the app; 'client-id-taken' when another app has its client ID (registered since the form was checked). */
export async function registerNewApp(db: Db, app: NewApp, registeredBy: string, now = new Date()): Promise<App | 'client-id-taken'> {
  try {
    return await registerApp(db, app, registeredBy, now);
  } catch (error) {
    if (isUniqueViolation(error)) return 'client-id-taken';
    throw error;
  }
}

export type RegisteredApp = {
  app: App;
  redirectUris: string[];
  scopes: { scope: string; words: string }[];
  /** Citizens with a live connection to it now (each once, however many times they connected). */
  connectedCitizens: number;
};

/** Every registered app, withdrawn ones too, with how many citizens have it connected now. */
export async function registeredApps(db: Db): Promise<RegisteredApp[]> {
  const apps = await listApps(db);
  const live = await db.appConnection.groupBy({ by: ['appId', 'userId'], where: { disconnectedAt: null } });
  const citizens = new Map<string, number>();
  for (const { appId } of live) citizens.set(appId, (citizens.get(appId) ?? 0) + 1);
  return apps.map((app) => ({
    app,
    redirectUris: redirectUrisOf(app),
    scopes: app.scopes
      .split(' ')
      .filter(Boolean)
      .map((scope) => ({ scope, words: scopeWords(scope) })),
    connectedCitizens: citizens.get(app.id) ?? 0,
  }));
}

/** How many citizens have the app connected now. */
export async function connectedCitizenCount(db: Db, appId: string): Promise<number> {
  const live = await db.appConnection.groupBy({ by: ['userId'], where: { appId, disconnectedAt: null } });
  return live.length;
}
