import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CareRecordClient } from '@/lib/care-record/client';
import { startTestCareRecord, type TestCareRecord } from '@/lib/care-record/test-support';
import { careRelationship } from './relationship';

let careRecord: TestCareRecord;
let client: CareRecordClient;

beforeAll(async () => {
  careRecord = await startTestCareRecord();
  client = new CareRecordClient(careRecord.settings({ cacheSeconds: 0, retries: 0 }), { log: () => {} });
});

afterAll(async () => {
  await careRecord?.close();
});

afterEach(async () => {
  await careRecord.setFault({ mode: 'normal' });
});

const amelia = { nhsNumber: '9990012377', familyName: 'Testwell', givenName: 'Amelia', birthDate: '1984-03-17' };
// Farah's record: GP practice ZZ0001, a care team of her GP alone.
const farah = { nhsNumber: '9990050007', familyName: 'Newbury', givenName: 'Farah', birthDate: '1968-09-05' };

describe('a professional’s relationship with a citizen, from the care record', () => {
  it('is the GP practice', async () => {
    expect(await careRelationship(amelia, 'ZZ0001', client)).toEqual({ outcome: 'related', via: 'gp-practice' });
  });

  it('is an organisation in the care team', async () => {
    // Amelia's community nurse works for ZZ0002.
    expect(await careRelationship(amelia, 'ZZ0002', client)).toEqual({ outcome: 'related', via: 'care-team' });
  });

  it('is none for another organisation', async () => {
    expect(await careRelationship(farah, 'ZZ0002', client)).toEqual({ outcome: 'unrelated' });
    expect(await careRelationship(amelia, 'ZZ0006', client)).toEqual({ outcome: 'unrelated' });
  });

  it('is none when the care record holds no record for them', async () => {
    expect(await careRelationship({ ...amelia, birthDate: '1984-03-18' }, 'ZZ0001', client)).toEqual({ outcome: 'no-record' });
    expect(await careRelationship({ ...amelia, nhsNumber: null }, 'ZZ0001', client)).toEqual({ outcome: 'no-record' });
  });

  it('cannot be told when the care record does not answer', async () => {
    await careRecord.setFault({ mode: 'error500' });
    expect(await careRelationship(amelia, 'ZZ0001', client)).toEqual({ outcome: 'unavailable' });
  });
});
