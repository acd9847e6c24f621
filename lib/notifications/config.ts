import { z } from 'zod';
import { ConfigError } from '@/lib/platform/config';
import { TEMPLATES, type Template } from './templates';

/**
 * GOV.UK Notify settings, read and checked when the worker starts (only the worker sends):
 *
 * - NOTIFY_API_KEY: a Notify API key, `<key name>-<service id>-<secret>` (both UUIDs);
 * - NOTIFY_BASE_URL: Notify's API (https://api.notifications.service.gov.uk in production);
 * - NOTIFY_TEMPLATE_<TEMPLATE>_EMAIL and _SMS: the id of each template in Notify.
 *
 * Development and tests default to the local Notify stand-in (scripts/notify/server.ts, port
 * 3800) with a made-up key and made-up template ids it knows. Production refuses to start
 * without its own key and template ids, or with a base URL on this machine, unless the service
 * itself is served only on this machine (PUBLIC_URL a loopback address: the demo and the
 * end-to-end tests, which run the production build beside the local stand-in).
 */

export const LOCAL_NOTIFY_URL = 'http://localhost:3800';
/** Made up, for the local stand-in only: its service id and secret are public in this repository. */
export const DEVELOPMENT_NOTIFY_API_KEY = 'phr_local_development-8d0e4b9a-3f1c-4d2e-9a6b-1c2d3e4f5a6b-0f9e8d7c-6b5a-4c3d-8e2f-1a0b9c8d7e6f';

/** Made-up template ids the local stand-in knows (scripts/notify/templates.ts uses the same). */
export const DEVELOPMENT_TEMPLATE_IDS: Record<Template, { email: string; sms: string }> = {
  'new-letter': { email: '0a1b2c3d-0001-4e00-8a00-000000000001', sms: '0a1b2c3d-0001-4e00-8a00-000000000002' },
  'engagement-invitation': { email: '0a1b2c3d-0002-4e00-8a00-000000000001', sms: '0a1b2c3d-0002-4e00-8a00-000000000002' },
  'change-not-delivered': { email: '0a1b2c3d-0003-4e00-8a00-000000000001', sms: '0a1b2c3d-0003-4e00-8a00-000000000002' },
  'proxy-invitation': { email: '0a1b2c3d-0004-4e00-8a00-000000000001', sms: '0a1b2c3d-0004-4e00-8a00-000000000002' },
};

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const API_KEY = /^.+-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const templateVariable = (template: Template, channel: 'email' | 'sms') =>
  `NOTIFY_TEMPLATE_${template.toUpperCase().replace(/-/g, '_')}_${channel.toUpperCase()}`;

export type NotifySettings = {
  apiKey: string;
  baseUrl: string;
  timeoutMs: number;
  templateIds: Record<Template, { email: string; sms: string }>;
};

const schema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  NOTIFY_API_KEY: z.string().regex(API_KEY, 'must be a Notify API key: <name>-<service id>-<secret>').optional(),
  NOTIFY_BASE_URL: z.url().optional(),
  PUBLIC_URL: z.url().optional(),
  NOTIFY_TIMEOUT_MS: z.coerce.number().int().positive().default(10_000),
});

function isLocal(url: string): boolean {
  return ['localhost', '127.0.0.1', '[::1]'].includes(new URL(url).hostname);
}

export function notifySettings(env: Record<string, string | undefined> = process.env): NotifySettings {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
    throw new ConfigError(`Invalid configuration:\n  ${problems.join('\n  ')}`);
  }
  const e = parsed.data;
  // A real service: production, reached at an address that is not this machine.
  const production = e.NODE_ENV === 'production' && !(e.PUBLIC_URL && isLocal(e.PUBLIC_URL));
  const templateIds = Object.fromEntries(
    TEMPLATES.map((template) => {
      const ids = { email: '', sms: '' };
      for (const channel of ['email', 'sms'] as const) {
        const name = templateVariable(template, channel);
        const value = env[name] ?? (production ? undefined : DEVELOPMENT_TEMPLATE_IDS[template][channel]);
        if (!value) throw new ConfigError(`Missing required production configuration: ${name}`);
        if (!UUID.test(value)) throw new ConfigError(`${name} must be a Notify template id (a UUID)`);
        ids[channel] = value;
      }
      return [template, ids];
    }),
  ) as NotifySettings['templateIds'];
  if (production) {
    if (!e.NOTIFY_API_KEY || e.NOTIFY_API_KEY === DEVELOPMENT_NOTIFY_API_KEY)
      throw new ConfigError('NOTIFY_API_KEY must be a real Notify API key in production');
    if (!e.NOTIFY_BASE_URL || isLocal(e.NOTIFY_BASE_URL)) throw new ConfigError('NOTIFY_BASE_URL must be GOV.UK Notify in production, not the local stand-in');
  }
  return {
    apiKey: e.NOTIFY_API_KEY ?? DEVELOPMENT_NOTIFY_API_KEY,
    baseUrl: (e.NOTIFY_BASE_URL ?? LOCAL_NOTIFY_URL).replace(/\/$/, ''),
    timeoutMs: e.NOTIFY_TIMEOUT_MS,
    templateIds,
  };
}
