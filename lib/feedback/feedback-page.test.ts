import { describe, expect, it, vi } from 'vitest';
import { formPost } from '@/lib/platform/testing/requests';
import type { Feedback, FeedbackStore } from './feedback';

vi.mock('./feedback-store', () => ({ databaseFeedbackStore: { save: vi.fn() } }));
const { feedbackPage } = await import('./feedback-page');

function fakeStore() {
  const saved: Feedback[] = [];
  const store: FeedbackStore = { save: async (feedback) => void saved.push(feedback) };
  return { saved, page: feedbackPage(store) };
}

const valid = { rating: 'satisfied', comments: 'It was easy to use.', email: 'ada@example.com' };

describe('feedback page', () => {
  it('shows the form with a CSRF token and no errors', async () => {
    const response = await fakeStore().page.GET(new Request('http://localhost:3000/feedback'));
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html).toMatch(/name="_csrf" value="[A-Za-z0-9_-]{43}"/);
    expect(html).toContain('Overall, how did you feel about the service?');
    expect(html).not.toContain('govuk-error-summary');
    expect(response.headers.getSetCookie()[0]).toMatch(/^phr_csrf=.+; Path=\/; HttpOnly; SameSite=Lax$/);
  });

  it('keeps valid feedback and redirects to the confirmation with 303', async () => {
    const { saved, page } = fakeStore();
    const response = await page.POST(formPost('/feedback', valid));
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe('/feedback/sent');
    expect(saved).toEqual([{ rating: 'satisfied', comments: 'It was easy to use.', email: 'ada@example.com' }]);
  });

  it('shows every problem with status 422, keeps what was typed and stores nothing', async () => {
    const { saved, page } = fakeStore();
    const response = await page.POST(formPost('/feedback', { rating: '', comments: '', email: 'ada@' }));
    expect(response.status).toBe(422);
    const html = await response.text();
    expect(html).toMatch(/<title>Error: /);
    expect(html).toContain('Select how you felt about the service');
    expect(html).toContain('Enter what you thought of this service');
    expect(html).toContain('Enter an email address in the correct format, like name@example.com');
    expect(html).toContain('value="ada@"');
    expect(saved).toEqual([]);
  });

  it('refuses comments over 1200 characters', async () => {
    const { saved, page } = fakeStore();
    const response = await page.POST(formPost('/feedback', { ...valid, comments: 'a'.repeat(1201) }));
    expect(response.status).toBe(422);
    expect(await response.text()).toContain('must be 1200 characters or less');
    expect(saved).toEqual([]);
  });

  it('stores script or HTML as text and shows it back escaped', async () => {
    const { saved, page } = fakeStore();
    const comments = '<script>alert("x")</script>';
    await page.POST(formPost('/feedback', { ...valid, comments }));
    expect(saved[0]?.comments).toBe(comments);
    const error = await page.POST(formPost('/feedback', { rating: 'nope', comments }));
    expect(await error.text()).not.toContain(comments);
  });

  it('answers forged, oversized or malformed posts with a 4xx page and stores nothing', async () => {
    const { saved, page } = fakeStore();
    expect((await page.POST(formPost('/feedback', valid, { csrf: null }))).status).toBe(403);
    expect((await page.POST(formPost('/feedback', valid, { headers: { origin: 'https://evil.example' } }))).status).toBe(403);
    expect((await page.POST(formPost('/feedback', valid, { headers: { 'content-type': 'text/plain' } }))).status).toBe(415);
    expect((await page.POST(formPost('/feedback', { ...valid, comments: 'x'.repeat(40_000) }))).status).toBe(413);
    expect(saved).toEqual([]);
  });
});
