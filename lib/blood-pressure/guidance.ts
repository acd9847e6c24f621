import { DAYS_IN_WEEK, DAYS_THAT_COUNT_NEEDED, type HomeAverage, type HomeMonitoringWeek, type ProtocolReminder } from './home-monitoring';

/**
 * Everything the service says to a citizen about their readings, in one place
 * so it can be reviewed by clinicians as content. Plain words, short sentences;
 * it explains ranges and what to do, and never diagnoses.
 *
 * Thresholds (NICE NG136): a pressure is "at or above" x/y when the systolic
 * is x or more, or the diastolic is y or more; either number alone is enough.
 * - Very high: 180 or more, or 120 or more (NICE's threshold for same-day
 *   specialist assessment, applied to any reading).
 * - Home averages: below 135/85; 135/85 to 149/94 (NICE stage 1 range for home
 *   averages); 150/95 or more (stage 2 range).
 * - Low: below 90/60, the NHS's usual description of low blood pressure.
 */

export const VERY_HIGH = { systolic: 180, diastolic: 120 } as const;
export const HOME_STAGE_1 = { systolic: 135, diastolic: 85 } as const;
export const HOME_STAGE_2 = { systolic: 150, diastolic: 95 } as const;
export const LOW = { systolic: 90, diastolic: 60 } as const;

type Pressure = { systolic: number; diastolic: number };

const atOrAbove = (pressure: Pressure, threshold: Pressure) =>
  pressure.systolic >= threshold.systolic || pressure.diastolic >= threshold.diastolic;

export type ReadingCategory = 'very-high' | 'above-home-target' | 'low' | 'expected';

/** A single reading's range. A reading both high and low (like 140/55) is treated as high: the safer advice. */
export function readingCategory(reading: Pressure): ReadingCategory {
  if (atOrAbove(reading, VERY_HIGH)) return 'very-high';
  if (atOrAbove(reading, HOME_STAGE_1)) return 'above-home-target';
  if (reading.systolic < LOW.systolic || reading.diastolic < LOW.diastolic) return 'low';
  return 'expected';
}

export type AverageRange = 'below-135-85' | 'stage-1-range' | 'stage-2-range' | 'very-high';

export function homeAverageRange(average: Pressure): AverageRange {
  if (atOrAbove(average, VERY_HIGH)) return 'very-high';
  if (atOrAbove(average, HOME_STAGE_2)) return 'stage-2-range';
  if (atOrAbove(average, HOME_STAGE_1)) return 'stage-1-range';
  return 'below-135-85';
}

/**
 * Wording for a page. `urgent` asks the page to show it as a GOV.UK warning
 * (prominent, near the top), not as ordinary text.
 */
export type Guidance = { heading: string; paragraphs: string[]; list?: string[]; urgent: boolean };

const veryHighGuidance = (what: string): Guidance => ({
  heading: `${what} is very high`,
  paragraphs: [
    'Contact your GP practice today. If they are closed, call NHS 111.',
    'Call 999 now if you also have any of these:',
  ],
  list: [
    'pain or tightness in your chest',
    'trouble breathing',
    'feeling confused',
    'sudden weakness or numbness in your face, arm or leg',
    'sudden trouble seeing or speaking',
  ],
  urgent: true,
});

const readingWords: Record<Exclude<ReadingCategory, 'very-high'>, Guidance> = {
  'above-home-target': {
    heading: 'This reading is higher than expected',
    paragraphs: [
      'One reading on its own does not tell you much. Blood pressure goes up and down during the day.',
      'Keep taking your readings as your GP practice asked. If most of your readings are like this, talk to your GP practice.',
    ],
    urgent: false,
  },
  low: {
    heading: 'This reading is lower than usual',
    paragraphs: [
      'Low readings are often nothing to worry about.',
      'If you feel dizzy or faint, or you have fainted, tell your GP practice.',
    ],
    urgent: false,
  },
  expected: {
    heading: 'This reading is in the expected range',
    paragraphs: ['Keep taking your readings as your GP practice asked.'],
    urgent: false,
  },
};

/** What to say when a citizen has just saved a reading. */
export function readingGuidance(reading: Pressure): Guidance {
  const category = readingCategory(reading);
  return category === 'very-high' ? veryHighGuidance('This reading') : readingWords[category];
}

const averageWords: Record<Exclude<AverageRange, 'very-high'>, Guidance> = {
  'below-135-85': {
    heading: 'Your average is below 135/85',
    paragraphs: [
      'Your average is in the range that is usually expected for readings taken at home.',
      'Your GP practice will look at your readings. Keep following any advice they have given you.',
    ],
    urgent: false,
  },
  'stage-1-range': {
    heading: 'Your average is between 135/85 and 149/94',
    paragraphs: [
      'Your average is in the range where doctors and nurses may want to look at your blood pressure more closely. They call this the stage 1 range.',
      'Talk to your GP practice about your readings. They will look at them with you and tell you if you need to do anything.',
    ],
    urgent: false,
  },
  'stage-2-range': {
    heading: 'Your average is 150/95 or more',
    paragraphs: [
      'Your average is in the range where doctors and nurses will want to look at your blood pressure. They call this the stage 2 range.',
      'Talk to your GP practice about your readings. Contact them in the next few days.',
    ],
    urgent: false,
  },
};

/** What a home-monitoring week's average means. */
export function homeAverageGuidance(average: HomeAverage): Guidance {
  const range = homeAverageRange(average);
  return range === 'very-high' ? veryHighGuidance('Your average') : averageWords[range];
}

const reminderWords: Record<ProtocolReminder, string> = {
  'only-mornings': 'Take readings in the evening as well as the morning.',
  'only-evenings': 'Take readings in the morning as well as the evening.',
  'single-readings': 'Each time, take 2 readings, 1 minute apart.',
  'not-sitting': 'Sit down for your readings. Readings taken standing or lying down are not used for your average.',
};

const plural = (count: number, one: string, many: string) => `${count} ${count === 1 ? one : many}`;

/** What to say about progress through a home-monitoring week. */
export function homeMonitoringGuidance(week: HomeMonitoringWeek): Guidance {
  const reminders = week.reminders.map((reminder) => reminderWords[reminder]);
  const howTo =
    'Take 2 readings in the morning and 2 in the evening, 1 minute apart, sitting down. Readings on your first day are not used: they are for practice.';
  switch (week.status) {
    case 'not-started':
      return { heading: 'Your home monitoring week', paragraphs: [howTo], urgent: false };
    case 'in-progress':
      return {
        heading: `You need readings on ${plural(week.daysStillNeeded, 'more day', 'more days')}`,
        paragraphs: [
          `You have ${plural(week.daysThatCount, 'day', 'days')} with all your readings so far. You need at least ${DAYS_THAT_COUNT_NEEDED}, after your first day. ${DAYS_IN_WEEK - 1} is best.`,
          howTo,
          ...reminders,
        ],
        urgent: false,
      };
    case 'average-ready':
      return {
        heading: 'You have enough readings for an average',
        paragraphs: [
          `You have ${plural(week.daysThatCount, 'day', 'days')} with all your readings.`,
          week.daysLeft > 0
            ? `You can keep going until day ${DAYS_IN_WEEK}. More days make your average more reliable.`
            : 'Your week has finished.',
          ...reminders,
        ],
        urgent: false,
      };
    case 'complete':
      return {
        heading: 'You have finished your home monitoring week',
        paragraphs: ['Thank you for taking all your readings.'],
        urgent: false,
      };
    case 'not-enough-time':
      return {
        heading: 'There are not enough readings this week for an average',
        paragraphs: [
          `You need at least ${DAYS_THAT_COUNT_NEEDED} days with 2 readings in the morning and 2 in the evening, after your first day. You could start a new week.`,
          ...reminders,
        ],
        urgent: false,
      };
  }
}
