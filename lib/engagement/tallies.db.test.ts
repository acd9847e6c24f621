// The running totals the coordinator's pages read (EngagementActivityTally and
// EngagementAnswerTally, kept by the triggers of the engagement_scale migrations) must always equal
// a count of the rows, whatever writes them: the app's own steps, and the other ways rows change
// (an account merged or closed, an answer or response removed, an activity deleted). And the
// results and "asked before" read from them must be exactly what counting the sent responses gives.
// Runs on SQLite and PostgreSQL, like every database test.
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { makeCitizen, useDatabaseUnderTest } from '@/lib/platform/db-test-support';
import { getDb } from '@/lib/platform/db';
import { publishedCount, SMALLEST_GROUP, summariseAnswers } from './rules';
import {
  activitiesOf,
  addNewQuestion,
  askedBefore,
  createActivity,
  ownActivity,
  publish,
  resultsOf,
  saveAnswer,
  sendInvitations,
  sendResponse,
  setQuestions,
  updateDraft,
} from './store';
import { generator } from './test-support';

const { provider } = useDatabaseUnderTest();

const NOW = new Date('2026-12-10T12:00:00Z');
const ORG = `ZG${randomUUID().slice(0, 6)}`;
const OTHER_ORG = `ZH${randomUUID().slice(0, 6)}`;
const SEED = Math.floor(Math.random() * 2 ** 31);

async function publishedActivity(org: string, questionIds: string[] = []) {
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
    method: null,
  });
  if (questionIds.length) await setQuestions(id, org, questionIds);
  else {
    await addNewQuestion(id, org, { text: 'How do you travel?', kind: 'choice', options: ['Bus', 'Car', 'Bike'] });
    await addNewQuestion(id, org, { text: 'What would help?', kind: 'text', options: [] });
    await addNewQuestion(id, org, { text: 'Which do you use?', kind: 'multiple-choice', options: ['Trains', 'Trams', 'Taxis'] });
    await addNewQuestion(id, org, { text: 'How easy was it?', kind: 'scale', options: [] });
  }
  await publish(id, org, NOW);
  return id;
}

/** The totals counted from the rows themselves. */
async function countedFromRows(activityIds: string[]) {
  const db = getDb();
  const [invitations, responses, answers] = await Promise.all([
    db.engagementInvitation.groupBy({ by: ['activityId'], where: { activityId: { in: activityIds } }, _count: { _all: true } }),
    db.engagementResponse.groupBy({ by: ['activityId'], where: { activityId: { in: activityIds }, submittedAt: { not: null } }, _count: { _all: true } }),
    db.engagementAnswer.findMany({ where: { response: { activityId: { in: activityIds }, submittedAt: { not: null } } }, include: { response: true } }),
  ]);
  const answerCounts = new Map<string, number>();
  for (const answer of answers) {
    const key = JSON.stringify([answer.response.activityId, answer.questionId, answer.value]);
    answerCounts.set(key, (answerCounts.get(key) ?? 0) + 1);
  }
  return {
    activities: activityIds
      .map((activityId) => ({
        activityId,
        invitations: invitations.find((row) => row.activityId === activityId)?._count._all ?? 0,
        responses: responses.find((row) => row.activityId === activityId)?._count._all ?? 0,
      }))
      .sort((a, b) => a.activityId.localeCompare(b.activityId)),
    answers: [...answerCounts.entries()]
      .map(([key, count]) => [...(JSON.parse(key) as string[]), count])
      .sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b))),
  };
}

async function tallied(activityIds: string[]) {
  const db = getDb();
  const [activities, answers] = await Promise.all([
    db.engagementActivityTally.findMany({ where: { activityId: { in: activityIds } } }),
    db.engagementAnswerTally.findMany({ where: { activityId: { in: activityIds } } }),
  ]);
  return {
    activities: activities.sort((a, b) => a.activityId.localeCompare(b.activityId)),
    // Every row has its count; a count of 0 is a row that should have gone.
    answers: answers.map((row) => [row.activityId, row.questionId, row.value, row.answers]).sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b))),
  };
}

/** resultsOf as counting the sent responses gives it: the first whole batches, in the order sent. */
async function expectedResults(activityId: string, org: string) {
  const activity = await ownActivity(activityId, org);
  const sent = await getDb().engagementResponse.findMany({ where: { activityId, submittedAt: { not: null } }, include: { answers: true } });
  sent.sort((a, b) => a.submittedAt!.getTime() - b.submittedAt!.getTime() || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const published = sent.slice(0, publishedCount(sent.length));
  const valuesOf = (questionId: string) =>
    published.flatMap((response) =>
      response.answers.filter((answer) => answer.questionId === questionId).map((answer) => JSON.parse(answer.value) as string | string[]),
    );
  return {
    responses: published.length,
    questions: activity.questionList.map((question) => ({ question, summary: summariseAnswers(question, valuesOf(question.id)) })),
    answered: activity.questionList.map((question) => valuesOf(question.id).length),
    // What "asked before" shows of it to another organisation: no words, and nothing from a small group.
    asked: activity.questionList.map((question) => {
      const values = valuesOf(question.id).map((value) => (question.kind === 'text' ? '' : value));
      return { question, summary: { ...summariseAnswers(question, values.length >= SMALLEST_GROUP ? values : []), texts: [] } };
    }),
  };
}

const ANSWERS: Record<string, (string | string[])[]> = {
  choice: ['Bus', 'Car', 'Bike'],
  text: ['More buses', 'Cheaper fares', 'A bench at my stop', 'x'.repeat(2000), 'Ŵ'.repeat(2000)],
  'multiple-choice': [['Trains'], ['Trains', 'Trams'], ['Taxis'], ['Trains', 'Trams', 'Taxis']],
  scale: ['1', '2', '3', '4', '5'],
};

describe(`the coordinator's running totals on ${provider}`, () => {
  it('always equal a count of the rows, and give exactly the results counting gives', async () => {
    const random = generator(SEED);
    const db = getDb();
    const first = await publishedActivity(ORG);
    const questions = (await ownActivity(first, ORG)).questionList;
    const second = await publishedActivity(
      ORG,
      questions.map((question) => question.id),
    );
    const activities = [first, second];
    // Another organisation's draft with the same questions: its "asked before" shows these.
    const theirDraft = await createActivity(
      { organisationCode: OTHER_ORG, organisationName: 'Other', subject: 'coordinator' },
      { title: 'Theirs', purpose: 'To test' },
    );
    await setQuestions(theirDraft, OTHER_ORG, [questions[0]!.id]);

    const people: string[] = [];
    for (let n = 0; n < 24; n += 1) people.push(await makeCitizen({ engagementPreference: { create: { wantsInvitations: true, monthlyLimit: 8 } } }));
    await sendInvitations(first, ORG, NOW);

    const check = async (step: string) => {
      const about = `seed ${SEED}, after ${step}`;
      expect(await tallied(activities), about).toEqual(await countedFromRows(activities));
      for (const activityId of activities) {
        const expected = await expectedResults(activityId, ORG);
        expect(await resultsOf(await ownActivity(activityId, ORG)), about).toEqual({ responses: expected.responses, questions: expected.questions });
        const listed = (await activitiesOf(ORG)).find((activity) => activity.id === activityId)!;
        const counted = (await countedFromRows([activityId])).activities[0]!;
        expect(listed._count, about).toEqual({ invitations: counted.invitations, responses: counted.responses });
      }
      // "Asked before", from another organisation: both activities asked their question.
      const [asked] = await askedBefore(await ownActivity(theirDraft, OTHER_ORG));
      expect(asked?.askers.map((asker) => asker.id).sort(), about).toEqual([...activities].sort());
    };
    await check('sending invitations');

    // Answers, drafts and sent responses, some sent at the same moment (then ordered by id).
    let sentAt = NOW.getTime();
    for (const [n, person] of people.entries()) {
      const activityId = random.pick(activities);
      for (const question of questions) {
        if (random.next() < 0.85) await saveAnswer(activityId, person, question.id, random.pick(ANSWERS[question.kind]!));
      }
      const answered = await db.engagementResponse.findUnique({ where: { activityId_userId: { activityId, userId: person } } });
      if (answered && random.next() < 0.8) {
        if (random.next() < 0.7) sentAt += 1000;
        await sendResponse(activityId, person, new Date(sentAt));
      }
      if (n % 8 === 7) await check(`${n + 1} people answered`);
    }
    await check('everyone answered');

    // Rows changed other than by the app's steps.
    const sent = await db.engagementResponse.findMany({ where: { activityId: { in: activities }, submittedAt: { not: null } }, include: { answers: true } });
    const withAnswers = sent.filter((response) => response.answers.length > 1);
    const changedAnswer = withAnswers[0]!.answers[0]!;
    await db.engagementAnswer.update({ where: { id: changedAnswer.id }, data: { value: JSON.stringify('Changed by hand') } });
    await check('an answer changed by hand');
    await db.engagementAnswer.delete({ where: { id: withAnswers[1]!.answers[0]!.id } });
    await check('an answer removed');
    const unsent = withAnswers[2]!;
    await db.engagementResponse.update({ where: { id: unsent.id }, data: { submittedAt: null } });
    await check('a response unsent');
    await db.engagementResponse.update({ where: { id: unsent.id }, data: { submittedAt: new Date(NOW.getTime() - 1) } });
    await check('the response sent again, first of all');
    await db.engagementResponse.delete({ where: { id: withAnswers[3]!.id } });
    await check('a response removed');
    // Closing an account: everything of theirs goes with them.
    await db.user.delete({ where: { id: withAnswers[4]!.userId } });
    await check('an account closed');
    // Merging accounts moves invitations and responses to the other account, and drops clashes.
    const [from, to] = [withAnswers[5]!.userId, await makeCitizen()];
    await db.engagementInvitation.deleteMany({
      where: { userId: from, activityId: { in: (await db.engagementInvitation.findMany({ where: { userId: to } })).map((i) => i.activityId) } },
    });
    await db.engagementInvitation.updateMany({ where: { userId: from }, data: { userId: to } });
    await db.engagementResponse.updateMany({ where: { userId: from }, data: { userId: to } });
    await check('accounts merged');
    // An invitation moved to the other activity, and one removed.
    const invitation = await db.engagementInvitation.findFirstOrThrow({
      where: { activityId: first, userId: { notIn: (await db.engagementInvitation.findMany({ where: { activityId: second } })).map((i) => i.userId) } },
    });
    await db.engagementInvitation.update({ where: { id: invitation.id }, data: { activityId: second } });
    await db.engagementInvitation.deleteMany({ where: { activityId: first, userId: people[0] } });
    await check('invitations moved and removed');

    // "Asked before" shows their question combined from both activities, as counting gives it.
    const [asked] = await askedBefore(await ownActivity(theirDraft, OTHER_ORG));
    const both = await Promise.all(activities.map((activityId) => expectedResults(activityId, ORG)));
    const answered = both.reduce((sum, results) => sum + results.answered[0]!, 0);
    expect(asked!.organisationsShown, `seed ${SEED}`).toBe(answered >= SMALLEST_GROUP ? 1 : 0);
    expect(asked!.summary.answered, `seed ${SEED}`).toBe(answered >= SMALLEST_GROUP ? answered : null);

    // A deleted activity takes its totals with it.
    await db.engagementActivity.delete({ where: { id: second } });
    expect(await tallied([second])).toEqual({ activities: [], answers: [] });
    expect(await tallied([first]), `seed ${SEED}`).toEqual(await countedFromRows([first]));
  });

  it("shows another organisation's answers exactly as counting them gives, in whole batches", async () => {
    const random = generator(SEED + 1);
    const theirs = await publishedActivity(OTHER_ORG);
    const questions = (await ownActivity(theirs, OTHER_ORG)).questionList;
    const ours = await createActivity({ organisationCode: ORG, organisationName: 'Ours', subject: 'coordinator' }, { title: 'Ours', purpose: 'To test' });
    await setQuestions(
      ours,
      ORG,
      questions.map((question) => question.id),
    );
    for (let n = 0; n < 13; n += 1) {
      const person = await makeCitizen();
      for (const question of questions) await saveAnswer(theirs, person, question.id, random.pick(ANSWERS[question.kind]!));
      await sendResponse(theirs, person, new Date(NOW.getTime() + n));
      const expected = await expectedResults(theirs, OTHER_ORG);
      const asked = await askedBefore(await ownActivity(ours, ORG));
      expect(
        asked.map((row) => ({ question: row.question, summary: row.summary })),
        `seed ${SEED + 1}, ${n + 1} sent`,
      ).toEqual(expected.asked);
    }
  });
});
