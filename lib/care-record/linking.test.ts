import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CareRecordClient } from './client';
import type { Patient } from '@medplum/fhirtypes';
import { findCitizensRecord, stillMatches } from './linking';
import { startTestCareRecord, type TestCareRecord } from './test-support';

let careRecord: TestCareRecord;
let client: CareRecordClient;
const patientIdOf = (key: string) => careRecord.server.dataset.demoPatients.find((patient) => patient.key === key)!.patientId;

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

const amelia = { nhsNumber: '9990012377', familyName: 'Testwell', givenName: 'Amelia', birthDate: '1984-03-17', postcode: 'LS6 2QR' };
const ben = { familyName: 'Sampleton', givenName: 'Ben', birthDate: '1990-11-02', postcode: 'LS9 8AB' };

describe('finding the citizen’s record', () => {
  it('links by NHS number when the identity provider gave one', async () => {
    expect(await findCitizensRecord(amelia, client)).toEqual({ outcome: 'linked', patientId: patientIdOf('amelia'), version: '1' });
    expect(await findCitizensRecord({ ...amelia, nhsNumber: '999 001 2377', familyName: 'TESTWELL' }, client)).toEqual({
      outcome: 'linked',
      patientId: patientIdOf('amelia'),
      version: '1',
    });
  });

  it('does not link an NHS number whose record has another name or birth date', async () => {
    expect(await findCitizensRecord({ ...amelia, birthDate: '1984-03-18' }, client)).toEqual({ outcome: 'noMatch' });
    expect(await findCitizensRecord({ ...amelia, familyName: 'Testwells' }, client)).toEqual({ outcome: 'noMatch' });
    expect(await findCitizensRecord({ ...amelia, givenName: 'Chloe' }, client)).toEqual({ outcome: 'noMatch' });
  });

  it('finds no match for an NHS number the care record does not hold', async () => {
    expect(await findCitizensRecord({ ...amelia, nhsNumber: '9990099999' }, client)).toEqual({ outcome: 'noMatch' });
  });

  it('links by verified name, birth date and verified postcode without an NHS number', async () => {
    expect(await findCitizensRecord(ben, client)).toEqual({ outcome: 'linked', patientId: patientIdOf('ben'), version: '1' });
    expect(await findCitizensRecord({ ...ben, familyName: 'sampleton', postcode: 'ls98ab' }, client)).toEqual({
      outcome: 'linked',
      patientId: patientIdOf('ben'),
      version: '1',
    });
  });

  it('never links on part of a name, another postcode, part of a postcode or no postcode', async () => {
    expect(await findCitizensRecord({ ...ben, familyName: 'Sample' }, client)).toEqual({ outcome: 'noMatch' });
    expect(await findCitizensRecord({ ...ben, postcode: 'LS9 8AC' }, client)).toEqual({ outcome: 'noMatch' });
    expect(await findCitizensRecord({ ...ben, postcode: 'LS9' }, client)).toEqual({ outcome: 'noMatch' });
    expect(await findCitizensRecord({ ...ben, postcode: undefined }, client)).toEqual({ outcome: 'noMatch' });
  });

  it('never links someone else with the same name and birth date who lives elsewhere', async () => {
    // The demo One Login's other Nadia Blankley: the care record's Nadia lives at LS2 7EW.
    expect(await findCitizensRecord({ familyName: 'Blankley', givenName: 'Nadia', birthDate: '2001-08-23', postcode: 'LS15 8QG' }, client)).toEqual({
      outcome: 'noMatch',
    });
    expect(await findCitizensRecord({ familyName: 'Blankley', givenName: 'Nadia', birthDate: '2001-08-23', postcode: 'LS2 7EW' }, client)).toMatchObject({
      outcome: 'linked',
      patientId: patientIdOf('nadia'),
    });
  });

  it('finds no match for someone the care record does not hold', async () => {
    expect(await findCitizensRecord({ familyName: 'Nomatch', givenName: 'Dev', birthDate: '1975-06-30', postcode: 'LS1 4AP' }, client)).toEqual({
      outcome: 'noMatch',
    });
  });

  it('says there are several matches rather than choosing one', async () => {
    expect(await findCitizensRecord({ familyName: 'Mockridge', givenName: 'Jordan', birthDate: '1979-05-12', postcode: 'LS11 5DX' }, client)).toEqual({
      outcome: 'severalMatches',
    });
  });

  it('says when the care record cannot be asked', async () => {
    await careRecord.setFault({ mode: 'down' });
    expect(await findCitizensRecord(amelia, client)).toEqual({ outcome: 'unavailable' });
  });
});

describe('a kept match, checked against the record as it is now', () => {
  const patient = (): Patient => structuredClone(careRecord.server.dataset.resources.find((resource) => resource.id === patientIdOf('amelia')) as Patient);
  const byOneLogin = { familyName: 'Testwell', givenName: 'Amelia', birthDate: '1984-03-17', postcode: 'ls62qr' };

  it('holds while the record is current, at the version matched, and agrees with the verified details', () => {
    expect(stillMatches(amelia, patient(), '1')).toBe(true);
    expect(stillMatches(byOneLogin, patient(), '1')).toBe(true);
  });

  it('does not hold for another version, a merged or inactive record, or details that no longer agree', () => {
    expect(stillMatches(amelia, patient(), '2')).toBe(false);
    expect(stillMatches(amelia, { ...patient(), active: false }, '1')).toBe(false);
    expect(stillMatches(amelia, { ...patient(), link: [{ type: 'replaced-by', other: { reference: 'Patient/other' } }] }, '1')).toBe(false);
    expect(stillMatches({ ...amelia, nhsNumber: '9990050007' }, patient(), '1')).toBe(false);
    expect(stillMatches({ ...byOneLogin, postcode: 'LS15 8QG' }, patient(), '1')).toBe(false);
    expect(stillMatches({ ...byOneLogin, postcode: undefined }, patient(), '1')).toBe(false);
    expect(stillMatches({ ...byOneLogin, birthDate: '1984-03-18' }, patient(), '1')).toBe(false);
  });
});
