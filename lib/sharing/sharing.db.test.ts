// Sharing, the professional view and its audit on the database under test (SQLite and PostgreSQL).
import { beforeAll, describe, expect, it } from 'vitest';
import { useDatabaseUnderTest } from '@/lib/platform/db-test-support';
import { verifyAuditChain } from '@/lib/audit/audit-log';
import type { SignedInStaff } from '@/lib/identity/staff-page';
import { getDb } from '@/lib/platform/db';
import { accessesOf, emergencyAccesses } from './access-log';
import { changeSharing, sharingChoices } from './consent';
import { findByNameAndBirthDate, findByNhsNumber } from './find-citizen';
import {
  accessTo,
  declareEmergencyAccess,
  endEmergencyAccess,
  exportReadings,
  recordDenial,
  recordSearch,
  registeredCitizen,
  viewContributions,
} from './professional-view';

const { provider } = useDatabaseUnderTest();
const run = Date.now().toString(36) + Math.random().toString(36).slice(2, 6);

const staff = (organisationCode: string, subject = `staff-${run}-${organisationCode}`): SignedInStaff => ({
  id: `session-${subject}`,
  subject,
  givenName: 'Grace',
  familyName: 'Practiceton',
  organisationCode,
  organisationName: 'Demo Lane Surgery',
  jobRole: 'General Practitioner',
  roles: 'care-professional',
  roleList: ['care-professional'],
  idToken: 'x',
  idleSeconds: 1800,
  createdAt: new Date(),
  lastSeenAt: new Date(),
  absoluteExpiresAt: new Date(Date.now() + 3_600_000),
  revokedAt: null,
});

let citizenId: string;
const nhsNumber = `99${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}`;

beforeAll(async () => {
  const db = getDb();
  const user = await db.user.create({
    data: { givenName: 'Élodie', familyName: `Sharer-${run}`, birthDate: '1961-02-03', nhsNumber, identityLevel: 'P9', registeredAt: new Date() },
  });
  citizenId = user.id;
  await db.topThingsVersion.create({
    data: { userId: citizenId, items: JSON.stringify([{ title: 'Old', description: '' }]), createdAt: new Date(Date.now() - 86_400_000) },
  });
  await db.topThingsVersion.create({
    data: { userId: citizenId, items: JSON.stringify([{ title: '<script>alert(1)</script> I care for my mum', description: 'Call after 10am' }]) },
  });
  await db.longTermCondition.create({ data: { userId: citizenId, name: 'Asthma', code: '195967001' } });
  await db.communicationNeeds.create({ data: { userId: citizenId, formats: 'large-print,spoken-language-interpreter', interpreterLanguage: 'Polish' } });
  const now = Date.now();
  for (let day = 0; day < 8; day += 1) {
    await db.bloodPressureReading.create({
      data: {
        userId: citizenId,
        measuredAt: new Date(now - day * 86_400_000 - 3_600_000),
        systolic: 130 + day,
        diastolic: 80,
        pulse: 70,
        arm: 'left',
        sitting: true,
      },
    });
  }
  await db.bloodPressureReading.create({
    data: { userId: citizenId, measuredAt: new Date(now - 7_200_000), systolic: 199, diastolic: 99, arm: 'left', sitting: true, deletedAt: new Date() },
  });
  // Someone still registering: never findable, never viewable.
  await db.user.create({ data: { givenName: 'Élodie', familyName: `Sharer-${run}`, birthDate: '1961-02-03', nhsNumber, identityLevel: 'P9' } });
});

const related = { relationship: async () => ({ outcome: 'related', via: 'gp-practice' }) as const };
const unrelated = { relationship: async () => ({ outcome: 'unrelated' }) as const };

describe(`sharing and the professional view on ${provider}`, () => {
  it('shares everything by default', async () => {
    expect(await sharingChoices(getDb(), citizenId)).toEqual({ communication: true, 'top-three': true, conditions: true, 'blood-pressure': true });
  });

  it('finds registered citizens only, by NHS number or by name and date of birth', async () => {
    const db = getDb();
    expect((await findByNhsNumber(db, nhsNumber)).map((found) => found.id)).toEqual([citizenId]);
    expect((await findByNameAndBirthDate(db, { givenName: 'elodie', familyName: `SHARER-${run}`, birthDate: '1961-02-03' })).map((found) => found.id)).toEqual([
      citizenId,
    ]);
    expect(await findByNameAndBirthDate(db, { givenName: 'Elodie', familyName: `Sharer-${run}`, birthDate: '1961-02-04' })).toEqual([]);
  });

  it('records every search for a citizen, and whom it found, without showing it to the citizen as a view', async () => {
    const db = getDb();
    const searcher = staff('Y00001', `searcher-${run}`);
    await recordSearch(db, searcher, 'nhs-number', [citizenId]);
    await recordSearch(db, searcher, 'name-and-date-of-birth', []);
    const entries = await db.auditEntry.findMany({ where: { action: 'search', actorId: searcher.subject }, orderBy: { seq: 'asc' } });
    expect(entries.map((entry) => [entry.citizenId, JSON.parse(entry.detail ?? '{}')])).toEqual([
      [citizenId, { by: 'nhs-number', results: 1, found: citizenId }],
      [null, { by: 'name-and-date-of-birth', results: 0, found: '' }],
    ]);
    const seen = await accessesOf(db, citizenId, 1);
    expect(seen.rows.map((row) => row.action)).not.toContain('search');
    expect(await verifyAuditChain(db)).toMatchObject({ ok: true });
  });

  it('shows what is shared, records one view per category, and never deleted readings', async () => {
    const db = getDb();
    const citizen = (await registeredCitizen(db, citizenId))!;
    const access = await accessTo(db, staff('ZZ0001'), citizen, related);
    expect(access).toEqual({ allowed: true, kind: 'relationship', reason: null });
    if (!access.allowed) return;
    const view = await viewContributions(db, staff('ZZ0001'), citizenId, access);
    expect(view.shown).toEqual(['communication', 'top-three', 'conditions', 'blood-pressure']);
    expect(view.contributions['top-three']!.items[0]!.title).toBe('<script>alert(1)</script> I care for my mum');
    expect(view.contributions.communication!.formats).toEqual(['Large print', 'Spoken language interpreter']);
    expect(view.contributions.conditions!.map((condition) => condition.name)).toEqual(['Asthma']);
    const bp = view.contributions['blood-pressure']!;
    expect(bp.latest).toHaveLength(8);
    expect(bp.latest.some((reading) => reading.systolic === 199)).toBe(false);
    // The deleted reading was very high and recent: it raises no warning either.
    expect(bp.veryHighRecently).toEqual([]);
    expect(bp.chart?.svg).toContain('<svg');
    const entries = await db.auditEntry.findMany({ where: { citizenId, action: 'view' }, orderBy: { seq: 'asc' } });
    expect(entries.map((entry) => entry.category)).toEqual(['communication', 'top-three', 'conditions', 'blood-pressure']);
    expect(entries[0]).toMatchObject({
      actorKind: 'staff',
      actorName: 'Grace Practiceton',
      actorOrganisation: 'Demo Lane Surgery (ZZ0001)',
      actorRole: 'General Practitioner',
    });
    // Someone who cares for the citizen needs no reason, and the citizen is told so.
    expect((await accessesOf(db, citizenId, 1)).rows[0]).toMatchObject({ action: 'view', emergency: false, reasonText: 'None needed: they care for you' });
  });

  it('reflects a consent change at once, records it, and never shows the unshared category', async () => {
    const db = getDb();
    await changeSharing(db, { userId: citizenId, givenName: 'Élodie', familyName: 'Sharer' }, 'conditions', false);
    await changeSharing(db, { userId: citizenId, givenName: 'Élodie', familyName: 'Sharer' }, 'blood-pressure', false);
    const access = { allowed: true, kind: 'relationship', reason: null } as const;
    const view = await viewContributions(db, staff('ZZ0001'), citizenId, access);
    expect(view.shown).toEqual(['communication', 'top-three']);
    expect(view.contributions.conditions).toBeUndefined();
    expect(view.contributions['blood-pressure']).toBeUndefined();
    expect(await exportReadings(db, staff('ZZ0001'), citizenId, access)).toBeNull();
    const changes = await db.auditEntry.findMany({ where: { citizenId, action: 'consent-changed' }, orderBy: { seq: 'asc' } });
    expect(changes.map((entry) => [entry.category, JSON.parse(entry.detail!).shared])).toEqual([
      ['conditions', false],
      ['blood-pressure', false],
    ]);
    await changeSharing(db, { userId: citizenId, givenName: 'Élodie', familyName: 'Sharer' }, 'blood-pressure', true);
    expect((await exportReadings(db, staff('ZZ0001'), citizenId, access))!.length).toBe(8);
    expect(await db.auditEntry.count({ where: { citizenId, action: 'export', category: 'blood-pressure' } })).toBe(1);
  });

  it('refuses a professional with no relationship until they declare emergency access, and tells the citizen', async () => {
    const db = getDb();
    const outsider = staff('ZZ0009');
    const citizen = (await registeredCitizen(db, citizenId))!;
    const refused = await accessTo(db, outsider, citizen, unrelated);
    expect(refused).toEqual({ allowed: false, relationship: 'unrelated' });
    await recordDenial(db, outsider, citizenId, 'unrelated', 'view');
    await declareEmergencyAccess(db, outsider, citizenId, 'I am giving them urgent or emergency care: collapsed in clinic', 'unrelated');
    const access = await accessTo(db, outsider, citizen, unrelated);
    expect(access).toMatchObject({ allowed: true, kind: 'emergency', reason: 'I am giving them urgent or emergency care: collapsed in clinic' });
    // Another professional from the same place still has no access.
    expect((await accessTo(db, staff('ZZ0009', `other-${run}`), citizen, unrelated)).allowed).toBe(false);
    if (access.allowed) await viewContributions(db, outsider, citizenId, access);

    const seen = await accessesOf(db, citizenId, 1);
    // A look under emergency access carries the reason given for it, never "they care for you".
    expect(seen.rows[0]).toMatchObject({ action: 'view', emergency: true, reasonText: 'I am giving them urgent or emergency care: collapsed in clinic' });
    expect(seen.rows.find((row) => row.action === 'emergency-access')).toMatchObject({
      emergency: true,
      reasonText: 'I am giving them urgent or emergency care: collapsed in clinic',
    });
    // Refusals and consent changes are not views.
    expect(seen.rows.some((row) => row.action === 'denied' || row.action === 'consent-changed')).toBe(false);
    const report = await emergencyAccesses(db, 1);
    expect(report.rows.find((row) => row.citizen.includes(`Sharer-${run}`))).toMatchObject({
      reason: 'I am giving them urgent or emergency care: collapsed in clinic',
      relationship: 'No care relationship in the care record',
    });
  });

  it('ends emergency access when the professional ends it early, and tells the citizen', async () => {
    const db = getDb();
    const outsider = staff('ZZ0008', `ender-${run}`);
    const citizen = (await registeredCitizen(db, citizenId))!;
    await declareEmergencyAccess(db, outsider, citizenId, 'I am giving them urgent or emergency care: fell at home', 'unrelated');
    expect((await accessTo(db, outsider, citizen, unrelated)).allowed).toBe(true);
    await endEmergencyAccess(db, outsider, citizenId);
    expect(await accessTo(db, outsider, citizen, unrelated)).toEqual({ allowed: false, relationship: 'unrelated' });
    expect((await accessesOf(db, citizenId, 1)).rows[0]).toMatchObject({
      action: 'emergency-access-ended',
      what: 'Ended their emergency access',
      emergency: true,
      reasonText: 'None needed to end emergency access',
    });
    // Declaring it again starts a new 60 minutes.
    await declareEmergencyAccess(db, outsider, citizenId, 'I am giving them urgent or emergency care: fell again', 'unrelated');
    expect(await accessTo(db, outsider, citizen, unrelated)).toMatchObject({ allowed: true, reason: 'I am giving them urgent or emergency care: fell again' });
  });

  it('leaves the audit chain whole', async () => {
    expect((await verifyAuditChain(getDb())).ok).toBe(true);
  });

  it('an unregistered account is not a citizen a professional can open', async () => {
    const db = getDb();
    const pending = await db.user.findFirstOrThrow({ where: { familyName: `Sharer-${run}`, registeredAt: null } });
    expect(await registeredCitizen(db, pending.id)).toBeNull();
    expect(await registeredCitizen(db, "x' OR 1=1")).toBeNull();
  });
});
