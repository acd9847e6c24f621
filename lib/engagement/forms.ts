import { z } from 'zod';
import { conditionAudience } from './condition-audiences';
import { dateInputFields, isoDate, readDateInput } from '@/lib/platform/date-input';
import { choice, optionalText, requiredText } from '@/lib/platform/form-fields';
import { normalisePostcodeDistrict } from '@/lib/platform/postcode';
import { METHOD_VALUES, MONTHLY_LIMITS, QUESTION_KIND_VALUES, SCALE_OPTIONS, TOPIC_VALUES, type Question } from './rules';

/** Open Citizen's forms: the rules of its question pages (citizen-pages.ts and staff-pages.ts give them to formPage). */

/** Checkboxes: none ticked sends nothing, one sends a string, several send a list. */
export function checkboxes<const T extends readonly [string, ...string[]]>(options: T, messages: { required?: string; invalid: string }) {
  const list = z.preprocess(
    (value) => (value === undefined ? [] : Array.isArray(value) ? value : [value]),
    z.array(z.enum(options, { error: messages.invalid }), { error: messages.invalid }).transform((values) => [...new Set(values)]),
  );
  return messages.required ? list.pipe(z.array(z.string()).min(1, messages.required)) : list;
}

export const MAX_TITLE = 120;
export const MAX_PURPOSE = 1200;
export const MAX_QUESTION = 300;
export const MAX_OPTION = 100;
export const MAX_ANSWER = 2000;
export const MAX_YOU_SAID = 2000;

// ---- Citizens' preferences --------------------------------------------------------------

export const wantsInvitationsSchema = z.object({
  wantsInvitations: choice(['yes', 'no'], { required: 'Select yes if you want to be invited to take part' }),
});

export const topicsSchema = z.object({ topics: checkboxes(TOPIC_VALUES, { invalid: 'Select topics from the list' }) });

export const methodsSchema = z.object({ methods: checkboxes(METHOD_VALUES, { invalid: 'Select ways to take part from the list' }) });

export const monthlyLimitSchema = z.object({
  monthlyLimit: choice(MONTHLY_LIMITS.map(String) as unknown as readonly [string, ...string[]], {
    required: 'Select how many invitations a month you want at most',
  }).transform(Number),
});

export const areaSchema = z.object({
  postcodeDistrict: optionalText({ tooLong: 'Enter the first part of your postcode, like LS6' }, 10).transform((value, ctx) => {
    if (value === undefined) return undefined;
    const district = normalisePostcodeDistrict(value);
    if (!district) ctx.addIssue({ code: 'custom', message: 'Enter the first part of your postcode, like LS6' });
    return district ?? z.NEVER;
  }),
});

// ---- A survey question -----------------------------------------------------------------

/** The schema of one question's answer, named `answer`. */
export function answerSchema(question: Question): z.ZodType<{ answer: string | string[] }> {
  const required = question.kind === 'text' ? 'Enter your answer' : question.kind === 'multiple-choice' ? 'Select at least one answer' : 'Select an answer';
  if (question.kind === 'text') {
    return z.object({ answer: requiredText({ required, tooLong: `Your answer must be ${MAX_ANSWER} characters or less` }, MAX_ANSWER) });
  }
  const options = (question.kind === 'scale' ? [...SCALE_OPTIONS] : question.options) as [string, ...string[]];
  if (question.kind === 'multiple-choice') return z.object({ answer: checkboxes(options, { required, invalid: required }) });
  return z.object({ answer: choice(options, { required }) });
}

export const reuseSchema = z.object({
  reuse: choice(['yes', 'no'], { required: 'Select whether to use your earlier answer' }),
});

// ---- Coordinators ------------------------------------------------------------------------

export const aboutSchema = z.object({
  title: requiredText({ required: 'Enter a title', tooLong: `Title must be ${MAX_TITLE} characters or less` }, MAX_TITLE),
  purpose: requiredText(
    { required: 'Enter what the activity is for', tooLong: `What the activity is for must be ${MAX_PURPOSE} characters or less` },
    MAX_PURPOSE,
  ),
});

export const activityTopicsSchema = z.object({
  topics: checkboxes(TOPIC_VALUES, { required: 'Select at least one topic', invalid: 'Select topics from the list' }),
});

export const audienceSchema = z
  .object({
    audienceKind: choice(['everyone', 'condition', 'area'], { required: 'Select who the activity is for' }),
    condition: optionalText({ tooLong: 'Select the long-term condition from the list' }, 20),
    area: optionalText({ tooLong: 'Enter the first part of a postcode, like LS6' }, 10),
  })
  .transform((data, ctx) => {
    if (data.audienceKind === 'condition') {
      const known = data.condition ? conditionAudience(data.condition) : undefined;
      if (!known) ctx.addIssue({ code: 'custom', path: ['condition'], message: 'Select the long-term condition' });
      return { audienceKind: data.audienceKind, audienceValue: known?.code ?? null };
    }
    if (data.audienceKind === 'area') {
      const district = data.area ? normalisePostcodeDistrict(data.area) : null;
      if (!district) ctx.addIssue({ code: 'custom', path: ['area'], message: 'Enter the first part of a postcode, like LS6' });
      return { audienceKind: data.audienceKind, audienceValue: district ?? '' };
    }
    return { audienceKind: data.audienceKind, audienceValue: null };
  });

/** The activity's dates: GOV.UK date inputs (starts-day, starts-month, starts-year, ends-day, …). */
export const dateFields = { starts: dateInputFields('starts'), ends: dateInputFields('ends') } as const;

export const datesSchema = z.record(z.string(), z.unknown()).transform((values, ctx) => {
  const starts = readDateInput(values, 'starts', { label: 'Start date', enter: 'Enter the start date' });
  const ends = readDateInput(values, 'ends', { label: 'End date', enter: 'Enter the end date' });
  for (const read of [starts, ends]) {
    if (!read.ok) ctx.addIssue({ code: 'custom', path: [read.problem.field], message: read.problem.message });
  }
  if (!starts.ok || !ends.ok) return z.NEVER;
  const dates = { startsOn: isoDate(starts.date), endsOn: isoDate(ends.date) };
  if (dates.endsOn < dates.startsOn) {
    ctx.addIssue({ code: 'custom', path: [dateFields.ends.day], message: 'The end date must be the same as or after the start date' });
    return z.NEVER;
  }
  return dates;
});

export const methodSchema = z.object({ method: choice(METHOD_VALUES, { required: 'Select how people will take part' }) });

export function bankSchema(bankIds: string[]) {
  return z.object({
    questions: z.preprocess(
      (value) => (value === undefined ? [] : Array.isArray(value) ? value : [value]),
      z.array(z.string().refine((id) => bankIds.includes(id), 'Select questions from the list')).transform((ids) => [...new Set(ids)]),
    ),
  });
}

export const newQuestionSchema = z
  .object({
    text: requiredText({ required: 'Enter the question', tooLong: `Question must be ${MAX_QUESTION} characters or less` }, MAX_QUESTION),
    kind: choice(QUESTION_KIND_VALUES, { required: 'Select how people answer' }),
    options: optionalText({ tooLong: 'Answers must be 1000 characters or less' }, 1000),
  })
  .transform((data, ctx) => {
    const options = [
      ...new Set(
        (data.options ?? '')
          .split('\n')
          .map((line) => line.trim())
          .filter(Boolean),
      ),
    ];
    if (data.kind === 'choice' || data.kind === 'multiple-choice') {
      if (options.length < 2) ctx.addIssue({ code: 'custom', path: ['options'], message: 'Enter at least 2 answers, one on each line' });
      else if (options.length > 10) ctx.addIssue({ code: 'custom', path: ['options'], message: 'Enter 10 answers or fewer' });
      else if (options.some((o) => o.length > MAX_OPTION))
        ctx.addIssue({ code: 'custom', path: ['options'], message: `Each answer must be ${MAX_OPTION} characters or less` });
      return { text: data.text, kind: data.kind, options };
    }
    return { text: data.text, kind: data.kind, options: [] };
  });

export const closeSchema = z.object({
  whatWeHeard: requiredText({ required: 'Enter what you heard', tooLong: `What you heard must be ${MAX_YOU_SAID} characters or less` }, MAX_YOU_SAID),
  whatWeChanged: requiredText(
    { required: 'Enter what you changed or will change', tooLong: `What you changed must be ${MAX_YOU_SAID} characters or less` },
    MAX_YOU_SAID,
  ),
});
