import { z } from 'zod';
import { choice, optionalText, requiredText } from '@/lib/platform/form-fields';
import { readForm, validateForm, type FormValues } from '@/lib/platform/forms';
import { renderPage, type PageRequest, type ViewContext } from '@/lib/platform/page';
import { normalisePostcodeDistrict } from '@/lib/platform/postcode';
import { redirect } from '@/lib/platform/render';
import {
  METHOD_VALUES,
  MONTHLY_LIMITS,
  QUESTION_KIND_VALUES,
  SCALE_OPTIONS,
  TOPIC_VALUES,
  type Question,
} from './rules';

/**
 * Open Citizen's forms. Its pages load something first (an activity, a question) that both
 * the schema and the page depend on, so they use this small variant of the platform's
 * formPage: GET shows the form, POST re-renders with 422 or redirects with 303.
 */

type Wrap<P> = (handler: (page: P) => Promise<Response>) => (req: Request) => Promise<Response>;

export function formRoutes<P extends PageRequest, L, S extends z.ZodType>(
  wrap: Wrap<P>,
  spec: {
    view: string;
    /** What the page is about; a Response (a redirect) instead when the form is not for now. */
    load: (page: P) => Promise<L | Response>;
    schema: (loaded: L) => S;
    context: (loaded: L, page: P) => ViewContext | Promise<ViewContext>;
    /** What is already saved, shown on GET. */
    values?: (loaded: L) => Record<string, unknown>;
    /** Fields that are checkboxes: always lists when shown again. */
    lists?: string[];
    onValid: (data: z.output<S>, loaded: L, page: P) => Promise<string>;
  },
) {
  const shown = (values: FormValues) => {
    const copy: Record<string, unknown> = { ...values };
    for (const name of spec.lists ?? []) {
      const value = values[name];
      copy[name] = value === undefined ? [] : Array.isArray(value) ? value : [value];
    }
    return copy;
  };
  return {
    GET: wrap(async (page) => {
      const loaded = await spec.load(page);
      if (loaded instanceof Response) return loaded;
      return renderPage(page, spec.view, { ...(await spec.context(loaded, page)), values: spec.values?.(loaded) ?? {} });
    }),
    POST: wrap(async (page) => {
      const loaded = await spec.load(page);
      if (loaded instanceof Response) return loaded;
      const result = validateForm(spec.schema(loaded), await readForm(page.req));
      if (!result.ok) {
        const context = { ...(await spec.context(loaded, page)), values: shown(result.values), errors: result.errors };
        return renderPage(page, spec.view, context, { status: 422 });
      }
      return redirect(await spec.onValid(result.data, loaded, page));
    }),
  };
}

/** The path segment after `name` in the URL (ids come from the path, checked by the store). */
export function pathAfter(page: PageRequest, name: string): string {
  const parts = page.url.pathname.split('/');
  const index = parts.indexOf(name);
  return decodeURIComponent(parts[index + 1] ?? '');
}

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
export function answerSchema(question: Question) {
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
    condition: optionalText({ tooLong: 'Condition must be 100 characters or less' }, 100),
    area: optionalText({ tooLong: 'Enter the first part of a postcode, like LS6' }, 10),
  })
  .transform((data, ctx) => {
    if (data.audienceKind === 'condition') {
      if (!data.condition) ctx.addIssue({ code: 'custom', path: ['condition'], message: 'Enter the long-term condition' });
      return { audienceKind: data.audienceKind, audienceValue: data.condition ?? null };
    }
    if (data.audienceKind === 'area') {
      const district = data.area ? normalisePostcodeDistrict(data.area) : null;
      if (!district) ctx.addIssue({ code: 'custom', path: ['area'], message: 'Enter the first part of a postcode, like LS6' });
      return { audienceKind: data.audienceKind, audienceValue: district ?? '' };
    }
    return { audienceKind: data.audienceKind, audienceValue: null };
  });

const dayField = (label: string) => optionalText({ tooLong: `${label} must be a real date` }, 4);

function dateFrom(prefix: string, label: string, data: Record<string, string | undefined>, ctx: z.RefinementCtx): string | null {
  const [day, month, year] = [data[`${prefix}Day`], data[`${prefix}Month`], data[`${prefix}Year`]];
  if (!day && !month && !year) {
    ctx.addIssue({ code: 'custom', path: [prefix], message: `Enter the ${label}` });
    return null;
  }
  const numbers = [day, month, year].map((part) => (part && /^\d+$/.test(part) ? Number(part) : NaN));
  const [d, m, y] = numbers as [number, number, number];
  const date = new Date(Date.UTC(y, m - 1, d));
  if (numbers.some(Number.isNaN) || year!.length !== 4 || date.getUTCFullYear() !== y || date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d) {
    ctx.addIssue({ code: 'custom', path: [prefix], message: `The ${label} must be a real date, like 27 3 2027` });
    return null;
  }
  return date.toISOString().slice(0, 10);
}

export const datesSchema = z
  .object({
    startsDay: dayField('Start date'),
    startsMonth: dayField('Start date'),
    startsYear: dayField('Start date'),
    endsDay: dayField('End date'),
    endsMonth: dayField('End date'),
    endsYear: dayField('End date'),
  })
  .transform((data, ctx) => {
    const startsOn = dateFrom('starts', 'start date', data, ctx);
    const endsOn = dateFrom('ends', 'end date', data, ctx);
    if (startsOn && endsOn && endsOn < startsOn) {
      ctx.addIssue({ code: 'custom', path: ['ends'], message: 'The end date must be the same as or after the start date' });
    }
    return { startsOn: startsOn ?? '', endsOn: endsOn ?? '' };
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
    const options = [...new Set((data.options ?? '').split('\n').map((line) => line.trim()).filter(Boolean))];
    if (data.kind === 'choice' || data.kind === 'multiple-choice') {
      if (options.length < 2) ctx.addIssue({ code: 'custom', path: ['options'], message: 'Enter at least 2 answers, one on each line' });
      else if (options.length > 10) ctx.addIssue({ code: 'custom', path: ['options'], message: 'Enter 10 answers or fewer' });
      else if (options.some((o) => o.length > MAX_OPTION)) ctx.addIssue({ code: 'custom', path: ['options'], message: `Each answer must be ${MAX_OPTION} characters or less` });
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
