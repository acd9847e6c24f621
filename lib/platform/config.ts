import { z } from 'zod';

/**
 * All configuration is read and checked here, once, at start-up.
 * In production a missing secret or address stops the service from starting,
 * rather than letting it run half-configured.
 */

const DEVELOPMENT_SECRET = 'development-only-secret-do-not-use-in-production';

const booleanFromEnv = z
  .enum(['true', 'false', '1', '0', ''])
  .optional()
  .transform((value) => value === 'true' || value === '1');

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
  PARTNER_NAMES: z.string().min(1).default('Leeds Teaching Hospitals NHS Trust, Leeds Community Healthcare NHS Trust, Leeds and York Partnership NHS Foundation Trust and GP practices in Leeds'),
  CITY_NAME: z.string().min(1).default('Leeds'),
  CONTACT_PHONE: z.string().min(1).default('0113 222 4444'),
  CONTACT_HOURS: z.string().min(1).default('Monday to Friday, 9am to 5pm (except bank holidays)'),
  CONTACT_EMAIL: z.email().default('health.record@leeds.gov.uk'),
  DATA_PROTECTION_EMAIL: z.email().default('dpo@leeds.gov.uk'),
});

export type Config = {
  environment: 'development' | 'production' | 'test';
  isProduction: boolean;
  publicUrl: string;
  /** Origins allowed to POST forms to us: our own public address only. */
  allowedOrigins: string[];
  appSecret: string;
  databaseUrl: string;
  maintenanceMode: boolean;
  logLevel: 'debug' | 'info' | 'warn' | 'error' | 'silent';
  secureCookies: boolean;
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
    const missing = (['PUBLIC_URL', 'APP_SECRET', 'DATABASE_URL'] as const).filter((name) => !e[name]);
    if (missing.length > 0) {
      throw new ConfigError(`Missing required production configuration: ${missing.join(', ')}`);
    }
    if (e.APP_SECRET === DEVELOPMENT_SECRET) {
      throw new ConfigError('APP_SECRET is the development secret: set a real one in production');
    }
  }

  const publicUrl = (e.PUBLIC_URL ?? 'http://localhost:3000').replace(/\/$/, '');
  const origin = new URL(publicUrl).origin;

  return {
    environment: e.NODE_ENV,
    isProduction,
    publicUrl,
    allowedOrigins: [origin],
    appSecret: e.APP_SECRET ?? DEVELOPMENT_SECRET,
    databaseUrl: e.DATABASE_URL ?? 'file:./data/phr.db',
    maintenanceMode: e.MAINTENANCE_MODE,
    logLevel: e.LOG_LEVEL,
    // Secure cookies need HTTPS: on in production, and wherever the public address is https.
    secureCookies: isProduction || publicUrl.startsWith('https://'),
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
