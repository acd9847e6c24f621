import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, DEVELOPMENT_PARTNER_KEYS, loadConfig } from './config';

const PRODUCTION_KEY = JSON.stringify({ kty: 'EC', crv: 'P-256', x: 'x', y: 'y', d: 'd', kid: 'k1' });
const AUDIT = { AUDIT_HMAC_KEY: 'a'.repeat(40), AUDIT_ANCHOR_FILE: '/var/lib/phr/audit-anchors.jsonl' };
const EXCHANGES = {
  ADDRESS_RECEIVERS: 'care-record=https://care-record.example.org/phr,council=https://crm.example.org/phr',
  PARTNER_KEYS: `care-record=${'c'.repeat(40)},council=${'d'.repeat(40)}`,
  ADDRESS_LOOKUP: 'os-places',
  OS_PLACES_API_KEY: 'an-os-places-key',
};

describe('loadConfig', () => {
  it('gives working defaults for development', () => {
    const config = loadConfig({});
    expect(config.environment).toBe('development');
    expect(config.publicUrl).toBe('http://localhost:3000');
    expect(config.allowedOrigins).toEqual(['http://localhost:3000']);
    expect(config.secureCookies).toBe(false);
    expect(config.service.name).toBe('Your health and care record');
  });

  it('lets another city run the service by configuration', () => {
    const config = loadConfig({ SERVICE_NAME: 'My care record', ORGANISATION_NAME: 'Bradford Council', CITY_NAME: 'Bradford' });
    expect(config.service).toMatchObject({ name: 'My care record', organisationName: 'Bradford Council', cityName: 'Bradford' });
  });

  it('reads the brand: the council brand (GOV.UK Design System) unless told otherwise, the NHS logo only when entitled', () => {
    expect(loadConfig({}).brand).toEqual({ name: 'council', nhsLogo: false });
    expect(loadConfig({ BRAND: 'nhs' }).brand).toEqual({ name: 'nhs', nhsLogo: false });
    expect(loadConfig({ BRAND: 'nhs', NHS_LOGO_ENTITLED: 'true' }).brand).toEqual({ name: 'nhs', nhsLogo: true });
    expect(() => loadConfig({ BRAND: 'gov' })).toThrow(/BRAND/);
    expect(() => loadConfig({ NHS_LOGO_ENTITLED: '1' })).toThrow(/NHS_LOGO_ENTITLED is for BRAND=nhs only/);
    expect(() => loadConfig({ BRAND: 'nhs', NHS_LOGO_ENTITLED: 'yes' })).toThrow(/NHS_LOGO_ENTITLED/);
  });

  it('refuses to start in production without its secrets and addresses', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(
      /PUBLIC_URL, APP_SECRET, DATABASE_URL, IDENTITY_CLIENT_KEY, AUDIT_HMAC_KEY, AUDIT_ANCHOR_FILE/,
    );
  });

  it('refuses the development secret in production', () => {
    expect(() =>
      loadConfig({
        NODE_ENV: 'production',
        PUBLIC_URL: 'https://record.example.org',
        DATABASE_URL: 'postgres://db/phr',
        APP_SECRET: 'development-only-secret-do-not-use-in-production',
      }),
    ).toThrow(ConfigError);
  });

  it('uses secure cookies and the public origin in production', () => {
    const config = loadConfig({
      NODE_ENV: 'production',
      PUBLIC_URL: 'https://record.example.org/',
      DATABASE_URL: 'postgres://db/phr',
      APP_SECRET: 'x'.repeat(40),
      IDENTITY_CLIENT_KEY: PRODUCTION_KEY,
      ...AUDIT,
      ...EXCHANGES,
    });
    expect(config.secureCookies).toBe(true);
    expect(config.allowedOrigins).toEqual(['https://record.example.org']);
  });

  it('reads the identity providers, the client key and the session limits', () => {
    const config = loadConfig({ IDENTITY_PROVIDERS: 'nhslogin', IDENTITY_CLIENT_KEY: PRODUCTION_KEY, SESSION_IDLE_MINUTES_SHARED: '2' });
    expect(config.identity.providers.map((provider) => provider.id)).toEqual(['nhslogin']);
    expect(config.identity.clientKey()).toEqual({ jwk: JSON.parse(PRODUCTION_KEY) });
    expect(config.identity.session).toEqual({ idleSeconds: 1800, idleSecondsShared: 120, maxSeconds: 43200, maxSecondsShared: 7200 });
    expect(config.identity.oneLoginDidUrl).toBe('http://localhost:3200/onelogin/identity/.well-known/did.json');
    expect(() => loadConfig({ IDENTITY_PROVIDERS: 'facebook' })).toThrow(/unknown provider facebook/);
    expect(() => loadConfig({ IDENTITY_CLIENT_KEY: '{"kty":"EC"}' }).identity.clientKey()).toThrow(/private JWK/);
  });

  it('reads the care record settings, and wants its own client key in production', () => {
    const config = loadConfig({
      CARE_RECORD_BASE_URL: 'https://care-record.example.org/fhir/',
      CARE_RECORD_CLIENT_KEY: PRODUCTION_KEY,
      CARE_RECORD_TIMEOUT_MS: '1500',
    });
    expect(config.careRecord).toMatchObject({
      baseUrl: 'https://care-record.example.org/fhir',
      tokenUrl: 'https://care-record.example.org/fhir/token',
      clientId: 'phr-care-record',
      scope: 'system/*.read system/Observation.write system/Flag.write',
      timeoutMs: 1500,
      breakerCoolDownMs: 30_000,
      linkRecheckMs: 24 * 3600_000,
    });
    expect(loadConfig({ CARE_RECORD_LINK_RECHECK_HOURS: '0.5' }).careRecord.linkRecheckMs).toBe(1_800_000);
    expect(() => loadConfig({ CARE_RECORD_LINK_RECHECK_HOURS: '0' })).toThrow(/CARE_RECORD_LINK_RECHECK_HOURS/);
    expect(config.careRecord.clientKey()).toEqual({ jwk: JSON.parse(PRODUCTION_KEY) });
    expect(loadConfig({ CARE_RECORD_TOKEN_URL: 'https://auth.example.org/token' }).careRecord.tokenUrl).toBe('https://auth.example.org/token');
    expect(() => loadConfig({ CARE_RECORD_CLIENT_KEY: '{"kty":"EC"}' }).careRecord.clientKey()).toThrow(/private JWK/);
    expect(() => loadConfig({ CARE_RECORD_CLIENT_KEY: '-----BEGIN PRIVATE KEY-----' }).careRecord.clientKey()).toThrow(/CARE_RECORD_CLIENT_KEY_ID/);
    expect(() => loadConfig({ CARE_RECORD_RETRIES: 'lots' })).toThrow(/CARE_RECORD_RETRIES/);
    const production = loadConfig({
      NODE_ENV: 'production',
      PUBLIC_URL: 'https://record.example.org',
      DATABASE_URL: 'postgres://db/phr',
      APP_SECRET: 'x'.repeat(40),
      IDENTITY_CLIENT_KEY: PRODUCTION_KEY,
      ...AUDIT,
      ...EXCHANGES,
    });
    expect(() => production.careRecord.clientKey()).toThrow(/CARE_RECORD_CLIENT_KEY/);
  });

  it('reads the audit key and anchor settings: a development key outside production, a key of its own in production', () => {
    const development = loadConfig({ DATABASE_URL: 'file:/tmp/one.db' }).audit;
    expect(development.key).toEqual({ id: 'dev', secret: 'development-only-audit-key-do-not-use-in-production' });
    expect(development.keys).toEqual(new Map([['dev', development.key.secret]]));
    expect(development.anchorIntervalMs).toBe(600_000);
    // Development: one anchor file per database, under .tmp.
    expect(development.anchorFile).toMatch(/[/\\]\.tmp[/\\]audit-anchors[/\\][0-9a-f]{12}\.jsonl$/);
    expect(loadConfig({ DATABASE_URL: 'file:/tmp/two.db' }).audit.anchorFile).not.toBe(development.anchorFile);

    const rotated = loadConfig({
      AUDIT_HMAC_KEY: 'b'.repeat(40),
      AUDIT_HMAC_KEY_ID: 'k2',
      AUDIT_HMAC_PREVIOUS_KEYS: `k1=${'a'.repeat(40)}, k0=${'c'.repeat(32)}=`,
      AUDIT_ANCHOR_FILE: '/var/lib/phr/anchors.jsonl',
      AUDIT_ANCHOR_INTERVAL_MINUTES: '0.5',
    }).audit;
    expect(rotated.key).toEqual({ id: 'k2', secret: 'b'.repeat(40) });
    expect(rotated.keys).toEqual(
      new Map([
        ['k1', 'a'.repeat(40)],
        ['k0', `${'c'.repeat(32)}=`],
        ['k2', 'b'.repeat(40)],
      ]),
    );
    expect(rotated.anchorFile).toBe('/var/lib/phr/anchors.jsonl');
    expect(rotated.anchorIntervalMs).toBe(30_000);
    expect(loadConfig({ AUDIT_HMAC_KEY: 'b'.repeat(40) }).audit.key.id).toBe('k1');

    expect(() => loadConfig({ AUDIT_HMAC_KEY: 'short' })).toThrow(/AUDIT_HMAC_KEY must be at least 32/);
    expect(() => loadConfig({ AUDIT_HMAC_KEY_ID: 'k:1' })).toThrow(/AUDIT_HMAC_KEY_ID/);
    expect(() => loadConfig({ AUDIT_HMAC_PREVIOUS_KEYS: 'k1=short' })).toThrow(/AUDIT_HMAC_PREVIOUS_KEYS/);
    expect(() => loadConfig({ AUDIT_HMAC_KEY: 'b'.repeat(40), AUDIT_HMAC_PREVIOUS_KEYS: `k1=${'a'.repeat(40)}` })).toThrow(/a new key needs a new id/);
    expect(() => loadConfig({ AUDIT_ANCHOR_INTERVAL_MINUTES: '0' })).toThrow(/AUDIT_ANCHOR_INTERVAL_MINUTES/);

    const production = {
      NODE_ENV: 'production',
      PUBLIC_URL: 'https://record.example.org',
      DATABASE_URL: 'postgres://db/phr',
      APP_SECRET: 'x'.repeat(40),
      IDENTITY_CLIENT_KEY: PRODUCTION_KEY,
      ...EXCHANGES,
    };
    expect(() => loadConfig({ ...production, AUDIT_ANCHOR_FILE: '/var/lib/phr/a.jsonl' })).toThrow(
      /Missing required production configuration: AUDIT_HMAC_KEY$/,
    );
    expect(() => loadConfig({ ...production, AUDIT_HMAC_KEY: 'a'.repeat(40) })).toThrow(/Missing required production configuration: AUDIT_ANCHOR_FILE$/);
    expect(() => loadConfig({ ...production, ...AUDIT, AUDIT_HMAC_KEY: 'development-only-audit-key-do-not-use-in-production' })).toThrow(/a key of its own/);
    expect(() => loadConfig({ ...production, ...AUDIT, AUDIT_HMAC_KEY: 'x'.repeat(40) })).toThrow(/not APP_SECRET/);
    expect(loadConfig({ ...production, ...AUDIT }).audit.key).toEqual({ id: 'k1', secret: 'a'.repeat(40) });
  });

  it('reads the keys shared with other organisations: made-up ones outside production', () => {
    const development = loadConfig({}).partnerKeys;
    expect([...development.keys()].sort()).toEqual(['care-record', 'council', 'leeds-teaching-hospitals']);
    for (const secret of development.values()) expect(secret).toMatch(/^development-only-.{20,}/);
    expect(loadConfig({ PARTNER_KEYS: ` council = ${'k'.repeat(32)} , ,care-record=${'='.repeat(40)}` }).partnerKeys).toEqual(
      new Map([
        ['council', 'k'.repeat(32)],
        ['care-record', '='.repeat(40)],
      ]),
    );
    expect(() => loadConfig({ PARTNER_KEYS: `council=${'k'.repeat(31)}` })).toThrow(
      /PARTNER_KEYS: "council=…" is not organisation=secret \(a secret of 32\+ characters\)/,
    );
    expect(() => loadConfig({ PARTNER_KEYS: `Council=${'k'.repeat(32)}` })).toThrow(/PARTNER_KEYS/);
    expect(() => loadConfig({ PARTNER_KEYS: 'k'.repeat(40) })).toThrow(/PARTNER_KEYS/);
  });

  it('refuses to start in production without the receivers of changes, and a key for each', () => {
    const production = {
      NODE_ENV: 'production',
      PUBLIC_URL: 'https://record.example.org',
      DATABASE_URL: 'postgres://db/phr',
      APP_SECRET: 'x'.repeat(40),
      IDENTITY_CLIENT_KEY: PRODUCTION_KEY,
      ...AUDIT,
      ADDRESS_LOOKUP: 'os-places',
      OS_PLACES_API_KEY: 'an-os-places-key',
    };
    expect(() => loadConfig({ ...production, PARTNER_KEYS: EXCHANGES.PARTNER_KEYS })).toThrow(/Missing required production configuration: ADDRESS_RECEIVERS$/);
    expect(() => loadConfig({ ...production, ADDRESS_RECEIVERS: ' ', PARTNER_KEYS: EXCHANGES.PARTNER_KEYS })).toThrow(/ADDRESS_RECEIVERS$/);
    expect(() => loadConfig({ ...production, ADDRESS_RECEIVERS: EXCHANGES.ADDRESS_RECEIVERS })).toThrow(
      /Missing required production configuration: PARTNER_KEYS$/,
    );
    expect(() => loadConfig({ ...production, ...EXCHANGES, PARTNER_KEYS: `council=${'d'.repeat(40)},someone=${'e'.repeat(40)}` })).toThrow(
      /PARTNER_KEYS has no key for care-record/,
    );
    const config = loadConfig({ ...production, ...EXCHANGES });
    expect(config.contactDetails.receivers).toEqual({ 'care-record': 'https://care-record.example.org/phr', council: 'https://crm.example.org/phr' });
    expect(config.partnerKeys.get('council')).toBe('d'.repeat(40));
    expect(config.partnerKeys.has('leeds-teaching-hospitals')).toBe(false);

    // The development keys are published here: production takes them only on this machine (the demo, the end-to-end tests).
    const developmentKeys = Object.entries(DEVELOPMENT_PARTNER_KEYS)
      .map(([organisation, secret]) => `${organisation}=${secret}`)
      .join(',');
    expect(() => loadConfig({ ...production, ...EXCHANGES, PARTNER_KEYS: developmentKeys })).toThrow(
      /PARTNER_KEYS: the key for care-record, council, leeds-teaching-hospitals is a development-only key/,
    );
    expect(loadConfig({ ...production, ...EXCHANGES, PARTNER_KEYS: developmentKeys, PUBLIC_URL: 'http://127.0.0.1:3100' }).partnerKeys.size).toBe(3);
  });

  it('reads the address lookup: the demo list, or OS Places with its key; production refuses the demo list unless told it is a demo', () => {
    expect(loadConfig({}).contactDetails).toMatchObject({
      addressLookup: 'demo',
      osPlaces: { baseUrl: 'https://api.os.uk', apiKey: '', timeoutMs: 3000 },
    });
    expect(
      loadConfig({ ADDRESS_LOOKUP: 'os-places', OS_PLACES_API_KEY: ' k ', OS_PLACES_BASE_URL: 'http://127.0.0.1:9/', ADDRESS_LOOKUP_TIMEOUT_MS: '500' })
        .contactDetails,
    ).toMatchObject({ addressLookup: 'os-places', osPlaces: { baseUrl: 'http://127.0.0.1:9', apiKey: 'k', timeoutMs: 500 } });
    expect(() => loadConfig({ ADDRESS_LOOKUP: 'os-places' })).toThrow(/ADDRESS_LOOKUP=os-places needs OS_PLACES_API_KEY/);
    expect(() => loadConfig({ ADDRESS_LOOKUP: 'royal-mail' })).toThrow(/ADDRESS_LOOKUP/);
    expect(() => loadConfig({ OS_PLACES_BASE_URL: 'ftp://x' })).toThrow(/OS_PLACES_BASE_URL/);

    const production = {
      NODE_ENV: 'production',
      PUBLIC_URL: 'https://record.example.org',
      DATABASE_URL: 'postgres://db/phr',
      APP_SECRET: 'x'.repeat(40),
      IDENTITY_CLIENT_KEY: PRODUCTION_KEY,
      ...AUDIT,
      ...EXCHANGES,
    };
    const { ADDRESS_LOOKUP: _lookup, OS_PLACES_API_KEY: _key, ...withoutLookup } = production;
    expect(() => loadConfig(withoutLookup)).toThrow(/ADDRESS_LOOKUP is the demo list of made-up addresses/);
    expect(() => loadConfig({ ...withoutLookup, ADDRESS_LOOKUP: 'demo' })).toThrow(/set ADDRESS_LOOKUP=os-places/);
    expect(() => loadConfig({ ...withoutLookup, ADDRESS_LOOKUP: 'os-places' })).toThrow(/needs OS_PLACES_API_KEY/);
    // The demo list only for a build served on this machine (the demo, the end-to-end tests).
    expect(() => loadConfig({ ...withoutLookup, ALLOW_DEMO_ADDRESS_LOOKUP: '1' })).toThrow(/PUBLIC_URL must be a loopback address/);
    expect(loadConfig({ ...withoutLookup, ALLOW_DEMO_ADDRESS_LOOKUP: '1', PUBLIC_URL: 'http://localhost:3100' }).contactDetails.addressLookup).toBe('demo');
    expect(loadConfig(production).contactDetails.addressLookup).toBe('os-places');
  });

  it('rejects malformed values with a readable message', () => {
    expect(() => loadConfig({ PUBLIC_URL: 'not a url' })).toThrow(/PUBLIC_URL/);
    expect(() => loadConfig({ APP_SECRET: 'short' })).toThrow(/at least 32/);
    expect(() => loadConfig({ MAINTENANCE_MODE: 'maybe' })).toThrow(/MAINTENANCE_MODE/);
  });

  it('reads the development keys the demo scripts made, and never makes one itself', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'config-dev-keys-'));
    const before = process.env.DEV_KEYS_DIR;
    process.env.DEV_KEYS_DIR = dir;
    try {
      expect(() => loadConfig({}).identity.clientKey()).toThrow(/No development key/);
      expect(fs.readdirSync(dir)).toEqual([]);
      fs.writeFileSync(path.join(dir, 'phr-client.es256.private.jwk.json'), PRODUCTION_KEY);
      expect(loadConfig({}).identity.clientKey()).toEqual({ jwk: JSON.parse(PRODUCTION_KEY) });
    } finally {
      if (before === undefined) delete process.env.DEV_KEYS_DIR;
      else process.env.DEV_KEYS_DIR = before;
    }
  });
});
