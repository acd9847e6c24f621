// Staff reading and downloading feedback, in-process on the database under test (SQLite and PostgreSQL).
import { describe, expect, it } from 'vitest';
import { getDb } from '@/lib/platform/db';
import { staffSessionCookie, useDatabaseUnderTest } from '@/lib/platform/db-test-support';
import { FEEDBACK_PAGE_SIZE, staffFeedbackCsv, staffFeedbackPage } from './staff-pages';

const { provider } = useDatabaseUnderTest();

const get = (path: string, cookie?: string) => new Request(`http://localhost:3000${path}`, { headers: cookie ? { cookie } : {} });

/** Feedback from the far future, so it comes before anything other tests keep. */
async function feedback(comments: string, createdAt: Date, email: string | null = null, rating = 'satisfied') {
  await getDb().feedback.create({ data: { comments, createdAt, email, rating } });
}

describe(`staff feedback on ${provider}`, () => {
  it('shows programme administrators feedback newest first, escaped, with the email only when given, and audits it', async () => {
    const marker = `${Date.now()}-${Math.random()}`;
    await getDb().feedback.deleteMany({ where: { createdAt: { gte: new Date('4000-01-01T00:00:00Z') } } });
    await feedback(`Older ${marker}`, new Date('4000-01-01T10:00:00Z'), 'ada@example.com', 'dissatisfied');
    await feedback(`<script>alert("x")</script> newer ${marker}`, new Date('4000-01-02T10:00:00Z'));
    const cookie = await staffSessionCookie('programme-admin');
    const audited = await getDb().auditEntry.count({ where: { action: 'feedback-viewed' } });

    const response = await staffFeedbackPage(get('/staff/feedback', cookie));
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html).not.toContain('<script>alert');
    expect(html).toContain(`&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; newer ${marker}`);
    expect(html.indexOf(`newer ${marker}`)).toBeLessThan(html.indexOf(`Older ${marker}`));
    expect(html).toContain('ada@example.com');
    expect(html).toContain('Dissatisfied');
    // The newer one gave no email: its card has no email row.
    const newerCard = html.slice(html.indexOf(`newer ${marker}`), html.indexOf(`Older ${marker}`));
    expect(newerCard).not.toContain('Email address');
    expect(await getDb().auditEntry.count({ where: { action: 'feedback-viewed' } })).toBe(audited + 1);
  });

  it('pages through feedback, and answers a page that is not there with 404', async () => {
    const cookie = await staffSessionCookie('programme-admin');
    const total = await getDb().feedback.count();
    if (total <= FEEDBACK_PAGE_SIZE) {
      for (let index = total; index <= FEEDBACK_PAGE_SIZE; index += 1) await feedback(`Filler ${index}`, new Date('2001-01-01T00:00:00Z'));
    }
    const pages = Math.ceil((await getDb().feedback.count()) / FEEDBACK_PAGE_SIZE);
    const first = await (await staffFeedbackPage(get('/staff/feedback', cookie))).text();
    expect(first).toContain('href="/staff/feedback?page=2"');
    const last = await staffFeedbackPage(get(`/staff/feedback?page=${pages}`, cookie));
    expect(last.status).toBe(200);
    expect(await last.text()).toContain(`Page ${pages} of ${pages}`);
    expect((await staffFeedbackPage(get(`/staff/feedback?page=${pages + 1}`, cookie))).status).toBe(404);
    expect((await staffFeedbackPage(get('/staff/feedback?page=first', cookie))).status).toBe(404);
  });

  it('downloads every piece as CSV that a spreadsheet will not run, and audits it', async () => {
    const marker = `${Date.now()}-${Math.random()}`;
    await feedback(`=HYPERLINK("http://evil.example","${marker}")`, new Date('4100-01-01T10:00:00Z'), '+44@example.com');
    const cookie = await staffSessionCookie('programme-admin');
    const audited = await getDb().auditEntry.count({ where: { action: 'feedback-downloaded' } });
    const response = await staffFeedbackCsv(get('/staff/feedback.csv', cookie));
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(response.headers.get('content-disposition')).toMatch(/^attachment; filename="feedback-\d{4}-\d{2}-\d{2}\.csv"$/);
    const lines = (await response.text()).split('\r\n');
    expect(lines[0]).toBe('received,rating,comments,email');
    expect(lines[1]).toBe(`4100-01-01T10:00:00.000Z,Satisfied,"'=HYPERLINK(""http://evil.example"",""${marker}"")","'+44@example.com"`);
    expect(lines).toHaveLength((await getDb().feedback.count()) + 2);
    expect(await getDb().auditEntry.count({ where: { action: 'feedback-downloaded' } })).toBe(audited + 1);
  });

  it('refuses other staff, and sends the signed out to sign in', async () => {
    for (const role of ['care-professional', 'engagement-coordinator']) {
      const cookie = await staffSessionCookie(role);
      expect((await staffFeedbackPage(get('/staff/feedback', cookie))).status, role).toBe(403);
      expect((await staffFeedbackCsv(get('/staff/feedback.csv', cookie))).status, role).toBe(403);
    }
    const signedOut = await staffFeedbackCsv(get('/staff/feedback.csv'));
    expect(signedOut.status).toBe(303);
    expect(signedOut.headers.get('location')).toBe('/staff/sign-in');
  });
});
