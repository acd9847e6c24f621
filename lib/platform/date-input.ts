/**
 * The GOV.UK date input pattern (day, month and year boxes), read on the server.
 * Messages follow the pattern's wording and name the question ("Date your week starts"),
 * and each problem points at the first box to fix.
 */

export type CalendarDate = { year: number; month: number; day: number };

export type DateInputProblem = { field: string; message: string };

/** The three boxes' names: `<prefix>-day`, `<prefix>-month`, `<prefix>-year` (as govukDateInput's namePrefix makes them). */
export const dateInputFields = (prefix: string) => ({ day: `${prefix}-day`, month: `${prefix}-month`, year: `${prefix}-year` });

/**
 * Reads the boxes. `label` names the date in messages, starting with a capital ("Date your
 * week starts"); `enter` is the message when every box is empty ("Enter the date your week starts").
 */
export function readDateInput(
  values: Record<string, unknown>,
  prefix: string,
  words: { label: string; enter: string },
): { ok: true; date: CalendarDate } | { ok: false; problem: DateInputProblem } {
  const fields = dateInputFields(prefix);
  const parts = (['day', 'month', 'year'] as const).map((name) => {
    const value = values[fields[name]];
    // Anything but one string (a repeated field) counts as not a number.
    const text = typeof value === 'string' ? value.trim() : value === undefined ? '' : 'x';
    return { name, field: fields[name], text };
  });
  const missing = parts.filter((part) => part.text === '');
  const fail = (field: string, message: string) => ({ ok: false as const, problem: { field, message } });
  if (missing.length === parts.length) return fail(fields.day, words.enter);
  if (missing.length > 0) return fail(missing[0]!.field, `${words.label} must include a ${missing.map((part) => part.name).join(' and ')}`);
  // A day or month is 1 or 2 numbers; a year of numbers but the wrong length gets its own message below.
  const notNumber = parts.find((part) => !(part.name === 'year' ? /^\d+$/ : /^\d{1,2}$/).test(part.text));
  if (notNumber) return fail(notNumber.field, `${words.label} must be a real date`);
  if (parts[2]!.text.length !== 4) return fail(fields.year, 'Year must include 4 numbers');
  const [day, month, year] = parts.map((part) => Number(part.text)) as [number, number, number];
  const check = new Date(Date.UTC(year, month - 1, day));
  if (check.getUTCFullYear() !== year || check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day) {
    return fail(month < 1 || month > 12 ? fields.month : fields.day, `${words.label} must be a real date`);
  }
  return { ok: true, date: { year, month, day } };
}

/** YYYY-MM-DD. */
export const isoDate = ({ year, month, day }: CalendarDate) =>
  `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
