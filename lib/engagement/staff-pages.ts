import { staffPage, type StaffPageRequest } from '@/lib/identity/public';
import { csvResponse, toCsv } from '@/lib/platform/csv';
import { formPage, renderPage, routeParam } from '@/lib/platform/page';
import { redirect } from '@/lib/platform/render';
import { formatDate, formatTime, formatWhen } from '@/lib/platform/uk-time';
import { describeActivity } from './citizen-pages';
import {
  aboutSchema,
  activityTopicsSchema,
  audienceSchema,
  bankSchema,
  closeSchema,
  dateFields,
  datesSchema,
  MAX_PURPOSE,
  MAX_QUESTION,
  MAX_YOU_SAID,
  methodSchema,
  newQuestionSchema,
} from './forms';
import { CONDITION_AUDIENCES } from './condition-audiences';
import { askToSendInvitations, invitationSendOf, isUnderway, type InvitationSend } from './invitation-sends';
import { ACTIVITY_STEPS, engagementPaths, type ActivityStep } from './paths';
import { METHODS, QUESTION_KINDS, RESULTS_BATCH, shownCount, SMALLEST_GROUP, splitList, TOPICS, type Question, type QuestionResult } from './rules';
import {
  activitiesOf,
  addNewQuestion,
  askedBefore,
  close,
  countedInvitations,
  createActivity,
  overlapsWith,
  ownActivity,
  publish,
  questionBank,
  resultsOf,
  setQuestions,
  updateDraft,
  type OwnActivity,
} from './store';

/** The engagement coordinator's side: create, check for overlap, publish, invite, results, close. */

const coordinatorPaths = engagementPaths.coordinator;

/** A coordinator's page, checked on every request; also the route of their forms (formPage). */
const coordinatorPage = (handler: (page: StaffPageRequest) => Response | Promise<Response>) => staffPage('engagement-coordinator', handler);

const orgOf = (page: StaffPageRequest) => page.staff.organisationCode;
/** This organisation's activity named in the address (app/staff/engagement/activities/[id]); any other is "not found". */
const ownActivityOf = (page: StaffPageRequest) => ownActivity(routeParam(page, 'id'), orgOf(page));
const staffContext = { staffSignedIn: true };

const KIND_NAMES: Record<string, string> = Object.fromEntries(QUESTION_KINDS.map((k) => [k.value, k.text]));

export function describeQuestion(question: Question) {
  const answers = question.kind === 'choice' || question.kind === 'multiple-choice' ? `: ${question.options.join(', ')}` : '';
  return `${KIND_NAMES[question.kind] ?? question.kind}${answers}`;
}

export const coordinatorHomePage = coordinatorPage(async (page) => {
  const activities = await activitiesOf(orgOf(page));
  return renderPage(page, 'engagement/staff/home.njk', {
    ...staffContext,
    organisationName: page.staff.organisationName,
    activities: activities.map((a) => ({ ...describeActivity(a), responses: a._count.responses, invitations: a._count.invitations })),
  });
});

// ---- Creating an activity, one step at a time ---------------------------------------------

/** The next step; "Change" on check answers (?return=check) comes back to check answers. */
function nextAfter(step: Exclude<ActivityStep, 'checkAnswers'>, activityId: string, page: StaffPageRequest): string {
  if (page.url.searchParams.get('return') === 'check') return coordinatorPaths.checkAnswers(activityId);
  return coordinatorPaths.step(activityId, ACTIVITY_STEPS[ACTIVITY_STEPS.indexOf(step) + 1]!);
}

function backFrom(step: Exclude<ActivityStep, 'about'>, activityId: string, page: StaffPageRequest): string {
  if (page.url.searchParams.get('return') === 'check') return coordinatorPaths.checkAnswers(activityId);
  return coordinatorPaths.step(activityId, ACTIVITY_STEPS[ACTIVITY_STEPS.indexOf(step) - 1]!);
}

/** A draft of this organisation's; once published, its steps lead to its overview instead. */
async function loadDraft(page: StaffPageRequest): Promise<OwnActivity | Response> {
  const activity = await ownActivityOf(page);
  return activity.status === 'draft' ? activity : redirect(coordinatorPaths.activity(activity.id));
}

const caption = 'Create an activity';

export const newActivityPage = formPage({
  route: coordinatorPage,
  view: 'engagement/staff/about.njk',
  schema: aboutSchema,
  context: (page) => ({ ...staffContext, caption, backLink: coordinatorPaths.home, organisationName: page.staff.organisationName, maxPurpose: MAX_PURPOSE }),
  onValid: async (about, page) => {
    const id = await createActivity(
      { organisationCode: page.staff.organisationCode, organisationName: page.staff.organisationName, subject: page.staff.subject },
      about,
    );
    return nextAfter('about', id, page);
  },
});

export const aboutPage = formPage({
  route: coordinatorPage,
  view: 'engagement/staff/about.njk',
  load: loadDraft,
  schema: aboutSchema,
  context: (page, activity) => ({
    ...staffContext,
    caption,
    organisationName: page.staff.organisationName,
    maxPurpose: MAX_PURPOSE,
    backLink: page.url.searchParams.get('return') === 'check' ? coordinatorPaths.checkAnswers(activity.id) : coordinatorPaths.home,
  }),
  values: (_page, activity) => ({ title: activity.title, purpose: activity.purpose }),
  onValid: async (about, page, activity) => {
    await updateDraft(activity.id, orgOf(page), about);
    return nextAfter('about', activity.id, page);
  },
});

export const topicsStepPage = formPage({
  route: coordinatorPage,
  view: 'engagement/question.njk',
  load: loadDraft,
  schema: activityTopicsSchema,
  context: (page, activity) => ({
    ...staffContext,
    caption,
    backLink: backFrom('topics', activity.id, page),
    field: { kind: 'checkboxes', name: 'topics', heading: 'What topics is the activity about?', hint: 'Select all that apply.', items: TOPICS },
  }),
  values: (_page, activity) => ({ topics: splitList(activity.topics) }),
  lists: ['topics'],
  onValid: async (data, page, activity) => {
    await updateDraft(activity.id, orgOf(page), { topics: data.topics.join(',') });
    return nextAfter('topics', activity.id, page);
  },
});

export const audienceStepPage = formPage({
  route: coordinatorPage,
  view: 'engagement/staff/audience.njk',
  load: loadDraft,
  schema: audienceSchema,
  context: (page, activity) => ({
    ...staffContext,
    caption,
    backLink: backFrom('audience', activity.id, page),
    conditionOptions: CONDITION_AUDIENCES.map((condition) => ({ value: condition.code, text: condition.name })),
  }),
  values: (_page, activity) => ({
    audienceKind: activity.audienceKind,
    condition: activity.audienceKind === 'condition' ? activity.audienceValue : '',
    area: activity.audienceKind === 'area' ? activity.audienceValue : '',
  }),
  onValid: async (data, page, activity) => {
    await updateDraft(activity.id, orgOf(page), data);
    return nextAfter('audience', activity.id, page);
  },
});

/** A saved day (YYYY-MM-DD) in a date input's boxes, as people type it: 2027-03-07 is 7 3 2027. */
function dateBoxes(fields: { day: string; month: string; year: string }, saved: string | null): Record<string, string> {
  const [year = '', month = '', day = ''] = (saved ?? '').split('-');
  return { [fields.day]: day && String(Number(day)), [fields.month]: month && String(Number(month)), [fields.year]: year };
}

export const datesStepPage = formPage({
  route: coordinatorPage,
  view: 'engagement/staff/dates.njk',
  load: loadDraft,
  schema: datesSchema,
  context: (page, activity) => ({ ...staffContext, caption, backLink: backFrom('dates', activity.id, page) }),
  values: (_page, activity) => ({ ...dateBoxes(dateFields.starts, activity.startsOn), ...dateBoxes(dateFields.ends, activity.endsOn) }),
  onValid: async (data, page, activity) => {
    await updateDraft(activity.id, orgOf(page), data);
    return nextAfter('dates', activity.id, page);
  },
});

export const methodStepPage = formPage({
  route: coordinatorPage,
  view: 'engagement/question.njk',
  load: loadDraft,
  schema: methodSchema,
  context: (page, activity) => ({
    ...staffContext,
    caption,
    backLink: backFrom('method', activity.id, page),
    field: {
      kind: 'radios',
      name: 'method',
      heading: 'How will people take part?',
      items: METHODS,
      hint: 'People who take part online answer the questions in this service. For other ways, you contact the people invited.',
    },
  }),
  values: (_page, activity) => ({ method: activity.method ?? undefined }),
  onValid: async (data, page, activity) => {
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

export const questionsStepPage = formPage({
  route: coordinatorPage,
  view: 'engagement/staff/questions.njk',
  load: loadQuestions,
  schema: (step) => bankSchema(step.bank.map((q) => q.id)),
  context: (page, { activity, bank }) => ({
    ...staffContext,
    caption,
    backLink: backFrom('questions', activity.id, page),
    newQuestionPath: `${coordinatorPaths.newQuestion(activity.id)}${page.url.search}`,
    items: bank.map((q) => ({ value: q.id, text: q.text, hint: { text: describeQuestion(q) } })),
  }),
  values: (_page, { activity }) => ({ questions: activity.questionList.map((q) => q.id) }),
  lists: ['questions'],
  onValid: async (data, page, { activity }) => {
    await setQuestions(activity.id, orgOf(page), data.questions);
    return nextAfter('questions', activity.id, page);
  },
});

export const newQuestionPage = formPage({
  route: coordinatorPage,
  view: 'engagement/staff/new-question.njk',
  load: loadDraft,
  schema: newQuestionSchema,
  context: (page, activity) => ({
    ...staffContext,
    caption,
    backLink: `${coordinatorPaths.questions(activity.id)}${page.url.search}`,
    kinds: QUESTION_KINDS,
    maxQuestion: MAX_QUESTION,
  }),
  onValid: async (question, page, activity) => {
    await addNewQuestion(activity.id, orgOf(page), question);
    return `${coordinatorPaths.questions(activity.id)}${page.url.search}`;
  },
});

function resultRows(summary: QuestionResult) {
  return summary.rows.map((row) => ({ label: row.label, count: row.count === null ? 'Fewer than 5 (hidden)' : String(row.count) }));
}

export const activityCheckAnswersPage = {
  GET: coordinatorPage(async (page) => {
    const activity = await loadDraft(page);
    if (activity instanceof Response) return activity;
    const [overlaps, asked] = await Promise.all([overlapsWith(activity), askedBefore(activity)]);
    const missing = !activity.topics || !activity.startsOn || !activity.method || activity.questionList.length === 0;
    return renderPage(page, 'engagement/staff/check-answers.njk', {
      ...staffContext,
      caption,
      backLink: coordinatorPaths.questions(activity.id),
      base: coordinatorPaths.activity(activity.id),
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
      })),
    });
  }),
  // Publishing has no questions of its own: a button, not a formPage.
  POST: coordinatorPage(async (page) => {
    const activity = await loadDraft(page);
    if (activity instanceof Response) return activity;
    if (!activity.topics || !activity.startsOn || !activity.method || activity.questionList.length === 0) {
      return redirect(coordinatorPaths.checkAnswers(activity.id));
    }
    await publish(activity.id, orgOf(page));
    return redirect(coordinatorPaths.published(activity.id));
  }),
};

// ---- After publishing ---------------------------------------------------------------------

export const coordinatorActivityPage = coordinatorPage(async (page) => {
  const activity = await ownActivityOf(page);
  if (activity.status === 'draft') return redirect(coordinatorPaths.checkAnswers(activity.id));
  const open = activity.status === 'published';
  const [counts, send] = open ? await Promise.all([countedInvitations(activity), invitationSendOf(activity.id)]) : [null, null];
  return renderPage(page, 'engagement/staff/activity.njk', {
    ...staffContext,
    backLink: coordinatorPaths.home,
    base: coordinatorPaths.activity(activity.id),
    activity: describeActivity(activity),
    whatWeHeard: activity.whatWeHeard,
    whatWeChanged: activity.whatWeChanged,
    published: page.url.searchParams.get('published') === '1',
    closed: page.url.searchParams.get('closed') === '1',
    invitations: send && invitationsState(send, page.url.searchParams.get('sending') === '1'),
    refreshPath: coordinatorPaths.sending(activity.id),
    // Small counts are not given: who was (not) invited could be worked out from them.
    counts: counts && {
      eligible: counts.eligible,
      eligibleText: `${shownCount(counts.eligible)} ${counts.eligible === 1 ? 'person' : 'people'}`,
      excluded: counts.excluded.map((row) => ({ ...row, countText: shownCount(row.count) })),
      countedText: countedAtText(counts.countedAt),
    },
  });
});

/**
 * What the page says of the latest send: being sent (no button meanwhile), failed, or how many it
 * invited, as a banner to whoever asked and is back on the page (?sending=1) and as a line for anyone.
 */
function invitationsState(send: InvitationSend, asked: boolean) {
  if (isUnderway(send)) return { underway: true };
  if (send.status === 'failed') return { failed: true };
  const invited = invitedText(send.invited ?? 0);
  return { sentBanner: asked ? invited : null, lastSentText: `Invitations last sent ${whenText(send.finishedAt ?? send.askedAt)}: ${invited.toLowerCase()}.` };
}

/** "at 10:32am" today, "on 2 December 2026 at 10:32am" before. */
function whenText(at: Date, now = new Date()): string {
  return formatDate(at) === formatDate(now) ? `at ${formatTime(at)}` : `on ${formatWhen(at)}`;
}

/** When the counts shown were made (the worker counts again every few minutes): "Counted at 10:32am". */
function countedAtText(countedAt: Date): string {
  return `Counted ${whenText(countedAt)}`;
}

function invitedText(sent: number): string {
  if (sent > 0 && sent < SMALLEST_GROUP) return `Fewer than ${SMALLEST_GROUP} people invited`;
  return `${sent} ${sent === 1 ? 'person' : 'people'} invited`;
}

/**
 * "Send invitations": only asks for them to be sent (the worker sends them, lib/engagement/invitation-sends.ts),
 * whoever asked first; the page then says they are being sent.
 */
export const sendInvitationsAction = coordinatorPage(async (page) => {
  const id = routeParam(page, 'id');
  await askToSendInvitations(id, orgOf(page), page.staff.subject);
  return redirect(coordinatorPaths.sending(id));
});

export const resultsPage = coordinatorPage(async (page) => {
  const activity = await ownActivityOf(page);
  if (activity.status === 'draft') return redirect(coordinatorPaths.checkAnswers(activity.id));
  const results = await resultsOf(activity);
  return renderPage(page, 'engagement/staff/results.njk', {
    ...staffContext,
    backLink: coordinatorPaths.activity(activity.id),
    base: coordinatorPaths.activity(activity.id),
    activity: describeActivity(activity),
    responses: results.responses,
    batch: RESULTS_BATCH,
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

export const resultsCsv = coordinatorPage(async (page) => {
  const activity = await ownActivityOf(page);
  if (activity.status === 'draft') return redirect(coordinatorPaths.checkAnswers(activity.id));
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

export const closePage = formPage({
  route: coordinatorPage,
  view: 'engagement/staff/close.njk',
  load: async (page) => {
    const activity = await ownActivityOf(page);
    return activity.status === 'published' ? activity : redirect(coordinatorPaths.activity(activity.id));
  },
  schema: closeSchema,
  context: (_page, activity) => ({
    ...staffContext,
    backLink: coordinatorPaths.activity(activity.id),
    activity: describeActivity(activity),
    maxLength: MAX_YOU_SAID,
  }),
  onValid: async (data, page, activity) => {
    await close(activity.id, orgOf(page), data);
    return coordinatorPaths.closed(activity.id);
  },
});
