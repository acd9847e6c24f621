import { describe, expect, it } from 'vitest';
import { homeAverageGuidance, homeAverageRange, homeMonitoringGuidance, readingCategory, readingGuidance } from './guidance';
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
    days: [],
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
  ].flatMap((guidance) => [guidance.heading, ...guidance.paragraphs, ...(guidance.list ?? [])]);

  it('never diagnoses or names a condition', () => {
    for (const text of everything) expect(text).not.toMatch(/hypertension|you have high blood pressure|diagnos/i);
  });

  it('keeps sentences short', () => {
    for (const sentence of everything.flatMap((text) => text.split(/(?<=[.:])\s+/))) {
      expect(sentence.split(/\s+/).length, sentence).toBeLessThanOrEqual(25);
    }
  });

  it('only suggests carrying on while the week lasts', () => {
    expect(homeMonitoringGuidance(week({ status: 'average-ready', daysThatCount: 3, daysLeft: 2 })).paragraphs).toContain(
      'You can keep going until day 7. More days make your average more reliable.',
    );
    expect(homeMonitoringGuidance(week({ status: 'average-ready', daysThatCount: 4, daysLeft: 0 })).paragraphs).toEqual([
      'You have 4 days with all your readings.',
      'Your week has finished.',
    ]);
  });

  it('says how many more days are needed', () => {
    expect(homeMonitoringGuidance(week({ daysStillNeeded: 2 })).heading).toBe('You need readings on 2 more days');
    expect(homeMonitoringGuidance(week({ daysStillNeeded: 1 })).heading).toBe('You need readings on 1 more day');
  });
});
