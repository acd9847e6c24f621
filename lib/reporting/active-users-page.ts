import { staffPage } from '@/lib/identity/public';
import { csvResponse } from '@/lib/platform/csv';
import { getDb } from '@/lib/platform/db';
import { renderPage } from '@/lib/platform/page';
import { activeUsersCsv, activeUsersReport } from './active-users';

export const PROGRESS_TEXT = {
  'below-break-even': { text: 'Below break-even', colour: 'govuk-tag--orange' },
  'break-even': { text: 'Above break-even', colour: 'govuk-tag--blue' },
  target: { text: 'Target reached', colour: 'govuk-tag--green' },
} as const;

const number = new Intl.NumberFormat('en-GB');

/** Active users against the business case, for programme administrators. */
export const activeUsersPage = staffPage('programme-admin', async (page) => {
  const report = await activeUsersReport(getDb());
  return renderPage(page, 'staff/active-users.njk', {
    staffSignedIn: true,
    report,
    generatedAt: report.generatedAt,
    progress: PROGRESS_TEXT[report.progress],
    figures: {
      registered: number.format(report.registered),
      active: number.format(report.active),
      activeLast7Days: number.format(report.activeLast7Days),
      switchedFromPost: number.format(report.switchedFromPost),
      breakEven: number.format(report.breakEven),
      target: number.format(report.target),
    },
    months: report.months.map((month) => ({ ...month, active: number.format(month.active), registered: number.format(month.registered) })),
  });
});

export const activeUsersCsvDownload = staffPage('programme-admin', async () => {
  const report = await activeUsersReport(getDb());
  return csvResponse(activeUsersCsv(report), `active-users-${report.generatedAt.toISOString().slice(0, 10)}.csv`);
});
