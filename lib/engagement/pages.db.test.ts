// Open Citizen's question pages in-process (a Request in, a Response out): the platform's formPage
// with the coordinator's and the citizen's routes, what each step loads, and the GOV.UK date input.
import { describe, expect, it } from 'vitest';
import { citizenSessionCookie, makeCitizen, staffSessionCookie, useDatabaseUnderTest } from '@/lib/platform/db-test-support';
import { browserCsrf, formPost } from '@/lib/platform/testing/requests';
import { questionPage, topicsPage } from './citizen-pages';
import { engagementPaths as paths } from './paths';
import { datesStepPage, topicsStepPage } from './staff-pages';
import { addNewQuestion, createActivity, ownActivity, preferenceOf, publish, saveAnswer, sendResponse, setQuestions, updateDraft } from './store';
import { datesForm } from './test-support';

useDatabaseUnderTest();

/** staffSessionCookie's organisation. */
const ORG = 'ZZ0001';
const params = (id: string, n?: number) => ({ params: Promise.resolve(n === undefined ? { id } : { id, n: String(n) }) });

function get(path: string, cookie: string): Request {
  return new Request(`http://localhost:3000${path}`, { headers: { cookie } });
}

function post(path: string, cookie: string, fields: Record<string, string | string[]>): Request {
  const csrf = browserCsrf();
  return formPost(path, fields, { csrf, headers: { cookie: `${csrf.cookie}; ${cookie}` } });
}

async function draft(org = ORG): Promise<string> {
  return createActivity({ organisationCode: org, organisationName: 'Demo Lane Surgery', subject: 'coordinator' }, { title: 'Buses', purpose: 'To plan buses' });
}

describe("the coordinator's steps", () => {
  it('shows the saved dates in the date input, refuses a date without its month (422) and saves real ones (303)', async () => {
    const staff = await staffSessionCookie('engagement-coordinator');
    const id = await draft();
    await updateDraft(id, ORG, { startsOn: '2027-03-07', endsOn: '2027-04-30' });
    const path = paths.coordinator.dates(id);

    const shown = await datesStepPage.GET(get(path, staff), params(id));
    expect(shown.status).toBe(200);
    const html = await shown.text();
    expect(html).toMatch(/id="starts-day" name="starts-day"[^>]*value="7"/);
    expect(html).toMatch(/id="starts-month" name="starts-month"[^>]*value="3"/);
    expect(html).toMatch(/id="ends-year" name="ends-year"[^>]*value="2027"/);

    const refused = await datesStepPage.POST(post(path, staff, datesForm(['1', '', '2027'], ['31', '12', '2027'])), params(id));
    expect(refused.status).toBe(422);
    const errors = await refused.text();
    expect(errors).toMatch(/<title>Error: /);
    expect(errors).toContain('<a href="#starts-month">Start date must include a month</a>');
    expect(errors).toMatch(/id="ends-day" name="ends-day"[^>]*value="31"/);

    const saved = await datesStepPage.POST(post(`${path}?return=check`, staff, datesForm(['1', '12', '2027'], ['31', '12', '2027'])), params(id));
    expect(saved.status).toBe(303);
    expect(saved.headers.get('location')).toBe(paths.coordinator.checkAnswers(id));
    expect(await ownActivity(id, ORG)).toMatchObject({ startsOn: '2027-12-01', endsOn: '2027-12-31' });
  });

  it('keeps every ticked box when a checkbox step is shown again with an error', async () => {
    const staff = await staffSessionCookie('engagement-coordinator');
    const id = await draft();
    const path = paths.coordinator.topics(id);
    const refused = await topicsStepPage.POST(post(path, staff, { topics: ['transport', 'made-up'] }), params(id));
    expect(refused.status).toBe(422);
    expect(await refused.text()).toMatch(/name="topics" type="checkbox" value="transport" checked/);
    const saved = await topicsStepPage.POST(post(path, staff, { topics: 'transport' }), params(id));
    expect(saved.headers.get('location')).toBe(paths.coordinator.audience(id));
  });

  it('sends a published activity\'s steps to its overview, and answers "not found" for another organisation\'s', async () => {
    const staff = await staffSessionCookie('engagement-coordinator');
    const id = await draft();
    await updateDraft(id, ORG, { topics: 'transport', startsOn: '2027-01-01', endsOn: '2027-01-31', method: 'online-survey' });
    await addNewQuestion(id, ORG, { text: 'How do you travel?', kind: 'text', options: [] });
    await publish(id, ORG);
    const step = await datesStepPage.POST(post(paths.coordinator.dates(id), staff, datesForm(['1', '1', '2027'], ['2', '1', '2027'])), params(id));
    expect(step.status).toBe(303);
    expect(step.headers.get('location')).toBe(paths.coordinator.activity(id));

    const theirs = await draft('ZZ9999');
    expect((await datesStepPage.GET(get(paths.coordinator.dates(theirs), staff), params(theirs))).status).toBe(404);
  });

  it('is for engagement coordinators only', async () => {
    const id = await draft();
    const path = paths.coordinator.dates(id);
    const other = await staffSessionCookie('care-professional');
    expect((await datesStepPage.GET(get(path, other), params(id))).status).toBe(403);
    const refused = await datesStepPage.POST(post(path, other, datesForm(['1', '1', '2027'], ['2', '1', '2027'])), params(id));
    expect(refused.status).toBe(403);
    const signedOut = await datesStepPage.GET(get(path, ''), params(id));
    expect(signedOut.status).toBe(303);
    expect(signedOut.headers.get('location')).toBe('/staff/sign-in');
    expect((await ownActivity(id, ORG)).startsOn).toBeNull();
  });
});

describe("the citizen's questions", () => {
  it('saves a preference from checkboxes', async () => {
    const userId = await makeCitizen();
    const citizen = await citizenSessionCookie(userId);
    const saved = await topicsPage.POST(post(paths.topics, citizen, { topics: ['transport'] }), params(''));
    expect(saved.status).toBe(303);
    expect(saved.headers.get('location')).toBe(paths.preferencesSaved);
    expect((await preferenceOf(userId))?.topics).toEqual(['transport']);
  });

  it('offers an earlier answer on opening a question, but takes a new answer sent to it', async () => {
    const first = await draft();
    await updateDraft(first, ORG, { topics: 'transport', startsOn: '2000-01-01', endsOn: '2999-12-31', method: 'online-survey' });
    await addNewQuestion(first, ORG, { text: 'How do you travel?', kind: 'choice', options: ['Bus', 'Car'] });
    await publish(first, ORG);
    const question = (await ownActivity(first, ORG)).questionList[0]!;
    const second = await draft();
    await updateDraft(second, ORG, { topics: 'transport', startsOn: '2000-01-01', endsOn: '2999-12-31', method: 'online-survey' });
    await setQuestions(second, ORG, [question.id]);
    await publish(second, ORG);

    const userId = await makeCitizen();
    const citizen = await citizenSessionCookie(userId);
    await saveAnswer(first, userId, question.id, 'Bus');
    await sendResponse(first, userId);

    const path = paths.question(second, 1);
    const opened = await questionPage.GET(get(path, citizen), params(second, 1));
    expect(opened.status).toBe(303);
    expect(opened.headers.get('location')).toBe(paths.earlierAnswer(second, 1));

    const answered = await questionPage.POST(post(path, citizen, { answer: 'Car' }), params(second, 1));
    expect(answered.status).toBe(303);
    expect(answered.headers.get('location')).toBe(paths.checkAnswers(second));
  });
});
