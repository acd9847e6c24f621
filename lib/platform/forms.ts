import { readBounded } from './bounded-body';
import { z } from 'zod';
import { CSRF_FIELD, checkOrigin, verifyCsrfToken } from './csrf';
import { HttpError } from './errors';

/**
 * The one form mechanism: read a urlencoded POST safely, check CSRF, validate
 * against a schema, and describe any errors the way the GOV.UK error summary
 * and inline error messages need them.
 */

export const MAX_FORM_BYTES = 32 * 1024;

export type FormValues = Record<string, string | string[]>;

export type FormErrors = {
  /** For the error summary, in the order the fields appear on the page. */
  summary: { text: string; href: string }[];
  /** For each field's inline error message. */
  fields: Record<string, { text: string }>;
};

export type FormResult<T> = { ok: true; data: T; values: FormValues } | { ok: false; errors: FormErrors; values: FormValues };

async function readBodyWithLimit(req: Request, limit: number): Promise<Uint8Array> {
  const body = await readBounded(req, limit);
  if (body === 'too-large') throw new HttpError(413, 'form-too-large');
  return body;
}

/**
 * Our own urlencoded parser: URLSearchParams silently turns malformed
 * percent-escapes into U+FFFD, and we would rather refuse than store mangled text.
 */
function parseUrlEncoded(text: string): [string, string][] {
  const decode = (part: string) => {
    try {
      return decodeURIComponent(part.replace(/\+/g, ' '));
    } catch {
      throw new HttpError(400, 'form-not-utf8');
    }
  };
  return text
    .split('&')
    .filter((pair) => pair.length > 0)
    .map((pair) => {
      const index = pair.indexOf('=');
      return index === -1 ? [decode(pair), ''] : [decode(pair.slice(0, index)), decode(pair.slice(index + 1))];
    });
}

/** The form of each request, read once: pageRoute reads it before any handler runs, handlers get the same values. */
const formsRead = new WeakMap<Request, Promise<FormValues>>();

/**
 * Reads and checks a form post: Origin, encoding, size, UTF-8 and the CSRF token.
 * Throws HttpError (4xx) for anything a real form of ours would never send. Every
 * POST to a page is read here by pageRoute before its handler runs, so no handler
 * can skip these checks; calling it again returns the same values.
 */
export function readForm(req: Request): Promise<FormValues> {
  let read = formsRead.get(req);
  if (!read) {
    read = readAndCheckForm(req);
    formsRead.set(req, read);
  }
  return read;
}

async function readAndCheckForm(req: Request): Promise<FormValues> {
  if (!checkOrigin(req)) throw new HttpError(403, 'origin-mismatch');
  const contentType = (req.headers.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
  if (contentType !== 'application/x-www-form-urlencoded') throw new HttpError(415, 'unsupported-form-encoding');

  const bytes = await readBodyWithLimit(req, MAX_FORM_BYTES);
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new HttpError(400, 'form-not-utf8');
  }
  // No prototype: a field named __proto__ or constructor is just a field.
  const values: FormValues = Object.create(null);
  for (const [name, value] of parseUrlEncoded(text)) {
    const existing = values[name];
    if (existing === undefined) values[name] = value;
    else values[name] = Array.isArray(existing) ? [...existing, value] : [existing, value];
  }
  if (!verifyCsrfToken(req, values[CSRF_FIELD])) throw new HttpError(403, 'csrf-token-invalid');
  delete values[CSRF_FIELD];
  return values;
}

/** Validates form values against a schema; unknown fields are dropped, never stored. */
export function validateForm<S extends z.ZodType>(schema: S, values: FormValues): FormResult<z.output<S>> {
  const result = schema.safeParse(values);
  if (result.success) return { ok: true, data: result.data, values };
  const errors: FormErrors = { summary: [], fields: {} };
  for (const issue of result.error.issues) {
    const field = String(issue.path[0] ?? '');
    if (!field || errors.fields[field]) continue;
    errors.fields[field] = { text: issue.message };
    errors.summary.push({ text: issue.message, href: `#${field}` });
  }
  return { ok: false, errors, values };
}

/** A form value as the single string a text field shows again after an error. */
export function shownValue(values: FormValues, name: string): string {
  const value = values[name];
  return Array.isArray(value) ? (value[0] ?? '') : (value ?? '');
}
