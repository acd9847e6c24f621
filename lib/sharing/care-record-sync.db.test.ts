// What citizens add reaching the shared care record through the outbox: the demo care record
// (scripts/care-record/server.ts) runs in-process, on the database under test.
import type { Flag, Observation } from '@medplum/fhirtypes';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { saveCommunicationNeeds, saveTopThree } from '@/lib/about-me/store';
import { addReadings, changeReading, deleteReading } from '@/lib/blood-pressure/store';
import { CareRecordClient } from '@/lib/care-record/client';
import { CARE_RECORD_DESTINATION, notYetInCareRecord, queueEverythingShared } from '@/lib/care-record/contributions-outbox';
import { saveLink } from '@/lib/care-record/link-store';
import { startTestCareRecord, type TestCareRecord } from '@/lib/care-record/test-support';
import { getDb } from '@/lib/platform/db';
import { makeCitizen, useDatabaseUnderTest } from '@/lib/platform/db-test-support';
import { createDispatcher } from '@/lib/platform/outbox';
import { r4Problems } from '@/lib/platform/testing/fhir-validation';
import { careRecordSender } from './care-record-sync';
import { changeSharing } from './consent';

const { provider } = useDatabaseUnderTest();

let careRecord: TestCareRecord;
let client: CareRecordClient;
let patientId: string;
let clock: number;
const now = () => new Date(clock);

beforeAll(async () => {
  careRecord = await startTestCareRecord();
  // No cache: each search must show what the care record holds now.
  client = new CareRecordClient(careRecord.settings({ cacheSeconds: 0 }), { log: () => {} });
  patientId = careRecord.server.dataset.resources.find((resource) => resource.resourceType === 'Patient')!.id!;
});

afterAll(async () => {
  await careRecord?.close();
});

beforeEach(async () => {
  await getDb().outboxMessage.deleteMany({ where: { destination: CARE_RECORD_DESTINATION } });
  await careRecord.setFault({ mode: 'normal' });
  clock = Date.parse('2026-12-01T10:00:00Z');
});

const dispatcher = () =>
  createDispatcher({
    db: getDb(),
    senders: { [CARE_RECORD_DESTINATION]: careRecordSender({ db: getDb(), client: () => client }) },
    maxAttempts: 5,
    backoffBaseMs: 1_000,
    backoffMaxMs: 60_000,
    leaseMs: 30_000,
    now,
  });

/** Rounds until nothing more is due now (an expansion queues more messages). */
async function sendAll() {
  const total = { delivered: 0, retrying: 0, failed: 0 };
  for (let round = 0; round < 5; round += 1) {
    const result = await dispatcher().runOnce();
    total.delivered += result.delivered;
    total.retrying += result.retrying;
    total.failed += result.failed;
    if (result.delivered + result.retrying + result.failed === 0) break;
  }
  return total;
}

async function linkedCitizen() {
  const userId = await makeCitizen({ givenName: 'Amelia', nhsNumber: '9990012377' });
  await saveLink(getDb(), userId, { outcome: 'matched', patientId, method: 'nhs-number', checkedAt: now(), recentChecks: 0, windowStartedAt: null });
  return userId;
}

const reading = (systolic: number, diastolic: number, pulse?: number) => ({
  measuredAt: new Date('2026-12-01T08:00:00Z'),
  systolic,
  diastolic,
  ...(pulse ? { pulse } : {}),
  arm: 'left' as const,
  sitting: true,
});

const readingsInRecord = (readingId: string) =>
  client.search<Observation>('Observation', { patient: patientId, identifier: `https://phr.example/id/blood-pressure-reading|${readingId}` });
const flagsInRecord = (kind: string, userId: string) =>
  client.search<Flag>('Flag', { patient: patientId, identifier: `https://phr.example/id/${kind}|${userId}` });

describe(`what citizens add reaches the care record, on ${provider}`, () => {
  it('a reading is sent, a change updates it, a delete marks it entered-in-error; a clinician finds it by code', async () => {
    const userId = await linkedCitizen();
    const { readings } = await addReadings(getDb(), userId, [reading(184, 96, 70)], now());
    const id = readings[0]!.id;
    expect(await notYetInCareRecord(getDb(), userId, 'blood-pressure-reading', [id])).toEqual(new Set([id]));
    expect(await sendAll()).toMatchObject({ delivered: 1, failed: 0 });
    expect(await notYetInCareRecord(getDb(), userId, 'blood-pressure-reading', [id])).toEqual(new Set());

    const byCode = await client.search<Observation>('Observation', { patient: patientId, code: 'http://loinc.org|85354-9' });
    const sent = byCode.find((observation) => observation.id === `phr-bp-${id}`)!;
    expect(sent).toMatchObject({ status: 'final', subject: { reference: `Patient/${patientId}` }, interpretation: [{ coding: [{ code: 'HH' }] }] });
    expect(sent.component?.map((component) => component.valueQuantity?.value)).toEqual([184, 96]);
    expect(await r4Problems(sent)).toEqual([]);
    expect(await client.readCurrent<Observation>('Observation', `phr-bp-${id}-pulse`)).toMatchObject({ valueQuantity: { value: 70 } });

    // Changed, without a pulse: the same resource updated, the pulse withdrawn.
    await changeReading(getDb(), userId, id, reading(132, 84), now());
    await sendAll();
    const [changed] = await readingsInRecord(id);
    expect((await readingsInRecord(id)).length).toBe(1);
    expect(changed!.component?.map((component) => component.valueQuantity?.value)).toEqual([132, 84]);
    expect(changed!.interpretation).toBeUndefined();
    expect(changed!.meta?.versionId).toBe('2');
    expect(await client.readCurrent<Observation>('Observation', `phr-bp-${id}-pulse`)).toMatchObject({ status: 'entered-in-error' });

    await deleteReading(getDb(), userId, id, now());
    await sendAll();
    expect(await readingsInRecord(id)).toMatchObject([{ status: 'entered-in-error' }]);
  });

  it('turning sharing off withdraws what was sent; turning it on sends it again', async () => {
    const userId = await linkedCitizen();
    const actor = { userId, givenName: 'Amelia', familyName: 'Test' };
    const { readings } = await addReadings(getDb(), userId, [reading(128, 80)], now());
    const id = readings[0]!.id;
    await saveTopThree(getDb(), userId, [{ title: 'I use a wheelchair', description: 'Ground floor rooms, please' }], now());
    await sendAll();
    expect(await readingsInRecord(id)).toMatchObject([{ status: 'final' }]);
    expect(await flagsInRecord('top-three-things', userId)).toMatchObject([{ status: 'active' }]);

    await changeSharing(getDb(), actor, 'blood-pressure', false, now());
    expect(await notYetInCareRecord(getDb(), userId, 'blood-pressure-reading', [id])).toEqual(new Set([id]));
    await sendAll();
    expect(await readingsInRecord(id)).toMatchObject([{ status: 'entered-in-error' }]);
    // Other categories are untouched.
    expect(await flagsInRecord('top-three-things', userId)).toMatchObject([{ status: 'active' }]);

    // A reading added while not shared never reaches the care record at all.
    const { readings: hidden } = await addReadings(getDb(), userId, [reading(120, 70)], now());
    await sendAll();
    expect(await readingsInRecord(hidden[0]!.id)).toEqual([]);

    await changeSharing(getDb(), actor, 'blood-pressure', true, now());
    await sendAll();
    expect(await readingsInRecord(id)).toMatchObject([{ status: 'final' }]);
    expect(await readingsInRecord(hidden[0]!.id)).toMatchObject([{ status: 'final' }]);
  });

  it('the care record down: nothing lost, "not received yet", sent once it is back', async () => {
    const userId = await linkedCitizen();
    await careRecord.setFault({ mode: 'down' });
    await saveCommunicationNeeds(
      getDb(),
      userId,
      { formats: ['large-print'], interpreterLanguage: null, carerName: null, carerContact: null, otherNeeds: null },
      now(),
    );
    expect(await sendAll()).toMatchObject({ delivered: 0, retrying: 1 });
    expect(await notYetInCareRecord(getDb(), userId, 'communication-needs', [userId])).toEqual(new Set([userId]));
    const waiting = await getDb().outboxMessage.findFirstOrThrow({ where: { userId, destination: CARE_RECORD_DESTINATION } });
    expect(waiting).toMatchObject({ status: 'pending', attempts: 1, lastError: expect.stringMatching(/care record/) });

    await careRecord.setFault({ mode: 'normal' });
    // Not before the backoff has passed.
    expect(await sendAll()).toMatchObject({ delivered: 0, retrying: 0 });
    clock += 1_000;
    expect(await sendAll()).toMatchObject({ delivered: 1 });
    expect(await notYetInCareRecord(getDb(), userId, 'communication-needs', [userId])).toEqual(new Set());
    const [flag] = await flagsInRecord('communication-needs', userId);
    expect(flag).toMatchObject({ status: 'active', code: { text: expect.stringContaining('Large print') } });
    expect(await r4Problems(flag!)).toEqual([]);
  });

  it('the same message delivered twice leaves one resource (PUT at our id)', async () => {
    const userId = await linkedCitizen();
    const { readings } = await addReadings(getDb(), userId, [reading(140, 90)], now());
    await sendAll();
    // As after a lost answer: the message is sent again.
    await getDb().outboxMessage.updateMany({ where: { userId, destination: CARE_RECORD_DESTINATION }, data: { status: 'pending' } });
    expect(await sendAll()).toMatchObject({ delivered: 1 });
    expect(await readingsInRecord(readings[0]!.id)).toHaveLength(1);
  });

  it('nothing is queued before the record is matched; queueEverythingShared then sends what is shared', async () => {
    const userId = await makeCitizen({ givenName: 'Nolink' });
    const { readings } = await addReadings(getDb(), userId, [reading(130, 85)], now());
    await saveTopThree(getDb(), userId, [{ title: 'I am a carer', description: 'For my father' }], now());
    expect(await getDb().outboxMessage.count({ where: { userId, destination: CARE_RECORD_DESTINATION } })).toBe(0);

    await saveLink(getDb(), userId, { outcome: 'matched', patientId, method: 'nhs-number', checkedAt: now(), recentChecks: 0, windowStartedAt: null });
    await getDb().$transaction((tx) => queueEverythingShared(tx, userId, now()));
    expect(await notYetInCareRecord(getDb(), userId, 'blood-pressure-reading', [readings[0]!.id])).toEqual(new Set([readings[0]!.id]));
    await sendAll();
    expect(await readingsInRecord(readings[0]!.id)).toMatchObject([{ status: 'final' }]);
    expect(await flagsInRecord('top-three-things', userId)).toMatchObject([{ status: 'active' }]);
    // Communication needs were never given: nothing written for them.
    expect(await flagsInRecord('communication-needs', userId)).toEqual([]);
    expect(await notYetInCareRecord(getDb(), userId, 'blood-pressure-reading', [readings[0]!.id])).toEqual(new Set());
  });
});
