import { config, ConfigError, type Config } from '@/lib/platform/config';
import { ORGANISATION_IDS, type OrganisationId } from './organisations';

/**
 * Contact details settings: read and checked with the rest of the configuration
 * (lib/platform/config.ts: ADDRESS_RECEIVERS, ADDRESS_LOOKUP, DELIVERY_*). Here only what
 * needs to know the organisations: every one of them must have somewhere to receive changes,
 * and no other may. Checked at start-up (instrumentation.ts), like the rest.
 *
 * A real address service (e.g. OS Places) would be another ADDRESS_LOOKUP and AddressLookup
 * in address-lookup.ts.
 */

export type ContactDetailsConfig = Omit<Config['contactDetails'], 'receivers'> & { receivers: Record<OrganisationId, string> };

export function contactDetailsSettings(settings: Config): ContactDetailsConfig {
  const { receivers } = settings.contactDetails;
  const unknown = Object.keys(receivers).filter((name) => !(ORGANISATION_IDS as string[]).includes(name));
  if (unknown.length > 0) throw new ConfigError(`ADDRESS_RECEIVERS: no organisation called ${unknown.join(', ')}`);
  const missing = ORGANISATION_IDS.filter((id) => !receivers[id]);
  if (missing.length > 0) throw new ConfigError(`ADDRESS_RECEIVERS has no address for ${missing.join(', ')}`);
  return { ...settings.contactDetails, receivers: receivers as Record<OrganisationId, string> };
}

/** This process's contact details settings. */
export function contactDetailsConfig(): ContactDetailsConfig {
  return contactDetailsSettings(config());
}
