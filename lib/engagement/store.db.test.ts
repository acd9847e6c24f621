// Open Citizen's data access on the database under test (SQLite and PostgreSQL, see scripts/db/test-both.sh).
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { makeCitizen, useDatabaseUnderTest } from '@/lib/platform/db-test-support';
import { getDb } from '@/lib/platform/db';
import {
  addNewQuestion,
  askedBefore,
  citizenOverview,
  close,
  contributionsOf,
  createActivity,
  earlierAnswer,
  invitationCounts,
  overlapsWith,
  ownActivity,
  publish,
  responseOf,
  resultsOf,
  saveAnswer,
  savePreference,
  sendInvitations,
  sendResponse,
  setQuestions,
  updateDraft,
} from './store';

const { provider } = useDatabaseUnderTest();

const NOW = new Date('2026-12-10T12:00:00Z');

function citizen(conditions: string[] = []) {
  return makeCitizen({ longTermConditions: { create: conditions.map((name) => ({ name })) } });
}

/** A published activity of one organisation, with a new question of its own. */
async function activity(
  org: string,
  changes: { topics?: string; audienceKind?: string; audienceValue?: string | null; method?: string } = {},
  questionIds: string[] = [],
) {
  const id = await createActivity(
    { organisationCode: org, organisationName: `Org ${org}`, subject: 'coordinator' },
    { title: `Activity ${randomUUID()}`, purpose: 'To test' },
  );
  await updateDraft(id, org, {
    topics: 'transport',
    audienceKind: 'everyone',
    audienceValue: null,
    startsOn: '2026-12-01',
    endsOn: '2026-12-31',
    method: 'online-survey',
    ...changes,
  });
  if (questionIds.length) await setQuestions(id, org, questionIds);
  else await addNewQuestion(id, org, { text: 'How do you travel?', kind: 'choice', options: ['Bus', 'Car'] });
  return id;
}

const ORG_A = `ZA${randomUUID().slice(0, 6)}`;
const ORG_B = `ZB${randomUUID().slice(0, 6)}`;

describe(`engagement store on ${provider}`, () => {
  it("offers a citizen their own earlier answer to the same bank question, and never another citizen's", async () => {
    const first = await activity(ORG_A);
    await publish(first, ORG_A, NOW);
    const question = (await ownActivity(first, ORG_A)).questionList[0]!;
    const second = await activity(ORG_B, {}, [question.id]);
    await publish(second, ORG_B, NOW);

    const amy = await citizen();
    const bob = await citizen();
    await saveAnswer(first, amy, question.id, 'Bus');
    await sendResponse(first, amy, NOW);

    // Bob answered nothing: nothing to reuse, whatever Amy said.
    expect(await earlierAnswer(bob, question, second)).toBeNull();
    const offered = await earlierAnswer(amy, question, second);
    expect(offered).toMatchObject({ activityId: first, value: 'Bus' });
    // Not within the same activity.
    expect(await earlierAnswer(amy, question, first)).toBeNull();

    await saveAnswer(second, amy, question.id, offered!.value, offered!.id);
    await sendResponse(second, amy, NOW);
    const contributions = await contributionsOf(amy);
    expect(contributions.map((c) => c.activity.id).sort()).toEqual([first, second].sort());
    expect(contributions.find((c) => c.activity.id === second)!.answers).toEqual([expect.objectContaining({ value: 'Bus', reused: true })]);

    // Bob's own view holds none of Amy's answers.
    await saveAnswer(first, bob, question.id, 'Car');
    expect((await responseOf(first, bob))!.values.get(question.id)!.value).toBe('Car');
    expect(await contributionsOf(bob)).toEqual([]);
    expect((await citizenOverview(bob, NOW)).contributions).toBe(0);
  });

  it('refuses changes to sent answers and sending twice', async () => {
    const id = await activity(ORG_A);
    await publish(id, ORG_A, NOW);
    const question = (await ownActivity(id, ORG_A)).questionList[0]!;
    const amy = await citizen();
    await saveAnswer(id, amy, question.id, 'Bus');
    await sendResponse(id, amy, NOW);
    await expect(saveAnswer(id, amy, question.id, 'Car')).rejects.toMatchObject({ status: 409 });
    await expect(sendResponse(id, amy, NOW)).rejects.toMatchObject({ status: 409 });
  });

  it("invites only eligible citizens, counting every organisation's invitations this month against their limit", async () => {
    const topic = `topic-${randomUUID().slice(0, 8)}`;
    const earlierId = await activity(ORG_B, { topics: topic });
    await publish(earlierId, ORG_B, NOW);
    const id = await activity(ORG_A, { topics: topic, audienceKind: 'condition', audienceValue: 'Asthma' });
    await publish(id, ORG_A, NOW);

    const keen = await citizen(['asthma']);
    const full = await citizen(['Asthma']);
    const noCondition = await citizen([]);
    const unwilling = await citizen(['Asthma']);
    const silent = await citizen(['Asthma']);
    const paperOnly = await citizen(['Asthma']);
    await savePreference(keen, { wantsInvitations: true, topics: [topic], monthlyLimit: 1 });
    await savePreference(full, { wantsInvitations: true, topics: [topic], monthlyLimit: 1 });
    await savePreference(noCondition, { wantsInvitations: true, topics: [topic] });
    await savePreference(unwilling, { wantsInvitations: false });
    await savePreference(paperOnly, { wantsInvitations: true, methods: ['paper'] });
    // Last month's invitation does not count; this month's from another organisation does.
    await getDb().engagementInvitation.create({ data: { activityId: earlierId, userId: keen, sentAt: new Date('2026-11-30T23:59:00Z') } });
    await getDb().engagementInvitation.create({ data: { activityId: earlierId, userId: full, sentAt: new Date('2026-12-01T00:00:00Z') } });

    const row = await getDb().engagementActivity.findUniqueOrThrow({ where: { id } });
    const counts = await invitationCounts(row, NOW);
    expect(counts.userIds).toContain(keen);
    for (const user of [full, noCondition, unwilling, silent, paperOnly]) expect(counts.userIds).not.toContain(user);
    const reasons = Object.fromEntries(counts.excluded.map((e) => [e.reason, e.count]));
    expect(reasons['monthly-limit']).toBeGreaterThanOrEqual(1);
    expect(reasons['not-in-audience']).toBeGreaterThanOrEqual(1);
    expect(reasons.method).toBeGreaterThanOrEqual(1);

    const sent = await sendInvitations(id, ORG_A, NOW);
    expect(sent).toBe(counts.eligible);
    expect(await getDb().engagementInvitation.count({ where: { activityId: id, userId: { in: [full, noCondition, unwilling, silent, paperOnly] } } })).toBe(0);
    expect((await citizenOverview(keen, NOW)).invitations.map((a) => a.id)).toContain(id);
    // Sending again invites no one twice.
    await sendInvitations(id, ORG_A, NOW);
    expect(await getDb().engagementInvitation.count({ where: { activityId: id, userId: keen } })).toBe(1);
  });

  it('finds overlapping activities of other organisations and the results of questions already asked, suppressed', async () => {
    const topic = `topic-${randomUUID().slice(0, 8)}`;
    const theirs = await activity(ORG_B, { topics: topic });
    await publish(theirs, ORG_B, NOW);
    const question = (await ownActivity(theirs, ORG_B)).questionList[0]!;
    for (const answer of ['Bus', 'Bus', 'Bus', 'Bus', 'Bus', 'Car']) {
      const user = await citizen();
      await saveAnswer(theirs, user, question.id, answer);
      await sendResponse(theirs, user, NOW);
    }
    const draft = await activity(ORG_A, { topics: topic }, [question.id]);
    const ours = await ownActivity(draft, ORG_A);
    expect((await overlapsWith(ours)).map((a) => a.id)).toEqual([theirs]);

    const asked = await askedBefore(ours);
    expect(asked).toHaveLength(1);
    expect(asked[0]!.summary.answered).toBe(6);
    // Car (1) is hidden, and so is the only other group: otherwise 6 - 5 gives it away.
    expect(asked[0]!.summary.rows.map((r) => r.count)).toEqual([null, null]);

    const results = await resultsOf(await ownActivity(theirs, ORG_B));
    expect(results.responses).toBe(6);
    // Another organisation cannot open it.
    await expect(ownActivity(theirs, ORG_A)).rejects.toMatchObject({ status: 404 });
  });

  it('tells people who took part what changed when the activity closes', async () => {
    const id = await activity(ORG_A);
    await publish(id, ORG_A, NOW);
    const question = (await ownActivity(id, ORG_A)).questionList[0]!;
    const amy = await citizen();
    const bob = await citizen();
    await saveAnswer(id, amy, question.id, 'Bus');
    await sendResponse(id, amy, NOW);
    await close(id, ORG_A, { whatWeHeard: '<b>Buses</b>', whatWeChanged: 'More buses' }, NOW);
    expect((await citizenOverview(amy, NOW)).youSaidWeDid).toEqual([expect.objectContaining({ id, whatWeHeard: '<b>Buses</b>' })]);
    expect((await citizenOverview(bob, NOW)).youSaidWeDid).toEqual([]);
    await expect(close(id, ORG_B, { whatWeHeard: 'x', whatWeChanged: 'y' }, NOW)).rejects.toMatchObject({ status: 409 });
  });
});
