import type { Patient } from '@medplum/fhirtypes';
import { config } from '@/lib/platform/config';
import type { Db } from '@/lib/platform/db';
import { log } from '@/lib/platform/log';
import { CareRecordUnavailable, careRecordClient, type CareRecordClient } from './client';
import { findCitizensRecord, stillMatches, type VerifiedPerson } from './linking';
import { queueEverythingShared } from './contributions-outbox';
import { findLink, saveLink, type LinkMethod, type LinkOutcome, type StoredLink } from './link-store';

/**
 * Which record in the shared care record is the citizen's, decided on their first visit to
 * the care-record pages and kept. Only what the identity provider verified is used: the NHS
 * number from NHS login, or the name, birth date and address postcode One Login verified.
 * Nothing the citizen types ever links a record.
 *
 * A kept match is checked on every use against the care record's Patient (still current, at
 * the version we matched, still agreeing with the verified details), and looked for again when
 * older than the configured time (CARE_RECORD_LINK_RECHECK_HOURS). "No match" and "several
 * matches" are looked at again after a day (records change: a new registration, a merged
 * duplicate), and the citizen may ask us to look again sooner, a few times a day.
 */

/** A kept "no match" or "several matches" is looked at again on a visit after this long. */
export const RECHECK_AFTER_MS = 24 * 60 * 60 * 1000;
/** Looks the citizen asks for ("check again") within one day. */
export const CHECKS_PER_DAY = 5;
const CHECK_WINDOW_MS = 24 * 60 * 60 * 1000;

/** Who the citizen is, as the identity provider verified it (our User row). */
export interface CitizenIdentity {
  userId: string;
  givenName: string;
  familyName: string;
  birthDate: string;
  nhsNumber: string | null;
  /** The postcode of the current address One Login verified; null from NHS login. */
  verifiedPostcode: string | null;
}

export type CitizenLinkState =
  | { state: 'linked'; patientId: string }
  | { state: 'no-match'; method: LinkMethod }
  | { state: 'several-matches'; method: LinkMethod }
  /** The care record did not answer: nothing new was kept, so the next visit looks again. */
  | { state: 'unavailable' }
  | { state: 'too-many-checks' };

export interface LinkingOptions {
  client?: CareRecordClient;
  now?: Date;
  /** How long a match is kept before it is looked for again; default CARE_RECORD_LINK_RECHECK_HOURS. */
  matchRecheckMs?: number;
}

type Resolved = { client: CareRecordClient; now: Date; matchRecheckMs: number };

function resolved(options: LinkingOptions): Resolved {
  return {
    client: options.client ?? careRecordClient(),
    now: options.now ?? new Date(),
    matchRecheckMs: options.matchRecheckMs ?? config().careRecord.linkRecheckMs,
  };
}

function methodOf(citizen: CitizenIdentity): LinkMethod {
  return citizen.nhsNumber ? 'nhs-number' : 'demographics';
}

function verifiedPerson(citizen: CitizenIdentity): VerifiedPerson {
  return {
    nhsNumber: citizen.nhsNumber ?? undefined,
    givenName: citizen.givenName,
    familyName: citizen.familyName,
    birthDate: citizen.birthDate,
    postcode: citizen.nhsNumber ? undefined : (citizen.verifiedPostcode ?? undefined),
  };
}

/**
 * On a visit (and when a professional's relationship is checked): the kept match while it
 * still holds, what we last found while it is fresh, or a look with the verified details.
 */
export async function citizensLink(db: Db, citizen: CitizenIdentity, options: LinkingOptions = {}): Promise<CitizenLinkState> {
  const settings = resolved(options);
  const stored = await findLink(db, citizen.userId);
  if (stored?.outcome === 'matched') {
    const kept = await keptMatch(citizen, stored, settings);
    if (kept) return kept;
  } else if (stored && stored.method === methodOf(citizen) && settings.now.getTime() - stored.checkedAt.getTime() < RECHECK_AFTER_MS) {
    return keptState(stored);
  }
  return look(db, citizen, stored, settings, false);
}

/**
 * For the section pages, which never look for a record themselves: the kept match when it still
 * holds; null when there is none (the summary page finds it, or says why not).
 */
export async function confirmedLink(
  db: Db,
  citizen: CitizenIdentity,
  options: LinkingOptions = {},
): Promise<{ state: 'linked'; patientId: string } | { state: 'unavailable' } | null> {
  const stored = await findLink(db, citizen.userId);
  if (stored?.outcome !== 'matched') return null;
  return keptMatch(citizen, stored, resolved(options));
}

/** The citizen asked us to look again ("check again"): with their verified details only, a few times a day. */
export async function lookAgain(db: Db, citizen: CitizenIdentity, options: LinkingOptions = {}): Promise<CitizenLinkState> {
  const settings = resolved(options);
  const stored = await findLink(db, citizen.userId);
  if (stored?.outcome === 'matched') return citizensLink(db, citizen, options);
  if (checksInWindow(stored, settings.now) >= CHECKS_PER_DAY) return { state: 'too-many-checks' };
  return look(db, citizen, stored, settings, true);
}

/**
 * A kept match, when it still holds: younger than the configured time, and the Patient still
 * current, at the same version, and agreeing with the verified details. Null: look again.
 */
async function keptMatch(
  citizen: CitizenIdentity,
  stored: StoredLink,
  settings: Resolved,
): Promise<{ state: 'linked'; patientId: string } | { state: 'unavailable' } | null> {
  if (!stored.patientId || stored.method !== methodOf(citizen)) return null;
  if (settings.now.getTime() - stored.checkedAt.getTime() >= settings.matchRecheckMs) {
    log.info('care-record.link-recheck', { reason: 'due' });
    return null;
  }
  let patient: Patient | undefined;
  try {
    patient = await settings.client.read<Patient>('Patient', stored.patientId);
  } catch (error) {
    if (error instanceof CareRecordUnavailable) return { state: 'unavailable' };
    throw error;
  }
  if (!patient || !stillMatches(verifiedPerson(citizen), patient, stored.patientVersion)) {
    log.info('care-record.link-recheck', { reason: 'record-changed' });
    return null;
  }
  return { state: 'linked', patientId: stored.patientId };
}

async function look(db: Db, citizen: CitizenIdentity, stored: StoredLink | null, settings: Resolved, counted: boolean): Promise<CitizenLinkState> {
  const { now } = settings;
  const method = methodOf(citizen);
  const found = await findCitizensRecord(verifiedPerson(citizen), settings.client);
  if (found.outcome === 'unavailable') return { state: 'unavailable' };

  const windowOpen = windowIsOpen(stored, now);
  const recentChecks = (windowOpen ? stored!.recentChecks : 0) + (counted ? 1 : 0);
  const windowStartedAt = windowOpen ? stored!.windowStartedAt : counted ? now : null;
  const outcome: LinkOutcome = found.outcome === 'linked' ? 'matched' : found.outcome === 'noMatch' ? 'no-match' : 'several-matches';
  const newlyLinked = found.outcome === 'linked' && !(stored?.outcome === 'matched' && stored.patientId === found.patientId);
  await db.$transaction(async (tx) => {
    await saveLink(tx, citizen.userId, {
      outcome,
      patientId: found.outcome === 'linked' ? found.patientId : undefined,
      patientVersion: found.outcome === 'linked' ? found.version : undefined,
      method,
      checkedAt: now,
      recentChecks,
      windowStartedAt,
    });
    // Matched to a record (or to another one): what they already added and share is sent to it.
    if (newlyLinked) await queueEverythingShared(tx, citizen.userId, now);
  });
  if (found.outcome === 'linked') return { state: 'linked', patientId: found.patientId };
  return { state: outcome === 'no-match' ? 'no-match' : 'several-matches', method };
}

function keptState(stored: StoredLink): CitizenLinkState {
  return { state: stored.outcome === 'several-matches' ? 'several-matches' : 'no-match', method: stored.method };
}

function windowIsOpen(stored: StoredLink | null, now: Date): boolean {
  return !!stored?.windowStartedAt && now.getTime() - stored.windowStartedAt.getTime() < CHECK_WINDOW_MS;
}

function checksInWindow(stored: StoredLink | null, now: Date): number {
  return windowIsOpen(stored, now) ? stored!.recentChecks : 0;
}
