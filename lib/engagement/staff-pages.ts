import { staffPage, type StaffPageRequest } from '@/lib/identity/public';
import { csvResponse, toCsv } from '@/lib/platform/csv';
import { readForm } from '@/lib/platform/forms';
import { renderPage } from '@/lib/platform/page';
import { redirect } from '@/lib/platform/render';
import { describeActivity } from './citizen-pages';
import {
  aboutSchema,
  activityTopicsSchema,
  audienceSchema,
  bankSchema,
  closeSchema,
  datesSchema,
  formRoutes,
  MAX_PURPOSE,
  MAX_QUESTION,
  MAX_YOU_SAID,
  methodSchema,
  newQuestionSchema,
  pathAfter,
} from './forms';
import { METHODS, QUESTION_KINDS, splitList, TOPICS, type Question, type QuestionResult } from './rules';
import {
  activitiesOf,
  addNewQuestion,
  askedBefore,
  close,
  createActivity,
  invitationCounts,
  overlapsWith,
  ownActivity,
  publish,
  questionBank,
  resultsOf,
  sendInvitations,
  setQuestions,
  updateDraft,
  type OwnActivity,
} from './store';

/** The engagement coordinator's side: create, check for overlap, publish, invite, results, close. */

const wrap = ((handler: (page: StaffPageRequest) => Promise<Response>) => staffPage('engagement-coordinator', handler)) as (
  handler: (page: StaffPageRequest) => Promise<Response>,
) => (req: Request) => Promise<Response>;

const HOME = '/staff/engagement';
const activityPath = (id: string) => `${HOME}/activities/${encodeURIComponent(id)}`;
const orgOf = (page: StaffPageRequest) => page.staff.organisationCode;
const staffContext = { staffSignedIn: true };

const KIND_NAMES: Record<string, string> = Object.fromEntries(QUESTION_KINDS.map((k) => [k.value, k.text]));

export function describeQuestion(question: Question) {
  const answers = question.kind === 'choice' || question.kind === 'multiple-choice' ? `: ${question.options.join(', ')}` : '';
  return `${KIND_NAMES[question.kind] ?? question.kind}${answers}`;
}

export const coordinatorHomePage = wrap(async (page) => {
  const activities = await activitiesOf(orgOf(page));
  return renderPage(page, 'engagement/staff/home.njk', {
    ...staffContext,
    organisationName: page.staff.organisationName,
    activities: activities.map((a) => ({ ...describeActivity(a), responses: a._count.responses, invitations: a._count.invitations })),
  });
});

// ---- Creating an activity, one step at a time ---------------------------------------------

/** The order of the steps; "Change" on check answers comes back to it. */
const STEPS = ['topics', 'audience', 'dates', 'method', 'questions', 'check-answers'] as const;

function nextAfter(step: (typeof STEPS)[number] | 'about', activityId: string, page: StaffPageRequest): string {
  const base = activityPath(activityId);
  if (page.url.searchParams.get('return') === 'check') return `${base}/check-answers`;
  return `${base}/${STEPS[step === 'about' ? 0 : STEPS.indexOf(step) + 1]}`;
}

function backFrom(step: (typeof STEPS)[number], activityId: string, page: StaffPageRequest): string {
  const base = activityPath(activityId);
  if (page.url.searchParams.get('return') === 'check') return `${base}/check-answers`;
  const index = STEPS.indexOf(step);
  return index === 0 ? `${base}/about` : `${base}/${STEPS[index - 1]}`;
}

/** A draft of this organisation's; once published, its steps lead to its overview instead. */
async function loadDraft(page: StaffPageRequest): Promise<OwnActivity | Response> {
  const activity = await ownActivity(pathAfter(page, 'activities'), orgOf(page));
  return activity.status === 'draft' ? activity : redirect(activityPath(activity.id));
}

const caption = 'Create an activity';

export const newActivityPage = formRoutes(wrap, {
  view: 'engagement/staff/about.njk',
  load: async () => null,
  schema: () => aboutSchema,
  context: (_none, page) => ({ ...staffContext, caption, backLink: HOME, organisationName: page.staff.organisationName, maxPurpose: MAX_PURPOSE }),
  onValid: async (about, _none, page) => {
    const id = await createActivity(
      { organisationCode: page.staff.organisationCode, organisationName: page.staff.organisationName, subject: page.staff.subject },
      about,
    );
    return nextAfter('about', id, page);
  },
});

export const aboutPage = formRoutes(wrap, {
  view: 'engagement/staff/about.njk',
  load: loadDraft,
  schema: () => aboutSchema,
  context: (activity, page) => ({
    ...staffContext, caption, organisationName: page.staff.organisationName, maxPurpose: MAX_PURPOSE,
    backLink: page.url.searchParams.get('return') === 'check' ? `${activityPath(activity.id)}/check-answers` : HOME,
  }),
  values: (activity) => ({ title: activity.title, purpose: activity.purpose }),
  onValid: async (about, activity, page) => {
    await updateDraft(activity.id, orgOf(page), about);
    return nextAfter('about', activity.id, page);
  },
});

export const topicsStepPage = formRoutes(wrap, {
  view: 'engagement/question.njk',
  load: loadDraft,
  schema: () => activityTopicsSchema,
  context: (activity, page) => ({
    ...staffContext, caption, backLink: backFrom('topics', activity.id, page),
    field: { kind: 'checkboxes', name: 'topics', heading: 'What topics is the activity about?', hint: 'Select all that apply.', items: TOPICS },
  }),
  values: (activity) => ({ topics: splitList(activity.topics) }),
  lists: ['topics'],
  onValid: async (data, activity, page) => {
    await updateDraft(activity.id, orgOf(page), { topics: data.topics.join(',') });
    return nextAfter('topics', activity.id, page);
  },
});

export const audienceStepPage = formRoutes(wrap, {
  view: 'engagement/staff/audience.njk',
  load: loadDraft,
  schema: () => audienceSchema,
  context: (activity, page) => ({ ...staffContext, caption, backLink: backFrom('audience', activity.id, page) }),
  values: (activity) => ({
    audienceKind: activity.audienceKind,
    condition: activity.audienceKind === 'condition' ? activity.audienceValue : '',
    area: activity.audienceKind === 'area' ? activity.audienceValue : '',
  }),
  onValid: async (data, activity, page) => {
    await updateDraft(activity.id, orgOf(page), data);
    return nextAfter('audience', activity.id, page);
  },
});

const dateParts = (day: string | null) => {
  const [year, month, date] = (day ?? '').split('-');
  return { year: year ?? '', month: month ? String(Number(month)) : '', day: date ? String(Number(date)) : '' };
};

export const datesStepPage = formRoutes(wrap, {
  view: 'engagement/staff/dates.njk',
  load: loadDraft,
  schema: () => datesSchema,
  context: (activity, page) => ({ ...staffContext, caption, backLink: backFrom('dates', activity.id, page) }),
  values: (activity) => {
    const starts = dateParts(activity.startsOn);
    const ends = dateParts(activity.endsOn);
    return {
      startsDay: starts.day, startsMonth: starts.month, startsYear: starts.year,
      endsDay: ends.day, endsMonth: ends.month, endsYear: ends.year,
    };
  },
  onValid: async (data, activity, page) => {
    await updateDraft(activity.id, orgOf(page), data);
    return nextAfter('dates', activity.id, page);
  },
});

export const methodStepPage = formRoutes(wrap, {
  view: 'engagement/question.njk',
  load: loadDraft,
  schema: () => methodSchema,
  context: (activity, page) => ({
    ...staffContext, caption, backLink: backFrom('method', activity.id, page),
    field: {
      kind: 'radios', name: 'method', heading: 'How will people take part?', items: METHODS,
      hint: 'People who take part online answer the questions in this service. For other ways, you contact the people invited.',
    },
  }),
  values: (activity) => ({ method: activity.method ?? undefined }),
  onValid: async (data, activity, page) => {
    await updateDraft(activity.id, orgOf(page), data);
    return nextAfter('method', activity.id, page);
  },
});

type QuestionsStep = { activity: OwnActivity; bank: Question[] };

async function loadQuestions(page: StaffPageRequest): Promise<QuestionsStep | Response> {
  const activity = await loadDraft(page);
  if (activity instanceof Response) return activity;
  return { activity, bank: await questionBank() };
}

export const questionsStepPage = formRoutes(wrap, {
  view: 'engagement/staff/questions.njk',
  load: loadQuestions,
  schema: (step) => bankSchema(step.bank.map((q) => q.id)),
  context: ({ activity, bank }, page) => ({
    ...staffContext, caption, backLink: backFrom('questions', activity.id, page),
    newQuestionPath: `${activityPath(activity.id)}/questions/new${page.url.search}`,
    items: bank.map((q) => ({ value: q.id, text: q.text, hint: { text: describeQuestion(q) } })),
  }),
  values: ({ activity }) => ({ questions: activity.questionList.map((q) => q.id) }),
  lists: ['questions'],
  onValid: async (data, { activity }, page) => {
    await setQuestions(activity.id, orgOf(page), data.questions);
    return nextAfter('questions', activity.id, page);
  },
});

export const newQuestionPage = formRoutes(wrap, {
  view: 'engagement/staff/new-question.njk',
  load: loadDraft,
  schema: () => newQuestionSchema,
  context: (activity, page) => ({
    ...staffContext, caption, backLink: `${activityPath(activity.id)}/questions${page.url.search}`,
    kinds: QUESTION_KINDS, maxQuestion: MAX_QUESTION,
  }),
  onValid: async (question, activity, page) => {
    await addNewQuestion(activity.id, orgOf(page), question);
    return `${activityPath(activity.id)}/questions${page.url.search}`;
  },
});

function resultRows(summary: QuestionResult) {
  return summary.rows.map((row) => ({ label: row.label, count: row.count === null ? 'Fewer than 5 (hidden)' : String(row.count) }));
}

export const activityCheckAnswersPage = {
  GET: wrap(async (page) => {
    const activity = await loadDraft(page);
    if (activity instanceof Response) return activity;
    const [overlaps, asked] = await Promise.all([overlapsWith(activity), askedBefore(activity)]);
    const missing = !activity.topics || !activity.startsOn || !activity.method || activity.questionList.length === 0;
    return renderPage(page, 'engagement/staff/check-answers.njk', {
      ...staffContext,
      caption,
      backLink: `${activityPath(activity.id)}/questions`,
      base: activityPath(activity.id),
      activity: describeActivity(activity),
      questionText: activity.questionList.map((q) => `${q.text} (${describeQuestion(q)})`).join('; '),
      missing,
      overlaps: overlaps.map(describeActivity),
      asked: asked.map((a) => ({
        question: a.question.text,
        askers: a.askers.map((x) => `${x.title} (${x.organisationName})`).join('; '),
        answered: a.summary.answered,
        hidden: a.summary.answered === null,
        rows: resultRows(a.summary),
        textCount: a.summary.texts.length,
      })),
    });
  }),
  POST: wrap(async (page) => {
    await readForm(page.req);
    const activity = await loadDraft(page);
    if (activity instanceof Response) return activity;
    if (!activity.topics || !activity.startsOn || !activity.method || activity.questionList.length === 0) {
      return redirect(`${activityPath(activity.id)}/check-answers`);
    }
    await publish(activity.id, orgOf(page));
    return redirect(`${activityPath(activity.id)}?published=1`);
  }),
};

// ---- After publishing ---------------------------------------------------------------------

export const coordinatorActivityPage = wrap(async (page) => {
  const activity = await ownActivity(pathAfter(page, 'activities'), orgOf(page));
  if (activity.status === 'draft') return redirect(`${activityPath(activity.id)}/check-answers`);
  const counts = activity.status === 'published' ? await invitationCounts(activity) : null;
  const sent = page.url.searchParams.get('sent');
  return renderPage(page, 'engagement/staff/activity.njk', {
    ...staffContext,
    backLink: HOME,
    base: activityPath(activity.id),
    activity: describeActivity(activity),
    whatWeHeard: activity.whatWeHeard,
    whatWeChanged: activity.whatWeChanged,
    published: page.url.searchParams.get('published') === '1',
    closed: page.url.searchParams.get('closed') === '1',
    sent: sent !== null && /^\d{1,7}$/.test(sent) ? (sent === '1' ? '1 person invited' : `${Number(sent)} people invited`) : null,
    counts: counts && { eligible: counts.eligible, excluded: counts.excluded },
  });
});

export const sendInvitationsAction = wrap(async (page) => {
  await readForm(page.req);
  const id = pathAfter(page, 'activities');
  const sent = await sendInvitations(id, orgOf(page));
  return redirect(`${activityPath(id)}?sent=${sent}`);
});

export const resultsPage = wrap(async (page) => {
  const activity = await ownActivity(pathAfter(page, 'activities'), orgOf(page));
  if (activity.status === 'draft') return redirect(`${activityPath(activity.id)}/check-answers`);
  const results = await resultsOf(activity);
  return renderPage(page, 'engagement/staff/results.njk', {
    ...staffContext,
    backLink: activityPath(activity.id),
    base: activityPath(activity.id),
    activity: describeActivity(activity),
    responses: results.responses,
    questions: results.questions.map(({ question, summary }) => ({
      text: question.text,
      kind: question.kind,
      answered: summary.answered,
      hidden: summary.answered === null,
      rows: resultRows(summary),
      texts: summary.texts,
    })),
  });
});

export const resultsCsv = wrap(async (page) => {
  const activity = await ownActivity(pathAfter(page, 'activities'), orgOf(page));
  if (activity.status === 'draft') return redirect(`${activityPath(activity.id)}/check-answers`);
  const results = await resultsOf(activity);
  const rows: (string | number)[][] = [['Question', 'Answer', 'Number of people']];
  for (const { question, summary } of results.questions) {
    if (summary.answered === null) {
      rows.push([question.text, 'Fewer than 5 people answered (hidden)', '']);
      continue;
    }
    for (const row of summary.rows) rows.push([question.text, row.label, row.count ?? 'fewer than 5 (hidden)']);
    for (const text of summary.texts) rows.push([question.text, text, '']);
  }
  return csvResponse(toCsv(rows), 'engagement-results.csv');
});

export const closePage = formRoutes(wrap, {
  view: 'engagement/staff/close.njk',
  load: async (page) => {
    const activity = await ownActivity(pathAfter(page, 'activities'), orgOf(page));
    return activity.status === 'published' ? activity : redirect(activityPath(activity.id));
  },
  schema: () => closeSchema,
  context: (activity) => ({ ...staffContext, backLink: activityPath(activity.id), activity: describeActivity(activity), maxLength: MAX_YOU_SAID }),
  onValid: async (data, activity, page) => {
    await close(activity.id, orgOf(page), data);
    return `${activityPath(activity.id)}?closed=1`;
  },
});
