import type { CareTeam, Patient, Reference } from '@medplum/fhirtypes';
import { CareRecordUnavailable, careRecordClient, citizensLink, type CareRecordClient } from '@/lib/care-record/public';
import type { Db } from '@/lib/platform/db';

/**
 * Whether a professional has a legitimate relationship with a citizen: their organisation is
 * the citizen's GP practice, or is part of the citizen's care team, in the shared care record.
 * The citizen's record is the one their account is linked to (found with what their identity
 * provider verified, and checked again as the citizen's own pages check it), never a search on
 * details someone typed. Never a guess: no record, or no answer from the care record, is not a
 * relationship.
 */

const ODS_SYSTEM = 'https://fhir.nhs.uk/Id/ods-organization-code';

export type Relationship =
  | { outcome: 'related'; via: 'gp-practice' | 'care-team' }
  | { outcome: 'unrelated' }
  /** The care record holds no record we can link to this citizen. */
  | { outcome: 'no-record' }
  /** The care record did not answer: we cannot tell. */
  | { outcome: 'unavailable' };

/** A registered citizen, as their identity provider verified them (our User row). */
export type CitizenDetails = {
  id: string;
  nhsNumber: string | null;
  givenName: string;
  familyName: string;
  birthDate: string;
  verifiedPostcode: string | null;
};

function odsCode(reference: Reference | undefined): string | undefined {
  const identifier = reference?.identifier;
  return identifier?.system === ODS_SYSTEM ? identifier.value : undefined;
}

export async function careRelationship(
  db: Db,
  citizen: CitizenDetails,
  organisationCode: string,
  options: { client?: CareRecordClient; now?: Date } = {},
): Promise<Relationship> {
  const client = options.client ?? careRecordClient();
  const link = await citizensLink(
    db,
    {
      userId: citizen.id,
      givenName: citizen.givenName,
      familyName: citizen.familyName,
      birthDate: citizen.birthDate,
      nhsNumber: citizen.nhsNumber,
      verifiedPostcode: citizen.verifiedPostcode,
    },
    { client, now: options.now },
  );
  if (link.state === 'unavailable') return { outcome: 'unavailable' };
  if (link.state !== 'linked') return { outcome: 'no-record' };
  try {
    const patient = await client.read<Patient>('Patient', link.patientId);
    if (!patient) return { outcome: 'no-record' };
    if ((patient.generalPractitioner ?? []).some((practice) => odsCode(practice) === organisationCode)) return { outcome: 'related', via: 'gp-practice' };
    const teams = await client.search<CareTeam>('CareTeam', { patient: link.patientId });
    const inTeam = teams
      .filter((team) => team.status === 'active' || team.status === 'proposed' || team.status === undefined)
      .some((team) =>
        [...(team.managingOrganization ?? []), ...(team.participant ?? []).flatMap((member) => [member.onBehalfOf, member.member])].some(
          (organisation) => odsCode(organisation) === organisationCode,
        ),
      );
    return inTeam ? { outcome: 'related', via: 'care-team' } : { outcome: 'unrelated' };
  } catch (error) {
    if (error instanceof CareRecordUnavailable) return { outcome: 'unavailable' };
    throw error;
  }
}
