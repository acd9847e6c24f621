import { staffPage } from '@/lib/identity/public';
import { barChartSvg, CHART_COLOURS, progressBarSvg } from '@/lib/platform/bar-chart';
import { config } from '@/lib/platform/config';
import { csvResponse } from '@/lib/platform/csv';
import { getDb } from '@/lib/platform/db';
import { renderPage } from '@/lib/platform/page';
import { retentionNotice } from '@/lib/platform/retention';
import { PROGRESS_TEXT } from './active-users-page';
import { benefitsCsv, benefitsReport, suppressed, SUPPRESSED_TEXT, type BenefitsMonth, type BenefitsReport } from './benefits';

const number = new Intl.NumberFormat('en-GB');

/** A count as the page shows it: small numbers kept back, as in the charts and the CSV. */
export const shown = (count: number): string => {
  const value = suppressed(count);
  return value === null ? SUPPRESSED_TEXT : number.format(value);
};

const shortMonth = (key: string) =>
  new Intl.DateTimeFormat('en-GB', { timeZone: 'UTC', month: 'short', year: '2-digit' }).format(new Date(`${key}-15T12:00:00Z`));

type Measure = { name: string; value: (month: BenefitsMonth) => number };

/** A chart and the table of the same figures, one row a month (oldest first, as drawn). */
function chartWithTable(report: BenefitsReport, id: string, title: string, measures: Measure[]) {
  const svg = barChartSvg({
    id,
    title,
    description: `${measures.map((measure) => measure.name).join(', ')}, each month from ${report.months[0]!.label} to ${report.months[report.months.length - 1]!.label}. Months with ${SUPPRESSED_TEXT} have no bar. The figures are in the table that follows.`,
    categories: report.months.map((month) => shortMonth(month.key)),
    series: measures.map((measure, index) => ({
      name: measure.name,
      colour: CHART_COLOURS[index % CHART_COLOURS.length]!,
      values: report.months.map((month) => suppressed(measure.value(month))),
    })),
  });
  return {
    id,
    title,
    svg,
    table: {
      caption: `${title}: the figures`,
      head: [{ text: 'Month' }, ...measures.map((measure) => ({ text: measure.name, format: 'numeric' }))],
      rows: report.months.map((month) => [{ text: month.label }, ...measures.map((measure) => ({ text: shown(measure.value(month)), format: 'numeric' }))]),
    },
  };
}

export function benefitsView(report: BenefitsReport) {
  const active = shown(report.active);
  // "fewer than 5" can start the sentence.
  const sentenceStart = active.charAt(0).toUpperCase() + active.slice(1);
  return {
    generatedAt: report.generatedAt,
    progressSentence:
      `${sentenceStart} active users in the last 30 days: ${report.percentOfBreakEven}% of break-even (${number.format(report.breakEven)} active users) ` +
      `and ${report.percentOfTarget}% of the target (${number.format(report.target)} active users).`,
    progressSvg: progressBarSvg({
      id: 'progress',
      title: 'Active users against the business case',
      description: `${active} active users in the last 30 days, against break-even at ${number.format(report.breakEven)} and the target of ${number.format(report.target)}.`,
      value: suppressed(report.active) ?? 0,
      marks: [
        { value: report.breakEven, label: `Break-even ${number.format(report.breakEven)}` },
        { value: report.target, label: `Target ${number.format(report.target)}` },
      ],
    }),
    progress: PROGRESS_TEXT[report.progress],
    charts: [
      chartWithTable(report, 'active-users', 'Active users each month', [{ name: 'Active users', value: (month) => month.active }]),
      chartWithTable(report, 'registration', 'Registration', [
        { name: 'Sign-ins started', value: (month) => month.started },
        { name: 'Identity proven', value: (month) => month.identityProven },
        { name: 'Registered', value: (month) => month.registered },
      ]),
      chartWithTable(report, 'letters', 'Letters', [
        { name: 'Delivered digitally', value: (month) => month.deliveredDigitally },
        { name: 'Posted', value: (month) => month.posted },
      ]),
      chartWithTable(report, 'addresses', 'Changes of address', [
        { name: 'Made in this service', value: (month) => month.addressChanges },
        ...report.organisations.map((organisation) => ({
          name: `Delivered to ${organisation.name}`,
          value: (month: BenefitsMonth) => month.addressDeliveries[organisation.id] ?? 0,
        })),
      ]),
      chartWithTable(report, 'sharing-and-engagement', 'Sharing, engagement and fewer letters', [
        { name: 'Readings shared with care teams', value: (month) => month.readingsShared },
        { name: 'Engagement answers reused', value: (month) => month.answersReused },
        { name: 'People who moved from post to digital', value: (month) => month.switchedFromPost },
      ]),
    ],
  };
}

/** The benefits the business case counts on, month by month, for programme administrators. */
export const benefitsPage = staffPage('programme-admin', async (page) => {
  const report = await benefitsReport(getDb());
  return renderPage(page, 'staff/benefits.njk', {
    staffSignedIn: true,
    deliveredKeptFor: retentionNotice(config().retention).deliveredMessages,
    ...benefitsView(report),
  });
});

export const benefitsCsvDownload = staffPage('programme-admin', async () => {
  const report = await benefitsReport(getDb());
  return csvResponse(benefitsCsv(report), `benefits-${report.generatedAt.toISOString().slice(0, 10)}.csv`);
});
