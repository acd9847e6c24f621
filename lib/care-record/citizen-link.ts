import type { Db } from '@/lib/platform/db';
import { findCitizensRecord, type RecordLink, type VerifiedPerson } from './linking';
import { findLink, saveLink, type LinkMethod, type LinkOutcome, type StoredLink } from './link-store';

/**
 * Which record in the shared care record is the citizen's, decided on their first visit to
 * the care-record pages and kept. A match is kept; "no match" and "several matches" are
 * looked at again after a day (records change: a new registration, a merged duplicate), and
 * the citizen may ask us to look again sooner, a few times a day.
 */

/** A kept "no match" or "several matches" is looked at again on a visit after this long. */
export const RECHECK_AFTER_MS = 24 * 60 * 60 * 1000;
/** Looks the citizen asks for (a postcode, "check again") within one day. */
export const CHECKS_PER_DAY = 5;
const CHECK_WINDOW_MS = 24 * 60 * 60 * 1000;

/** Who the citizen is, as the identity provider verified it (our User row). */
export interface CitizenIdentity {
  userId: string;
  givenName: string;
  familyName: string;
  birthDate: string;
  nhsNumber: string | null;
}

export type CitizenLinkState =
  | { state: 'linked'; patientId: string }
  | { state: 'no-match'; method: LinkMethod }
  | { state: 'several-matches'; method: LinkMethod }
  /** No NHS number from their identity provider: we need their postcode to look. */
  | { state: 'needs-postcode' }
  /** The care record did not answer: nothing was kept, so the next visit looks again. */
  | { state: 'unavailable' }
  | { state: 'too-many-checks' };

export interface LinkingOptions {
  find?: (person: VerifiedPerson) => Promise<RecordLink>;
  now?: Date;
}

/** On a visit: what we already know, or a look by NHS number when there is nothing fresh to go on. */
export async function citizensLink(db: Db, citizen: CitizenIdentity, options: LinkingOptions = {}): Promise<CitizenLinkState> {
  const now = options.now ?? new Date();
  const stored = await findLink(db, citizen.userId);
  if (stored?.outcome === 'matched' && stored.patientId) return { state: 'linked', patientId: stored.patientId };
  if (stored && now.getTime() - stored.checkedAt.getTime() < RECHECK_AFTER_MS) return keptState(stored);
  if (!citizen.nhsNumber) return { state: 'needs-postcode' };
  return look(db, citizen, undefined, stored, { now, find: options.find, counted: false });
}

/** The citizen asked us to look (again): with the postcode they gave when they have no NHS number. */
export async function lookAgain(db: Db, citizen: CitizenIdentity, postcode: string | undefined, options: LinkingOptions = {}): Promise<CitizenLinkState> {
  const now = options.now ?? new Date();
  const stored = await findLink(db, citizen.userId);
  if (stored?.outcome === 'matched' && stored.patientId) return { state: 'linked', patientId: stored.patientId };
  if (checksInWindow(stored, now) >= CHECKS_PER_DAY) return { state: 'too-many-checks' };
  return look(db, citizen, postcode, stored, { now, find: options.find, counted: true });
}

async function look(
  db: Db,
  citizen: CitizenIdentity,
  postcode: string | undefined,
  stored: StoredLink | null,
  options: { now: Date; find?: LinkingOptions['find']; counted: boolean },
): Promise<CitizenLinkState> {
  const { now } = options;
  const find = options.find ?? ((person: VerifiedPerson) => findCitizensRecord(person));
  const method: LinkMethod = citizen.nhsNumber ? 'nhs-number' : 'demographics';
  const found = await find({
    nhsNumber: citizen.nhsNumber ?? undefined,
    givenName: citizen.givenName,
    familyName: citizen.familyName,
    birthDate: citizen.birthDate,
    postcode,
  });
  if (found.outcome === 'unavailable') return { state: 'unavailable' };

  const windowOpen = windowIsOpen(stored, now);
  const recentChecks = (windowOpen ? stored!.recentChecks : 0) + (options.counted ? 1 : 0);
  const windowStartedAt = windowOpen ? stored!.windowStartedAt : options.counted ? now : null;
  const outcome: LinkOutcome = found.outcome === 'linked' ? 'matched' : found.outcome === 'noMatch' ? 'no-match' : 'several-matches';
  await saveLink(db, citizen.userId, {
    outcome,
    patientId: found.outcome === 'linked' ? found.patientId : undefined,
    method,
    checkedAt: now,
    recentChecks,
    windowStartedAt,
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
