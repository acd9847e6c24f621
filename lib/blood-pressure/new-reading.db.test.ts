// "Add a reading" → "Check your answers" → save, in-process on the database under test: the
// answers wait in the citizen's own draft (lib/platform/drafts.ts) for 30 minutes, "now" stays
// the time the form was sent, and they are used once.
import { describe, expect, it } from 'vitest';
import { GET as addReadingPage, POST as addReading } from '@/app/blood-pressure/add/route';
import { GET as checkPage, POST as confirmReading } from '@/app/blood-pressure/add/check/route';
import { getDb } from '@/lib/platform/db';
import { citizenSessionCookie, makeCitizen, useDatabaseUnderTest } from '@/lib/platform/db-test-support';
import { TEST_CLOCK_HEADER } from '@/lib/platform/clock';
import { browserCsrf, formPost } from '@/lib/platform/testing/requests';

const { provider } = useDatabaseUnderTest({ TEST_CLOCK: 'true' });

const answeredAt = new Date('2026-11-23T12:30:00Z');
const minutesLater = (minutes: number) => new Date(answeredAt.getTime() + minutes * 60_000);
const reading = { systolic: '128', diastolic: '82', measuredWhen: 'now', arm: 'left', sitting: 'yes', unknown: 'dropped' };

async function citizen(givenName: string) {
  const userId = await makeCitizen({ givenName });
  const csrf = browserCsrf();
  const cookie = `${csrf.cookie}; ${await citizenSessionCookie(userId)}`;
  const at = (when: Date) => ({ cookie, [TEST_CLOCK_HEADER]: when.toISOString() });
  return {
    userId,
    add: (when: Date, fields: Record<string, string> = reading) => addReading(formPost('/blood-pressure/add', fields, { headers: at(when), csrf })),
    addPage: (when: Date) => addReadingPage(new Request('http://localhost:3000/blood-pressure/add', { headers: at(when) })),
    check: (when: Date) => checkPage(new Request('http://localhost:3000/blood-pressure/add/check', { headers: at(when) })),
    confirm: (when: Date) => confirmReading(formPost('/blood-pressure/add/check', {}, { headers: at(when), csrf })),
  };
}

const readingsOf = (userId: string) => getDb().bloodPressureReading.findMany({ where: { userId } });

describe(`a new blood pressure reading's answers on ${provider}`, () => {
  it('wait for check answers, keep the time the form was sent, and are saved once', async () => {
    const amelia = await citizen('Amelia');
    const sent = await amelia.add(answeredAt);
    expect(sent.status).toBe(303);
    expect(sent.headers.get('location')).toBe('/blood-pressure/add/check');
    // Kept on the server: no cookie carries them.
    expect(sent.headers.getSetCookie()).toEqual([]);
    expect(await readingsOf(amelia.userId)).toEqual([]);

    const shown = await amelia.check(minutesLater(10));
    expect(shown.status).toBe(200);
    expect(await shown.text()).toContain('128/82');
    // "Change" shows the form with the answers kept.
    expect(await (await amelia.addPage(minutesLater(11))).text()).toMatch(/id="systolic" name="systolic"[^>]*value="128"/);

    const saved = await amelia.confirm(minutesLater(20));
    expect(saved.status).toBe(303);
    expect(saved.headers.get('location')).toMatch(/^\/blood-pressure\/add\/saved\?id=/);
    const [stored, ...more] = await readingsOf(amelia.userId);
    expect(more).toEqual([]);
    // "Just now" is when the form was sent, not when it was confirmed.
    expect(stored).toMatchObject({ systolic: 128, diastolic: 82, measuredAt: answeredAt });

    // Used once: check answers starts again, and confirming again saves nothing.
    expect((await amelia.check(minutesLater(21))).headers.get('location')).toBe('/blood-pressure/add');
    expect((await amelia.confirm(minutesLater(21))).headers.get('location')).toBe('/blood-pressure/add');
    expect(await readingsOf(amelia.userId)).toHaveLength(1);
    expect(await getDb().draft.count({ where: { userId: amelia.userId } })).toBe(0);
  });

  it('are kept for 30 minutes only', async () => {
    const ben = await citizen('Ben');
    await ben.add(answeredAt);
    expect((await ben.check(minutesLater(29))).status).toBe(200);
    expect((await ben.check(minutesLater(31))).headers.get('location')).toBe('/blood-pressure/add');
    expect((await ben.confirm(minutesLater(31))).headers.get('location')).toBe('/blood-pressure/add');
    expect(await (await ben.addPage(minutesLater(31))).text()).not.toMatch(/value="128"/);
    expect(await readingsOf(ben.userId)).toEqual([]);
  });

  it('are never seen or saved by another citizen', async () => {
    const cara = await citizen('Cara');
    const dev = await citizen('Dev');
    await cara.add(answeredAt);
    // Going straight to check answers without answers of their own: back to the form.
    expect((await dev.check(minutesLater(1))).headers.get('location')).toBe('/blood-pressure/add');
    expect((await dev.confirm(minutesLater(1))).headers.get('location')).toBe('/blood-pressure/add');
    expect(await (await dev.addPage(minutesLater(1))).text()).not.toMatch(/value="128"/);
    expect(await readingsOf(dev.userId)).toEqual([]);
    expect(await readingsOf(cara.userId)).toEqual([]);
    expect((await cara.check(minutesLater(2))).status).toBe(200);
  });

  it('sent twice at once are saved once', async () => {
    const eve = await citizen('Eve');
    await eve.add(answeredAt);
    const answers = await Promise.all([eve.confirm(minutesLater(1)), eve.confirm(minutesLater(1))]);
    expect(await readingsOf(eve.userId)).toHaveLength(1);
    const places = answers.map((answer) => answer.headers.get('location') ?? '');
    expect(places.filter((place) => place.startsWith('/blood-pressure/add/saved?id='))).toHaveLength(1);
    // The other lands on the overview (its reading was saved by the first) or, had it come later, on the form.
    expect(places.filter((place) => !place.startsWith('/blood-pressure/add/saved'))).toEqual([expect.stringMatching(/^\/blood-pressure(\/add)?$/)]);
  });
});
