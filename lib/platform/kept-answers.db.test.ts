// Answers sent just after a session timed out are kept on every form, not only formPage ones:
// the pipeline keeps them when a page sends its user to sign in again, and puts them back.
import { describe, expect, it } from 'vitest';
import { GET as addReadingPage, POST as addReading } from '@/app/blood-pressure/add/route';
import { getDb } from './db';
import { citizenSessionCookie, makeCitizen, useDatabaseUnderTest } from './db-test-support';
import { browserCsrf, formPost } from './testing/requests';

useDatabaseUnderTest();

const cookiesSetBy = (response: Response) => response.headers.getSetCookie().map((cookie) => cookie.split(';')[0]!);

describe('answers sent after a timeout', () => {
  it('are kept for a form that is not a formPage, and shown again after signing in', async () => {
    const db = getDb();
    const userId = await makeCitizen({ givenName: 'Kit' });
    const ended = await citizenSessionCookie(userId);
    await db.session.updateMany({ where: { userId }, data: { revokedAt: new Date() } });
    const csrf = browserCsrf();

    const sent = await addReading(
      formPost(
        '/blood-pressure/add',
        { systolic: '141', diastolic: '87', measuredWhen: 'now', arm: 'left', sitting: 'yes' },
        { headers: { cookie: `${csrf.cookie}; ${ended}` }, csrf: { cookie: csrf.cookie, token: csrf.token } },
      ),
    );
    expect(sent.status).toBe(303);
    expect(sent.headers.get('location')).toMatch(/^\/signed-out\?reason=timeout/);
    const kept = cookiesSetBy(sent).find((cookie) => cookie.startsWith('phr_kept_answers='));
    expect(kept).toBeDefined();
    expect(await db.bloodPressureReading.count({ where: { userId } })).toBe(0);

    const again = await citizenSessionCookie(userId);
    const shown = await addReadingPage(new Request('http://localhost:3000/blood-pressure/add', { headers: { cookie: `${again}; ${kept}` } }));
    const html = await shown.text();
    expect(shown.status).toBe(200);
    expect(html).toContain('You were signed out, so we kept the answers you gave.');
    expect(html).toMatch(/id="systolic" name="systolic"[^>]*value="141"/);
    // Used once: the cookie is cleared.
    expect(cookiesSetBy(shown)).toContain('phr_kept_answers=');
  });
});
