import type { Flag, Reference, Patient } from '@medplum/fhirtypes';
import { PHR_CODE_SYSTEM, phrIdentifier, type CareRecordEntry } from '@/lib/platform/care-record-entries';
import type { Db } from '@/lib/platform/db';
import { formatName } from './professional';
import type { CommunicationNeedsAnswers, TopThing } from './rules';
import { currentTopThree, readCommunicationNeeds } from './store';

/**
 * Top three things and communication needs as the shared care record should hold them now
 * (sent by lib/sharing/care-record-sync.ts), each one Flag per citizen at an id of ours:
 * `phr-top-three-<user id>` and `phr-communication-<user id>`, identifier systems
 * …/id/top-three-things and …/id/communication-needs with the user id.
 *
 * Why a Flag: both are what a professional should know before they meet the person, and a
 * clinician's system shows active Flags as alerts at the top of the record (the NHS
 * Reasonable Adjustment Flag is a Flag too), where an Observation would sit among results.
 * Patient.communication belongs to the record's owner, not to us. Their words go in
 * code.text, with our own code (no national code says "top three things"); status active, or
 * entered-in-error when withdrawn. No needs at all is sent as withdrawn: an alert saying
 * "nothing" is noise.
 */

const topThreeId = (userId: string) => `phr-top-three-${userId}`;
const communicationId = (userId: string) => `phr-communication-${userId}`;

function flag(id: string, kind: string, userId: string, patientId: string, display: string, text: string, since: Date, category?: string): Flag {
  const patient: Reference<Patient> = { reference: `Patient/${patientId}`, type: 'Patient' };
  return {
    resourceType: 'Flag',
    id,
    identifier: [phrIdentifier(kind, userId)],
    status: 'active',
    ...(category ? { category: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/flag-category', code: category }] }] } : {}),
    code: { coding: [{ system: PHR_CODE_SYSTEM, code: kind, display }], text },
    subject: patient,
    period: { start: since.toISOString() },
    author: patient,
  };
}

/** The Flag for these top three things (none: nothing to say). */
export function topThreeFlag(things: readonly TopThing[], savedAt: Date, userId: string, patientId: string): Flag | undefined {
  if (things.length === 0) return undefined;
  const lines = things.map((thing, index) => `${index + 1}. ${thing.title}${thing.description ? `: ${thing.description}` : ''}`);
  const text = ['Top three things to know about me (in my own words):', ...lines].join('\n');
  return flag(topThreeId(userId), 'top-three-things', userId, patientId, 'Top three things to know about me', text, savedAt);
}

export type StoredNeeds = CommunicationNeedsAnswers & { updatedAt: Date };

/** The Flag for these communication needs (none: no needs, nothing to say). */
export function communicationNeedsFlag(needs: StoredNeeds, userId: string, patientId: string): Flag | undefined {
  if (needs.formats.length === 0 && !needs.otherNeeds) return undefined;
  const lines = needs.formats.map((format) => {
    if (format === 'spoken-language-interpreter' && needs.interpreterLanguage) return `${formatName(format)}: ${needs.interpreterLanguage}`;
    if (format === 'contact-carer' && (needs.carerName || needs.carerContact)) {
      return `${formatName(format)}: ${[needs.carerName, needs.carerContact].filter(Boolean).join(', ')}`;
    }
    return formatName(format);
  });
  if (needs.otherNeeds) lines.push(`Other needs: ${needs.otherNeeds}`);
  const text = ['Communication needs (Accessible Information Standard):', ...lines].join('\n');
  return flag(communicationId(userId), 'communication-needs', userId, patientId, 'Communication needs', text, needs.updatedAt, 'contact');
}

export async function topThreeForCareRecord(db: Db, userId: string, patientId: string): Promise<CareRecordEntry[]> {
  const current = await currentTopThree(db, userId);
  const resource = current ? topThreeFlag(current.things, current.createdAt, userId, patientId) : undefined;
  return [{ resourceType: 'Flag', id: topThreeId(userId), ...(resource ? { resource } : {}) }];
}

export async function communicationNeedsForCareRecord(db: Db, userId: string, patientId: string): Promise<CareRecordEntry[]> {
  const needs = await readCommunicationNeeds(db, userId);
  const resource = needs ? communicationNeedsFlag(needs, userId, patientId) : undefined;
  return [{ resourceType: 'Flag', id: communicationId(userId), ...(resource ? { resource } : {}) }];
}
