import { recordAudit, staffActor } from '@/lib/audit/public';
import { staffPage, type SignedInStaff } from '@/lib/identity/public';
import { csvResponse, toCsv } from '@/lib/platform/csv';
import { getDb } from '@/lib/platform/db';
import { HttpError } from '@/lib/platform/errors';
import { renderPage } from '@/lib/platform/page';
import { pagination } from '@/lib/platform/pagination';
import { paths } from '@/lib/platform/paths';
import { ratingOptions } from './feedback';
import { allFeedback, feedbackPageOf } from './feedback-store';

/** Feedback for programme administrators: read on the page, newest first, or downloaded. */

export const FEEDBACK_PAGE_SIZE = 20;

const ratingText = (rating: string) => ratingOptions().find((option) => option.value === rating)?.text ?? rating;

/** The page number asked for in `?page=`, or 1; null when it is not a page number at all. */
function requestedPage(url: URL): number | null {
  const text = url.searchParams.get('page');
  if (text === null) return 1;
  return /^[1-9]\d{0,5}$/.test(text) ? Number(text) : null;
}

const pageLink = (page: number) => (page === 1 ? paths.staff.feedback : `${paths.staff.feedback}?page=${page}`);

// Feedback can hold an email address people chose to give, so each reading and download is audited
// (no citizen's record: citizenId is null).
const audit = (staff: SignedInStaff, action: 'feedback-viewed' | 'feedback-downloaded', detail: Record<string, number>) =>
  recordAudit(getDb(), { ...staffActor(staff), citizenId: null, action, category: 'feedback', detail });

export const staffFeedbackPage = staffPage('programme-admin', async (page) => {
  const number = requestedPage(page.url);
  if (number === null) throw new HttpError(404, 'bad-page-number');
  const { rows, total } = await feedbackPageOf(getDb(), number, FEEDBACK_PAGE_SIZE);
  const pages = Math.max(1, Math.ceil(total / FEEDBACK_PAGE_SIZE));
  if (number > pages) throw new HttpError(404, 'page-out-of-range');
  await audit(page.staff, 'feedback-viewed', { page: number, shown: rows.length });
  return renderPage(page, 'feedback/staff.njk', {
    staffSignedIn: true,
    total,
    page: number,
    pages,
    rows: rows.map((row) => ({ receivedAt: row.createdAt, rating: ratingText(row.rating), comments: row.comments, email: row.email })),
    pagination: pagination(number, pages, pageLink),
  });
});

export const staffFeedbackCsv = staffPage('programme-admin', async (page) => {
  const rows: (string | null)[][] = [];
  for await (const row of allFeedback(getDb())) rows.push([row.createdAt.toISOString(), ratingText(row.rating), row.comments, row.email]);
  await audit(page.staff, 'feedback-downloaded', { rows: rows.length });
  const today = new Date().toISOString().slice(0, 10);
  return csvResponse(toCsv([['received', 'rating', 'comments', 'email'], ...rows]), `feedback-${today}.csv`);
});
