import { createHash } from 'node:crypto';
import { z } from 'zod';
import { sanitiseLetterHtml } from '@/lib/care-record/public';
import { isValidNhsNumber } from '@/lib/platform/nhs-number';
import { MAX_HTML_CHARS, MAX_PDF_BYTES } from './config';
import { COUNCIL_SENDER, LETTER_KINDS, type LetterKind } from './senders';

/**
 * What a sender sends (POST /api/letters/v1/letters, JSON), checked before anything is stored:
 *
 *   { "sender": "leeds-teaching-hospitals", "nhsNumber": "9990012377", "kind": "appointment",
 *     "title": "Your eye clinic appointment", "letterDate": "2026-12-01",
 *     "html": "<p>Dear Amelia, …</p>",
 *     "pdf": { "contentType": "application/pdf", "data": "<the PDF, base64>" } }
 *
 * The person is named by exactly one of `nhsNumber` (10 digits, no spaces) or, for the council
 * only (sender "council"), `councilReference`: the council's own reference for them, which its
 * receiver gave us when it accepted a change of their contact details (lib/contact-details).
 *
 * The PDF must be a PDF (it starts %PDF- and ends with %%EOF), at most 5 MB. The HTML is the
 * accessible version: only simple structure is kept (paragraphs, headings, lists, tables,
 * emphasis, checked links: the allow list of lib/care-record/letter-html.ts), everything else
 * (scripts, styles, attributes, images) is dropped before it is stored, and again when shown.
 */

export type ValidLetter = {
  sender: string;
  /** Exactly one of these two is given. */
  nhsNumber: string | null;
  councilReference: string | null;
  kind: LetterKind;
  title: string;
  letterDate: string;
  /** Already sanitised. */
  html: string;
  pdf: Uint8Array;
};

export type FieldError = { field: string; message: string };

/** Standard base64 with padding (a simple character class: a long PDF must not exhaust the regex engine). */
const isBase64 = (text: string) => text.length % 4 === 0 && /^[A-Za-z0-9+/]*={0,2}$/.test(text);

/** A real calendar day, YYYY-MM-DD. */
export function isCalendarDay(value: string): boolean {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!match) return false;
  const date = new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])));
  return date.toISOString().slice(0, 10) === value && Number(match[1]) >= 1900;
}

/** Looks like a whole PDF: the header at the start, the end-of-file marker near the end. */
export function looksLikePdf(bytes: Uint8Array): boolean {
  const text = (from: number, to: number) => Buffer.from(bytes.subarray(from, to)).toString('latin1');
  return bytes.length >= 16 && text(0, 5) === '%PDF-' && text(Math.max(0, bytes.length - 1024), bytes.length).includes('%%EOF');
}

/** The text a reader would hear: the sanitised HTML without its tags. */
export function visibleText(html: string): string {
  return html
    .replace(/<[^>]*>/g, ' ')
    .replace(/&nbsp;|&#160;/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

const letterSchema = z.object({
  sender: z.string({ error: 'Enter the sender: your organisation id' }).min(1, 'Enter the sender: your organisation id').max(64),
  nhsNumber: z
    .string({ error: 'Enter the NHS number, 10 digits' })
    .refine((value) => isValidNhsNumber(value, { digitsOnly: true }), 'The NHS number must be 10 digits with a correct check digit (no spaces)')
    .nullish(),
  councilReference: z
    .string({ error: 'The council’s reference must be text' })
    .regex(/^[A-Za-z0-9-]{1,40}$/, 'The council’s reference must be 1 to 40 letters, digits and hyphens')
    .nullish(),
  kind: z.enum(LETTER_KINDS, { error: `The kind must be one of: ${LETTER_KINDS.join(', ')}` }),
  title: z
    .string({ error: 'Enter a title' })
    .trim()
    .min(1, 'Enter a title')
    .max(150, 'The title must be 150 characters or fewer')
    .refine((value) => !/[\u0000-\u001f\u007f<>]/.test(value), 'The title must be plain text on one line'),
  letterDate: z.string({ error: 'Enter the date on the letter, YYYY-MM-DD' }).refine(isCalendarDay, 'The date on the letter must be a real date, YYYY-MM-DD'),
  html: z
    .string({ error: 'Include the accessible version of the letter as HTML' })
    .min(1, 'Include the accessible version of the letter as HTML')
    .max(MAX_HTML_CHARS, `The HTML must be ${MAX_HTML_CHARS} characters or fewer`),
  pdf: z.object(
    {
      contentType: z.literal('application/pdf', { error: 'The file must be a PDF: contentType application/pdf' }),
      data: z.string({ error: 'Include the PDF, base64 encoded' }).min(1, 'Include the PDF, base64 encoded'),
    },
    { error: 'Include the PDF: { "contentType": "application/pdf", "data": "<base64>" }' },
  ),
});

/** Who the letter is for: exactly one of nhsNumber or (the council only) councilReference. */
function recipientErrors(input: unknown): FieldError[] {
  if (!input || typeof input !== 'object' || Array.isArray(input)) return [];
  const { sender, nhsNumber, councilReference } = input as Record<string, unknown>;
  const given = (value: unknown) => value !== undefined && value !== null;
  if (!given(nhsNumber) && !given(councilReference)) return [{ field: 'nhsNumber', message: 'Enter the NHS number, 10 digits' }];
  if (given(nhsNumber) && given(councilReference)) {
    return [{ field: 'councilReference', message: 'Give the NHS number or the council’s reference, not both' }];
  }
  if (given(councilReference) && sender !== COUNCIL_SENDER) {
    return [{ field: 'councilReference', message: 'Only the council can name the person by the council’s reference: give the NHS number' }];
  }
  return [];
}

/** The letter, checked; or every problem found, by field. */
export function validateLetter(input: unknown): { ok: true; letter: ValidLetter } | { ok: false; errors: FieldError[] } {
  const parsed = letterSchema.safeParse(input);
  const recipient = recipientErrors(input);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((issue) => ({ field: issue.path.join('.') || 'body', message: issue.message }));
    return { ok: false, errors: [...recipient, ...issues.filter((issue) => !recipient.some((error) => error.field === issue.field))] };
  }
  const { pdf, html, nhsNumber, councilReference, ...rest } = parsed.data;
  const errors: FieldError[] = [...recipient];
  let bytes = new Uint8Array();
  if (pdf.data.length > Math.ceil(MAX_PDF_BYTES / 3) * 4) errors.push({ field: 'pdf.data', message: 'The PDF must be 5 MB or smaller' });
  else if (!isBase64(pdf.data)) errors.push({ field: 'pdf.data', message: 'The PDF must be base64 encoded (RFC 4648, with padding)' });
  else {
    bytes = new Uint8Array(Buffer.from(pdf.data, 'base64'));
    if (bytes.length > MAX_PDF_BYTES) errors.push({ field: 'pdf.data', message: 'The PDF must be 5 MB or smaller' });
    else if (!looksLikePdf(bytes)) errors.push({ field: 'pdf.data', message: 'The file is not a PDF: it must start with %PDF- and end with %%EOF' });
  }
  const safeHtml = sanitiseLetterHtml(html);
  if (!visibleText(safeHtml)) errors.push({ field: 'html', message: 'The HTML has no text a reader could see: include the letter itself' });
  if (errors.length > 0) return { ok: false, errors };
  return { ok: true, letter: { ...rest, nhsNumber: nhsNumber ?? null, councilReference: councilReference ?? null, html: safeHtml, pdf: bytes } };
}

/**
 * What identifies a letter's content and who it is for, for the Idempotency-Key check: the same
 * letter sent again has the same hash. (A letter by NHS number hashes as before the council's
 * reference existed; one by reference has it at the end, so the two can never be taken for each other.)
 */
export function letterHash(letter: ValidLetter): string {
  const pdfHash = createHash('sha256').update(letter.pdf).digest('hex');
  const { pdf: _pdf, ...fields } = letter;
  const canonical = JSON.stringify([
    fields.sender,
    fields.nhsNumber,
    fields.kind,
    fields.title,
    fields.letterDate,
    fields.html,
    pdfHash,
    ...(fields.councilReference === null ? [] : [fields.councilReference]),
  ]);
  return createHash('sha256').update(canonical, 'utf8').digest('hex');
}

/** An Idempotency-Key a sender may use: 1 to 100 letters, digits and . _ : - */
export function isIdempotencyKey(value: string | null): value is string {
  return value !== null && /^[A-Za-z0-9._:-]{1,100}$/.test(value);
}
