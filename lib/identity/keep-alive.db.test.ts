// The timeout warning on staff pages as on citizens' pages, and "Stay signed in" for both.
import { describe, expect, it } from 'vitest';
import { POST as keepAlive } from '@/app/session/keep-alive/route';
import { GET as staffHome } from '@/app/staff/route';
import { getDb } from '@/lib/platform/db';
import { staffSessionCookie, useDatabaseUnderTest } from '@/lib/platform/db-test-support';
import { browserCsrf, formPost } from '@/lib/platform/testing/requests';

useDatabaseUnderTest();

describe('the session timeout warning for staff', () => {
  it('is on staff pages, and "Stay signed in" starts the idle time again', async () => {
    const cookie = await staffSessionCookie('care-professional');
    const page = await staffHome(new Request('http://localhost:3000/staff', { headers: { cookie } }));
    const html = await page.text();
    expect(page.status).toBe(200);
    expect(html).toContain('id="timeout-warning"');
    expect(html).toMatch(/data-seconds-left="(17|18)\d\d"/);
    expect(html).toContain('/javascripts/application.mjs');

    const db = getDb();
    const [session] = await db.staffSession.findMany({ orderBy: { createdAt: 'desc' }, take: 1 });
    await db.staffSession.update({ where: { id: session!.id }, data: { lastSeenAt: new Date(Date.now() - 20 * 60_000) } });
    const csrf = browserCsrf();
    const kept = await keepAlive(
      formPost('/session/keep-alive', { returnTo: '/staff' }, { csrf, headers: { cookie: `${csrf.cookie}; ${cookie}`, accept: 'application/json' } }),
    );
    expect(kept.status).toBe(200);
    expect(((await kept.json()) as { secondsLeft: number }).secondsLeft).toBeGreaterThan(1700);
    const touched = await db.staffSession.findUnique({ where: { id: session!.id } });
    expect(Date.now() - touched!.lastSeenAt.getTime()).toBeLessThan(60_000);
  });

  it('"Stay signed in" without JavaScript goes back only to a page of this service, however the address is written', async () => {
    const cookie = await staffSessionCookie('care-professional');
    for (const returnTo of ['/.//evil.example', '/x/..//evil.example', 'https://evil.example']) {
      const csrf = browserCsrf();
      const kept = await keepAlive(formPost('/session/keep-alive', { returnTo }, { csrf, headers: { cookie: `${csrf.cookie}; ${cookie}` } }));
      expect(kept.status, returnTo).toBe(303);
      expect(kept.headers.get('location'), returnTo).toBe('/account');
    }
  });
});
