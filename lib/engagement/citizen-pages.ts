import type { z } from 'zod';
import { citizenPage, type CitizenPageRequest } from '@/lib/identity/public';
import { HttpError } from '@/lib/platform/errors';
import { formPage, renderPage, routeParam } from '@/lib/platform/page';
import { redirect } from '@/lib/platform/render';
import { answerSchema, areaSchema, MAX_ANSWER, methodsSchema, monthlyLimitSchema, reuseSchema, topicsSchema, wantsInvitationsSchema } from './forms';
import { engagementPaths as paths } from './paths';
import {
  answerText,
  audienceName,
  audienceOf,
  isOpen,
  methodName,
  METHODS,
  MONTHLY_LIMITS,
  SCALE_LABELS,
  SCALE_OPTIONS,
  splitList,
  topicName,
  TOPICS,
  type Question,
} from './rules';
import {
  citizenOverview,
  contributionsOf,
  earlierAnswer,
  preferenceOf,
  responseOf,
  saveAnswer,
  savePreference,
  sendResponse,
  visibleActivity,
  type Preference,
  type VisibleActivity,
} from './store';
import { londonDay } from '@/lib/platform/london-time';

/** The citizen's side of Open Citizen: preferences, opportunities, surveys, contributions. */

const userIdOf = (page: CitizenPageRequest) => page.citizen.user.id;

export function displayDate(day: string | null): string {
  if (!day) return '';
  return new Date(`${day}T12:00:00Z`).toLocaleDateString('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });
}

export function describeActivity(activity: {
  id: string;
  title: string;
  purpose: string;
  organisationName: string;
  topics: string;
  audienceKind: string;
  audienceValue: string | null;
  startsOn: string | null;
  endsOn: string | null;
  method: string | null;
  status: string;
}) {
  return {
    id: activity.id,
    title: activity.title,
    purpose: activity.purpose,
    organisationName: activity.organisationName,
    topics: splitList(activity.topics).map(topicName).join(', '),
    audience: audienceName(audienceOf(activity.audienceKind, activity.audienceValue)),
    dates: activity.startsOn && activity.endsOn ? `${displayDate(activity.startsOn)} to ${displayDate(activity.endsOn)}` : '',
    endsOn: displayDate(activity.endsOn),
    method: methodName(activity.method),
    status: activity.status,
  };
}

export const engagementHomePage = citizenPage(async (page) => {
  const overview = await citizenOverview(userIdOf(page));
  return renderPage(page, 'engagement/home.njk', {
    preference: overview.preference,
    invitations: overview.invitations.map(describeActivity),
    opportunities: overview.opportunities.map(describeActivity),
    youSaidWeDid: overview.youSaidWeDid.map((a) => ({ ...describeActivity(a), whatWeHeard: a.whatWeHeard, whatWeChanged: a.whatWeChanged })),
    contributions: overview.contributions,
  });
});

// ---- Preferences --------------------------------------------------------------------------

export const preferencesPage = citizenPage(async (page) => {
  const preference = await preferenceOf(userIdOf(page));
  return renderPage(page, 'engagement/preferences.njk', {
    preference,
    topics: preference?.topics.map(topicName).join(', '),
    methods: preference?.methods.map(methodName).join(', '),
    saved: page.url.searchParams.get('saved') === '1',
  });
});

/** One preference on its own page (engagement/question.njk shows `field`); saving goes back to the summary. */
function preferencePage<T>(spec: {
  schema: z.ZodType<T>;
  field: Record<string, unknown>;
  values: (preference: Preference | null) => Record<string, unknown>;
  lists?: string[];
  save: (data: T) => Partial<Preference>;
}) {
  return formPage<T, Preference | null, CitizenPageRequest>({
    route: citizenPage,
    view: 'engagement/question.njk',
    load: (page) => preferenceOf(userIdOf(page)),
    schema: spec.schema,
    context: () => ({ field: spec.field, backLink: paths.preferences, caption: 'Your engagement preferences', button: 'Save' }),
    values: (_page, preference) => spec.values(preference),
    lists: spec.lists,
    onValid: async (data, page) => {
      await savePreference(userIdOf(page), spec.save(data));
      return paths.preferencesSaved;
    },
  });
}

export const wantsInvitationsPage = preferencePage({
  schema: wantsInvitationsSchema,
  field: {
    kind: 'radios',
    name: 'wantsInvitations',
    classes: 'govuk-radios--inline',
    heading: 'Do you want to be invited to take part in surveys and events?',
    hint: 'Local NHS organisations and the council ask people what they think of services. We make sure you are not asked the same thing twice.',
    items: [
      { value: 'yes', text: 'Yes' },
      { value: 'no', text: 'No' },
    ],
  },
  values: (p) => ({ wantsInvitations: p ? (p.wantsInvitations ? 'yes' : 'no') : undefined }),
  save: (data) => ({ wantsInvitations: data.wantsInvitations === 'yes' }),
});

export const topicsPage = preferencePage({
  schema: topicsSchema,
  field: {
    kind: 'checkboxes',
    name: 'topics',
    heading: 'What topics do you care about?',
    hint: 'Select all that apply. If you select none, we will show you activities about any topic.',
    items: TOPICS,
  },
  values: (p) => ({ topics: p?.topics ?? [] }),
  lists: ['topics'],
  save: (data) => ({ topics: data.topics }),
});

export const methodsPage = preferencePage({
  schema: methodsSchema,
  field: {
    kind: 'checkboxes',
    name: 'methods',
    heading: 'How do you like to take part?',
    hint: 'Select all that apply. If you select none, we will invite you to take part in any way.',
    items: METHODS,
  },
  values: (p) => ({ methods: p?.methods ?? [] }),
  lists: ['methods'],
  save: (data) => ({ methods: data.methods }),
});

export const monthlyLimitPage = preferencePage({
  schema: monthlyLimitSchema,
  field: {
    kind: 'radios',
    name: 'monthlyLimit',
    heading: 'How many invitations a month do you want at most?',
    hint: 'This counts invitations from all organisations together.',
    items: MONTHLY_LIMITS.map((n) => ({ value: String(n), text: n === 1 ? '1 invitation' : `${n} invitations` })),
  },
  values: (p) => ({ monthlyLimit: p ? String(p.monthlyLimit) : undefined }),
  save: (data) => ({ monthlyLimit: data.monthlyLimit }),
});

export const areaPage = preferencePage({
  schema: areaSchema,
  field: {
    kind: 'input',
    name: 'postcodeDistrict',
    heading: 'What is the first part of your postcode? (optional)',
    hint: 'For example, LS6. Some activities are about one area. Leave this empty if you do not want to tell us.',
    classes: 'govuk-input--width-5',
    autocomplete: 'off',
    spellcheck: false,
  },
  values: (p) => ({ postcodeDistrict: p?.postcodeDistrict ?? '' }),
  save: (data) => ({ postcodeDistrict: data.postcodeDistrict ?? null }),
});

// ---- An activity and its survey ------------------------------------------------------------

function canAnswer(activity: VisibleActivity, submitted: boolean): boolean {
  return isOpen(activity, londonDay(new Date())) && activity.questionList.length > 0 && !submitted;
}

/** The activity named in the address (app/engagement/activities/[id]), if citizens can see it. */
const activityOf = (page: CitizenPageRequest) => visibleActivity(routeParam(page, 'id'));

export const activityPage = citizenPage(async (page) => {
  const activity = await activityOf(page);
  const response = await responseOf(activity.id, userIdOf(page));
  const submitted = Boolean(response?.submittedAt);
  return renderPage(page, 'engagement/activity.njk', {
    activity: describeActivity(activity),
    whatWeHeard: activity.status === 'closed' ? activity.whatWeHeard : null,
    whatWeChanged: activity.status === 'closed' ? activity.whatWeChanged : null,
    submitted,
    open: isOpen(activity, londonDay(new Date())),
    canAnswer: canAnswer(activity, submitted),
    questionCount: activity.questionList.length,
    startPath: paths.question(activity.id, 1),
  });
});

type SurveyStep = { activity: VisibleActivity; question: Question; number: number; answer?: string | string[] };

/** The activity and the n-th question, for a citizen who can still answer. */
async function surveyStep(page: CitizenPageRequest): Promise<SurveyStep | Response> {
  const activity = await activityOf(page);
  const number = Number(routeParam(page, 'n'));
  const question = Number.isInteger(number) ? activity.questionList[number - 1] : undefined;
  if (!question) throw new HttpError(404, 'no-such-question');
  const response = await responseOf(activity.id, userIdOf(page));
  if (!canAnswer(activity, Boolean(response?.submittedAt))) return redirect(paths.activity(activity.id));
  return { activity, question, number, answer: response?.values.get(question.id)?.value };
}

/** After a question: the next one, or the check answers page (also when changing one answer). */
function afterQuestion(step: SurveyStep, page: CitizenPageRequest): string {
  if (page.url.searchParams.get('return') === 'check' || step.number >= step.activity.questionList.length) {
    return paths.checkAnswers(step.activity.id);
  }
  return paths.question(step.activity.id, step.number + 1);
}

function questionField(question: Question) {
  const base = { name: 'answer', heading: question.text };
  if (question.kind === 'text')
    return { ...base, kind: 'textarea', maxlength: MAX_ANSWER, hint: 'Do not include your name or anything that could identify you or someone else.' };
  if (question.kind === 'scale') {
    return { ...base, kind: 'radios', hint: 'From 1 (very poor) to 5 (very good).', items: SCALE_OPTIONS.map((v) => ({ value: v, text: SCALE_LABELS[v] })) };
  }
  const items = question.options.map((option) => ({ value: option, text: option }));
  return question.kind === 'multiple-choice' ? { ...base, kind: 'checkboxes', hint: 'Select all that apply.', items } : { ...base, kind: 'radios', items };
}

function questionBack(step: SurveyStep, page: CitizenPageRequest): string {
  if (page.url.searchParams.get('return') === 'check') return paths.checkAnswers(step.activity.id);
  return step.number === 1 ? paths.activity(step.activity.id) : paths.question(step.activity.id, step.number - 1);
}

export const questionPage = formPage({
  route: citizenPage,
  view: 'engagement/question.njk',
  load: async (page) => {
    const step = await surveyStep(page);
    // Answer once: opening a question they answered before for another activity offers that answer first.
    if (page.req.method === 'GET' && !(step instanceof Response) && step.answer === undefined && page.url.searchParams.get('again') !== '1') {
      if (await earlierAnswer(userIdOf(page), step.question, step.activity.id)) {
        return redirect(`${paths.earlierAnswer(step.activity.id, step.number)}${page.url.search}`);
      }
    }
    return step;
  },
  schema: (step) => answerSchema(step.question),
  context: (page, step) => ({
    field: questionField(step.question),
    caption: `${step.activity.title}: question ${step.number} of ${step.activity.questionList.length}`,
    backLink: questionBack(step, page),
    button: 'Continue',
  }),
  values: (_page, step) => ({ answer: step.answer ?? (step.question.kind === 'multiple-choice' ? [] : undefined) }),
  lists: ['answer'],
  onValid: async (data, page, step) => {
    await saveAnswer(step.activity.id, userIdOf(page), step.question.id, data.answer);
    return afterQuestion(step, page);
  },
});

export const earlierAnswerPage = formPage({
  route: citizenPage,
  view: 'engagement/earlier-answer.njk',
  load: async (page) => {
    const step = await surveyStep(page);
    if (step instanceof Response) return step;
    const earlier = await earlierAnswer(userIdOf(page), step.question, step.activity.id);
    if (!earlier) return redirect(paths.question(step.activity.id, step.number));
    return { ...step, earlier };
  },
  schema: reuseSchema,
  context: (page, step) => ({
    question: step.question.text,
    caption: `${step.activity.title}: question ${step.number} of ${step.activity.questionList.length}`,
    earlierAnswer: answerText(step.question.kind, step.earlier.value),
    earlierActivity: step.earlier.activityTitle,
    earlierOrganisation: step.earlier.organisationName,
    earlierDate: displayDate(londonDay(step.earlier.answeredAt)),
    backLink: questionBack(step, page),
  }),
  onValid: async (data, page, step) => {
    if (data.reuse === 'no') {
      const back = new URLSearchParams(page.url.search);
      back.set('again', '1');
      return `${paths.question(step.activity.id, step.number)}?${back.toString()}`;
    }
    await saveAnswer(step.activity.id, userIdOf(page), step.question.id, step.earlier.value, step.earlier.id);
    return afterQuestion(step, page);
  },
});

async function answersToCheck(page: CitizenPageRequest) {
  const activity = await activityOf(page);
  const response = await responseOf(activity.id, userIdOf(page));
  if (!canAnswer(activity, Boolean(response?.submittedAt))) return { activity, response, redirectTo: paths.activity(activity.id) };
  const missing = activity.questionList.findIndex((q) => !response?.values.has(q.id));
  if (missing !== -1) return { activity, response, redirectTo: paths.question(activity.id, missing + 1) };
  return { activity, response: response!, redirectTo: null };
}

export const checkAnswersPage = {
  GET: citizenPage(async (page) => {
    const { activity, response, redirectTo } = await answersToCheck(page);
    if (redirectTo) return redirect(redirectTo);
    return renderPage(page, 'engagement/check-answers.njk', {
      activity: describeActivity(activity),
      backLink: paths.question(activity.id, activity.questionList.length),
      rows: activity.questionList.map((question, index) => {
        const saved = response!.values.get(question.id)!;
        return {
          question: question.text,
          answer: answerText(question.kind, saved.value),
          reused: Boolean(saved.reusedFromId),
          // "Change" always asks again, rather than offering the earlier answer once more.
          href: paths.changeAnswer(activity.id, index + 1),
        };
      }),
    });
  }),
  // Sending has no questions of its own: a button, not a formPage.
  POST: citizenPage(async (page) => {
    const { activity, redirectTo } = await answersToCheck(page);
    if (redirectTo) return redirect(redirectTo);
    await sendResponse(activity.id, userIdOf(page));
    return redirect(paths.sent(activity.id));
  }),
};

export const sentPage = citizenPage(async (page) => {
  const activity = await activityOf(page);
  const response = await responseOf(activity.id, userIdOf(page));
  if (!response?.submittedAt) return redirect(paths.activity(activity.id));
  return renderPage(page, 'engagement/sent.njk', { activity: describeActivity(activity) });
});

export const contributionsPage = citizenPage(async (page) => {
  const contributions = await contributionsOf(userIdOf(page));
  return renderPage(page, 'engagement/contributions.njk', {
    contributions: contributions.map((c) => ({
      activity: describeActivity(c.activity),
      sentOn: displayDate(londonDay(c.submittedAt)),
      closed: c.activity.status === 'closed',
      answers: c.answers.map((a) => ({ question: a.question.text, answer: answerText(a.question.kind, a.value), reused: a.reused })),
    })),
  });
});
