import { z } from 'zod';
import { optionalText } from '@/lib/platform/form-fields';
import type { FormErrors, FormValues } from '@/lib/platform/forms';
import { LISTED_CONDITIONS, listedCondition } from './conditions-list';

/**
 * The rules of the "about me" questions. Each validator reads the raw form values and
 * returns either the clean answers or GOV.UK errors in page order, so one page can report
 * every problem at once (and the answers are checked again before they are stored).
 */

export type Validation<T> = { ok: true; data: T } | { ok: false; errors: FormErrors };

class ErrorList {
  readonly errors: FormErrors = { summary: [], fields: {} };
  add(field: string, text: string, href = `#${field}`) {
    if (this.errors.fields[field]) return;
    this.errors.fields[field] = { text };
    this.errors.summary.push({ text, href });
  }
  get empty() {
    return this.errors.summary.length === 0;
  }
}

/** A text field's clean value ('' when empty), or its error. */
function readText(values: FormValues, name: string, max: number, tooLong: string): { value: string } | { error: string } {
  const result = optionalText({ tooLong, invalid: tooLong }, max).safeParse(values[name]);
  if (!result.success) return { error: result.error.issues[0]?.message ?? tooLong };
  return { value: result.data ?? '' };
}

// ---- Top three things to know about me --------------------------------------------------

export const TITLE_MAX = 100;
export const DESCRIPTION_MAX = 500;
export const MAX_THINGS = 3;
const ORDINALS = ['first', 'second', 'third'] as const;

export const topThingSchema = z.object({ title: z.string().min(1).max(TITLE_MAX), description: z.string().min(1).max(DESCRIPTION_MAX) });
/** What is stored: one to three things, each with a title and a description. */
export const topThingsSchema = z.array(topThingSchema).min(1).max(MAX_THINGS);
export type TopThing = z.infer<typeof topThingSchema>;

/** The form's field names for thing n (1 to 3). */
export const topThingFields = (n: number) => ({ title: `title${n}`, description: `description${n}` });

/**
 * Up to three things; the first is needed. A thing with a title needs a description and the
 * other way round. Anything sent for a fourth thing is not read.
 */
export function validateTopThree(values: FormValues): Validation<TopThing[]> {
  const list = new ErrorList();
  const things: TopThing[] = [];
  for (let n = 1; n <= MAX_THINGS; n++) {
    const ordinal = ORDINALS[n - 1];
    const fields = topThingFields(n);
    const title = readText(values, fields.title, TITLE_MAX, `The title of the ${ordinal} thing must be ${TITLE_MAX} characters or less`);
    const description = readText(
      values,
      fields.description,
      DESCRIPTION_MAX,
      `What you want to say about the ${ordinal} thing must be ${DESCRIPTION_MAX} characters or less`,
    );
    if ('error' in title) list.add(fields.title, title.error);
    if ('error' in description) list.add(fields.description, description.error);
    if ('error' in title || 'error' in description) continue;
    const needed = n === 1 || title.value !== '' || description.value !== '';
    if (!needed) continue;
    if (title.value === '')
      list.add(
        fields.title,
        n === 1 ? 'Enter a short title for the first thing' : `Enter a short title for the ${ordinal} thing, or remove what you wrote about it`,
      );
    if (description.value === '') list.add(fields.description, `Enter what you want people to know about the ${ordinal} thing`);
    if (title.value !== '' && description.value !== '') things.push({ title: title.value, description: description.value });
  }
  return list.empty ? { ok: true, data: things } : { ok: false, errors: list.errors };
}

/** The things as form values, to fill the form in again when they change them. */
export function topThreeValues(things: TopThing[]): FormValues {
  const values: FormValues = {};
  things.forEach((thing, index) => {
    const fields = topThingFields(index + 1);
    values[fields.title] = thing.title;
    values[fields.description] = thing.description;
  });
  return values;
}

// ---- Long-term conditions ---------------------------------------------------------------

export const CONDITION_NAME_MAX = 100;
export type NewCondition = { code: string | null; name: string };
export type HeldCondition = { code: string | null; name: string };

const sameName = (a: string, b: string) => a.localeCompare(b, 'en-GB', { sensitivity: 'base' }) === 0;

/** Whether this condition is already on their list (the same code, or the same words). */
export function alreadyHeld(condition: NewCondition, held: HeldCondition[]): boolean {
  return held.some((existing) => (condition.code !== null && existing.code === condition.code) || sameName(existing.name, condition.name));
}

/** One condition: chosen from the list, or typed in their own words (not both). */
export function validateCondition(values: FormValues, held: HeldCondition[]): Validation<NewCondition> {
  const list = new ErrorList();
  const chosen = values.condition;
  const other = readText(values, 'otherCondition', CONDITION_NAME_MAX, `Your condition must be ${CONDITION_NAME_MAX} characters or less`);
  if (chosen !== undefined && typeof chosen !== 'string') list.add('condition', 'Select a condition from the list');
  if ('error' in other) list.add('otherCondition', other.error);
  if (!list.empty || 'error' in other) return { ok: false, errors: list.errors };

  const code = typeof chosen === 'string' ? chosen.trim() : '';
  let condition: NewCondition | undefined;
  if (code !== '' && other.value !== '') {
    list.add('condition', 'Select a condition from the list, or type it in if it is not listed, not both');
  } else if (code !== '') {
    const listed = listedCondition(code);
    if (listed) condition = { code: listed.code, name: listed.name };
    else list.add('condition', 'Select a condition from the list');
  } else if (other.value !== '') {
    // Their own words for a condition that is on the list: keep the list's code with it.
    const listed = listedConditionNamed(other.value);
    condition = listed ? { code: listed.code, name: listed.name } : { code: null, name: other.value };
  } else {
    list.add('condition', 'Select your condition from the list, or type it in if it is not listed');
  }
  if (condition && alreadyHeld(condition, held)) {
    list.add(condition.code !== null && code !== '' ? 'condition' : 'otherCondition', `You have already added ${condition.name}`);
  }
  return list.empty && condition ? { ok: true, data: condition } : { ok: false, errors: list.errors };
}

function listedConditionNamed(name: string) {
  return LISTED_CONDITIONS.find((condition) => sameName(condition.name, name));
}

export const storedConditionSchema = z.object({ code: z.string().nullable(), name: z.string().min(1).max(CONDITION_NAME_MAX) });

// ---- Communication needs (Accessible Information Standard) ------------------------------

export const FORMATS = ['large-print', 'easy-read', 'braille', 'bsl-interpreter', 'spoken-language-interpreter', 'contact-carer'] as const;
export type Format = (typeof FORMATS)[number];
export const NO_NEEDS = 'none';

export const FORMAT_LABELS: Record<Format, string> = {
  'large-print': 'Large print',
  'easy-read': 'Easy read',
  braille: 'Braille',
  'bsl-interpreter': 'A British Sign Language (BSL) interpreter',
  'spoken-language-interpreter': 'An interpreter for another spoken language',
  'contact-carer': 'Contact someone who helps me, as well as me',
};

export const LANGUAGE_MAX = 60;
export const CARER_NAME_MAX = 100;
export const CARER_CONTACT_MAX = 200;
export const OTHER_NEEDS_MAX = 500;

export const communicationNeedsSchema = z.object({
  formats: z.array(z.enum(FORMATS)),
  interpreterLanguage: z.string().max(LANGUAGE_MAX).nullable(),
  carerName: z.string().max(CARER_NAME_MAX).nullable(),
  carerContact: z.string().max(CARER_CONTACT_MAX).nullable(),
  otherNeeds: z.string().max(OTHER_NEEDS_MAX).nullable(),
});
export type CommunicationNeedsAnswers = z.infer<typeof communicationNeedsSchema>;

const NEEDS_REQUIRED = 'Select what you need, or select that you do not need any of these';

/**
 * What they need. Details are asked only for the choices that need them; details typed for
 * an unticked choice are not kept. "I do not need any of these" cannot go with other choices.
 */
export function validateCommunicationNeeds(values: FormValues): Validation<CommunicationNeedsAnswers> {
  const list = new ErrorList();
  const raw = values.formats === undefined ? [] : Array.isArray(values.formats) ? values.formats : [values.formats];
  const known = new Set<string>([...FORMATS, NO_NEEDS]);
  const none = raw.includes(NO_NEEDS);
  if (raw.length === 0 || raw.some((value) => !known.has(value))) list.add('formats', NEEDS_REQUIRED);
  else if (none && raw.length > 1) list.add('formats', 'Select what you need, or "I do not need any of these", not both');
  const formats = FORMATS.filter((format) => raw.includes(format));

  const details = (name: string, max: number, needed: boolean, required: string, tooLong: string): string | null => {
    const result = readText(values, name, max, tooLong);
    if ('error' in result) {
      if (needed) list.add(name, result.error);
      return null;
    }
    if (!needed) return null;
    if (result.value === '') list.add(name, required);
    return result.value || null;
  };
  const interpreterLanguage = details(
    'interpreterLanguage',
    LANGUAGE_MAX,
    formats.includes('spoken-language-interpreter'),
    'Enter the language you need an interpreter for',
    `The language must be ${LANGUAGE_MAX} characters or less`,
  );
  const carerName = details(
    'carerName',
    CARER_NAME_MAX,
    formats.includes('contact-carer'),
    'Enter the name of the person to contact',
    `Their name must be ${CARER_NAME_MAX} characters or less`,
  );
  const carerContact = details(
    'carerContact',
    CARER_CONTACT_MAX,
    formats.includes('contact-carer'),
    'Enter a phone number or email address for the person to contact',
    `Their phone number or email address must be ${CARER_CONTACT_MAX} characters or less`,
  );
  const other = readText(values, 'otherNeeds', OTHER_NEEDS_MAX, `Anything else you need must be ${OTHER_NEEDS_MAX} characters or less`);
  if ('error' in other) list.add('otherNeeds', other.error);

  if (!list.empty) return { ok: false, errors: list.errors };
  return { ok: true, data: { formats, interpreterLanguage, carerName, carerContact, otherNeeds: 'error' in other ? null : other.value || null } };
}

/** Saved needs as form values, to fill the form in again when they change them. */
export function communicationNeedsValues(needs: CommunicationNeedsAnswers, answered: boolean): FormValues {
  if (!answered) return {};
  return {
    formats: needs.formats.length ? [...needs.formats] : [NO_NEEDS],
    interpreterLanguage: needs.interpreterLanguage ?? '',
    carerName: needs.carerName ?? '',
    carerContact: needs.carerContact ?? '',
    otherNeeds: needs.otherNeeds ?? '',
  };
}

/** Needs as they are stored (one CommunicationNeeds row), as answers: formats no longer offered are left out. */
export function savedCommunicationNeeds(row: {
  formats: string;
  interpreterLanguage: string | null;
  carerName: string | null;
  carerContact: string | null;
  otherNeeds: string | null;
}): CommunicationNeedsAnswers {
  const formats = row.formats.split(',').filter((format): format is Format => (FORMATS as readonly string[]).includes(format));
  return { formats, interpreterLanguage: row.interpreterLanguage, carerName: row.carerName, carerContact: row.carerContact, otherNeeds: row.otherNeeds };
}

/** Their needs in words, one line each, for summaries. */
export function describeCommunicationNeeds(needs: CommunicationNeedsAnswers): string[] {
  const lines = needs.formats.map((format) => {
    if (format === 'spoken-language-interpreter') return `An interpreter for ${needs.interpreterLanguage ?? 'another language'}`;
    if (format === 'contact-carer') return `Contact ${needs.carerName ?? 'someone who helps me'} (${needs.carerContact ?? ''}) as well as me`;
    return FORMAT_LABELS[format];
  });
  return lines.length ? lines : ['You do not need any of these'];
}
