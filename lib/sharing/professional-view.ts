import { randomUUID } from 'node:crypto';
import { appendAuditEntry, auditedTransaction, recordAudit, staffActor } from '@/lib/audit/public';
import type { Db } from '@/lib/platform/db';
import type { SignedInStaff } from '@/lib/identity/public';
import { CATEGORIES, type Category } from './categories';
import { sharingChoices } from './consent';
import { readingsForExport, type BloodPressureReading } from '@/lib/blood-pressure/public';
import { readContributions, type Contributions } from './contributions';
import { careRelationship, type CitizenDetails, type Relationship } from './relationship';

/**
 * The professional's view of a citizen: who may see it (a relationship from the care record,
 * or emergency access they have declared), and the view itself, read in the same transaction
 * as the audit entries that record it.
 */

/** Emergency access, once declared, lasts this long for that professional and that citizen. */
export const EMERGENCY_ACCESS_MINUTES = 60;

export type RegisteredCitizen = CitizenDetails;

/** A registered citizen by id; null for anyone else (not found, or not yet registered). */
export async function registeredCitizen(db: Db, id: string): Promise<RegisteredCitizen | null> {
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(id)) return null;
  const user = await db.user.findUnique({
    where: { id },
    select: { id: true, givenName: true, familyName: true, birthDate: true, nhsNumber: true, verifiedPostcode: true, registeredAt: true },
  });
  if (!user?.registeredAt) return null;
  return {
    id: user.id,
    givenName: user.givenName,
    familyName: user.familyName,
    birthDate: user.birthDate,
    nhsNumber: user.nhsNumber,
    verifiedPostcode: user.verifiedPostcode,
  };
}

export type Access =
  | { allowed: true; kind: 'relationship'; reason: null }
  | { allowed: true; kind: 'emergency'; reason: string; until: Date }
  | { allowed: false; relationship: Exclude<Relationship['outcome'], 'related'> };

/** The emergency access this professional declared for this citizen that is still running, if any. */
export async function currentEmergencyAccess(
  db: Db,
  staff: SignedInStaff,
  citizenId: string,
  now = new Date(),
): Promise<{ reason: string; until: Date } | null> {
  const since = new Date(now.getTime() - EMERGENCY_ACCESS_MINUTES * 60_000);
  // The newest declaration or ending in the window: access runs only when it is a declaration.
  const entry = await db.auditEntry.findFirst({
    where: { action: { in: ['emergency-access', 'emergency-access-ended'] }, citizenId, actorKind: 'staff', actorId: staff.subject, at: { gte: since } },
    orderBy: { seq: 'desc' },
  });
  return entry?.action === 'emergency-access' ? { reason: entry.reason ?? '', until: new Date(entry.at.getTime() + EMERGENCY_ACCESS_MINUTES * 60_000) } : null;
}

type Dependencies = { relationship: (db: Db, citizen: RegisteredCitizen, organisationCode: string) => Promise<Relationship> };
const defaults: Dependencies = { relationship: (db, citizen, code) => careRelationship(db, citizen, code) };

export async function accessTo(db: Db, staff: SignedInStaff, citizen: RegisteredCitizen, deps: Dependencies = defaults, now = new Date()): Promise<Access> {
  const relationship = await deps.relationship(db, citizen, staff.organisationCode);
  if (relationship.outcome === 'related') return { allowed: true, kind: 'relationship', reason: null };
  const emergency = await currentEmergencyAccess(db, staff, citizen.id, now);
  if (emergency) return { allowed: true, kind: 'emergency', ...emergency };
  return { allowed: false, relationship: relationship.outcome };
}

/** A refusal is recorded too (who tried, and why they were refused). */
export function recordDenial(db: Db, staff: SignedInStaff, citizenId: string, relationship: string, what: string): Promise<number> {
  return recordAudit(db, { ...staffActor(staff), citizenId, action: 'denied', category: 'all', detail: { relationship, what } });
}

/**
 * Every search for a citizen is recorded (who searched, how, and whom it found), so the council
 * can check searches were for people in care. Not shown to citizens: a search is not a view of
 * their information. The entry names the citizen when exactly one was found.
 */
export function recordSearch(db: Db, staff: SignedInStaff, by: 'nhs-number' | 'name-and-date-of-birth', foundIds: string[]): Promise<number> {
  return recordAudit(db, {
    ...staffActor(staff),
    citizenId: foundIds.length === 1 ? foundIds[0]! : null,
    action: 'search',
    detail: { by, results: foundIds.length, found: foundIds.join(' ') },
  });
}

export function declareEmergencyAccess(db: Db, staff: SignedInStaff, citizenId: string, reason: string, relationship: string): Promise<number> {
  return recordAudit(db, { ...staffActor(staff), citizenId, action: 'emergency-access', category: 'all', reason, detail: { relationship } });
}

/** A professional who is done ends their emergency access before its 60 minutes are up. */
export function endEmergencyAccess(db: Db, staff: SignedInStaff, citizenId: string): Promise<number> {
  return recordAudit(db, { ...staffActor(staff), citizenId, action: 'emergency-access-ended', category: 'all' });
}

export type ProfessionalView = { shown: Category[]; contributions: Contributions };

/**
 * Reads what the citizen shares and records the view, one entry per category shown, in one
 * transaction: if the audit entries cannot be written, this throws and nothing is shown.
 */
export async function viewContributions(
  db: Db,
  staff: SignedInStaff,
  citizenId: string,
  access: Extract<Access, { allowed: true }>,
  now = new Date(),
): Promise<ProfessionalView> {
  return auditedTransaction(db, async (tx) => {
    const choices = await sharingChoices(tx, citizenId);
    const shown = CATEGORIES.filter((category) => choices[category]);
    const contributions = await readContributions(tx, citizenId, shown, now);
    const visit = randomUUID();
    const entries = shown.length ? shown : ['none'];
    for (const category of entries) {
      await appendAuditEntry(
        tx,
        { ...staffActor(staff), citizenId, action: 'view', category, reason: access.reason, detail: { access: access.kind, visit } },
        now,
      );
    }
    return { shown, contributions };
  });
}

/** The blood pressure readings as a download, when shared; recorded as an export in the same transaction. Null when not shared. */
export async function exportReadings(
  db: Db,
  staff: SignedInStaff,
  citizenId: string,
  access: Extract<Access, { allowed: true }>,
): Promise<BloodPressureReading[] | null> {
  return auditedTransaction(db, async (tx) => {
    const choices = await sharingChoices(tx, citizenId);
    if (!choices['blood-pressure']) return null;
    const readings = await readingsForExport(tx, citizenId);
    await appendAuditEntry(tx, {
      ...staffActor(staff),
      citizenId,
      action: 'export',
      category: 'blood-pressure',
      reason: access.reason,
      detail: { access: access.kind, format: 'csv', readings: readings.length },
    });
    return readings;
  });
}
