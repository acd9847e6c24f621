import { DAYS_IN_WEEK, DAYS_THAT_COUNT_NEEDED, type HomeMonitoringWeek, type ProtocolReminder } from './home-monitoring';

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

const atOrAbove = (pressure: Pressure, threshold: Pressure) => pressure.systolic >= threshold.systolic || pressure.diastolic >= threshold.diastolic;

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
  paragraphs: ['Contact your GP practice today. If they are closed, call NHS 111.', 'Call 999 now if you also have any of these:'],
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
    paragraphs: ['Low readings are often nothing to worry about.', 'If you feel dizzy or faint, or you have fainted, tell your GP practice.'],
    urgent: false,
  },
  expected: {
    heading: 'This reading is in the expected range',
    paragraphs: ['Keep taking your readings as your GP practice asked.'],
    urgent: false,
  },
};

/** The urgent advice for a very high reading seen again later (the overview, for 24 hours). */
export function veryHighReadingGuidance(reading: Pressure): Guidance {
  return veryHighGuidance(`Your reading of ${reading.systolic}/${reading.diastolic}`);
}

/** The urgent advice when any of these readings is very high, or nothing: every way of recording a reading asks this. */
export function urgentAdviceFor(readings: readonly Pressure[]): Guidance | undefined {
  const veryHigh = readings.find((reading) => readingCategory(reading) === 'very-high');
  return veryHigh && readingGuidance(veryHigh);
}

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
export function homeAverageGuidance(average: Pressure): Guidance {
  const range = homeAverageRange(average);
  const guidance = range === 'very-high' ? veryHighGuidance('Your average') : averageWords[range];
  return { ...guidance, paragraphs: [...eitherNumberWords(average, range), ...guidance.paragraphs] };
}

const lowerBound: Record<Exclude<AverageRange, 'below-135-85'>, Pressure> = {
  'stage-1-range': HOME_STAGE_1,
  'stage-2-range': HOME_STAGE_2,
  'very-high': VERY_HIGH,
};

/**
 * Which number put an average in its range, in words: either number alone is enough,
 * so 138/70 is in the 135/85 to 149/94 range because of its top number.
 */
export function eitherNumberWords(average: Pressure, range = homeAverageRange(average)): string[] {
  if (range === 'below-135-85') return ['Both numbers need to be below 135/85 for an average to be in this range.'];
  const bound = lowerBound[range];
  const top = average.systolic >= bound.systolic;
  const bottom = average.diastolic >= bound.diastolic;
  const which =
    top && bottom
      ? `Both your top number (${average.systolic}) and your bottom number (${average.diastolic}) are in this range.`
      : top
        ? `Your top number (${average.systolic}) is ${bound.systolic} or more. That puts your average in this range, even though your bottom number is lower.`
        : `Your bottom number (${average.diastolic}) is ${bound.diastolic} or more. That puts your average in this range, even though your top number is lower.`;
  return [which, 'Either number on its own can put your average in a higher range.'];
}

/** What a finished week's result means: its average's words, or why there is none. */
export function weekResultGuidance(result: { average: Pressure | null }): Guidance {
  if (result.average) return homeAverageGuidance(result.average);
  return {
    heading: 'There were not enough readings for an average',
    paragraphs: [
      `An average needs at least ${DAYS_THAT_COUNT_NEEDED} days with 2 readings in the morning and 2 in the evening, after your first day.`,
      'You can start a new week when you are ready.',
    ],
    urgent: false,
  };
}

/**
 * A finished week's result for care professionals: the range in clinical terms (NICE NG136
 * home blood pressure monitoring thresholds). It describes the range; it is not a diagnosis.
 */
export function professionalWeekWords(result: AverageRange | 'not-enough-readings'): string {
  switch (result) {
    case 'below-135-85':
      return 'Below 135/85: below the home monitoring threshold for hypertension';
    case 'stage-1-range':
      return 'Stage 1 hypertension range for home monitoring (135/85 to 149/94)';
    case 'stage-2-range':
      return 'Stage 2 hypertension range for home monitoring (150/95 or more)';
    case 'very-high':
      return 'Severe range (180/120 or more): NICE advises same-day specialist assessment';
    case 'not-enough-readings':
      return 'No average: fewer than 3 complete days after the first day';
  }
}

const reminderWords: Record<ProtocolReminder, string> = {
  'only-mornings': 'Take readings in the evening as well as the morning.',
  'only-evenings': 'Take readings in the morning as well as the evening.',
  'single-readings': 'Each time, take 2 readings, 1 minute apart.',
  'not-sitting': 'Sit down for your readings. Readings taken standing or lying down are not used for your average.',
};

const plural = (count: number, one: string, many: string) => `${count} ${count === 1 ? one : many}`;

/** What to say about progress through the citizen's running home-monitoring week. */
export function homeMonitoringGuidance(week: HomeMonitoringWeek): Guidance {
  const reminders = week.reminders.map((reminder) => reminderWords[reminder]);
  const howTo =
    'Take 2 readings in the morning and 2 in the evening, 1 minute apart, sitting down. Readings on your first day are not used: they are for practice.';
  const days = `You have ${plural(week.daysThatCount, 'day', 'days')} with all your readings so far. You need at least ${DAYS_THAT_COUNT_NEEDED}, after your first day. ${DAYS_IN_WEEK - 1} is best.`;
  switch (week.status) {
    case 'not-started':
      return { heading: 'Your week has started', paragraphs: [howTo], urgent: false };
    case 'in-progress':
      return {
        heading: `You need readings on ${plural(week.daysStillNeeded, 'more day', 'more days')}`,
        paragraphs: [days, howTo, ...reminders],
        urgent: false,
      };
    case 'average-ready':
      return {
        heading: 'You have enough readings for an average',
        paragraphs: [
          `You have ${plural(week.daysThatCount, 'day', 'days')} with all your readings.`,
          'Keep going if you can: more days make your average more reliable. We will work out your average when your week ends.',
          ...reminders,
        ],
        urgent: false,
      };
    case 'complete':
      return {
        heading: 'You have taken all your readings for this week',
        paragraphs: ['Thank you. We will work out your average when your week ends.'],
        urgent: false,
      };
    case 'not-enough-time':
      return {
        heading: 'There are not enough days left this week for an average',
        paragraphs: [
          `An average needs at least ${DAYS_THAT_COUNT_NEEDED} days with 2 readings in the morning and 2 in the evening, after your first day.`,
          'You can start a new week when this one ends.',
          ...reminders,
        ],
        urgent: false,
      };
  }
}
