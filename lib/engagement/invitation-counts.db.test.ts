// The invitation counts kept for the coordinator's page (EngagementInvitationCount) on the database
// under test (SQLite and PostgreSQL, see scripts/db/test-both.sh): always what invitationCounts
// counts, made again after publishing, after sending and by the worker, and read by the page.
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { makeCitizen, staffSessionCookie, useDatabaseUnderTest } from '@/lib/platform/db-test-support';
import { getDb } from '@/lib/platform/db';
import { formatTime } from '@/lib/platform/uk-time';
import { engagementPaths as paths } from './paths';
import { coordinatorActivityPage } from './staff-pages';
import {
  addNewQuestion,
  close,
  countedInvitations,
  countInvitationsNow,
  createActivity,
  invitationCounts,
  publish,
  refreshInvitationCounts,
  savePreference,
  sendInvitations,
  updateDraft,
} from './store';

const { provider } = useDatabaseUnderTest();

/** staffSessionCookie's organisation, so that the page test can open the activity. */
const ORG = 'ZZ0001';
const NOW = new Date('2026-12-10T12:00:00Z');
const MINUTE = 60_000;
const at = (minutes: number) => new Date(NOW.getTime() + minutes * MINUTE);
const ASTHMA = { code: '195967001', name: 'Asthma' };

/** A draft for a topic of its own, so that only this test's citizens are interested in it. */
async function draft(topic: string, changes: { audienceKind?: string; audienceValue?: string | null } = {}) {
  const id = await createActivity(
    { organisationCode: ORG, organisationName: 'Test Lane Surgery', subject: 'coordinator' },
    { title: `Counts ${randomUUID()}`, purpose: 'To test' },
  );
  await updateDraft(id, ORG, {
    topics: topic,
    audienceKind: 'everyone',
    audienceValue: null,
    startsOn: '2026-12-01',
    endsOn: '2026-12-31',
    method: 'online-survey',
    ...changes,
  });
  await addNewQuestion(id, ORG, { text: 'How do you travel?', kind: 'choice', options: ['Bus', 'Car'] });
  return id;
}

/** Citizens who want invitations about the topic (some with asthma). */
async function keen(topic: string, count: number, conditions: { code: string; name: string }[] = []) {
  const ids = [];
  for (let i = 0; i < count; i += 1) {
    const id = await makeCitizen({ longTermConditions: { create: conditions } });
    await savePreference(id, { wantsInvitations: true, topics: [topic], monthlyLimit: 5 });
    ids.push(id);
  }
  return ids;
}

const rowOf = async (id: string) => getDb().engagementActivity.findUniqueOrThrow({ where: { id } });
const kept = async (id: string) => getDb().engagementInvitationCount.findUnique({ where: { activityId: id } });
const exact = async (id: string, now = NOW) => invitationCounts(await rowOf(id), now);
/** What the page reads, without when. */
const shown = async (id: string) => {
  const { countedAt: _, ...counts } = await countedInvitations(await rowOf(id), NOW);
  return counts;
};

describe(`invitation counts kept for the page, on ${provider}`, () => {
  it('are counted when the activity is published, with the audience it was published with, and are what invitationCounts counts', async () => {
    const topic = `topic-${randomUUID().slice(0, 8)}`;
    await keen(topic, 3, [ASTHMA]);
    await keen(topic, 4);
    const id = await draft(topic);
    expect(await kept(id)).toBeNull();
    // The audience changes while it is a draft: the counts are made for the last one.
    await updateDraft(id, ORG, { audienceKind: 'condition', audienceValue: ASTHMA.code });
    await publish(id, ORG, NOW);

    const row = await kept(id);
    expect(row?.countedAt).toEqual(NOW);
    expect(row?.claimedUntil).toBeNull();
    expect(await shown(id)).toEqual(await exact(id));
    // Citizens of other tests who chose no topics may be counted too: these are at least here.
    expect(row?.eligible).toBeGreaterThanOrEqual(3);
    expect(row?.notInAudience).toBeGreaterThanOrEqual(4);
  });

  it('are counted again right after invitations are sent, so none are left to invite at once', async () => {
    const topic = `topic-${randomUUID().slice(0, 8)}`;
    await keen(topic, 6);
    const id = await draft(topic);
    await publish(id, ORG, NOW);
    const before = (await kept(id))!.eligible;
    expect(before).toBeGreaterThanOrEqual(6);

    expect(await sendInvitations(id, ORG, at(1))).toBe(before);
    const row = await kept(id);
    expect(row?.eligible).toBe(0);
    expect(row?.alreadyInvited).toBe(before);
    expect(row?.countedAt).toEqual(at(1));
    expect(await shown(id)).toEqual(await exact(id, at(1)));
  });

  it('are counted on the spot, and kept, when there are none yet', async () => {
    const topic = `topic-${randomUUID().slice(0, 8)}`;
    await keen(topic, 5);
    const id = await draft(topic);
    await publish(id, ORG, NOW);
    await getDb().engagementInvitationCount.deleteMany({ where: { activityId: id } });

    const counted = await countedInvitations(await rowOf(id), at(2));
    expect(counted.countedAt).toEqual(at(2));
    const { countedAt: _, ...counts } = counted;
    expect(counts).toEqual(await exact(id, at(2)));
    expect((await kept(id))?.countedAt).toEqual(at(2));
    // A citizen more is seen only when they are counted again.
    await keen(topic, 1);
    expect((await shown(id)).eligible).toBe(counted.eligible);
    expect((await exact(id)).eligible).toBe(counted.eligible + 1);
  });

  it("the worker's task counts again the open activities counted too long ago, and leaves fresh and closed ones alone", async () => {
    const topic = `topic-${randomUUID().slice(0, 8)}`;
    await keen(topic, 5);
    const stale = await draft(topic);
    const fresh = await draft(topic);
    const closed = await draft(topic);
    for (const id of [stale, fresh, closed]) await publish(id, ORG, NOW);
    await countInvitationsNow(await rowOf(fresh), at(9));
    await close(closed, ORG, { whatWeHeard: 'Buses', whatWeChanged: 'More buses' }, at(1));
    const first = (await kept(stale))!.eligible;
    await keen(topic, 2);

    // Ten minutes on, counting again what is older than two and a half.
    await refreshInvitationCounts(2.5 * MINUTE, at(10));
    expect((await kept(stale))?.countedAt).toEqual(at(10));
    expect((await kept(stale))?.eligible).toBe(first + 2);
    expect(await shown(stale)).toEqual(await exact(stale, at(10)));
    expect((await kept(stale))?.claimedUntil).toBeNull();
    expect((await kept(fresh))?.countedAt).toEqual(at(9));
    expect((await kept(fresh))?.eligible).toBe(first);
    expect((await kept(closed))?.countedAt).toEqual(NOW);
    expect((await kept(closed))?.eligible).toBe(first);

    // An open activity with none yet (published before there were counts) is counted too.
    const uncounted = await draft(topic);
    await publish(uncounted, ORG, NOW);
    await getDb().engagementInvitationCount.deleteMany({ where: { activityId: uncounted } });
    await refreshInvitationCounts(2.5 * MINUTE, at(11));
    expect((await kept(uncounted))?.eligible).toBe(first + 2);
  });

  it('two workers at once count each activity once, and keep what was counted', async () => {
    const topic = `topic-${randomUUID().slice(0, 8)}`;
    await keen(topic, 5);
    const ids = [await draft(topic), await draft(topic), await draft(topic)];
    for (const id of ids) await publish(id, ORG, NOW);
    await getDb().engagementInvitationCount.deleteMany({ where: { activityId: ids[2] } });
    const first = (await kept(ids[0]!))!.eligible;
    await keen(topic, 1);
    const later = at(60);
    // Every open activity due in the database (other tests' too) is counted by one of them.
    const [dueRow] = await getDb().$queryRaw<{ due: number | bigint }[]>`
      SELECT COUNT(*) AS "due" FROM "EngagementActivity" a LEFT JOIN "EngagementInvitationCount" c ON c."activityId" = a."id"
      WHERE a."status" = 'published' AND (c."activityId" IS NULL OR c."countedAt" < ${new Date(later.getTime() - MINUTE)})`;

    const [a, b] = await Promise.all([refreshInvitationCounts(MINUTE, later), refreshInvitationCounts(MINUTE, later)]);
    expect(a.counted + b.counted).toBe(Number(dueRow!.due));
    for (const id of ids) {
      expect((await kept(id))?.countedAt).toEqual(later);
      expect((await kept(id))?.claimedUntil).toBeNull();
      expect(await shown(id)).toEqual(await exact(id, later));
      expect((await kept(id))?.eligible).toBe(first + 1);
    }
  });

  it("a send ends a worker's claim: the worker's counts from before the send are not kept", async () => {
    const topic = `topic-${randomUUID().slice(0, 8)}`;
    await keen(topic, 5);
    const id = await draft(topic);
    await publish(id, ORG, NOW);
    // The worker has claimed the counts (as refreshInvitationCounts does) and is still counting.
    const lease = at(15);
    await getDb().engagementInvitationCount.update({ where: { activityId: id }, data: { claimedUntil: lease } });
    await sendInvitations(id, ORG, at(1));
    expect((await kept(id))?.claimedUntil).toBeNull();
    // Its claim has gone with the send's counts: the next round counts it again, as usual.
    await refreshInvitationCounts(MINUTE, at(10));
    expect((await kept(id))?.eligible).toBe(0);
  });

  it('the page shows the counts kept and when they were counted', async () => {
    const topic = `topic-${randomUUID().slice(0, 8)}`;
    await keen(topic, 6);
    const id = await draft(topic);
    await publish(id, ORG);
    const { countedAt, eligible } = (await kept(id))!;
    // A citizen more is not on the page until the counts are made again.
    await keen(topic, 1);
    const staff = await staffSessionCookie('engagement-coordinator');
    const path = paths.coordinator.activity(id);
    const response = await coordinatorActivityPage(new Request(`http://localhost:3000${path}`, { headers: { cookie: staff } }), {
      params: Promise.resolve({ id }),
    });
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(eligible).toBeGreaterThanOrEqual(6);
    expect(html).toContain(`${eligible} people can be invited now.`);
    expect(html).toContain(`Counted at ${formatTime(countedAt)}. When you send invitations, we check again who can be invited.`);

    // Counts from another day say which day.
    await countInvitationsNow(await rowOf(id), new Date('2026-11-20T17:30:00Z'));
    const again = await coordinatorActivityPage(new Request(`http://localhost:3000${path}`, { headers: { cookie: staff } }), {
      params: Promise.resolve({ id }),
    });
    expect(await again.text()).toContain('Counted on 20 November 2026 at 5:30pm.');
  });
});
