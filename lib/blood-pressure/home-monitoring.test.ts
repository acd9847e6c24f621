import { describe, expect, it } from 'vitest';
import { homeMonitoringWeek, type MonitoringReading } from './home-monitoring';

// November: UK clocks are on GMT, so these UTC times are the times people saw.
const at = (day: number, time: string) => new Date(`2026-11-${String(day).padStart(2, '0')}T${time}:00Z`);
const reading = (day: number, time: string, systolic: number, diastolic: number, sitting?: boolean): MonitoringReading => ({
  systolic,
  diastolic,
  measuredAt: at(day, time),
  ...(sitting === undefined ? {} : { sitting }),
});

/** Two morning and two evening readings on a day, as NICE asks. */
function fullDay(day: number, systolic = 140, diastolic = 90): MonitoringReading[] {
  return [
    reading(day, '07:30', systolic, diastolic),
    reading(day, '07:31', systolic, diastolic),
    reading(day, '19:30', systolic, diastolic),
    reading(day, '19:31', systolic, diastolic),
  ];
}

describe('a home-monitoring week', () => {
  it('has not started without readings', () => {
    const week = homeMonitoringWeek([], { now: at(2, '09:00') });
    expect(week.status).toBe('not-started');
    expect(week.startedOn).toBe('2026-11-02');
    expect(week.daysStillNeeded).toBe(3);
    expect(week.average).toBeUndefined();
  });

  it('leaves out the first day, however high it was, and averages the rest', () => {
    const readings = [...fullDay(2, 200, 110), ...fullDay(3, 140, 90), ...fullDay(4, 130, 80), ...fullDay(5, 150, 85)];
    const week = homeMonitoringWeek(readings, { now: at(5, '21:00') });
    expect(week.days[0]).toMatchObject({ date: '2026-11-02', dayNumber: 1, leftOut: true, counts: false, morningReadings: 2, eveningReadings: 2 });
    expect(week.daysThatCount).toBe(3);
    expect(week.status).toBe('average-ready');
    expect(week.average).toEqual({ systolic: 140, diastolic: 85, readingCount: 12, from: at(3, '07:30'), to: at(5, '19:31') });
  });

  it('shows no average with fewer than 4 days (3 after the first)', () => {
    const week = homeMonitoringWeek([...fullDay(2), ...fullDay(3), ...fullDay(4)], { now: at(4, '21:00') });
    expect(week.status).toBe('in-progress');
    expect(week.daysThatCount).toBe(2);
    expect(week.daysStillNeeded).toBe(1);
    expect(week.daysLeft).toBe(5);
    expect(week.average).toBeUndefined();
  });

  it('copes with gaps: missed days do not count, but the week can still finish', () => {
    const readings = [...fullDay(2), ...fullDay(3), ...fullDay(6), ...fullDay(8)];
    const week = homeMonitoringWeek(readings, { now: at(8, '21:00') });
    expect(week.days.map((day) => day.counts)).toEqual([false, true, false, false, true, false, true]);
    expect(week.status).toBe('average-ready');
    expect(week.average?.readingCount).toBe(12);
  });

  it('says when too few days are left to get an average', () => {
    const week = homeMonitoringWeek([...fullDay(2), ...fullDay(3)], { now: at(7, '10:00') });
    expect(week.daysLeft).toBe(2);
    expect(week.daysStillNeeded).toBe(2);
    expect(week.status).toBe('in-progress');
    expect(homeMonitoringWeek([...fullDay(2), ...fullDay(3)], { now: at(8, '10:00') }).status).toBe('not-enough-time');
    expect(homeMonitoringWeek([...fullDay(2), ...fullDay(3)], { now: at(20, '10:00') })).toMatchObject({
      status: 'not-enough-time',
      daysLeft: 0,
    });
  });

  it('does not count days with only morning readings, and says so', () => {
    const mornings = [2, 3, 4, 5, 6].flatMap((day) => [reading(day, '07:30', 140, 90), reading(day, '07:31', 140, 90)]);
    const week = homeMonitoringWeek(mornings, { now: at(6, '21:00') });
    expect(week.daysThatCount).toBe(0);
    expect(week.average).toBeUndefined();
    expect(week.reminders).toEqual(['only-mornings']);
  });

  it('reminds people to take two readings each time', () => {
    const readings = [...fullDay(2), reading(3, '07:30', 140, 90), reading(3, '19:30', 140, 90)];
    expect(homeMonitoringWeek(readings, { now: at(3, '21:00') }).reminders).toEqual(['single-readings']);
  });

  it('splits morning and evening at midday on UK clocks', () => {
    const summer = [
      { systolic: 130, diastolic: 80, measuredAt: new Date('2026-07-02T10:59:00Z') },
      { systolic: 130, diastolic: 80, measuredAt: new Date('2026-07-02T11:00:00Z') },
    ];
    const week = homeMonitoringWeek(summer, { now: new Date('2026-07-02T20:00:00Z'), startedOn: '2026-07-01' });
    expect(week.days[1]).toMatchObject({ morningReadings: 1, eveningReadings: 1 });
  });

  it('counts a complete week, and ignores readings from before it started or after day 7', () => {
    const readings = [reading(1, '08:00', 250, 140), ...[2, 3, 4, 5, 6, 7, 8].flatMap((day) => fullDay(day, 130, 80)), ...fullDay(9, 220, 130)];
    const week = homeMonitoringWeek(readings, { now: at(12, '10:00'), startedOn: '2026-11-02' });
    expect(week.status).toBe('complete');
    expect(week.daysThatCount).toBe(6);
    expect(week.average).toMatchObject({ systolic: 130, diastolic: 80, readingCount: 24 });
  });

  it('leaves readings taken standing or lying down out of the average', () => {
    const readings = [...fullDay(2), ...fullDay(3), ...fullDay(4), ...fullDay(5), reading(5, '20:00', 200, 120, false)];
    const week = homeMonitoringWeek(readings, { now: at(5, '21:00') });
    expect(week.average).toMatchObject({ systolic: 140, diastolic: 90, readingCount: 12 });
    expect(week.reminders).toEqual(['not-sitting']);
  });

  it('rounds the average to the nearest whole number, halves up', () => {
    const readings = [
      ...fullDay(2),
      ...fullDay(3, 134, 84),
      ...fullDay(4, 134, 84),
      ...fullDay(5, 134, 84).map((r, i) => (i === 0 ? { ...r, systolic: 138, diastolic: 88 } : r)),
    ];
    // (11 × 134 + 138) / 12 = 134.33, and likewise 84.33: rounded down.
    expect(homeMonitoringWeek(readings, { now: at(5, '21:00') }).average).toMatchObject({ systolic: 134, diastolic: 84 });
    // 8 readings of 134/84 and 8 of 135/85 average 134.5/84.5: rounded up, into the next range.
    const half = [...fullDay(2), ...fullDay(3, 134, 84), ...fullDay(4, 134, 84), ...fullDay(5, 135, 85), ...fullDay(6, 135, 85)];
    expect(homeMonitoringWeek(half, { now: at(6, '21:00') }).average).toMatchObject({ systolic: 135, diastolic: 85 });
  });

  it('says what each day still needs while the week runs', () => {
    const readings = [...fullDay(3), reading(4, '07:30', 130, 80)];
    const week = homeMonitoringWeek(readings, { now: at(4, '12:00'), startedOn: '2026-11-02' });
    expect(week.days.map((day) => [day.morningStillNeeded, day.eveningStillNeeded, day.later])).toEqual([
      [0, 0, false],
      [0, 0, false],
      [1, 2, false],
      [2, 2, true],
      [2, 2, true],
      [2, 2, true],
      [2, 2, true],
    ]);
    expect(week.endsOn).toBe('2026-11-08');
    expect(week.daysLeft).toBe(5);
  });

  it('ends on the day the citizen ended it, leaving later readings out', () => {
    const readings = [...fullDay(3, 130, 80), ...fullDay(4, 130, 80), ...fullDay(5, 130, 80), ...fullDay(6, 200, 120)];
    const week = homeMonitoringWeek(readings, { now: at(9, '12:00'), startedOn: '2026-11-02', endsOn: '2026-11-05' });
    expect(week.days).toHaveLength(4);
    expect(week.status).toBe('complete');
    expect(week.average).toMatchObject({ systolic: 130, diastolic: 80, readingCount: 12 });
    expect(week.averaged).toHaveLength(12);
  });

  it('keeps the result the same however much later it is worked out', () => {
    const readings = [...fullDay(2, 200, 110), ...fullDay(3, 178, 100), ...[4, 5, 6, 7, 8].flatMap((day) => fullDay(day, 146, 92))];
    const onTheDay = homeMonitoringWeek(readings, { now: at(9, '09:00'), startedOn: '2026-11-02' });
    const monthsLater = homeMonitoringWeek([...readings, ...fullDay(10, 120, 70)], { now: new Date('2027-03-01T09:00:00Z'), startedOn: '2026-11-02' });
    // The NICE rule: day 1 left out, the rest averaged: 151/93.
    expect(onTheDay.average).toMatchObject({ systolic: 151, diastolic: 93, readingCount: 24 });
    expect(monthsLater.average).toEqual(onTheDay.average);
  });

  it('keeps days and mornings on UK clocks when the clocks change', () => {
    // Clocks go forward at 1am UTC on Sunday 29 March 2026: 11:30pm UTC on the 29th is 12:30am on the 30th.
    const spring = homeMonitoringWeek(
      [
        { systolic: 130, diastolic: 80, measuredAt: new Date('2026-03-28T23:30:00Z') },
        { systolic: 130, diastolic: 80, measuredAt: new Date('2026-03-29T23:30:00Z') },
        { systolic: 130, diastolic: 80, measuredAt: new Date('2026-03-29T11:30:00Z') },
      ],
      { now: new Date('2026-03-30T12:00:00Z'), startedOn: '2026-03-27' },
    );
    expect(spring.days.map((day) => [day.date, day.morningReadings, day.eveningReadings])).toEqual([
      ['2026-03-27', 0, 0],
      ['2026-03-28', 0, 1],
      ['2026-03-29', 0, 1],
      ['2026-03-30', 1, 0],
      ['2026-03-31', 0, 0],
      ['2026-04-01', 0, 0],
      ['2026-04-02', 0, 0],
    ]);
    // Clocks go back at 1am UTC on Sunday 25 October 2026: 11:30pm UTC on the 24th is 12:30am on the 25th (BST),
    // and 11:30pm UTC on the 25th is 11:30pm that day (GMT).
    const autumn = homeMonitoringWeek(
      [
        { systolic: 130, diastolic: 80, measuredAt: new Date('2026-10-24T23:30:00Z') },
        { systolic: 130, diastolic: 80, measuredAt: new Date('2026-10-25T23:30:00Z') },
      ],
      { now: new Date('2026-10-26T12:00:00Z'), startedOn: '2026-10-24' },
    );
    expect(autumn.days.slice(0, 3).map((day) => [day.date, day.morningReadings, day.eveningReadings])).toEqual([
      ['2026-10-24', 0, 0],
      ['2026-10-25', 1, 1],
      ['2026-10-26', 0, 0],
    ]);
  });
});
