// Linking citizens to their care record, kept on the database under test, against the demo
// care record (scripts/care-record): exact match, no match, several matches, and the rules
// for looking again.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { makeCitizen, useDatabaseUnderTest } from '@/lib/platform/db-test-support';
import { getDb } from '@/lib/platform/db';
import { CHECKS_PER_DAY, RECHECK_AFTER_MS, citizensLink, lookAgain, type CitizenIdentity } from './citizen-link';
import { CareRecordClient } from './client';
import { findLink, linkedPatientId } from './link-store';
import { findCitizensRecord, type VerifiedPerson } from './linking';
import { startTestCareRecord, type TestCareRecord } from './test-support';

const { provider } = useDatabaseUnderTest();
let careRecord: TestCareRecord;
let client: CareRecordClient;
let searches = 0;
const find = (person: VerifiedPerson) => {
  searches += 1;
  return findCitizensRecord(person, client);
};
const patientIdOf = (key: string) => careRecord.server.dataset.demoPatients.find((patient) => patient.key === key)!.patientId;

beforeAll(async () => {
  careRecord = await startTestCareRecord();
  client = new CareRecordClient(careRecord.settings({ cacheSeconds: 0, retries: 0, timeoutMs: 10_000 }), { log: () => {} });
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

const amelia = { givenName: 'Amelia', familyName: 'Testwell', birthDate: '1984-03-17' };
const noNhsNumber = { nhsNumber: null };
const day = (n: number) => new Date(Date.UTC(2026, 11, 1 + n, 12));

describe(`care-record links on ${provider}`, () => {
  it('links by NHS number on the first visit, keeps the link, and asks the care record only once', async () => {
    const person = await citizen({ ...amelia, nhsNumber: '9990012377' });
    searches = 0;
    expect(await citizensLink(getDb(), person, { find, now: day(0) })).toEqual({ state: 'linked', patientId: patientIdOf('amelia') });
    expect(await citizensLink(getDb(), person, { find, now: day(30) })).toEqual({ state: 'linked', patientId: patientIdOf('amelia') });
    expect(searches).toBe(1);
    expect(await linkedPatientId(getDb(), person.userId)).toBe(patientIdOf('amelia'));
    expect(await findLink(getDb(), person.userId)).toMatchObject({ outcome: 'matched', method: 'nhs-number', checkedAt: day(0), recentChecks: 0 });
  });

  it('without an NHS number, asks for a postcode and links by verified name, birth date and that postcode', async () => {
    const person = await citizen({ ...amelia, ...noNhsNumber });
    expect(await citizensLink(getDb(), person, { find, now: day(0) })).toEqual({ state: 'needs-postcode' });
    expect(await lookAgain(getDb(), person, 'ls6 2qr', { find, now: day(0) })).toEqual({ state: 'linked', patientId: patientIdOf('amelia') });
    expect(await findLink(getDb(), person.userId)).toMatchObject({ outcome: 'matched', method: 'demographics', recentChecks: 1 });
    expect(await citizensLink(getDb(), person, { find, now: day(1) })).toEqual({ state: 'linked', patientId: patientIdOf('amelia') });
  });

  it('keeps "no match" for a day, then looks again by itself', async () => {
    const person = await citizen({ givenName: 'Dev', familyName: 'Nomatch', birthDate: '1975-06-30', nhsNumber: '9990099999' });
    searches = 0;
    expect(await citizensLink(getDb(), person, { find, now: day(0) })).toEqual({ state: 'no-match', method: 'nhs-number' });
    expect(await citizensLink(getDb(), person, { find, now: new Date(day(0).getTime() + RECHECK_AFTER_MS - 1) })).toEqual({
      state: 'no-match',
      method: 'nhs-number',
    });
    expect(searches).toBe(1);
    expect(await citizensLink(getDb(), person, { find, now: day(1) })).toEqual({ state: 'no-match', method: 'nhs-number' });
    expect(searches).toBe(2);
    expect(await linkedPatientId(getDb(), person.userId)).toBeNull();
  });

  it('never links on the wrong postcode', async () => {
    const person = await citizen({ ...amelia, ...noNhsNumber });
    expect(await lookAgain(getDb(), person, 'LS6 2QS', { find, now: day(0) })).toEqual({ state: 'no-match', method: 'demographics' });
    expect(await findLink(getDb(), person.userId)).toMatchObject({ outcome: 'no-match', patientId: null });
    // Within the day the kept answer is shown; the citizen can try another postcode.
    expect(await citizensLink(getDb(), person, { find, now: day(0) })).toEqual({ state: 'no-match', method: 'demographics' });
    // After a day, without an NHS number, we need a postcode again.
    expect(await citizensLink(getDb(), person, { find, now: day(2) })).toEqual({ state: 'needs-postcode' });
  });

  it('says "several matches" rather than choosing one', async () => {
    const person = await citizen({ givenName: 'Jordan', familyName: 'Mockridge', birthDate: '1979-05-12', nhsNumber: null });
    expect(await lookAgain(getDb(), person, 'LS11 5DX', { find, now: day(0) })).toEqual({ state: 'several-matches', method: 'demographics' });
    expect(await findLink(getDb(), person.userId)).toMatchObject({ outcome: 'several-matches', patientId: null });
    expect(await citizensLink(getDb(), person, { find, now: day(0) })).toEqual({ state: 'several-matches', method: 'demographics' });
  });

  it(`lets the citizen ask us to look ${CHECKS_PER_DAY} times a day, so postcodes cannot be guessed`, async () => {
    const person = await citizen({ ...amelia, ...noNhsNumber });
    for (let i = 0; i < CHECKS_PER_DAY; i++) {
      expect(await lookAgain(getDb(), person, `LS6 ${i}AA`, { find, now: new Date(day(0).getTime() + i * 60_000) })).toMatchObject({ state: 'no-match' });
    }
    searches = 0;
    expect(await lookAgain(getDb(), person, 'LS6 2QR', { find, now: new Date(day(0).getTime() + 12 * 3600_000) })).toEqual({ state: 'too-many-checks' });
    expect(searches).toBe(0);
    expect(await lookAgain(getDb(), person, 'LS6 2QR', { find, now: day(1) })).toEqual({ state: 'linked', patientId: patientIdOf('amelia') });
  });

  it('keeps nothing when the care record cannot answer, so the next visit looks again', async () => {
    const person = await citizen({ ...amelia, nhsNumber: '9990012377' });
    await careRecord.setFault({ mode: 'down' });
    expect(await citizensLink(getDb(), person, { find, now: day(0) })).toEqual({ state: 'unavailable' });
    expect(await findLink(getDb(), person.userId)).toBeNull();
    await careRecord.setFault({ mode: 'normal' });
    expect(await citizensLink(getDb(), person, { find, now: day(0) })).toEqual({ state: 'linked', patientId: patientIdOf('amelia') });
  });

  it('goes when the account goes', async () => {
    const person = await citizen({ ...amelia, nhsNumber: '9990012377' });
    await citizensLink(getDb(), person, { find, now: day(0) });
    await getDb().user.delete({ where: { id: person.userId } });
    expect(await findLink(getDb(), person.userId)).toBeNull();
  });
});
