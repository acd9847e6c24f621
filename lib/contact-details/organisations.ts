/**
 * The organisations that hold a citizen's record and write to them. A change made here is sent
 * to each of them (lib/contact-details/outbox.ts); each can be asked to send fewer letters.
 * Where each one receives changes is configuration (config.ts).
 */
export const ORGANISATIONS = [
  { id: 'care-record', name: 'Your GP practice and the Leeds Care Record', shortName: 'GP practice and care record' },
  { id: 'council', name: 'Leeds City Council', shortName: 'the council' },
] as const;

export type Organisation = (typeof ORGANISATIONS)[number];
export type OrganisationId = Organisation['id'];

export const ORGANISATION_IDS = ORGANISATIONS.map((organisation) => organisation.id) as [OrganisationId, ...OrganisationId[]];

export function isOrganisationId(value: string): value is OrganisationId {
  return (ORGANISATION_IDS as string[]).includes(value);
}

export function organisationName(id: string): string {
  return ORGANISATIONS.find((organisation) => organisation.id === id)?.name ?? id;
}
