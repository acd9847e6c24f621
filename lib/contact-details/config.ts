import { z } from 'zod';
import { ORGANISATION_IDS, type OrganisationId } from './organisations';

/**
 * Contact details settings, read and checked once (like lib/platform/config.ts).
 *
 * ADDRESS_RECEIVERS  where each organisation receives changes: "care-record=http://…,council=http://…"
 *                    (every organisation must have one; defaults are the demo receivers on 3500 and 3600)
 * ADDRESS_LOOKUP     demo (the built-in list of made-up Leeds addresses). A real address service
 *                    (e.g. OS Places) would be another AddressLookup in address-lookup.ts.
 * DELIVERY_TIMEOUT_MS, DELIVERY_MAX_ATTEMPTS, DELIVERY_INTERVAL_MS, DELIVERY_BACKOFF_BASE_MS,
 * DELIVERY_BACKOFF_MAX_MS    how the outbox sends (see outbox.ts).
 */

const DEFAULT_RECEIVERS = 'care-record=http://localhost:3500,council=http://localhost:3600';

const receiversSchema = z
  .string()
  .default(DEFAULT_RECEIVERS)
  .transform((value, context) => {
    const receivers: Partial<Record<OrganisationId, string>> = {};
    for (const part of value.split(',').map((item) => item.trim()).filter(Boolean)) {
      const [id = '', url = ''] = part.split(/=(.*)/s, 2);
      if (!(ORGANISATION_IDS as string[]).includes(id) || !z.url({ protocol: /^https?$/ }).safeParse(url).success) {
        context.addIssue({ code: 'custom', message: `ADDRESS_RECEIVERS: "${part}" is not organisation=http(s) URL` });
        return z.NEVER;
      }
      receivers[id as OrganisationId] = url.replace(/\/+$/, '');
    }
    for (const id of ORGANISATION_IDS) {
      if (!receivers[id]) {
        context.addIssue({ code: 'custom', message: `ADDRESS_RECEIVERS has no address for ${id}` });
        return z.NEVER;
      }
    }
    return receivers as Record<OrganisationId, string>;
  });

const schema = z.object({
  ADDRESS_RECEIVERS: receiversSchema,
  ADDRESS_LOOKUP: z.enum(['demo']).default('demo'),
  DELIVERY_TIMEOUT_MS: z.coerce.number().int().positive().default(5_000),
  DELIVERY_MAX_ATTEMPTS: z.coerce.number().int().positive().default(10),
  DELIVERY_INTERVAL_MS: z.coerce.number().int().positive().default(15_000),
  DELIVERY_BACKOFF_BASE_MS: z.coerce.number().int().positive().default(5_000),
  DELIVERY_BACKOFF_MAX_MS: z.coerce.number().int().positive().default(30 * 60_000),
});

export type ContactDetailsConfig = {
  receivers: Record<OrganisationId, string>;
  addressLookup: 'demo';
  delivery: { timeoutMs: number; maxAttempts: number; intervalMs: number; backoffBaseMs: number; backoffMaxMs: number };
};

export function loadContactDetailsConfig(env: Record<string, string | undefined> = process.env): ContactDetailsConfig {
  const parsed = schema.safeParse(env);
  if (!parsed.success) throw new Error(`Contact details configuration: ${parsed.error.issues.map((issue) => issue.message).join('; ')}`);
  const value = parsed.data;
  return {
    receivers: value.ADDRESS_RECEIVERS,
    addressLookup: value.ADDRESS_LOOKUP,
    delivery: {
      timeoutMs: value.DELIVERY_TIMEOUT_MS,
      maxAttempts: value.DELIVERY_MAX_ATTEMPTS,
      intervalMs: value.DELIVERY_INTERVAL_MS,
      backoffBaseMs: value.DELIVERY_BACKOFF_BASE_MS,
      backoffMaxMs: value.DELIVERY_BACKOFF_MAX_MS,
    },
  };
}

let loaded: ContactDetailsConfig | undefined;

export function contactDetailsConfig(): ContactDetailsConfig {
  loaded ??= loadContactDetailsConfig();
  return loaded;
}
