import { describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { formPost } from '@/lib/platform/testing/requests';
import { keepAnswersCookie, seal, takeKeptAnswers, unseal } from './kept-answers';

const lookup = vi.hoisted(() => ({ current: { state: 'signed-out' } as Record<string, unknown> }));
vi.mock('@/lib/identity/citizen', () => ({ currentCitizen: async () => lookup.current }));
const { formPage } = await import('@/lib/platform/page');
const { redirect } = await import('@/lib/platform/render');

function cookieValue(setCookie: string): string {
  return setCookie.split(';')[0]!;
}

describe('sealed answers', () => {
  const kept = { userId: 'u1', path: '/about-me', values: { name: 'Ada Lovelace-Byron' }, expiresAt: Date.now() + 60_000 };

  it('open only with our key, and refuse any change', () => {
    const sealed = seal(kept);
    // Long, distinctive strings only: a short one such as 'Ada' turns up in random ciphertext now and then.
    for (const shown of [sealed, Buffer.from(sealed, 'base64url').toString('latin1')]) expect(shown).not.toMatch(/Lovelace|about-me/);
    expect(unseal(sealed)).toEqual(kept);
    const tampered = sealed.slice(0, -2) + (sealed.endsWith('A') ? 'BB' : 'AA');
    expect(unseal(tampered)).toBeNull();
    expect(unseal('not sealed at all')).toBeNull();
  });

  it('are given back only to the same person on the same page, once, and not after they expire', () => {
    const cookie = cookieValue(keepAnswersCookie('u1', '/about-me', { name: 'Ada' })!);
    const request = new Request('http://localhost:3000/about-me', { headers: { cookie } });
    expect(takeKeptAnswers(request, 'u1', '/about-me').values).toEqual({ name: 'Ada' });
    expect(takeKeptAnswers(request, 'u1', '/about-me').cookies[0]).toMatch(/Max-Age=0/);
    expect(takeKeptAnswers(request, 'someone-else', '/about-me').values).toBeNull();
    expect(takeKeptAnswers(request, 'u1', '/other-page')).toEqual({ values: null, cookies: [] });
    expect(takeKeptAnswers(request, 'u1', '/about-me', Date.now() + 31 * 60_000).values).toBeNull();
  });

  it('are not kept when too long for a cookie', () => {
    expect(keepAnswersCookie('u1', '/about-me', { text: 'x'.repeat(4000) })).toBeNull();
  });
});

describe('a form sent after the session timed out', () => {
  const page = formPage({
    view: 'feedback/feedback.njk',
    schema: z.object({ comments: z.string() }),
    context: () => ({ ratingOptions: [] }),
    access: 'citizen',
    guard: (request) => (request.session.state === 'signed-in' ? null : redirect('/signed-out?reason=timeout')),
    onValid: async () => '/done',
  });

  it('keeps the answers, and puts them back after the same person signs in again', async () => {
    lookup.current = { state: 'ended', userId: 'u1' };
    const sent = await page.POST(formPost('/feedback', { comments: 'My blood pressure diary' }));
    expect(sent.status).toBe(303);
    const kept = sent.headers.getSetCookie().find((cookie) => cookie.startsWith('phr_kept_answers='));
    expect(kept).toBeDefined();

    lookup.current = {
      state: 'signed-in',
      citizen: { userId: 'u1', lastSeenAt: new Date(), idleSeconds: 600, absoluteExpiresAt: new Date(Date.now() + 3600_000), revokedAt: null },
    };
    const shown = await page.GET(new Request('http://localhost:3000/feedback', { headers: { cookie: cookieValue(kept!) } }));
    const html = await shown.text();
    expect(html).toContain('My blood pressure diary');
    expect(html).toContain('we kept the answers you gave');
    expect(shown.headers.getSetCookie().some((cookie) => cookie.startsWith('phr_kept_answers=;'))).toBe(true);
  });

  it('keeps nothing for someone who was never signed in', async () => {
    lookup.current = { state: 'signed-out' };
    const sent = await page.POST(formPost('/feedback', { comments: 'x' }));
    expect(sent.headers.getSetCookie().some((cookie) => cookie.startsWith('phr_kept_answers='))).toBe(false);
  });
});
