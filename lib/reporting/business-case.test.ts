import { describe, expect, it } from 'vitest';
import { BUSINESS_CASE, monthStarts, percentOf, progressAgainstBusinessCase } from './business-case';

describe('progress against the business case', () => {
  it('is below break-even until 1,150 active users, then above it until the 7,500 target', () => {
    expect(BUSINESS_CASE).toEqual({ breakEven: 1150, target: 7500 });
    expect(progressAgainstBusinessCase(0)).toBe('below-break-even');
    expect(progressAgainstBusinessCase(1149)).toBe('below-break-even');
    expect(progressAgainstBusinessCase(1150)).toBe('break-even');
    expect(progressAgainstBusinessCase(7499)).toBe('break-even');
    expect(progressAgainstBusinessCase(7500)).toBe('target');
  });

  it('rounds percentages down, so 99.9% is never shown as 100%', () => {
    expect(percentOf(1149, 1150)).toBe(99);
    expect(percentOf(1150, 1150)).toBe(100);
    expect(percentOf(5, 0)).toBe(0);
  });
});

describe('calendar months in UK time', () => {
  it('starts summer months at 23:00 UTC the day before (BST) and winter months at midnight UTC', () => {
    const months = monthStarts(new Date('2026-07-10T12:00:00Z'), 8);
    expect(months.map((month) => month.key)).toEqual(['2025-12', '2026-01', '2026-02', '2026-03', '2026-04', '2026-05', '2026-06', '2026-07']);
    expect(months[0]!.start.toISOString()).toBe('2025-12-01T00:00:00.000Z');
    expect(months[0]!.label).toBe('December 2025');
    expect(months[3]!.start.toISOString()).toBe('2026-03-01T00:00:00.000Z');
    expect(months[3]!.end.toISOString()).toBe('2026-03-31T23:00:00.000Z');
    expect(months[7]!.start.toISOString()).toBe('2026-06-30T23:00:00.000Z');
    expect(months[7]!.end.toISOString()).toBe('2026-07-31T23:00:00.000Z');
  });

  it('counts a sign-in just after midnight UK time on the 1st in the new month', () => {
    // 00:30 BST on 1 August is 23:30 UTC on 31 July.
    const august = monthStarts(new Date('2026-08-01T00:30:00+01:00'), 2)[1]!;
    expect(august.key).toBe('2026-08');
    expect(august.start.getTime()).toBeLessThanOrEqual(new Date('2026-07-31T23:30:00Z').getTime());
  });
});
