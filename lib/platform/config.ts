import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { JWK } from 'jose';
import { z } from 'zod';
import { DEFAULT_ISSUERS } from './identity-defaults';
import { parsePartnerKeys } from './signed-requests';

/**
 * All configuration is read and checked here, once, at start-up.
 * In production a missing secret or address stops the service from starting,
 * rather than letting it run half-configured.
 */

const DEVELOPMENT_SECRET = 'development-only-secret-do-not-use-in-production';
const DEVELOPMENT_AUDIT_KEY = 'development-only-audit-key-do-not-use-in-production';
const AUDIT_KEY_ID = /^[A-Za-z0-9_-]{1,32}$/;

/**
 * DEVELOPMENT AND TESTS ONLY: made-up keys shared with the demo organisations (the demo receivers
 * in scripts/receivers and the demo letter sender), used when PARTNER_KEYS is not set. They are
 * public in this repository: production refuses to start without PARTNER_KEYS, and takes these
 * only when its PUBLIC_URL is on this machine (the end-to-end and demo scripts run the production
 * build so, and pass them).
 */
export const DEVELOPMENT_PARTNER_KEYS: Readonly<Record<string, string>> = {
  'care-record': 'development-only-care-record-key-do-not-use-in-production',
  council: 'development-only-council-key-do-not-use-in-production',
  'leeds-teaching-hospitals': 'development-only-leeds-teaching-hospitals-key-do-not-use-in-production',
};

const booleanFromEnv = z
  .enum(['true', 'false', '1', '0', ''])
  .optional()
  .transform((value) => value === 'true' || value === '1');

/** A retention period in whole days: at least `min`, at most 100 years. */
const retentionDays = (fallback: number, min: number) => z.coerce.number().int().min(min).max(36_500).default(fallback);

const schema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  PUBLIC_URL: z.url().optional(),
  APP_SECRET: z.string().min(32, 'APP_SECRET must be at least 32 characters').optional(),
  DATABASE_URL: z.string().min(1).optional(),
  MAINTENANCE_MODE: booleanFromEnv,
  LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error', 'silent']).default('info'),
  SERVICE_NAME: z.string().min(1).default('Your health and care record'),
  ORGANISATION_NAME: z.string().min(1).default('Leeds City Council'),
  ORGANISATION_URL: z.url().default('https://www.leeds.gov.uk'),
  PARTNER_NAMES: z
    .string()
    .min(1)
    .default(
      'Leeds Teaching Hospitals NHS Trust, Leeds Community Healthcare NHS Trust, Leeds and York Partnership NHS Foundation Trust and GP practices in Leeds',
    ),
  // How every page looks (lib/platform/render.ts): council, the GOV.UK Design System (the
  // default), or nhs, the NHS.UK frontend, for an NHS organisation that runs the service.
  BRAND: z.enum(['council', 'nhs']).default('council'),
  // BRAND=nhs only: the NHS logo in the header, for an organisation entitled to use it (the NHS
  // identity guidelines). Off by default: the header then names the organisation without it.
  NHS_LOGO_ENTITLED: booleanFromEnv,
  CITY_NAME: z.string().min(1).default('Leeds'),
  CONTACT_PHONE: z.string().min(1).default('0113 222 4444'),
  CONTACT_HOURS: z.string().min(1).default('Monday to Friday, 9am to 5pm (except bank holidays)'),
  CONTACT_EMAIL: z.email().default('health.record@leeds.gov.uk'),
  DATA_PROTECTION_EMAIL: z.email().default('dpo@leeds.gov.uk'),
  IDENTITY_PROVIDERS: z.string().default('onelogin,nhslogin'),
  ONELOGIN_ISSUER: z.url().default(DEFAULT_ISSUERS.onelogin),
  ONELOGIN_CLIENT_ID: z.string().min(1).default('phr-onelogin'),
  // One Login publishes the core identity key in a DID document at one fixed address.
  ONELOGIN_DID_URL: z.url().optional(),
  NHSLOGIN_ISSUER: z.url().default(DEFAULT_ISSUERS.nhslogin),
  NHSLOGIN_CLIENT_ID: z.string().min(1).default('phr-nhslogin'),
  // The staff directory (an NHS CIS2-like OpenID provider) that staff sign in with.
  STAFF_ISSUER: z.url().default(DEFAULT_ISSUERS.staff),
  STAFF_CLIENT_ID: z.string().min(1).default('phr-staff'),
  SESSION_IDLE_MINUTES_STAFF: z.coerce.number().int().positive().default(30),
  // The private key our client assertions are signed with (private_key_jwt): a JWK (JSON) or a PKCS#8 PEM.
  IDENTITY_CLIENT_KEY: z.string().min(1).optional(),
  IDENTITY_CLIENT_KEY_ID: z.string().min(1).optional(),
  SESSION_IDLE_MINUTES: z.coerce.number().int().positive().default(30),
  SESSION_IDLE_MINUTES_SHARED: z.coerce.number().int().positive().default(10),
  SESSION_MAX_HOURS: z.coerce.number().positive().default(12),
  SESSION_MAX_HOURS_SHARED: z.coerce.number().positive().default(2),
  // Sign-in starts and failed callbacks allowed per client per 10 minutes. Generous: a
  // library's kiosks share one public address.
  SIGN_IN_RATE_LIMIT: z.coerce.number().int().positive().default(60),
  // All sign-in starts and failed callbacks together, per 10 minutes: always applied, and the
  // only limit when the client's address cannot be trusted (TRUSTED_PROXIES=0).
  SIGN_IN_RATE_LIMIT_GLOBAL: z.coerce.number().int().positive().default(1200),
  // The FHIR API for apps (lib/open-platform): requests a minute per access token, and per app
  // across all of its tokens (one app serves many citizens).
  API_RATE_LIMIT_PER_TOKEN: z.coerce.number().int().positive().default(120),
  API_RATE_LIMIT_PER_APP: z.coerce.number().int().positive().default(3000),
  // How many proxies of ours stand in front of the service, each appending the address it saw
  // to CLIENT_ADDRESS_HEADER. 0 (the default): the header is not trusted, and sign-ins are
  // limited only all together.
  TRUSTED_PROXIES: z.coerce.number().int().min(0).max(10).default(0),
  // The header those proxies append the client's address to.
  CLIENT_ADDRESS_HEADER: z.string().min(1).default('x-forwarded-for'),
  // The city's shared care record (FHIR R4, SMART backend services).
  CARE_RECORD_BASE_URL: z.url().default('http://localhost:3300'),
  // Default: <base>/token, as the demo care record publishes in its smart-configuration.
  CARE_RECORD_TOKEN_URL: z.url().optional(),
  CARE_RECORD_CLIENT_ID: z.string().min(1).default('phr-care-record'),
  // Reading the record, and writing what citizens add (lib/sharing/care-record-sync.ts).
  CARE_RECORD_SCOPE: z.string().min(1).default('system/*.read system/Observation.write system/Flag.write'),
  // A key of its own, never the identity client key: a private JWK (JSON) or a PKCS#8 PEM.
  CARE_RECORD_CLIENT_KEY: z.string().min(1).optional(),
  CARE_RECORD_CLIENT_KEY_ID: z.string().min(1).optional(),
  CARE_RECORD_TIMEOUT_MS: z.coerce.number().int().positive().default(4000),
  CARE_RECORD_RETRIES: z.coerce.number().int().min(0).max(5).default(2),
  CARE_RECORD_CACHE_SECONDS: z.coerce.number().int().min(0).default(60),
  CARE_RECORD_BREAKER_FAILURES: z.coerce.number().int().positive().default(5),
  CARE_RECORD_BREAKER_COOL_DOWN_SECONDS: z.coerce.number().int().positive().default(30),
  // How long a citizen's matched care record is kept before we look for it again by their verified details.
  CARE_RECORD_LINK_RECHECK_HOURS: z.coerce.number().positive().default(24),
  // Your data (lib/your-data): how long a prepared download of everything held about a citizen is kept (at most 30 days).
  DATA_EXPORT_HOURS: z.coerce.number().positive().max(720).default(24),
  // Contact details (lib/contact-details): where each organisation receives changes,
  // "care-record=http://…,council=http://…" (contact details checks every organisation has one),
  // the address lookup (demo: a built-in list of made-up Leeds addresses), and how the outbox sends.
  ADDRESS_RECEIVERS: z.string().default('care-record=http://localhost:3500,council=http://localhost:3600').transform(receiversFrom),
  // The address lookup: demo (a built-in list of made-up Leeds addresses; refused in production
  // unless ALLOW_DEMO_ADDRESS_LOOKUP is set and PUBLIC_URL is on this machine, as only the demo
  // and end-to-end scripts do) or os-places (Ordnance Survey's OS Places API, with its key).
  ADDRESS_LOOKUP: z.enum(['demo', 'os-places']).default('demo'),
  ALLOW_DEMO_ADDRESS_LOOKUP: booleanFromEnv,
  OS_PLACES_API_KEY: z.string().trim().min(1).optional(),
  OS_PLACES_BASE_URL: z.url({ protocol: /^https?$/ }).default('https://api.os.uk'),
  ADDRESS_LOOKUP_TIMEOUT_MS: z.coerce.number().int().positive().default(3_000),
  // The key we share with each organisation we exchange requests with (lib/platform/signed-requests.ts):
  // "organisation=secret,organisation=secret", each secret at least 32 characters. Production must set
  // it, for every organisation in ADDRESS_RECEIVERS; development and tests use DEVELOPMENT_PARTNER_KEYS.
  PARTNER_KEYS: z.string().optional().transform(partnerKeysFrom),
  DELIVERY_TIMEOUT_MS: z.coerce.number().int().positive().default(5_000),
  DELIVERY_MAX_ATTEMPTS: z.coerce.number().int().positive().default(10),
  DELIVERY_BACKOFF_BASE_MS: z.coerce.number().int().positive().default(5_000),
  DELIVERY_BACKOFF_MAX_MS: z.coerce
    .number()
    .int()
    .positive()
    .default(30 * 60_000),
  // The audit log (lib/audit): the key its chain and anchors are signed with (never in the
  // database), its id (recorded in every entry), the keys it replaced ("id=key,id=key", to check
  // older entries), and the file outside the database that the chain's head is appended to.
  AUDIT_HMAC_KEY: z.string().min(32, 'AUDIT_HMAC_KEY must be at least 32 characters').optional(),
  AUDIT_HMAC_KEY_ID: z.string().regex(AUDIT_KEY_ID, 'AUDIT_HMAC_KEY_ID: letters, digits, - and _ only').optional(),
  AUDIT_HMAC_PREVIOUS_KEYS: z.string().default('').transform(previousAuditKeys),
  AUDIT_ANCHOR_FILE: z.string().min(1).optional(),
  AUDIT_ANCHOR_INTERVAL_MINUTES: z.coerce.number().positive().default(10),
  // Retention (lib/platform/retention.ts, applied by the worker): how many whole days each kind of
  // record is kept once it is no longer needed, before it is deleted. Drafts: after their journey's
  // time has passed (0: at the next run). Sessions (citizens' and staff's): after they ended
  // (signed out, timed out or at their limit). Sign-in history: after the sign-in; at least 31,
  // as the active users report reads the last 30 days' sign-ins (and none is removed before the
  // reporting rollup has counted it). Delivered outbox messages: after delivery (failed and
  // waiting ones are kept). Deleted blood pressure readings and their history: after deletion.
  // Feedback: after it was sent. The audit log is never touched (8 years, append-only).
  RETENTION_DRAFTS_DAYS: retentionDays(0, 0),
  RETENTION_SESSIONS_DAYS: retentionDays(30, 1),
  RETENTION_SIGN_IN_EVENTS_DAYS: retentionDays(730, 31),
  RETENTION_DELIVERED_MESSAGES_DAYS: retentionDays(90, 1),
  RETENTION_DELETED_READINGS_DAYS: retentionDays(30, 1),
  RETENTION_FEEDBACK_DAYS: retentionDays(730, 1),
  // End-to-end tests only: lets a browser say what time it is (lib/platform/clock.ts).
  TEST_CLOCK: booleanFromEnv,
});

/** "name=http://…,other=https://…" as { name: url } (trailing slashes dropped). */
function receiversFrom(value: string, context: z.RefinementCtx): Record<string, string> {
  const receivers: Record<string, string> = {};
  for (const part of value
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean)) {
    const [name = '', url = ''] = part.split(/=(.*)/s, 2);
    if (!/^[a-z][a-z-]*$/.test(name) || !z.url({ protocol: /^https?$/ }).safeParse(url).success) {
      context.addIssue({ code: 'custom', message: `"${part}" is not organisation=http(s) URL` });
      return z.NEVER;
    }
    receivers[name] = url.replace(/\/+$/, '');
  }
  return receivers;
}

/** "organisation=secret,…" as a map (undefined when not set); each secret at least 32 characters. */
function partnerKeysFrom(value: string | undefined, context: z.RefinementCtx): Map<string, string> | undefined {
  if (value === undefined || !value.trim()) return undefined;
  try {
    return parsePartnerKeys(value);
  } catch (error) {
    context.addIssue({ code: 'custom', message: (error as Error).message });
    return z.NEVER;
  }
}

/** "id=key,id=key" as { id: key }: the audit keys that were replaced, to check older entries with. */
function previousAuditKeys(value: string, context: z.RefinementCtx): Record<string, string> {
  const keys: Record<string, string> = {};
  for (const part of value
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean)) {
    const [id = '', secret = ''] = part.split(/=(.*)/s, 2);
    if (!AUDIT_KEY_ID.test(id) || secret.length < 32) {
      context.addIssue({ code: 'custom', message: `"${id}=…" is not key-id=key (a key of 32+ characters)` });
      return z.NEVER;
    }
    keys[id] = secret;
  }
  return keys;
}

export type IdentityProviderId = 'onelogin' | 'nhslogin';

export type Brand = 'council' | 'nhs';

/** The key we sign client assertions with: a JWK, or a PEM with its key id. */
export type ClientKey = { jwk: JWK } | { pem: string; kid: string };

export type IdentityProviderConfig = { id: IdentityProviderId; issuer: string; clientId: string };

export type CareRecordConfig = {
  baseUrl: string;
  tokenUrl: string;
  clientId: string;
  scope: string;
  /** Read on first use, like the identity client key. */
  clientKey: () => ClientKey;
  timeoutMs: number;
  retries: number;
  /** First retry waits about this long; each later one twice as long, with jitter. */
  backoffMs: number;
  /** The longest Retry-After we wait for; a longer one fails the call instead. */
  maxRetryAfterMs: number;
  cacheSeconds: number;
  cacheEntries: number;
  breakerFailures: number;
  breakerCoolDownMs: number;
};

/** Days each kind of record is kept once it is no longer needed (see RETENTION_* above). */
export type RetentionPeriods = {
  draftsDays: number;
  sessionsDays: number;
  signInEventsDays: number;
  deliveredMessagesDays: number;
  deletedReadingsDays: number;
  feedbackDays: number;
};

export type Config = {
  environment: 'development' | 'production' | 'test';
  isProduction: boolean;
  publicUrl: string;
  /** Origins allowed to POST forms to us: our own public address only. */
  allowedOrigins: string[];
  appSecret: string;
  databaseUrl: string;
  maintenanceMode: boolean;
  /** Requests may carry the time they happen at (x-test-clock): end-to-end tests on this machine only. */
  testClock: boolean;
  logLevel: 'debug' | 'info' | 'warn' | 'error' | 'silent';
  secureCookies: boolean;
  identity: {
    providers: IdentityProviderConfig[];
    staff: { issuer: string; clientId: string; idleSeconds: number };
    oneLoginDidUrl: string;
    /** Read on first use, so that development and tests make the dev key only when signing in. */
    clientKey: () => ClientKey;
    session: { idleSeconds: number; idleSecondsShared: number; maxSeconds: number; maxSecondsShared: number };
    signInRateLimit: { attempts: number; globalAttempts: number; windowSeconds: number; clientAddressHeader: string; trustedProxies: number };
  };
  openPlatform: { rateLimits: { perTokenPerMinute: number; perAppPerMinute: number } };
  careRecord: CareRecordConfig & {
    /** A citizen's matched record is looked for again after this long (it is also checked against the record on every use). */
    linkRecheckMs: number;
  };
  contactDetails: {
    /** Where each organisation receives changes, by organisation id. */
    receivers: Record<string, string>;
    addressLookup: 'demo' | 'os-places';
    /** OS Places (ADDRESS_LOOKUP=os-places): where, with which key, and how long to wait. */
    osPlaces: { baseUrl: string; apiKey: string; timeoutMs: number };
    delivery: { timeoutMs: number; maxAttempts: number; backoffBaseMs: number; backoffMaxMs: number };
  };
  /** The secret shared with each organisation we exchange signed requests with, by organisation id. */
  partnerKeys: ReadonlyMap<string, string>;
  /** A citizen's download of everything held about them (lib/your-data) is removed this long after it is asked for, or after it is ready. */
  yourData: { exportMs: number };
  audit: {
    /** New entries and anchors are signed with this key; its id is recorded with each. */
    key: { id: string; secret: string };
    /** Every key an entry or anchor may have been signed with, by id (the current one too). */
    keys: ReadonlyMap<string, string>;
    /** Where the chain's head is appended, outside the database. */
    anchorFile: string;
    anchorIntervalMs: number;
  };
  /** How many days each kind of record is kept once no longer needed (lib/platform/retention.ts). */
  retention: RetentionPeriods;
  /** How every page looks: the GOV.UK Design System (council) or the NHS.UK frontend (nhs), and whether the NHS header shows the NHS logo. */
  brand: { name: Brand; nhsLogo: boolean };
  service: {
    name: string;
    organisationName: string;
    organisationUrl: string;
    partnerNames: string;
    cityName: string;
    contactPhone: string;
    contactHours: string;
    contactEmail: string;
    dataProtectionEmail: string;
  };
};

export class ConfigError extends Error {}

export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
    throw new ConfigError(`Invalid configuration:\n  ${problems.join('\n  ')}`);
  }
  const e = parsed.data;
  const isProduction = e.NODE_ENV === 'production';

  if (isProduction) {
    const missing = (['PUBLIC_URL', 'APP_SECRET', 'DATABASE_URL', 'IDENTITY_CLIENT_KEY', 'AUDIT_HMAC_KEY', 'AUDIT_ANCHOR_FILE'] as const).filter(
      (name) => !e[name],
    );
    if (missing.length > 0) {
      throw new ConfigError(`Missing required production configuration: ${missing.join(', ')}`);
    }
    if (e.APP_SECRET === DEVELOPMENT_SECRET) {
      throw new ConfigError('APP_SECRET is the development secret: set a real one in production');
    }
    if (e.AUDIT_HMAC_KEY === DEVELOPMENT_AUDIT_KEY || e.AUDIT_HMAC_KEY === e.APP_SECRET) {
      throw new ConfigError('AUDIT_HMAC_KEY must be a key of its own in production (not the development key, not APP_SECRET)');
    }
    productionExchanges(env, e);
    if (e.ADDRESS_LOOKUP === 'demo' && !e.ALLOW_DEMO_ADDRESS_LOOKUP) {
      throw new ConfigError(
        'ADDRESS_LOOKUP is the demo list of made-up addresses: set ADDRESS_LOOKUP=os-places with OS_PLACES_API_KEY in production (ALLOW_DEMO_ADDRESS_LOOKUP=1 is for the demo and end-to-end tests only)',
      );
    }
    // The demo's made-up addresses and public development keys: only for a build served on this machine.
    if (!isLoopback(e.PUBLIC_URL)) {
      if (e.ADDRESS_LOOKUP === 'demo') {
        throw new ConfigError('ALLOW_DEMO_ADDRESS_LOOKUP is for the demo and end-to-end tests on this machine only: PUBLIC_URL must be a loopback address');
      }
      const developmentKeys = new Set(Object.values(DEVELOPMENT_PARTNER_KEYS));
      const published = [...(e.PARTNER_KEYS ?? new Map<string, string>())].filter(([, secret]) => developmentKeys.has(secret)).map(([id]) => id);
      if (published.length > 0)
        throw new ConfigError(`PARTNER_KEYS: the key for ${published.join(', ')} is a development-only key, published in this repository`);
    }
  }
  if (e.NHS_LOGO_ENTITLED && e.BRAND !== 'nhs') {
    throw new ConfigError('NHS_LOGO_ENTITLED is for BRAND=nhs only: the council brand never shows the NHS logo');
  }
  if (e.ADDRESS_LOOKUP === 'os-places' && !e.OS_PLACES_API_KEY) {
    throw new ConfigError('ADDRESS_LOOKUP=os-places needs OS_PLACES_API_KEY');
  }

  const publicUrl = (e.PUBLIC_URL ?? 'http://localhost:3000').replace(/\/$/, '');
  const origin = new URL(publicUrl).origin;
  // A clock a browser can set must never reach a real service: only a build served on this machine.
  if (e.TEST_CLOCK && !isLoopback(publicUrl)) {
    throw new ConfigError('TEST_CLOCK is for end-to-end tests on this machine only: PUBLIC_URL must be a loopback address');
  }

  return {
    environment: e.NODE_ENV,
    isProduction,
    publicUrl,
    allowedOrigins: [origin],
    appSecret: e.APP_SECRET ?? DEVELOPMENT_SECRET,
    databaseUrl: e.DATABASE_URL ?? 'file:./data/phr.db',
    maintenanceMode: e.MAINTENANCE_MODE,
    testClock: e.TEST_CLOCK,
    logLevel: e.LOG_LEVEL,
    // Secure cookies need HTTPS: on in production, and wherever the public address is https.
    secureCookies: isProduction || publicUrl.startsWith('https://'),
    identity: {
      providers: identityProviders(e),
      staff: { issuer: e.STAFF_ISSUER.replace(/\/$/, ''), clientId: e.STAFF_CLIENT_ID, idleSeconds: e.SESSION_IDLE_MINUTES_STAFF * 60 },
      oneLoginDidUrl: e.ONELOGIN_DID_URL ?? `${e.ONELOGIN_ISSUER.replace(/\/$/, '')}/identity/.well-known/did.json`,
      clientKey: once(() => clientKey(e)),
      session: {
        idleSeconds: e.SESSION_IDLE_MINUTES * 60,
        idleSecondsShared: e.SESSION_IDLE_MINUTES_SHARED * 60,
        maxSeconds: Math.round(e.SESSION_MAX_HOURS * 3600),
        maxSecondsShared: Math.round(e.SESSION_MAX_HOURS_SHARED * 3600),
      },
      signInRateLimit: {
        attempts: e.SIGN_IN_RATE_LIMIT,
        globalAttempts: e.SIGN_IN_RATE_LIMIT_GLOBAL,
        windowSeconds: 600,
        clientAddressHeader: e.CLIENT_ADDRESS_HEADER.toLowerCase(),
        trustedProxies: e.TRUSTED_PROXIES,
      },
    },
    openPlatform: { rateLimits: { perTokenPerMinute: e.API_RATE_LIMIT_PER_TOKEN, perAppPerMinute: e.API_RATE_LIMIT_PER_APP } },
    careRecord: careRecord(e, isProduction),
    contactDetails: {
      receivers: e.ADDRESS_RECEIVERS,
      addressLookup: e.ADDRESS_LOOKUP,
      osPlaces: { baseUrl: e.OS_PLACES_BASE_URL.replace(/\/+$/, ''), apiKey: e.OS_PLACES_API_KEY ?? '', timeoutMs: e.ADDRESS_LOOKUP_TIMEOUT_MS },
      delivery: {
        timeoutMs: e.DELIVERY_TIMEOUT_MS,
        maxAttempts: e.DELIVERY_MAX_ATTEMPTS,
        backoffBaseMs: e.DELIVERY_BACKOFF_BASE_MS,
        backoffMaxMs: e.DELIVERY_BACKOFF_MAX_MS,
      },
    },
    partnerKeys: e.PARTNER_KEYS ?? new Map(Object.entries(DEVELOPMENT_PARTNER_KEYS)),
    yourData: { exportMs: Math.round(e.DATA_EXPORT_HOURS * 3_600_000) },
    audit: audit(e),
    retention: {
      draftsDays: e.RETENTION_DRAFTS_DAYS,
      sessionsDays: e.RETENTION_SESSIONS_DAYS,
      signInEventsDays: e.RETENTION_SIGN_IN_EVENTS_DAYS,
      deliveredMessagesDays: e.RETENTION_DELIVERED_MESSAGES_DAYS,
      deletedReadingsDays: e.RETENTION_DELETED_READINGS_DAYS,
      feedbackDays: e.RETENTION_FEEDBACK_DAYS,
    },
    brand: { name: e.BRAND, nhsLogo: e.NHS_LOGO_ENTITLED },
    service: {
      name: e.SERVICE_NAME,
      organisationName: e.ORGANISATION_NAME,
      organisationUrl: e.ORGANISATION_URL,
      partnerNames: e.PARTNER_NAMES,
      cityName: e.CITY_NAME,
      contactPhone: e.CONTACT_PHONE,
      contactHours: e.CONTACT_HOURS,
      contactEmail: e.CONTACT_EMAIL,
      dataProtectionEmail: e.DATA_PROTECTION_EMAIL,
    },
  };
}

type Env = z.output<typeof schema>;

/** An address on this machine only (the end-to-end tests, the demo): no address means the development default, which is. */
function isLoopback(url: string | undefined): boolean {
  return ['localhost', '127.0.0.1', '[::1]'].includes(new URL(url ?? 'http://localhost:3000').hostname);
}

/**
 * Production exchanges only with organisations it is told about: ADDRESS_RECEIVERS set (never the
 * localhost default), and a real key in PARTNER_KEYS for each of them.
 */
function productionExchanges(env: Record<string, string | undefined>, e: Env): void {
  if (!env.ADDRESS_RECEIVERS?.trim()) throw new ConfigError('Missing required production configuration: ADDRESS_RECEIVERS');
  if (!e.PARTNER_KEYS) throw new ConfigError('Missing required production configuration: PARTNER_KEYS');
  const withoutKey = Object.keys(e.ADDRESS_RECEIVERS).filter((organisation) => !e.PARTNER_KEYS?.has(organisation));
  if (withoutKey.length > 0) throw new ConfigError(`PARTNER_KEYS has no key for ${withoutKey.join(', ')} (in ADDRESS_RECEIVERS)`);
}

function identityProviders(e: Env): IdentityProviderConfig[] {
  const all: IdentityProviderConfig[] = [
    { id: 'onelogin', issuer: e.ONELOGIN_ISSUER.replace(/\/$/, ''), clientId: e.ONELOGIN_CLIENT_ID },
    { id: 'nhslogin', issuer: e.NHSLOGIN_ISSUER.replace(/\/$/, ''), clientId: e.NHSLOGIN_CLIENT_ID },
  ];
  const wanted = e.IDENTITY_PROVIDERS.split(',')
    .map((id) => id.trim())
    .filter(Boolean);
  const unknown = wanted.filter((id) => !all.some((provider) => provider.id === id));
  if (unknown.length > 0) throw new ConfigError(`IDENTITY_PROVIDERS: unknown provider ${unknown.join(', ')}`);
  return all.filter((provider) => wanted.includes(provider.id));
}

function audit(e: Env): Config['audit'] {
  const key = e.AUDIT_HMAC_KEY ? { id: e.AUDIT_HMAC_KEY_ID ?? 'k1', secret: e.AUDIT_HMAC_KEY } : { id: 'dev', secret: DEVELOPMENT_AUDIT_KEY };
  if (key.id in e.AUDIT_HMAC_PREVIOUS_KEYS) throw new ConfigError(`AUDIT_HMAC_PREVIOUS_KEYS: "${key.id}" is the current key's id; a new key needs a new id`);
  // Development: one file per database, so that switching DATABASE_URL does not mix their anchors.
  const databaseUrl = e.DATABASE_URL ?? 'file:./data/phr.db';
  const developmentFile = path.join('.tmp', 'audit-anchors', `${createHash('sha256').update(databaseUrl).digest('hex').slice(0, 12)}.jsonl`);
  return {
    key,
    keys: new Map([...Object.entries(e.AUDIT_HMAC_PREVIOUS_KEYS), [key.id, key.secret]]),
    anchorFile: path.resolve(e.AUDIT_ANCHOR_FILE ?? developmentFile),
    anchorIntervalMs: Math.round(e.AUDIT_ANCHOR_INTERVAL_MINUTES * 60_000),
  };
}

/**
 * Development only, when no key is configured: the key the demo scripts made in DEV_KEYS_DIR
 * (scripts/oidc-provider/dev-keys.ts, scripts/care-record/client-keys.ts). The service reads
 * it and never makes one: development code stays out of what production runs.
 */
function developmentKey(file: string): JWK {
  const dir = process.env.DEV_KEYS_DIR ?? path.join(process.cwd(), '.tmp', 'dev-keys');
  const where = path.join(dir, file);
  try {
    return JSON.parse(fs.readFileSync(where, 'utf8')) as JWK;
  } catch {
    throw new ConfigError(`No development key at ${where}: start the demo identity provider and care record (npm run demo) first, or configure the key`);
  }
}

/** Production must bring its own key; development and tests share the demo providers' dev key. */
function clientKey(e: Env): ClientKey {
  return signingKey('IDENTITY_CLIENT_KEY', e.IDENTITY_CLIENT_KEY, e.IDENTITY_CLIENT_KEY_ID, () => developmentKey('phr-client.es256.private.jwk.json'));
}

function careRecord(e: Env, isProduction: boolean): Config['careRecord'] {
  const baseUrl = e.CARE_RECORD_BASE_URL.replace(/\/$/, '');
  return {
    baseUrl,
    tokenUrl: e.CARE_RECORD_TOKEN_URL ?? `${baseUrl}/token`,
    clientId: e.CARE_RECORD_CLIENT_ID,
    scope: e.CARE_RECORD_SCOPE,
    clientKey: once(() => careRecordClientKey(e, isProduction)),
    timeoutMs: e.CARE_RECORD_TIMEOUT_MS,
    retries: e.CARE_RECORD_RETRIES,
    backoffMs: 200,
    maxRetryAfterMs: 2000,
    cacheSeconds: e.CARE_RECORD_CACHE_SECONDS,
    cacheEntries: 500,
    breakerFailures: e.CARE_RECORD_BREAKER_FAILURES,
    breakerCoolDownMs: e.CARE_RECORD_BREAKER_COOL_DOWN_SECONDS * 1000,
    linkRecheckMs: Math.round(e.CARE_RECORD_LINK_RECHECK_HOURS * 3600 * 1000),
  };
}

/**
 * Production must bring its own key; development and tests use the demo care record's dev key.
 * Checked on first use rather than at start-up until the demo, end-to-end and benchmark
 * scripts pass a care record key to the production build.
 */
function careRecordClientKey(e: Env, isProduction: boolean): ClientKey {
  if (isProduction && !e.CARE_RECORD_CLIENT_KEY?.trim()) {
    throw new ConfigError('Missing required production configuration: CARE_RECORD_CLIENT_KEY');
  }
  return signingKey('CARE_RECORD_CLIENT_KEY', e.CARE_RECORD_CLIENT_KEY, e.CARE_RECORD_CLIENT_KEY_ID, () =>
    developmentKey('phr-care-record-client.es256.private.jwk.json'),
  );
}

/** A private signing key given as a JWK (JSON) or a PKCS#8 PEM with its key id; the development key when none is given. */
function signingKey(name: string, given: string | undefined, keyId: string | undefined, developmentKey: () => JWK): ClientKey {
  const value = given?.trim();
  if (!value) return { jwk: developmentKey() };
  if (value.startsWith('{')) {
    const jwk = JSON.parse(value) as JWK;
    if (!jwk.d || !jwk.kid) throw new ConfigError(`${name} must be a private JWK with a kid`);
    return { jwk };
  }
  if (!value.includes('PRIVATE KEY') || !keyId) {
    throw new ConfigError(`${name} must be a private JWK, or a PKCS#8 PEM with ${name}_ID`);
  }
  return { pem: value, kid: keyId };
}

function once<T>(make: () => T): () => T {
  let value: T | undefined;
  return () => (value ??= make());
}

let current: Config | undefined;

/** The configuration of this process, read on first use. */
export function config(): Config {
  current ??= loadConfig();
  return current;
}

/** Reads the configuration again: for tests that change the environment. */
export function reloadConfig(env: Record<string, string | undefined> = process.env): Config {
  current = loadConfig(env);
  return current;
}
