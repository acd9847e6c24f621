// "Not received yet": several kinds of item looked up at once give what each kind's own lookup gives.
import { describe, expect, it } from 'vitest';
import { getDb } from '@/lib/platform/db';
import { makeCitizen, useDatabaseUnderTest } from '@/lib/platform/db-test-support';
import { enqueue } from '@/lib/platform/outbox';
import { CARE_RECORD_DESTINATION, EXPANSION_TOPICS, notYetInCareRecord, notYetInCareRecordOf, type ContributionKind } from './contributions-outbox';

const { provider } = useDatabaseUnderTest();

describe(`items not yet in the care record on ${provider}`, () => {
  it('looks up several kinds in one query, each the same as on its own', async () => {
    const db = getDb();
    const userId = await makeCitizen({ givenName: 'Olive' });
    let clock = Date.parse('2026-12-01T10:00:00Z');
    const queue = async (topic: string, subjectId: string, status: 'pending' | 'delivered' | 'failed') => {
      await db.$transaction((tx) => enqueue(tx, { destination: CARE_RECORD_DESTINATION, topic, userId, subjectId, payload: {} }, new Date((clock += 1_000))));
      if (status !== 'pending') await db.outboxMessage.updateMany({ where: { userId, topic, subjectId, status: 'pending' }, data: { status } });
    };
    const ask = (): { kind: ContributionKind; localIds: string[] }[] => [
      { kind: 'top-three', localIds: [userId] },
      { kind: 'communication-needs', localIds: [userId] },
      { kind: 'blood-pressure-reading', localIds: ['r1', 'r2', 'r3'] },
      { kind: 'home-monitoring-week', localIds: [] },
    ];
    const eachOnItsOwn = () => Promise.all(ask().map(({ kind, localIds }) => notYetInCareRecord(db, userId, kind, localIds)));

    expect(await notYetInCareRecordOf(db, userId, ask())).toEqual([new Set(), new Set(), new Set(), new Set()]);
    // A failed top three, then delivered: received. Communication needs failed last: not received.
    await queue('top-three', userId, 'failed');
    await queue('top-three', userId, 'delivered');
    await queue('communication-needs', userId, 'delivered');
    await queue('communication-needs', userId, 'failed');
    // One reading waiting, one delivered.
    await queue('blood-pressure-reading', 'r1', 'pending');
    await queue('blood-pressure-reading', 'r2', 'delivered');
    expect(await notYetInCareRecordOf(db, userId, ask())).toEqual([new Set(), new Set([userId]), new Set(['r1']), new Set()]);
    expect(await notYetInCareRecordOf(db, userId, ask())).toEqual(await eachOnItsOwn());

    // A category sent again counts for its own kinds only.
    await queue(EXPANSION_TOPICS.category, 'top-three', 'pending');
    expect(await notYetInCareRecordOf(db, userId, ask())).toEqual([new Set([userId]), new Set([userId]), new Set(['r1']), new Set()]);
    expect(await notYetInCareRecordOf(db, userId, ask())).toEqual(await eachOnItsOwn());
    await queue(EXPANSION_TOPICS.category, 'blood-pressure', 'failed');
    expect((await notYetInCareRecordOf(db, userId, ask()))[2]).toEqual(new Set(['r1', 'r2', 'r3']));
    expect(await notYetInCareRecordOf(db, userId, ask())).toEqual(await eachOnItsOwn());

    // Everything sent again: every item asked about.
    await db.outboxMessage.deleteMany({ where: { userId } });
    await queue(EXPANSION_TOPICS.everything, userId, 'pending');
    expect(await notYetInCareRecordOf(db, userId, ask())).toEqual([new Set([userId]), new Set([userId]), new Set(['r1', 'r2', 'r3']), new Set()]);
    expect(await notYetInCareRecordOf(db, userId, ask())).toEqual(await eachOnItsOwn());
    // Another citizen's messages are never theirs.
    const other = await makeCitizen({ givenName: 'Pat' });
    expect(await notYetInCareRecordOf(db, other, ask())).toEqual([new Set(), new Set(), new Set(), new Set()]);
    await db.outboxMessage.deleteMany({ where: { userId } });
  });
});
