import { z } from 'zod';
import { readDateInput } from '@/lib/platform/date-input';
import { fromLondonWallClock } from '@/lib/platform/london-time';

/** A blood pressure reading a citizen took at home. Pressures are in mmHg, pulse in beats a minute. */
export type BloodPressureReading = {
  systolic: number;
  diastolic: number;
  pulse?: number;
  /** When it was measured, not when it was typed in. */
  measuredAt: Date;
  arm: Arm;
  sitting: boolean;
};

export const arms = ['left', 'right'] as const;
export type Arm = (typeof arms)[number];

/**
 * What a home monitor can plausibly show for a living adult. Wide on purpose:
 * they catch typing slips (1200 for 120, numbers swapped) without refusing a
 * real reading that needs urgent advice (very high readings start at 180/120).
 */
export const plausibleRanges = {
  systolic: { min: 70, max: 250 },
  diastolic: { min: 40, max: 150 },
  pulse: { min: 30, max: 220 },
} as const;

/** How far back a reading may be dated: long enough to copy in an old paper diary, short enough to catch a mistyped year. */
export const OLDEST_READING_YEARS = 5;

/** Allows for a phone clock a little ahead of ours when "now" is typed in by hand. */
const CLOCK_TOLERANCE_MS = 5 * 60_000;

/** NICE NG136 asks for two measurements at least a minute apart; the second is dated a minute after the first. */
export const SECOND_READING_GAP_MS = 60_000;

export const measuredWhenOptions = ['now', 'earlier'] as const;

export const sittingOptions = ['yes', 'no'] as const;

export function armOptions() {
  return [
    { value: 'left', text: 'Left arm' },
    { value: 'right', text: 'Right arm' },
  ] satisfies { value: Arm; text: string }[];
}

function wholeNumber(name: string, example: number, range: { min: number; max: number }, required: string) {
  const outOfRange = `${name} must be between ${range.min} and ${range.max}`;
  return z
    .string({ error: required })
    .trim()
    .min(1, required)
    .regex(/^\d+$/, `${name} must be a whole number, like ${example}`)
    .transform(Number)
    .pipe(z.number().min(range.min, outOfRange).max(range.max, outOfRange));
}

function pressureFields(which: 'first' | 'second') {
  // The second reading's messages say so, or the error summary would list the same words twice.
  const of = which === 'second' ? ' of your second reading' : '';
  return {
    systolic: wholeNumber(`Systolic (top number)${of}`, 120, plausibleRanges.systolic, `Enter the systolic (top number)${of}`),
    diastolic: wholeNumber(`Diastolic (bottom number)${of}`, 80, plausibleRanges.diastolic, `Enter the diastolic (bottom number)${of}`),
    pulse: wholeNumber(`Pulse${of}`, 72, plausibleRanges.pulse, `Enter the pulse${of}`).optional(),
    higher: `Systolic (top number)${of} must be higher than diastolic (bottom number)`,
  };
}

const choiceOf = <const T extends readonly [string, ...string[]]>(options: T, required: string) => z.enum(options, { error: required });

const fieldSchemas = {
  first: pressureFields('first'),
  second: pressureFields('second'),
  measuredWhen: choiceOf(measuredWhenOptions, 'Select when you took this reading'),
  arm: choiceOf(arms, 'Select which arm you used'),
  sitting: choiceOf(sittingOptions, 'Select yes if you were sitting down'),
};

/** Form field names, in the order they appear on the page (the error summary follows this order). */
export const readingFields = {
  systolic: 'systolic',
  diastolic: 'diastolic',
  pulse: 'pulse',
  secondSystolic: 'secondSystolic',
  secondDiastolic: 'secondDiastolic',
  secondPulse: 'secondPulse',
  measuredWhen: 'measuredWhen',
  day: 'measuredAt-day',
  month: 'measuredAt-month',
  year: 'measuredAt-year',
  hour: 'measuredAt-hour',
  minute: 'measuredAt-minute',
  arm: 'arm',
  sitting: 'sitting',
} as const;

type Field = (typeof readingFields)[keyof typeof readingFields];
type Problem = { field: Field; message: string };

/** An empty box is sent as ''; we treat it as not given. Anything other than one string is left for the schema to refuse. */
function given(value: unknown): unknown {
  return typeof value === 'string' && value.trim() === '' ? undefined : value;
}

function check<T>(schema: z.ZodType<T>, value: unknown, field: Field, problems: Problem[]): T | undefined {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  problems.push({ field, message: result.error.issues[0]?.message ?? 'Check this answer' });
  return undefined;
}

function checkPair(
  which: 'first' | 'second',
  values: Record<string, unknown>,
  fields: { systolic: Field; diastolic: Field; pulse: Field },
  problems: Problem[],
) {
  const schemas = fieldSchemas[which];
  const systolic = check(schemas.systolic, values[fields.systolic], fields.systolic, problems);
  const diastolic = check(schemas.diastolic, values[fields.diastolic], fields.diastolic, problems);
  const pulse = check(schemas.pulse, given(values[fields.pulse]), fields.pulse, problems);
  if (systolic !== undefined && diastolic !== undefined && systolic <= diastolic) {
    problems.push({ field: fields.systolic, message: schemas.higher });
    return undefined;
  }
  return systolic === undefined || diastolic === undefined ? undefined : { systolic, diastolic, pulse };
}

const DATE = 'Date you took this reading';
const TIME = 'Time you took this reading';
const NOT_A_REAL_TIME = `${TIME} must be a real time, like 8:30 or 19:45`;

type Part = { field: Field; name: string; value: string | undefined };

/** The time boxes, trimmed; anything that is not one string counts as not a number. */
function parts(values: Record<string, unknown>, fields: Record<string, Field>): Part[] {
  return Object.entries(fields).map(([name, field]) => {
    const value = given(values[field]);
    return { field, name, value: value === undefined ? undefined : typeof value === 'string' ? value.trim() : 'x' };
  });
}

function timeShapeProblem(time: Part[]): Problem | undefined {
  const missing = time.filter((part) => part.value === undefined);
  if (missing.length === time.length) return { field: readingFields.hour, message: 'Enter the time you took this reading' };
  if (missing.length > 0) return { field: missing[0]!.field, message: `${TIME} must include the ${missing[0]!.name}` };
  const wrong = time.find((part) => !/^\d{1,2}$/.test(part.value!));
  return wrong ? { field: wrong.field, message: NOT_A_REAL_TIME } : undefined;
}

function checkWhen(values: Record<string, unknown>, now: Date, problems: Problem[]): Date | undefined {
  const when = check(fieldSchemas.measuredWhen, values[readingFields.measuredWhen], readingFields.measuredWhen, problems);
  if (when === 'now') return now;
  if (when === undefined) return undefined;

  // The date boxes are named measuredAt-day, -month and -year, as readingFields says.
  const date = readDateInput(values, 'measuredAt', { label: DATE, enter: 'Enter the date you took this reading' });
  const time = parts(values, { hour: readingFields.hour, minute: readingFields.minute });
  const timeProblem = timeShapeProblem(time);
  if (!date.ok) problems.push({ field: date.problem.field as Field, message: date.problem.message });
  if (timeProblem) problems.push(timeProblem);
  if (!date.ok || timeProblem) return undefined;

  const { year, month, day } = date.date;
  const [hour, minute] = time.map((part) => Number(part.value)) as [number, number];
  if (hour > 23) return void problems.push({ field: readingFields.hour, message: NOT_A_REAL_TIME });
  if (minute > 59) return void problems.push({ field: readingFields.minute, message: NOT_A_REAL_TIME });

  const measuredAt = fromLondonWallClock({ year, month, day, hour, minute });
  const problem = measuredAtProblem(measuredAt, now);
  if (problem) return void problems.push(problem);
  return measuredAt;
}

/** Not in the future (beyond a clock's slack), nor older than OLDEST_READING_YEARS. */
function measuredAtProblem(measuredAt: Date, now: Date): Problem | undefined {
  if (measuredAt.getTime() > now.getTime() + CLOCK_TOLERANCE_MS) return { field: readingFields.day, message: `${DATE} must be now or in the past` };
  const oldest = new Date(now);
  oldest.setUTCFullYear(oldest.getUTCFullYear() - OLDEST_READING_YEARS);
  if (measuredAt < oldest) return { field: readingFields.year, message: `${DATE} must be in the last ${OLDEST_READING_YEARS} years` };
  return undefined;
}

const inPageOrder = (problems: readonly Problem[]) => {
  const order: readonly Field[] = Object.values(readingFields);
  return problems.toSorted((a, b) => order.indexOf(a.field) - order.indexOf(b.field));
};

/**
 * The form's rules for one reading that arrives already made (an app, through the open platform
 * API): the same checks, with the same messages, in page order; empty when it passes. The numbers
 * are checked as the form checks what was typed, so 120.5 is "must be a whole number".
 */
export function readingProblems(reading: Pick<BloodPressureReading, 'systolic' | 'diastolic' | 'pulse' | 'measuredAt'>, now: Date): string[] {
  const problems: Problem[] = [];
  const typed = (value: number | undefined) => (value === undefined ? undefined : String(value));
  checkPair('first', { systolic: typed(reading.systolic), diastolic: typed(reading.diastolic), pulse: typed(reading.pulse) }, readingFields, problems);
  const timeProblem = measuredAtProblem(reading.measuredAt, now);
  if (timeProblem) problems.push(timeProblem);
  return inPageOrder(problems).map((problem) => problem.message);
}

/**
 * One or two readings from the "Add a reading" form. The second reading is
 * optional: leaving both of its boxes empty means there was only one.
 */
export type NewReadings = [BloodPressureReading] | [BloodPressureReading, BloodPressureReading];

/**
 * The "Add a reading" form. Every problem is reported at once, in page order,
 * each against the box to fix (for a date, the first wrong part, as the GOV.UK
 * date input pattern asks). The clock is a parameter so tests can fix "now".
 */
export function readingFormSchema(clock: () => Date = () => new Date()) {
  return z.record(z.string(), z.unknown()).transform((values, ctx): NewReadings => {
    const now = clock();
    const problems: Problem[] = [];
    const first = checkPair('first', values, readingFields, problems);
    const secondGiven = given(values.secondSystolic) !== undefined || given(values.secondDiastolic) !== undefined;
    const second = secondGiven
      ? checkPair(
          'second',
          values,
          { systolic: readingFields.secondSystolic, diastolic: readingFields.secondDiastolic, pulse: readingFields.secondPulse },
          problems,
        )
      : undefined;
    const measuredAt = checkWhen(values, now, problems);
    const arm = check(fieldSchemas.arm, values.arm, readingFields.arm, problems);
    const sitting = check(fieldSchemas.sitting, values.sitting, readingFields.sitting, problems);

    if (problems.length > 0 || !first || !measuredAt || !arm || !sitting || (secondGiven && !second)) {
      // In page order, whatever order they were found in (a pair's "higher" check comes after its pulse).
      for (const problem of inPageOrder(problems)) ctx.addIssue({ code: 'custom', message: problem.message, path: [problem.field] });
      return z.NEVER;
    }
    type Pair = NonNullable<typeof first>;
    const toReading = ({ systolic, diastolic, pulse }: Pair, at: Date): BloodPressureReading => ({
      systolic,
      diastolic,
      ...(pulse === undefined ? {} : { pulse }),
      measuredAt: at,
      arm,
      sitting: sitting === 'yes',
    });
    if (!second) return [toReading(first, measuredAt)];
    // "Now" is when both were done, so it dates the second; a typed time dates the first.
    const firstAt = values.measuredWhen === 'now' ? new Date(measuredAt.getTime() - SECOND_READING_GAP_MS) : measuredAt;
    return [toReading(first, firstAt), toReading(second, new Date(firstAt.getTime() + SECOND_READING_GAP_MS))];
  });
}
