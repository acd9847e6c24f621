import { z } from 'zod';
import { ConfigError } from '@/lib/platform/config';

/**
 * Letters settings, read and checked when first used (the web process and the worker):
 *
 * - LETTERS_UNREAD_POST_AFTER_DAYS: a letter still unread this many days after it arrived is
 *   marked for its sender to post (the worker's "letters-unread-post" task); default 5.
 */

const schema = z.object({
  LETTERS_UNREAD_POST_AFTER_DAYS: z.coerce.number().positive().max(365).default(5),
});

export type LettersSettings = { unreadPostAfterDays: number };

export function lettersSettings(env: Record<string, string | undefined> = process.env): LettersSettings {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
    throw new ConfigError(`Invalid configuration:\n  ${problems.join('\n  ')}`);
  }
  return { unreadPostAfterDays: parsed.data.LETTERS_UNREAD_POST_AFTER_DAYS };
}

/** The largest PDF a letter may carry (5 MB). */
export const MAX_PDF_BYTES = 5 * 1024 * 1024;
/** The largest request: the PDF in base64 (4/3 of its size) and the rest of the letter. */
export const MAX_BODY_BYTES = Math.ceil((MAX_PDF_BYTES * 4) / 3) + 512 * 1024;
/** The largest accessible (HTML) version of a letter. */
export const MAX_HTML_CHARS = 200_000;
