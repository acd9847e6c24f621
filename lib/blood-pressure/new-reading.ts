import { z } from 'zod';
import type { Db, Tx } from '@/lib/platform/db';
import { readDraft, saveDraft, takeDraft } from '@/lib/platform/drafts';
import type { FormValues } from '@/lib/platform/forms';
import { readingFormSchema, readingFields, type NewReadings } from './reading';

/**
 * The "Add a reading" answers between the form and "Check your answers": nothing is saved
 * as a reading until the citizen confirms. They wait in the citizen's own draft
 * (lib/platform/drafts.ts, 30 minutes), and are checked again with the form's own rules
 * each time they are used.
 *
 * "Now" means when the form was sent, so that instant is kept with the answers and the
 * rules are run again with that clock: the reading keeps its time.
 */

const JOURNEY = 'blood-pressure/new-reading';

const fieldNames: readonly string[] = Object.values(readingFields);

/** Only the form's own fields are kept, one string each. */
function formFieldsOnly(values: FormValues): Record<string, string> {
  return Object.fromEntries(Object.entries(values).filter((entry): entry is [string, string] => fieldNames.includes(entry[0]) && typeof entry[1] === 'string'));
}

/** What is kept: the boxes as typed, and when the form was sent. */
const keptSchema = z.object({
  values: z.record(z.string(), z.string()).transform(formFieldsOnly),
  answeredAt: z.iso.datetime().transform((text) => new Date(text)),
});

export type NewReadingAnswers = { values: FormValues; readings: NewReadings | null };

/** Keeps the answers the citizen has just sent, for "Check your answers". */
export function keepNewReadingAnswers(db: Db, userId: string, values: FormValues, answeredAt: Date): Promise<void> {
  return saveDraft(
    db,
    userId,
    JOURNEY,
    { values: formFieldsOnly(values), answeredAt: answeredAt.toISOString() } satisfies z.input<typeof keptSchema>,
    answeredAt,
  );
}

/**
 * The answers this citizen gave, if any are kept and in time; `readings` is null when they no
 * longer pass the form's rules.
 */
export async function keptNewReadingAnswers(db: Db, userId: string, now: Date): Promise<NewReadingAnswers | null> {
  const kept = await readDraft(db, userId, JOURNEY, keptSchema, now);
  if (!kept) return null;
  const result = readingFormSchema(() => kept.answeredAt).safeParse(kept.values);
  return { values: kept.values, readings: result.success ? result.data : null };
}

/** Takes the kept answers away, in the transaction that saves the reading: false when they were already used. */
export function takeNewReadingAnswers(tx: Tx, userId: string, now: Date): Promise<boolean> {
  return takeDraft(tx, userId, JOURNEY, now);
}
