import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config';

const PRODUCTION_KEY = JSON.stringify({ kty: 'EC', crv: 'P-256', x: 'x', y: 'y', d: 'd', kid: 'k1' });
const AUDIT = { AUDIT_HMAC_KEY: 'a'.repeat(40), AUDIT_ANCHOR_FILE: '/var/lib/phr/audit-anchors.jsonl' };

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
    };
    expect(() => loadConfig({ ...production, AUDIT_ANCHOR_FILE: '/var/lib/phr/a.jsonl' })).toThrow(
      /Missing required production configuration: AUDIT_HMAC_KEY$/,
    );
    expect(() => loadConfig({ ...production, AUDIT_HMAC_KEY: 'a'.repeat(40) })).toThrow(/Missing required production configuration: AUDIT_ANCHOR_FILE$/);
    expect(() => loadConfig({ ...production, ...AUDIT, AUDIT_HMAC_KEY: 'development-only-audit-key-do-not-use-in-production' })).toThrow(/a key of its own/);
    expect(() => loadConfig({ ...production, ...AUDIT, AUDIT_HMAC_KEY: 'x'.repeat(40) })).toThrow(/not APP_SECRET/);
    expect(loadConfig({ ...production, ...AUDIT }).audit.key).toEqual({ id: 'k1', secret: 'a'.repeat(40) });
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
