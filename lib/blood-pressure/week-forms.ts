import { z } from 'zod';
import { dateInputFields, isoDate, readDateInput } from '@/lib/platform/date-input';
import { choice } from '@/lib/platform/form-fields';
import { londonDay, type LondonDay } from '@/lib/platform/london-time';
import { LATEST_START_DAYS_AGO, startDayProblem, type WeekProblem } from './weeks';

/** The week forms' field names (the view uses the same). */
export const weekFields = {
  start: { when: 'startWhen', ...dateInputFields('startedOn') },
  end: { confirm: 'endNow' },
} as const;

/** What to tell the citizen when a week cannot start or end. `earliestEnd` names the first day it can end. */
export function weekProblemMessage(problem: WeekProblem, earliestEnd = ''): string {
  switch (problem) {
    case 'future':
      return 'Date your week starts must be today or in the past';
    case 'too-long-ago':
      return `Date your week starts must be in the last ${LATEST_START_DAYS_AGO} days`;
    case 'overlaps':
      return 'You already have a home reading week on some of these days. Choose a day after it ends';
    case 'too-early-to-end':
      return `You can end your week from day 4${earliestEnd ? `, ${earliestEnd}` : ''}`;
    case 'finished':
      return 'Your week has already ended';
  }
}

/** "When do you want to start your week?": today, or another day in the last 7 days. */
export function startWeekSchema(now: Date) {
  return z.record(z.string(), z.unknown()).transform((values, ctx): { chosen: 'today' | 'another-day'; startedOn: LondonDay } => {
    const fail = (field: string, message: string) => {
      ctx.addIssue({ code: 'custom', message, path: [field] });
      return z.NEVER;
    };
    const chosen = values[weekFields.start.when];
    if (chosen === 'today') return { chosen, startedOn: londonDay(now) };
    if (chosen !== 'another-day') return fail(weekFields.start.when, 'Select when you want to start your week');
    const read = readDateInput(values, 'startedOn', { label: 'Date your week starts', enter: 'Enter the date your week starts' });
    if (!read.ok) return fail(read.problem.field, read.problem.message);
    const startedOn = isoDate(read.date);
    const problem = startDayProblem(startedOn, now);
    if (problem) return fail(problem === 'too-long-ago' ? weekFields.start.year : weekFields.start.day, weekProblemMessage(problem));
    return { chosen, startedOn };
  });
}

/** "Do you want to end your week now?" */
export const endWeekSchema = z
  .object({ [weekFields.end.confirm]: choice(['yes', 'no'], { required: 'Select yes if you want to end your week now' }) })
  .transform((values) => ({ confirm: values[weekFields.end.confirm] }));
