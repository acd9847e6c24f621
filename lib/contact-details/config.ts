import { config, ConfigError, type Config } from '@/lib/platform/config';
import { ORGANISATION_IDS, type OrganisationId } from './organisations';

/**
 * Contact details settings: read and checked with the rest of the configuration
 * (lib/platform/config.ts: ADDRESS_RECEIVERS, PARTNER_KEYS, ADDRESS_LOOKUP, OS_PLACES_*,
 * DELIVERY_*). Here only what needs to know the organisations: every one of them must have
 * somewhere to receive changes and a key to sign them with, and no other may. Checked at
 * start-up (instrumentation.ts), like the rest.
 */

export type ContactDetailsConfig = Omit<Config['contactDetails'], 'receivers'> & {
  receivers: Record<OrganisationId, string>;
  /** The key each organisation's changes are signed with (PARTNER_KEYS, lib/platform/signed-requests.ts). */
  keys: Record<OrganisationId, string>;
};

export function contactDetailsSettings(settings: Config): ContactDetailsConfig {
  const { receivers } = settings.contactDetails;
  const unknown = Object.keys(receivers).filter((name) => !(ORGANISATION_IDS as string[]).includes(name));
  if (unknown.length > 0) throw new ConfigError(`ADDRESS_RECEIVERS: no organisation called ${unknown.join(', ')}`);
  const missing = ORGANISATION_IDS.filter((id) => !receivers[id]);
  if (missing.length > 0) throw new ConfigError(`ADDRESS_RECEIVERS has no address for ${missing.join(', ')}`);
  const withoutKey = ORGANISATION_IDS.filter((id) => !settings.partnerKeys.get(id));
  if (withoutKey.length > 0) throw new ConfigError(`PARTNER_KEYS has no key for ${withoutKey.join(', ')}`);
  const keys = Object.fromEntries(ORGANISATION_IDS.map((id) => [id, settings.partnerKeys.get(id) as string])) as Record<OrganisationId, string>;
  return { ...settings.contactDetails, receivers: receivers as Record<OrganisationId, string>, keys };
}

/** This process's contact details settings. */
export function contactDetailsConfig(): ContactDetailsConfig {
  return contactDetailsSettings(config());
}
