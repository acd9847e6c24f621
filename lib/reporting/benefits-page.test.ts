import { describe, expect, it } from 'vitest';
import type { BenefitsMonth, BenefitsReport } from './benefits';
import { benefitsView, shown } from './benefits-page';

const month = (key: string, label: string, figures: Partial<BenefitsMonth> = {}): BenefitsMonth => ({
  key,
  label,
  active: 0,
  started: 0,
  identityProven: 0,
  registered: 0,
  deliveredDigitally: 0,
  posted: 0,
  addressChanges: 0,
  addressDeliveries: { 'care-record': 0, council: 0 },
  readingsShared: 0,
  answersReused: 0,
  switchedFromPost: 0,
  ...figures,
});

const report: BenefitsReport = {
  generatedAt: new Date('2027-02-10T12:00:00Z'),
  active: 1234,
  progress: 'break-even',
  percentOfBreakEven: 107,
  percentOfTarget: 16,
  breakEven: 1150,
  target: 7500,
  organisations: [
    { id: 'care-record', name: 'Your GP practice and the Leeds Care Record' },
    { id: 'council', name: 'Leeds City Council' },
  ],
  months: [
    month('2027-01', 'January 2027', { active: 3, posted: 5000 }),
    month('2027-02', 'February 2027', { active: 1234, addressDeliveries: { 'care-record': 4, council: 9 } }),
  ],
};

describe('the benefits page', () => {
  it('shows 1 to 4 as "fewer than 5", none as 0, and the rest with thousands separated', () => {
    expect([0, 1, 4, 5, 1150].map(shown)).toEqual(['0', 'fewer than 5', 'fewer than 5', '5', '1,150']);
  });

  it('says how far the programme is against break-even and the target', () => {
    expect(benefitsView(report).progressSentence).toBe(
      '1,234 active users in the last 30 days: 107% of break-even (1,150 active users) and 16% of the target (7,500 active users).',
    );
  });

  it('gives each chart a table of the same figures, a row a month, small numbers kept back in both', () => {
    const { charts } = benefitsView(report);
    expect(charts.map((chart) => chart.title)).toEqual([
      'Active users each month',
      'Registration',
      'Letters',
      'Changes of address',
      'Sharing, engagement and fewer letters',
    ]);
    const active = charts[0]!;
    expect(active.table.rows.map((row) => row.map((cell) => cell.text))).toEqual([
      ['January 2027', 'fewer than 5'],
      ['February 2027', '1,234'],
    ]);
    // January's 3 is not drawn: one bar (February's) and the legend's key.
    expect(active.svg.match(/<rect /g)).toHaveLength(2);
    const addresses = charts[3]!;
    expect(addresses.table.head.map((cell) => cell.text)).toEqual([
      'Month',
      'Made in this service',
      'Delivered to Your GP practice and the Leeds Care Record',
      'Delivered to Leeds City Council',
    ]);
    expect(addresses.table.rows[1]!.map((cell) => cell.text)).toEqual(['February 2027', '0', 'fewer than 5', '9']);
    expect(charts[2]!.table.rows[0]!.map((cell) => cell.text)).toEqual(['January 2027', '0', '5,000']);
  });
});
