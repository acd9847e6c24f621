// Linking citizens to their care record, kept on the database under test, against the demo
// care record (scripts/care-record): only with what the identity provider verified; exact
// match, no match, several matches; the rules for looking again; and a kept match checked
// against the record (its age, its version, merged or made inactive).
import type { Patient, Resource } from '@medplum/fhirtypes';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { makeCitizen, useDatabaseUnderTest } from '@/lib/platform/db-test-support';
import { getDb } from '@/lib/platform/db';
import { CHECKS_PER_DAY, RECHECK_AFTER_MS, citizensLink, confirmedLink, lookAgain, type CitizenIdentity, type LinkingOptions } from './citizen-link';
import { CareRecordClient } from './client';
import { findLink } from './link-store';
import { samePersonInCareRecord } from './linking';
import { startTestCareRecord, type TestCareRecord } from './test-support';

const { provider } = useDatabaseUnderTest();
let careRecord: TestCareRecord;

/** The app's client, counting the searches it makes. */
class CountingClient extends CareRecordClient {
  searches = 0;
  override search<T extends Resource>(type: T['resourceType'], params: Record<string, string>): Promise<T[]> {
    this.searches += 1;
    return super.search<T>(type, params);
  }
}
let client: CountingClient;

const patientIdOf = (key: string) => careRecord.server.dataset.demoPatients.find((patient) => patient.key === key)!.patientId;
/** The demo care record serves these very objects: changing one changes what it answers. */
const patientResource = (key: string) =>
  careRecord.server.dataset.resources.find((resource): resource is Patient => resource.resourceType === 'Patient' && resource.id === patientIdOf(key))!;

beforeAll(async () => {
  careRecord = await startTestCareRecord();
  client = new CountingClient(careRecord.settings({ cacheSeconds: 0, retries: 0, timeoutMs: 10_000 }), { log: () => {} });
});

afterAll(async () => {
  await careRecord?.close();
});

afterEach(async () => {
  await careRecord.setFault({ mode: 'normal' });
});

/** A registered citizen with these verified details, and a fresh account each time. */
async function citizen(details: Omit<CitizenIdentity, 'userId'>): Promise<CitizenIdentity> {
  const userId = await makeCitizen({ ...details, identityLevel: details.nhsNumber ? 'P9' : 'P2' });
  return { userId, ...details };
}

const HOUR = 3600_000;
const day = (n: number) => new Date(Date.UTC(2026, 11, 1 + n, 12));
const at = (now: Date): LinkingOptions => ({ client, now, matchRecheckMs: 24 * HOUR });

const amelia = { givenName: 'Amelia', familyName: 'Testwell', birthDate: '1984-03-17' };
/** Amelia as NHS login verified her. */
const ameliaByNhsLogin = { ...amelia, nhsNumber: '9990012377', verifiedPostcode: null };
/** Amelia as GOV.UK One Login verified her: no NHS number; the postcode of the address it checked. */
const ameliaByOneLogin = { ...amelia, nhsNumber: null, verifiedPostcode: 'LS6 2QR' };
/** The demo One Login's other Nadia Blankley: the same name and birth date as the Nadia in the care record (LS2 7EW), another address. */
const otherNadia = { givenName: 'Nadia', familyName: 'Blankley', birthDate: '2001-08-23', nhsNumber: null, verifiedPostcode: 'LS15 8QG' };

describe('one person for an NHS number and a verified address (before joining two ways of signing in)', () => {
  it('is the same person only when both find the one record', async () => {
    const ameliaDetails = { givenName: 'Amelia', familyName: 'Testwell', birthDate: '1984-03-17' };
    expect(await samePersonInCareRecord({ ...ameliaDetails, nhsNumber: '9990012377' }, { ...ameliaDetails, postcode: 'LS6 2QR' }, client)).toBe('same');
    // The care record's Nadia (NHS number 999 007 0180) lives at LS2 7EW: the other Nadia, verified at LS15 8QG, is not her.
    const nadia = { givenName: 'Nadia', familyName: 'Blankley', birthDate: '2001-08-23' };
    expect(await samePersonInCareRecord({ ...nadia, nhsNumber: '9990070180' }, { ...nadia, postcode: 'LS15 8QG' }, client)).toBe('not-same');
    expect(await samePersonInCareRecord({ ...nadia, nhsNumber: '9990070180' }, { ...nadia, postcode: 'LS2 7EW' }, client)).toBe('same');
    await careRecord.setFault({ mode: 'down' });
    expect(await samePersonInCareRecord({ ...ameliaDetails, nhsNumber: '9990012377' }, { ...ameliaDetails, postcode: 'LS6 2QR' }, client)).toBe('unavailable');
  });
});

describe(`care-record links on ${provider}`, () => {
  it('links by NHS number on the first visit, keeps the link and the version, and searches only once', async () => {
    const person = await citizen(ameliaByNhsLogin);
    client.searches = 0;
    expect(await citizensLink(getDb(), person, at(day(0)))).toEqual({ state: 'linked', patientId: patientIdOf('amelia') });
    expect(await citizensLink(getDb(), person, at(new Date(day(0).getTime() + 23 * HOUR)))).toEqual({ state: 'linked', patientId: patientIdOf('amelia') });
    expect(client.searches).toBe(1);
    expect(await findLink(getDb(), person.userId)).toMatchObject({
      outcome: 'matched',
      method: 'nhs-number',
      patientId: patientIdOf('amelia'),
      patientVersion: '1',
      checkedAt: day(0),
      recentChecks: 0,
    });
    // Once matched, what they already added and share is queued for the record, once.
    const queued = await getDb().outboxMessage.findMany({ where: { userId: person.userId, destination: 'care-record-contributions' } });
    expect(queued.map((message) => message.topic)).toEqual(['everything']);
  });

  it('links a One Login citizen by the name, birth date and postcode One Login verified, asking them for nothing', async () => {
    const person = await citizen(ameliaByOneLogin);
    expect(await citizensLink(getDb(), person, at(day(0)))).toEqual({ state: 'linked', patientId: patientIdOf('amelia') });
    expect(await findLink(getDb(), person.userId)).toMatchObject({ outcome: 'matched', method: 'demographics', patientVersion: '1', recentChecks: 0 });
    expect(await confirmedLink(getDb(), person, at(day(0)))).toEqual({ state: 'linked', patientId: patientIdOf('amelia') });
  });

  it('never links someone with the same name and birth date whose verified address is elsewhere', async () => {
    const person = await citizen(otherNadia);
    expect(await citizensLink(getDb(), person, at(day(0)))).toEqual({ state: 'no-match', method: 'demographics' });
    expect(await findLink(getDb(), person.userId)).toMatchObject({ outcome: 'no-match', patientId: null, patientVersion: null });
    expect(await lookAgain(getDb(), person, at(day(0)))).toEqual({ state: 'no-match', method: 'demographics' });
    expect(await confirmedLink(getDb(), person, at(day(0)))).toBeNull();
  });

  it('does not look without an NHS number or a verified address: there is nothing verified to find them by', async () => {
    const person = await citizen({ ...amelia, nhsNumber: null, verifiedPostcode: null });
    client.searches = 0;
    expect(await citizensLink(getDb(), person, at(day(0)))).toEqual({ state: 'no-match', method: 'demographics' });
    expect(await lookAgain(getDb(), person, at(day(0)))).toEqual({ state: 'no-match', method: 'demographics' });
    expect(client.searches).toBe(0);
    expect(await findLink(getDb(), person.userId)).toMatchObject({ outcome: 'no-match', patientId: null });
  });

  it('keeps "no match" for a day, then looks again by itself', async () => {
    const person = await citizen({ givenName: 'Dev', familyName: 'Nomatch', birthDate: '1975-06-30', nhsNumber: '9990099999', verifiedPostcode: null });
    client.searches = 0;
    expect(await citizensLink(getDb(), person, at(day(0)))).toEqual({ state: 'no-match', method: 'nhs-number' });
    expect(await citizensLink(getDb(), person, at(new Date(day(0).getTime() + RECHECK_AFTER_MS - 1)))).toEqual({ state: 'no-match', method: 'nhs-number' });
    expect(client.searches).toBe(1);
    expect(await citizensLink(getDb(), person, at(day(1)))).toEqual({ state: 'no-match', method: 'nhs-number' });
    expect(client.searches).toBe(2);
  });

  it('looks again at once when the account can now be found another way (NHS login added)', async () => {
    const person = await citizen({ ...amelia, nhsNumber: null, verifiedPostcode: null });
    expect(await citizensLink(getDb(), person, at(day(0)))).toEqual({ state: 'no-match', method: 'demographics' });
    expect(await citizensLink(getDb(), { ...person, nhsNumber: '9990012377' }, at(day(0)))).toEqual({ state: 'linked', patientId: patientIdOf('amelia') });
  });

  it('says "several matches" rather than choosing one', async () => {
    const person = await citizen({ givenName: 'Jordan', familyName: 'Mockridge', birthDate: '1979-05-12', nhsNumber: null, verifiedPostcode: 'LS11 5DX' });
    expect(await citizensLink(getDb(), person, at(day(0)))).toEqual({ state: 'several-matches', method: 'demographics' });
    expect(await findLink(getDb(), person.userId)).toMatchObject({ outcome: 'several-matches', patientId: null });
    expect(await citizensLink(getDb(), person, at(day(0)))).toEqual({ state: 'several-matches', method: 'demographics' });
  });

  it(`lets the citizen ask us to look again ${CHECKS_PER_DAY} times a day`, async () => {
    const person = await citizen(otherNadia);
    for (let i = 0; i < CHECKS_PER_DAY; i++) {
      expect(await lookAgain(getDb(), person, at(new Date(day(0).getTime() + i * 60_000)))).toMatchObject({ state: 'no-match' });
    }
    client.searches = 0;
    expect(await lookAgain(getDb(), person, at(new Date(day(0).getTime() + 12 * HOUR)))).toEqual({ state: 'too-many-checks' });
    expect(client.searches).toBe(0);
    expect(await lookAgain(getDb(), person, at(day(1)))).toMatchObject({ state: 'no-match' });
    expect(client.searches).toBe(1);
  });

  it('looks for a kept match again after the configured time', async () => {
    const person = await citizen(ameliaByOneLogin);
    await citizensLink(getDb(), person, { ...at(day(0)), matchRecheckMs: 2 * HOUR });
    client.searches = 0;
    expect(await citizensLink(getDb(), person, { ...at(new Date(day(0).getTime() + HOUR)), matchRecheckMs: 2 * HOUR })).toMatchObject({ state: 'linked' });
    expect(client.searches).toBe(0);
    const later = new Date(day(0).getTime() + 2 * HOUR);
    // The section pages never look themselves: past its time, a match sends the citizen to the summary, which looks.
    expect(await confirmedLink(getDb(), person, { ...at(later), matchRecheckMs: 2 * HOUR })).toBeNull();
    expect(await citizensLink(getDb(), person, { ...at(later), matchRecheckMs: 2 * HOUR })).toEqual({ state: 'linked', patientId: patientIdOf('amelia') });
    expect(client.searches).toBe(1);
    expect(await findLink(getDb(), person.userId)).toMatchObject({ outcome: 'matched', checkedAt: later });
  });

  it('looks again when the record’s version changed, and drops a match that no longer holds', async () => {
    const person = await citizen(ameliaByOneLogin);
    const patient = patientResource('amelia');
    const original = structuredClone(patient);
    try {
      await citizensLink(getDb(), person, at(day(0)));
      // A new version that still agrees: matched again, at the new version.
      patient.meta = { ...patient.meta, versionId: '2' };
      client.searches = 0;
      expect(await confirmedLink(getDb(), person, at(day(0)))).toBeNull();
      expect(await citizensLink(getDb(), person, at(day(0)))).toEqual({ state: 'linked', patientId: patientIdOf('amelia') });
      expect(client.searches).toBe(1);
      expect(await findLink(getDb(), person.userId)).toMatchObject({ outcome: 'matched', patientVersion: '2' });

      // She moved, as the record now says: the postcode One Login verified no longer agrees.
      patient.meta = { ...patient.meta, versionId: '3' };
      patient.address = [{ ...patient.address![0]!, postalCode: 'LS1 4AP' }];
      expect(await citizensLink(getDb(), person, at(day(0)))).toEqual({ state: 'no-match', method: 'demographics' });
      expect(await findLink(getDb(), person.userId)).toMatchObject({ outcome: 'no-match', patientId: null, patientVersion: null });
    } finally {
      Object.assign(patient, structuredClone(original));
    }
  });

  it('does not keep a match to a record that was merged into another (replaced-by) or made inactive', async () => {
    const patient = patientResource('amelia');
    const original = structuredClone(patient);
    const restore = () => {
      delete patient.link;
      Object.assign(patient, structuredClone(original));
    };
    try {
      for (const change of [
        () => Object.assign(patient, { link: [{ type: 'replaced-by', other: { reference: 'Patient/another' } }] }),
        () => Object.assign(patient, { active: false }),
      ]) {
        restore();
        const person = await citizen(ameliaByNhsLogin);
        expect(await citizensLink(getDb(), person, at(day(0)))).toMatchObject({ state: 'linked' });
        change();
        expect(await confirmedLink(getDb(), person, at(day(0)))).toBeNull();
        expect(await citizensLink(getDb(), person, at(day(0)))).toEqual({ state: 'no-match', method: 'nhs-number' });
      }
    } finally {
      restore();
    }
  });

  it('keeps nothing when the care record cannot answer, so the next visit looks again', async () => {
    const person = await citizen(ameliaByNhsLogin);
    await careRecord.setFault({ mode: 'down' });
    expect(await citizensLink(getDb(), person, at(day(0)))).toEqual({ state: 'unavailable' });
    expect(await findLink(getDb(), person.userId)).toBeNull();
    await careRecord.setFault({ mode: 'normal' });
    expect(await citizensLink(getDb(), person, at(day(0)))).toEqual({ state: 'linked', patientId: patientIdOf('amelia') });
    // A kept match that cannot be checked is not shown: the page says the care record is unavailable.
    await careRecord.setFault({ mode: 'down' });
    expect(await confirmedLink(getDb(), person, at(day(0)))).toEqual({ state: 'unavailable' });
  });

  it('goes when the account goes', async () => {
    const person = await citizen(ameliaByNhsLogin);
    await citizensLink(getDb(), person, at(day(0)));
    await getDb().user.delete({ where: { id: person.userId } });
    expect(await findLink(getDb(), person.userId)).toBeNull();
  });

  it('reads a link directly just as Prisma reads it, every column, null or not', async () => {
    const db = getDb();
    const when = new Date('2026-03-29T00:59:59.123Z');
    for (const data of [
      { outcome: 'no-match', method: 'demographics', checkedAt: when, recentChecks: 0 },
      { outcome: 'matched', patientId: 'p-1', patientVersion: '7', method: 'nhs-number', checkedAt: when, recentChecks: 3, windowStartedAt: when },
    ]) {
      const userId = await makeCitizen({ givenName: 'Lin' });
      await db.careRecordLink.create({ data: { userId, ...data } });
      const { userId: _userId, ...row } = await db.careRecordLink.findUniqueOrThrow({ where: { userId } });
      expect(await findLink(db, userId)).toEqual(row);
      expect((await findLink(db, userId))?.checkedAt).toEqual(when);
    }
  });
});
