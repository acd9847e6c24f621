import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config';

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
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(/PUBLIC_URL, APP_SECRET, DATABASE_URL/);
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
    });
    expect(config.secureCookies).toBe(true);
    expect(config.allowedOrigins).toEqual(['https://record.example.org']);
  });

  it('rejects malformed values with a readable message', () => {
    expect(() => loadConfig({ PUBLIC_URL: 'not a url' })).toThrow(/PUBLIC_URL/);
    expect(() => loadConfig({ APP_SECRET: 'short' })).toThrow(/at least 32/);
    expect(() => loadConfig({ MAINTENANCE_MODE: 'maybe' })).toThrow(/MAINTENANCE_MODE/);
  });
});
