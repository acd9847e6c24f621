// A professional's relationship with a citizen, from the care record, through the citizen's own
// link (kept on the database under test) to the demo care record (scripts/care-record).
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CareRecordClient } from '@/lib/care-record/client';
import { startTestCareRecord, type TestCareRecord } from '@/lib/care-record/test-support';
import { getDb } from '@/lib/platform/db';
import { makeCitizen, useDatabaseUnderTest } from '@/lib/platform/db-test-support';
import { careRelationship, type CitizenDetails } from './relationship';

const { provider } = useDatabaseUnderTest();
let careRecord: TestCareRecord;
let client: CareRecordClient;

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

type Details = Omit<CitizenDetails, 'id'>;
const amelia: Details = { nhsNumber: '9990012377', familyName: 'Testwell', givenName: 'Amelia', birthDate: '1984-03-17', verifiedPostcode: null };
// Farah's record: GP practice ZZ0001, a care team of her GP alone.
const farah: Details = { nhsNumber: '9990050007', familyName: 'Newbury', givenName: 'Farah', birthDate: '1968-09-05', verifiedPostcode: null };
// Amelia as GOV.UK One Login knows her: no NHS number, the postcode of the address it checked.
const ameliaByOneLogin: Details = { ...amelia, nhsNumber: null, verifiedPostcode: 'LS6 2QR' };

/** A registered citizen of their own (each test its own account, so no link is shared). */
async function citizen(details: Details): Promise<CitizenDetails> {
  const id = await makeCitizen({ ...details, identityLevel: details.nhsNumber ? 'P9' : 'P2' });
  return { id, ...details };
}

const relationship = async (details: Details, organisationCode: string) => careRelationship(getDb(), await citizen(details), organisationCode, { client });

describe(`a professional’s relationship with a citizen, from the care record, on ${provider}`, () => {
  it('is the GP practice', async () => {
    expect(await relationship(amelia, 'ZZ0001')).toEqual({ outcome: 'related', via: 'gp-practice' });
  });

  it('is the GP practice of a One Login citizen, found by the name, birth date and postcode One Login verified', async () => {
    expect(await relationship(ameliaByOneLogin, 'ZZ0001')).toEqual({ outcome: 'related', via: 'gp-practice' });
  });

  it('is an organisation in the care team', async () => {
    // Amelia's community nurse works for ZZ0002.
    expect(await relationship(amelia, 'ZZ0002')).toEqual({ outcome: 'related', via: 'care-team' });
  });

  it('is none for another organisation', async () => {
    expect(await relationship(farah, 'ZZ0002')).toEqual({ outcome: 'unrelated' });
    expect(await relationship(amelia, 'ZZ0006')).toEqual({ outcome: 'unrelated' });
  });

  it('is none when the care record holds no record for them, or only someone else with their name and birth date', async () => {
    expect(await relationship({ ...amelia, birthDate: '1984-03-18' }, 'ZZ0001')).toEqual({ outcome: 'no-record' });
    // No NHS number and no verified address: nothing to find them by, and no guess.
    expect(await relationship({ ...amelia, nhsNumber: null }, 'ZZ0001')).toEqual({ outcome: 'no-record' });
    expect(await relationship({ ...ameliaByOneLogin, verifiedPostcode: 'LS15 8QG' }, 'ZZ0001')).toEqual({ outcome: 'no-record' });
  });

  it('uses the citizen’s kept link: looked for once, then read from the database', async () => {
    const person = await citizen(ameliaByOneLogin);
    expect(await careRelationship(getDb(), person, 'ZZ0001', { client })).toEqual({ outcome: 'related', via: 'gp-practice' });
    const link = await getDb().careRecordLink.findUnique({ where: { userId: person.id } });
    expect(link).toMatchObject({ outcome: 'matched', method: 'demographics', patientVersion: '1' });
    // The care record is asked again for the Patient (to check the match still holds), never searched again.
    const checkedAt = link!.checkedAt;
    expect(await careRelationship(getDb(), person, 'ZZ0001', { client })).toEqual({ outcome: 'related', via: 'gp-practice' });
    expect((await getDb().careRecordLink.findUnique({ where: { userId: person.id } }))!.checkedAt).toEqual(checkedAt);
  });

  it('cannot be told when the care record does not answer', async () => {
    await careRecord.setFault({ mode: 'error500' });
    expect(await relationship(amelia, 'ZZ0001')).toEqual({ outcome: 'unavailable' });
  });
});
