import { describe, expect, it } from 'vitest';
import {
  eitherNumberWords,
  homeAverageGuidance,
  homeAverageRange,
  homeMonitoringGuidance,
  professionalWeekWords,
  readingCategory,
  readingGuidance,
  urgentAdviceFor,
  veryHighReadingGuidance,
  weekResultGuidance,
} from './guidance';
import type { HomeAverage, HomeMonitoringWeek } from './home-monitoring';

const pressure = (systolic: number, diastolic: number) => ({ systolic, diastolic });
const average = (systolic: number, diastolic: number): HomeAverage => ({
  systolic,
  diastolic,
  readingCount: 12,
  from: new Date('2026-11-02T08:00:00Z'),
  to: new Date('2026-11-04T20:00:00Z'),
});

describe('a single reading', () => {
  it.each([
    [179, 119, 'above-home-target'],
    [180, 119, 'very-high'],
    [179, 120, 'very-high'],
    [180, 120, 'very-high'],
    [200, 80, 'very-high'],
    [134, 84, 'expected'],
    [135, 84, 'above-home-target'],
    [134, 85, 'above-home-target'],
    [90, 60, 'expected'],
    [89, 60, 'low'],
    [90, 59, 'low'],
    [140, 55, 'above-home-target'],
  ])('%i/%i is %s', (systolic, diastolic, category) => {
    expect(readingCategory(pressure(systolic, diastolic))).toBe(category);
  });

  it('warns prominently about a very high reading, with what to do today and when to call 999', () => {
    const guidance = readingGuidance(pressure(180, 100));
    expect(guidance.urgent).toBe(true);
    expect(guidance.heading).toBe('This reading is very high');
    const words = [...guidance.paragraphs, ...(guidance.list ?? [])].join(' ');
    expect(words).toContain('Contact your GP practice today');
    expect(words).toContain('NHS 111');
    expect(words).toContain('Call 999');
    expect(guidance.list).toEqual(expect.arrayContaining(['pain or tightness in your chest', 'trouble breathing', 'feeling confused']));
    expect(guidance.list?.some((item) => item.includes('weakness or numbness'))).toBe(true);
  });

  it('gives calm, non-urgent words for other readings, and mentions dizziness for low ones', () => {
    expect(readingGuidance(pressure(179, 119)).urgent).toBe(false);
    expect(readingGuidance(pressure(85, 55)).paragraphs.join(' ')).toContain('dizzy or faint');
    expect(readingGuidance(pressure(120, 80)).heading).toBe('This reading is in the expected range');
  });
});

describe('a home average', () => {
  it.each([
    [134, 84, 'below-135-85'],
    [135, 84, 'stage-1-range'],
    [134, 85, 'stage-1-range'],
    [149, 94, 'stage-1-range'],
    [150, 94, 'stage-2-range'],
    [149, 95, 'stage-2-range'],
    [179, 119, 'stage-2-range'],
    [180, 90, 'very-high'],
    [150, 120, 'very-high'],
  ])('%i/%i is in the %s', (systolic, diastolic, range) => {
    expect(homeAverageRange(pressure(systolic, diastolic))).toBe(range);
  });

  it('says what the range means and to talk to the GP practice, without diagnosing', () => {
    const stage1 = homeAverageGuidance(average(140, 88));
    expect(stage1.heading).toBe('Your average is between 135/85 and 149/94');
    expect(stage1.paragraphs.join(' ')).toMatch(/Your average is in the range where/);
    expect(stage1.paragraphs.join(' ')).toContain('Talk to your GP practice');
    expect(homeAverageGuidance(average(150, 95)).heading).toBe('Your average is 150/95 or more');
    expect(homeAverageGuidance(average(120, 75)).heading).toBe('Your average is below 135/85');
    expect(homeAverageGuidance(average(185, 100)).urgent).toBe(true);
  });
});

describe('all the wording', () => {
  const week = (change: Partial<HomeMonitoringWeek>): HomeMonitoringWeek => ({
    status: 'in-progress',
    startedOn: '2026-11-01',
    endsOn: '2026-11-07',
    days: [],
    averaged: [],
    daysThatCount: 1,
    daysStillNeeded: 2,
    daysLeft: 4,
    reminders: [],
    ...change,
  });
  const everything = [
    ...[pressure(200, 100), pressure(140, 80), pressure(85, 55), pressure(120, 80)].map(readingGuidance),
    ...[average(120, 75), average(140, 88), average(155, 96), average(185, 100)].map(homeAverageGuidance),
    ...(['not-started', 'in-progress', 'average-ready', 'complete', 'not-enough-time'] as const).map((status) =>
      homeMonitoringGuidance(week({ status, reminders: ['only-mornings', 'only-evenings', 'single-readings', 'not-sitting'] })),
    ),
    weekResultGuidance({ average: null }),
    veryHighReadingGuidance(pressure(190, 125)),
  ].flatMap((guidance) => [guidance.heading, ...guidance.paragraphs, ...(guidance.list ?? [])]);

  it('never diagnoses or names a condition', () => {
    for (const text of everything) expect(text).not.toMatch(/hypertension|you have high blood pressure|diagnos/i);
  });

  it('keeps sentences short', () => {
    for (const sentence of everything.flatMap((text) => text.split(/(?<=[.:])\s+/))) {
      expect(sentence.split(/\s+/).length, sentence).toBeLessThanOrEqual(25);
    }
  });

  it('tells the citizen their average is worked out when the week ends, not before', () => {
    const ready = homeMonitoringGuidance(week({ status: 'average-ready', daysThatCount: 3, daysLeft: 2 }));
    expect(ready.paragraphs).toContain('Keep going if you can: more days make your average more reliable. We will work out your average when your week ends.');
    expect(homeMonitoringGuidance(week({ status: 'not-enough-time' })).paragraphs).toContain('You can start a new week when this one ends.');
  });

  it('says how many more days are needed', () => {
    expect(homeMonitoringGuidance(week({ daysStillNeeded: 2 })).heading).toBe('You need readings on 2 more days');
    expect(homeMonitoringGuidance(week({ daysStillNeeded: 1 })).heading).toBe('You need readings on 1 more day');
  });
});

describe('either number alone decides', () => {
  it('says which number put an average in its range', () => {
    expect(eitherNumberWords(pressure(135, 70))).toEqual([
      'Your top number (135) is 135 or more. That puts your average in this range, even though your bottom number is lower.',
      'Either number on its own can put your average in a higher range.',
    ]);
    expect(eitherNumberWords(pressure(128, 96))[0]).toBe(
      'Your bottom number (96) is 95 or more. That puts your average in this range, even though your top number is lower.',
    );
    expect(eitherNumberWords(pressure(151, 96))[0]).toBe('Both your top number (151) and your bottom number (96) are in this range.');
    expect(eitherNumberWords(pressure(120, 80))).toEqual(['Both numbers need to be below 135/85 for an average to be in this range.']);
  });

  it("is part of every average's words", () => {
    expect(homeAverageGuidance(pressure(135, 70)).paragraphs).toContain('Either number on its own can put your average in a higher range.');
    expect(weekResultGuidance({ average: pressure(151, 93) }).heading).toBe('Your average is 150/95 or more');
    expect(weekResultGuidance({ average: null }).heading).toBe('There were not enough readings for an average');
  });
});

describe('urgent advice', () => {
  it('is given when any reading recorded together is very high', () => {
    expect(urgentAdviceFor([pressure(130, 80), pressure(190, 125)])?.urgent).toBe(true);
    expect(urgentAdviceFor([pressure(179, 119)])).toBeUndefined();
    expect(veryHighReadingGuidance(pressure(190, 125)).heading).toBe('Your reading of 190/125 is very high');
  });
});

describe('words for care professionals', () => {
  it("names each result's range in clinical terms", () => {
    expect(professionalWeekWords('stage-1-range')).toBe('Stage 1 hypertension range for home monitoring (135/85 to 149/94)');
    expect(professionalWeekWords('stage-2-range')).toContain('150/95 or more');
    expect(professionalWeekWords('very-high')).toContain('same-day');
    expect(professionalWeekWords('below-135-85')).toContain('Below 135/85');
    expect(professionalWeekWords('not-enough-readings')).toContain('No average');
  });
});
