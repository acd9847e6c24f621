import type { Flag, Identifier, Observation } from '@medplum/fhirtypes';

/**
 * What citizens add, as resources in the shared care record: the shapes every capability that
 * builds them shares (lib/blood-pressure, lib/about-me) and the sender uses (lib/sharing).
 */

/**
 * Our own identifier systems: `${PHR_IDENTIFIER_BASE}/<kind>|<our id>`. They name the service,
 * not a server, so they never change when the service moves.
 */
export const PHR_IDENTIFIER_BASE = 'https://phr.example/id';

/** Our code system for what citizens add that has no national code (top three things, communication needs). */
export const PHR_CODE_SYSTEM = 'https://phr.example/CodeSystem/citizen-contribution';

export function phrIdentifier(kind: string, localId: string): Identifier {
  return { system: `${PHR_IDENTIFIER_BASE}/${kind}`, value: localId };
}

/**
 * One resource the care record should hold for an item, at the id we chose: `resource` is
 * what it should be now; without it, whatever was sent before is withdrawn (entered-in-error).
 */
export type CareRecordEntry = { resourceType: 'Observation'; id: string; resource?: Observation } | { resourceType: 'Flag'; id: string; resource?: Flag };
