import { describe, expect, it } from 'vitest';
import { formatCalendarDay, formatDate, formatShortDate, formatTime, formatWhen } from './uk-time';

const time = (iso: string) => formatTime(new Date(iso));

describe('UK times, GOV.UK style', () => {
  it.each([
    // Winter: UK clocks are on GMT, the same as UTC.
    ['2026-01-15T00:00:00Z', 'midnight'],
    ['2026-01-15T00:30:00Z', '12:30am'],
    ['2026-01-15T09:00:00Z', '9am'],
    ['2026-01-15T12:00:00Z', 'midday'],
    ['2026-01-15T12:15:00Z', '12:15pm'],
    ['2026-01-15T17:30:00Z', '5:30pm'],
    ['2026-01-15T23:59:00Z', '11:59pm'],
    // Summer: UK clocks are on BST, an hour ahead of UTC.
    ['2026-07-14T23:00:00Z', 'midnight'],
    ['2026-07-14T23:30:00Z', '12:30am'],
    ['2026-07-15T08:00:00Z', '9am'],
    ['2026-07-15T11:00:00Z', 'midday'],
    ['2026-07-15T11:15:00Z', '12:15pm'],
    ['2026-07-15T16:30:00Z', '5:30pm'],
    ['2026-07-15T22:59:00Z', '11:59pm'],
  ])('%s is %s', (iso, expected) => {
    expect(time(iso)).toBe(expected);
  });

  it('never writes "0:15pm", "12pm", "12am" or ":00"', () => {
    for (let minutes = 0; minutes < 24 * 60; minutes += 1) {
      const text = formatTime(new Date(Date.UTC(2026, 0, 15, 0, minutes)));
      expect(text).toMatch(/^(midnight|midday|([1-9]|1[0-2])(:[0-5]\d)?(am|pm))$/);
      expect(text).not.toMatch(/^0|:00|^12(am|pm)$/);
    }
  });

  it('follows the clocks forward on 29 March 2026', () => {
    expect(time('2026-03-29T00:00:00Z')).toBe('midnight');
    expect(time('2026-03-29T00:59:00Z')).toBe('12:59am');
    expect(time('2026-03-29T01:00:00Z')).toBe('2am');
    expect(time('2026-03-29T01:30:00Z')).toBe('2:30am');
    expect(time('2026-03-29T23:00:00Z')).toBe('midnight');
    expect(formatDate(new Date('2026-03-29T23:00:00Z'))).toBe('30 March 2026');
  });

  it('follows the clocks back on 25 October 2026, when 1am to 2am happens twice', () => {
    expect(time('2026-10-24T23:00:00Z')).toBe('midnight');
    expect(time('2026-10-25T00:30:00Z')).toBe('1:30am');
    expect(time('2026-10-25T00:59:00Z')).toBe('1:59am');
    expect(time('2026-10-25T01:00:00Z')).toBe('1am');
    expect(time('2026-10-25T01:30:00Z')).toBe('1:30am');
    expect(time('2026-10-25T02:00:00Z')).toBe('2am');
    expect(time('2026-10-26T00:00:00Z')).toBe('midnight');
  });
});

describe('UK dates, GOV.UK style', () => {
  it('writes the day on UK clocks', () => {
    expect(formatDate(new Date('2026-12-02T17:30:00Z'))).toBe('2 December 2026');
    // 11:30pm UTC on 30 June is already 1 July in the UK.
    expect(formatDate(new Date('2026-06-30T23:30:00Z'))).toBe('1 July 2026');
    expect(formatShortDate(new Date('2026-06-30T23:30:00Z'))).toBe('1 Jul 2026');
    expect(formatShortDate(new Date('2026-09-09T12:00:00Z'))).toBe('9 Sept 2026');
  });

  it('writes a date and time', () => {
    expect(formatWhen(new Date('2026-12-02T17:30:00Z'))).toBe('2 December 2026 at 5:30pm');
    expect(formatWhen(new Date('2026-07-01T13:05:00Z'))).toBe('1 July 2026 at 2:05pm');
    expect(formatWhen(new Date('2026-11-23T09:00:00Z'))).toBe('23 November 2026 at 9am');
    expect(formatWhen(new Date('2026-11-23T12:00:00Z'))).toBe('23 November 2026 at midday');
    expect(formatWhen(new Date('2026-11-23T12:15:00Z'))).toBe('23 November 2026 at 12:15pm');
    expect(formatWhen(new Date('2026-07-01T23:00:00Z'))).toBe('2 July 2026 at midnight');
  });
});

describe('formatCalendarDay', () => {
  it('writes a calendar day, with or without its weekday', () => {
    expect(formatCalendarDay('2026-11-25')).toBe('25 November 2026');
    expect(formatCalendarDay('2026-11-25', { weekday: true })).toBe('Wednesday 25 November');
    expect(formatCalendarDay('2026-03-29', { weekday: true })).toBe('Sunday 29 March');
  });
});
