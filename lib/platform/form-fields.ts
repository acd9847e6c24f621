import { z } from 'zod';

/**
 * Building blocks for form schemas, each with GOV.UK-style error messages.
 * A field sent twice, or a value of the wrong shape, fails with the field's own
 * message rather than a technical one.
 */

// Control characters (other than tab and new lines) never belong in what people type.
const CONTROL_CHARACTERS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/g;

function cleanText(value: string): string {
  return value.replace(CONTROL_CHARACTERS, '').replace(/\r\n/g, '\n').trim();
}

export function requiredText(messages: { required: string; tooLong: string }, maxLength: number) {
  return z.string({ error: messages.required }).transform(cleanText).pipe(z.string().min(1, messages.required).max(maxLength, messages.tooLong));
}

export function optionalText(messages: { tooLong: string; invalid?: string }, maxLength: number) {
  return z
    .string({ error: messages.invalid ?? messages.tooLong })
    .optional()
    .transform((value) => (value === undefined ? '' : cleanText(value)))
    .pipe(z.string().max(maxLength, messages.tooLong))
    .transform((value) => (value === '' ? undefined : value));
}

export function choice<const T extends readonly [string, ...string[]]>(options: T, messages: { required: string }) {
  return z.enum(options, { error: messages.required });
}

export function optionalEmail(messages: { invalid: string; tooLong: string }) {
  return optionalText({ tooLong: messages.tooLong, invalid: messages.invalid }, 254).pipe(z.email({ error: messages.invalid }).optional());
}
