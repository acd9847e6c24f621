import { describe, expect, it } from 'vitest';
import { addDays, daysBetween, fromLondonWallClock, londonDay, londonIsoDateTime, londonParts, londonPartsFromIntl, utcClock } from './london-time';

describe('UK clock times', () => {
  it('turns a time on UK clocks into the right instant, winter and summer', () => {
    expect(fromLondonWallClock({ year: 2026, month: 1, day: 15, hour: 8, minute: 30 })).toEqual(new Date('2026-01-15T08:30:00Z'));
    expect(fromLondonWallClock({ year: 2026, month: 7, day: 15, hour: 8, minute: 30 })).toEqual(new Date('2026-07-15T07:30:00Z'));
  });

  it('handles the hour the clocks go forward (never happened) and back (happened twice)', () => {
    // 29 March 2026: 01:00 GMT becomes 02:00 BST.
    expect(fromLondonWallClock({ year: 2026, month: 3, day: 29, hour: 1, minute: 30 })).toEqual(new Date('2026-03-29T01:30:00Z'));
    // 25 October 2026: 02:00 BST becomes 01:00 GMT, so 01:30 happens twice; the first is taken.
    expect(fromLondonWallClock({ year: 2026, month: 10, day: 25, hour: 1, minute: 30 })).toEqual(new Date('2026-10-25T00:30:00Z'));
  });

  it('writes ISO date-times with the UK offset', () => {
    expect(londonIsoDateTime(new Date('2026-07-01T23:30:00Z'))).toBe('2026-07-02T00:30:00+01:00');
    expect(londonIsoDateTime(new Date('2026-12-31T23:59:59Z'))).toBe('2026-12-31T23:59:59+00:00');
  });

  it('puts a late-night summer reading on the next day', () => {
    expect(londonDay(new Date('2026-07-01T23:30:00Z'))).toBe('2026-07-02');
  });

  it('counts calendar days', () => {
    expect(addDays('2026-02-27', 2)).toBe('2026-03-01');
    expect(daysBetween('2026-03-28', '2026-03-30')).toBe(2);
    expect(daysBetween('2026-03-30', '2026-03-28')).toBe(-2);
  });
});

describe('londonParts (an offset per UTC hour, kept)', () => {
  const same = (instant: Date) => expect(londonParts(instant)).toEqual(londonPartsFromIntl(instant));

  it('agrees with Intl around every clock change from 1970 to 2100, minute by minute', () => {
    for (let year = 1970; year <= 2100; year += 1) {
      for (const month of [2, 9]) {
        // The last Sunday of March and of October, or thereabouts: a whole week either side.
        const from = Date.UTC(year, month, 20);
        for (let t = from; t < from + 14 * 86_400_000; t += 3 * 3_600_000) same(new Date(t));
      }
    }
    for (const changeover of ['2026-03-29T00:59:59.999Z', '2026-03-29T01:00:00Z', '2026-10-25T00:59:59Z', '2026-10-25T01:00:00Z', '2026-10-25T01:00:01Z']) {
      same(new Date(changeover));
    }
  });

  it('agrees with Intl on random instants, far past and future included', () => {
    let seed = 42;
    const random = () => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
    for (let i = 0; i < 20_000; i += 1) same(new Date(Date.UTC(1800, 0, 1) + random() * (Date.UTC(2200, 0, 1) - Date.UTC(1800, 0, 1))));
  });

  it("works out UTC's calendar and clock by sums as a Date does, every day from 1599 to 2401 and at the ends of time", () => {
    const differing: string[] = [];
    const check = (time: number) => {
      const d = new Date(time);
      const c = utcClock(time);
      const same =
        c.year === d.getUTCFullYear() &&
        c.month === d.getUTCMonth() + 1 &&
        c.day === d.getUTCDate() &&
        c.hour === d.getUTCHours() &&
        c.minute === d.getUTCMinutes() &&
        c.second === d.getUTCSeconds();
      if (!same) differing.push(`${d.toISOString()}: ${JSON.stringify(c)}`);
    };
    // Each day's first and last millisecond and an afternoon: leap days, 1600, 1700, 1900, 2000, 2100, 2400.
    for (let day = Date.UTC(1599, 0, 1); day <= Date.UTC(2401, 0, 1); day += 86_400_000) {
      for (const time of [day, day + 86_399_999, day + 52_207_123]) check(time);
    }
    for (const time of [-8.64e15, 8.64e15, Date.UTC(-1, 1, 29, 23, 59, 59), Date.UTC(0, 0, 1), -1, 0, 1]) check(time);
    let seed = 7;
    const random = () => (seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
    for (let i = 0; i < 20_000; i += 1) check(Math.round((random() * 2 - 1) * 8.64e15));
    expect(differing).toEqual([]);
  });

  it('throws for an invalid date, as Intl does', () => {
    expect(() => londonParts(new Date(Number.NaN))).toThrow(RangeError);
  });
});
