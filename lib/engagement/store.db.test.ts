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

const ASTHMA = { code: '195967001', name: 'Asthma' };

/** A citizen with these conditions: chosen from the list (with their code), or typed in their own words (a string). */
function citizen(conditions: (string | { code: string; name: string })[] = []) {
  return makeCitizen({ longTermConditions: { create: conditions.map((condition) => (typeof condition === 'string' ? { name: condition } : condition)) } });
}

/** A published activity of one organisation, with a new question of its own. */
async function activity(
  org: string,
  changes: { topics?: string; audienceKind?: string; audienceValue?: string | null; method?: string } = {},
  questionIds: string[] = [],
) {
  const id = await createActivity(
    { organisationCode: org, organisationName: 'Test Lane Surgery', subject: 'coordinator' },
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
    const id = await activity(ORG_A, { topics: topic, audienceKind: 'condition', audienceValue: ASTHMA.code });
    await publish(id, ORG_A, NOW);

    const keen = await citizen([ASTHMA]);
    const full = await citizen([ASTHMA]);
    // "Asthma" typed in their own words has no code: it is not matched.
    const noCondition = await citizen(['Asthma']);
    const unwilling = await citizen([ASTHMA]);
    const silent = await citizen([ASTHMA]);
    const paperOnly = await citizen([ASTHMA]);
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
    // Who exactly is invited is checked on what sendInvitations writes, below.
    expect(counts.eligible).toBeGreaterThanOrEqual(1);
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

  /** People who each send one answer to a question of an activity. */
  async function answered(activityId: string, questionId: string, answers: string[]) {
    for (const answer of answers) {
      const user = await citizen();
      await saveAnswer(activityId, user, questionId, answer);
      await sendResponse(activityId, user, NOW);
    }
  }

  it('finds overlapping activities of other organisations and the results of questions already asked, suppressed', async () => {
    const topic = `topic-${randomUUID().slice(0, 8)}`;
    const theirs = await activity(ORG_B, { topics: topic });
    await publish(theirs, ORG_B, NOW);
    const question = (await ownActivity(theirs, ORG_B)).questionList[0]!;
    await answered(theirs, question.id, ['Bus', 'Bus', 'Bus', 'Bus', 'Car', 'Car']);
    const draft = await activity(ORG_A, { topics: topic }, [question.id]);
    const ours = await ownActivity(draft, ORG_A);
    expect((await overlapsWith(ours)).map((a) => a.id)).toEqual([theirs]);

    // Results come in whole batches of 5: the sixth answer is not in them yet.
    const asked = await askedBefore(ours);
    expect(asked).toHaveLength(1);
    expect(asked[0]!.summary.answered).toBe(5);
    // Car (1) is hidden, and so is the only other group: otherwise 5 - 1 gives it away.
    expect(asked[0]!.summary.rows.map((r) => r.count)).toEqual([null, null]);
    expect((await resultsOf(await ownActivity(theirs, ORG_B))).responses).toBe(5);
    await answered(theirs, question.id, ['Bus', 'Bus', 'Bus', 'Car']);
    expect((await resultsOf(await ownActivity(theirs, ORG_B))).responses).toBe(10);
    // Another organisation cannot open it.
    await expect(ownActivity(theirs, ORG_A)).rejects.toMatchObject({ status: 404 });
  });

  it('cannot be differenced: another organisation with a small group is never combined with our own answers', async () => {
    // The attack: our own earlier activity and another organisation's both asked the question.
    // Before, "asked before" combined them, and taking our own results away left theirs.
    const org = `ZC${randomUUID().slice(0, 6)}`;
    const other = `ZD${randomUUID().slice(0, 6)}`;
    const ownEarlier = await activity(org);
    await publish(ownEarlier, org, NOW);
    const question = (await ownActivity(ownEarlier, org)).questionList[0]!;
    await answered(ownEarlier, question.id, ['Bus', 'Bus', 'Bus', 'Bus', 'Bus', 'Car', 'Car', 'Car', 'Car', 'Car']);
    const theirs = await activity(other, {}, [question.id]);
    await publish(theirs, other, NOW);
    await answered(theirs, question.id, ['Bus', 'Bus']);

    const draft = await ownActivity(await activity(org, {}, [question.id]), org);
    const [asked] = await askedBefore(draft);
    // Only the other organisation asked it, as far as this page goes; with 2 answers it shows nothing.
    expect(asked!.askers.map((a) => a.id)).toEqual([theirs]);
    expect(asked!.summary).toEqual({ answered: null, rows: [], texts: [] });
    // Our own results are ours alone: nothing of theirs in them.
    expect((await resultsOf(await ownActivity(ownEarlier, org))).questions[0]!.summary.rows.map((r) => r.count)).toEqual([5, 5]);

    // Once they have 5 answers of their own, they are shown, with small groups hidden.
    await answered(theirs, question.id, ['Bus', 'Bus', 'Car']);
    const [later] = await askedBefore(draft);
    expect(later!.summary.answered).toBe(5);
    expect(later!.summary.rows.map((r) => r.count)).toEqual([null, null]);
  });

  it("never shows another organisation's answers in people's own words", async () => {
    const org = `ZE${randomUUID().slice(0, 6)}`;
    const other = `ZF${randomUUID().slice(0, 6)}`;
    const theirs = await activity(other);
    await addNewQuestion(theirs, other, { text: 'What would help?', kind: 'text', options: [] });
    await publish(theirs, other, NOW);
    const textQuestion = (await ownActivity(theirs, other)).questionList.find((q) => q.kind === 'text')!;
    await answered(theirs, textQuestion.id, ['More buses', 'Cheaper fares', 'Later trains', 'Safer paths', 'A bench at my stop']);
    const [asked] = await askedBefore(await ownActivity(await activity(org, {}, [textQuestion.id]), org));
    expect(asked!.summary.answered).toBe(5);
    expect(asked!.summary.texts).toEqual([]);
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
