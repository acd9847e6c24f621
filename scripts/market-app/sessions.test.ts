import type { IncomingMessage, ServerResponse } from 'node:http';
import { describe, expect, it } from 'vitest';
import { createSessionStore, csrfMatches, oneAtATime, takeMessage, type Session } from './sessions';

/** Just enough of a response to collect Set-Cookie headers. */
function response() {
  const cookies: string[] = [];
  return { cookies, res: { appendHeader: (_name: string, value: string) => cookies.push(value) } as unknown as ServerResponse };
}
const request = (cookie?: string) => ({ headers: { cookie } }) as IncomingMessage;

describe('sessions', () => {
  it('are found by their HttpOnly, SameSite=Lax cookie, Secure on https', () => {
    const store = createSessionStore({ secureCookies: true });
    const { res, cookies } = response();
    const session = store.start(res, 'Hello');
    expect(cookies[0]).toBe(`bp_diary_session=${session.id}; Path=/; HttpOnly; SameSite=Lax; Secure`);
    expect(store.find(request(`other=1; bp_diary_session=${session.id}`))).toBe(session);
    expect(store.find(request('bp_diary_session=guessed'))).toBeUndefined();
    expect(takeMessage(session)).toBe('Hello');
    expect(takeMessage(session)).toBeUndefined();
    store.stop();
  });

  it('time out after 30 minutes without use, each handed over before it is forgotten', () => {
    let now = 0;
    const timedOut: Session[] = [];
    const store = createSessionStore({ secureCookies: false, now: () => now, onTimeout: (session) => timedOut.push(session) });
    const session = store.start(response().res);
    now = 29 * 60_000;
    expect(store.find(request(`bp_diary_session=${session.id}`))).toBe(session);
    now += 31 * 60_000;
    expect(store.find(request(`bp_diary_session=${session.id}`))).toBeUndefined();
    expect(timedOut).toEqual([session]);
    store.stop();
  });

  it('get a new id and CSRF token when renewed, and the old id stops working', () => {
    const store = createSessionStore({ secureCookies: false });
    const session = store.start(response().res);
    const [oldId, oldToken] = [session.id, session.csrfToken];
    store.renew(session, response().res);
    expect(session.id).not.toBe(oldId);
    expect(session.csrfToken).not.toBe(oldToken);
    expect(store.find(request(`bp_diary_session=${oldId}`))).toBeUndefined();
    expect(store.find(request(`bp_diary_session=${session.id}`))).toBe(session);
    store.stop();
  });

  it('check the CSRF token exactly', () => {
    const store = createSessionStore({ secureCookies: false });
    const session = store.start(response().res);
    expect(csrfMatches(session, session.csrfToken)).toBe(true);
    expect(csrfMatches(session, `${session.csrfToken}x`)).toBe(false);
    expect(csrfMatches(session, '')).toBe(false);
    expect(csrfMatches(session, null)).toBe(false);
    store.stop();
  });

  it('run their work with the PHR one task at a time, a failure not stopping the next', async () => {
    const store = createSessionStore({ secureCookies: false });
    const session = store.start(response().res);
    const order: string[] = [];
    const task =
      (name: string, ms: number, fail = false) =>
      async () => {
        order.push(`${name} starts`);
        await new Promise((resolve) => setTimeout(resolve, ms));
        order.push(`${name} ends`);
        if (fail) throw new Error(name);
        return name;
      };
    const results = await Promise.allSettled([oneAtATime(session, task('a', 20, true)), oneAtATime(session, task('b', 1))]);
    expect(results.map((result) => result.status)).toEqual(['rejected', 'fulfilled']);
    expect(order).toEqual(['a starts', 'a ends', 'b starts', 'b ends']);
    store.stop();
  });
});
