// Home-monitoring weeks on the database under test (SQLite and PostgreSQL, see scripts/db/test-both.sh).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeCitizen, useDatabaseUnderTest } from '@/lib/platform/db-test-support';
import { getDb } from '@/lib/platform/db';
import { fromLondonWallClock } from '@/lib/platform/london-time';
import type { BloodPressureReading } from './reading';
import { addReadings, changeReading, deleteReading } from './store';
import { endWeek, ownWeek, startWeek, weeksNow } from './weeks';

const { provider } = useDatabaseUnderTest();

/** A time on UK clocks in 2026. */
const uk = (month: number, day: number, hour: number, minute = 0) => fromLondonWallClock({ year: 2026, month, day, hour, minute });

const reading = (measuredAt: Date, systolic: number, diastolic: number): BloodPressureReading => ({
  systolic,
  diastolic,
  measuredAt,
  arm: 'left',
  sitting: true,
});

/** A day's readings as NICE asks: two in the morning and two in the evening, a minute apart. */
async function fullDay(userId: string, month: number, day: number, systolic: number, diastolic: number) {
  const db = getDb();
  const at = uk(month, day, 7, 30);
  for (const hour of [7, 19]) {
    await addReadings(db, userId, [reading(uk(month, day, hour, 30), systolic, diastolic), reading(uk(month, day, hour, 31), systolic, diastolic)], at);
  }
}

const people: string[] = [];
async function citizen(givenName: string) {
  const id = await makeCitizen({ givenName });
  people.push(id);
  return id;
}

beforeAll(async () => {
  await getDb().$queryRawUnsafe('SELECT 1');
});

afterAll(async () => {
  const db = getDb();
  await db.bloodPressureReadingChange.deleteMany({ where: { userId: { in: people } } });
  await db.user.deleteMany({ where: { id: { in: people } } });
});

describe(`home-monitoring weeks on ${provider}`, () => {
  it('works a week out once, by the NICE rule, and keeps it however much later it is read', async () => {
    const db = getDb();
    const ann = await citizen('Ann');
    const started = await startWeek(db, ann, '2026-11-25', uk(11, 25, 7));
    expect(started).toMatchObject({ ok: true, week: { startedOn: '2026-11-25', endsOn: '2026-12-01', finishedAt: null } });
    // Day 1 is practice and left out, however high.
    await fullDay(ann, 11, 25, 200, 120);
    await fullDay(ann, 11, 26, 178, 100);
    for (const day of [27, 28, 29, 30]) await fullDay(ann, 11, day, 146, 92);

    // While it runs: progress, no result.
    const running = await weeksNow(db, ann, uk(11, 30, 21));
    expect(running.current?.progress).toMatchObject({ status: 'average-ready', daysThatCount: 5 });
    expect(running.finished).toEqual([]);
    await fullDay(ann, 12, 1, 146, 92);

    // The day after it ends: 151/93, the stage 2 range (a window sliding on would say stage 1).
    const after = await weeksNow(db, ann, uk(12, 2, 9));
    expect(after.current).toBeNull();
    expect(after.finished[0]).toMatchObject({
      result: 'stage-2-range',
      average: { systolic: 151, diastolic: 93, readingCount: 24 },
      daysThatCount: 6,
      endedEarly: false,
    });
    expect(after.finished[0]!.readings).toHaveLength(24);

    // Later readings and the passing of time change nothing.
    await fullDay(ann, 12, 2, 120, 70);
    const muchLater = await weeksNow(db, ann, uk(12, 20, 9));
    expect(muchLater.finished[0]).toMatchObject({ result: 'stage-2-range', average: { systolic: 151, diastolic: 93 }, recalculatedAt: null });

    // A second week, started after the first: it runs, the first stays finished, as many as asked for are shown.
    expect(await startWeek(db, ann, '2026-12-18', uk(12, 20, 9))).toMatchObject({ ok: true });
    const both = await weeksNow(db, ann, uk(12, 20, 10));
    expect(both.current).toMatchObject({ startedOn: '2026-12-18', finishedAt: null });
    expect(both.finished.map((week) => week.startedOn)).toEqual(['2026-11-25']);
    expect((await weeksNow(db, ann, uk(12, 20, 10), 0)).finished).toEqual([]);
    expect((await weeksNow(db, ann, uk(12, 20, 10), 0)).current?.startedOn).toBe('2026-12-18');
    // Once it has ended, reading the weeks finishes it: newest first.
    const ended = await weeksNow(db, ann, uk(12, 25, 9), 1);
    expect(ended.current).toBeNull();
    expect(ended.finished.map((week) => week.startedOn)).toEqual(['2026-12-18']);
    expect((await weeksNow(db, ann, uk(12, 25, 9))).finished.map((week) => week.startedOn)).toEqual(['2026-12-18', '2026-11-25']);
  });

  it('works a finished week out again when a reading in it is changed, deleted or added, and says which', async () => {
    const db = getDb();
    const ben = await citizen('Ben');
    await startWeek(db, ben, '2026-11-02', uk(11, 2, 8));
    for (const day of [3, 4, 5]) await fullDay(ben, 11, day, 140, 90);
    const outside = (await addReadings(db, ben, [reading(uk(11, 20, 8), 150, 95)], uk(11, 20, 8))).readings[0]!;
    const [first] = (await weeksNow(db, ben, uk(11, 10, 8))).finished;
    expect(first).toMatchObject({ result: 'stage-1-range', average: { systolic: 140, diastolic: 90 } });

    // A reading outside every week: no week is touched.
    expect(await changeReading(db, ben, outside.id, reading(uk(11, 20, 8), 190, 125), uk(11, 21, 8))).toEqual({ workedOutAgain: [] });

    // A reading inside it, changed to a very high one.
    const inside = first!.readings[0]!;
    const changed = await changeReading(db, ben, inside.id, reading(inside.measuredAt, 200, 125), uk(11, 21, 9));
    expect(changed?.workedOutAgain).toHaveLength(1);
    expect(changed!.workedOutAgain[0]).toMatchObject({ id: first!.id, average: { systolic: 145, diastolic: 93 }, recalculatedAt: uk(11, 21, 9) });

    // Deleted: its day no longer has all its readings, so 2 days count and there is no average.
    const deleted = await deleteReading(db, ben, inside.id, uk(11, 21, 10));
    expect(deleted!.workedOutAgain[0]).toMatchObject({ result: 'not-enough-readings', average: null, daysThatCount: 2, readings: [] });

    // A reading dated on that day, added later (copied from paper): the day counts again.
    const added = await addReadings(db, ben, [reading(uk(11, 3, 7, 45), 160, 100)], uk(11, 21, 11));
    expect(added.workedOutAgain[0]).toMatchObject({ id: first!.id, result: 'stage-1-range', average: { systolic: 142, diastolic: 91, readingCount: 12 } });
  });

  it('reads the weeks directly just as Prisma reads them, every column, null or not, newest first', async () => {
    const db = getDb();
    const userId = await citizen('Fay');
    const at = new Date('2026-03-29T00:59:59.123Z');
    const averaged = JSON.stringify([{ id: 'r1', measuredAt: '2026-03-02T07:30:00.000Z', systolic: 140, diastolic: 90 }]);
    await db.homeMonitoringWeek.createMany({
      data: [
        {
          userId,
          startedOn: '2026-03-02',
          endsOn: '2026-03-08',
          finishedAt: at,
          result: 'stage-1-range',
          systolic: 140,
          diastolic: 90,
          readingCount: 24,
          daysThatCount: 6,
          readings: averaged,
          recalculatedAt: at,
        },
        { userId, startedOn: '2026-03-09', endsOn: '2026-03-12', endedEarly: true, finishedAt: at, result: 'not-enough-readings' },
        // Two starting the same day (never made by the app, which refuses overlaps): the id orders them.
        {
          id: `${userId}-b`,
          userId,
          startedOn: '2026-03-16',
          endsOn: '2026-03-22',
          finishedAt: at,
          result: 'below-135-85',
          systolic: 120,
          diastolic: 80,
          readingCount: 12,
          daysThatCount: 3,
          readings: '[]',
        },
        {
          id: `${userId}-a`,
          userId,
          startedOn: '2026-03-16',
          endsOn: '2026-03-22',
          finishedAt: at,
          result: 'below-135-85',
          systolic: 121,
          diastolic: 81,
          readingCount: 12,
          daysThatCount: 3,
          readings: '[]',
        },
      ],
    });
    const { current, finished } = await weeksNow(db, userId, uk(4, 1, 12), 10);
    expect(current).toBeNull();
    const rows = await db.homeMonitoringWeek.findMany({ where: { userId }, orderBy: [{ startedOn: 'desc' }, { id: 'desc' }] });
    expect(finished.map((week) => week.id)).toEqual(rows.map((row) => row.id));
    expect(finished.map((week) => week.id).slice(0, 2)).toEqual([`${userId}-b`, `${userId}-a`]);
    // What a week read directly and Prisma's row have in common, compared as they are.
    type Shared = {
      id: string;
      startedOn: string;
      endsOn: string;
      endedEarly: boolean;
      finishedAt: Date | null;
      recalculatedAt: Date | null;
      result: string | null;
      daysThatCount: number | null;
    };
    const shared = ({ id, startedOn, endsOn, endedEarly, finishedAt, recalculatedAt, result, daysThatCount }: Shared): Shared => ({
      id,
      startedOn,
      endsOn,
      endedEarly,
      finishedAt,
      recalculatedAt,
      result,
      daysThatCount,
    });
    expect(finished.map(shared)).toEqual(rows.map(shared));
    expect(finished[3]).toMatchObject({
      average: { systolic: 140, diastolic: 90, readingCount: 24 },
      readings: [{ id: 'r1', measuredAt: new Date('2026-03-02T07:30:00.000Z') }],
    });
    expect(finished[2]).toMatchObject({ endedEarly: true, average: null, daysThatCount: null, recalculatedAt: null, readings: [] });
    // Only as many as asked for.
    expect((await weeksNow(db, userId, uk(4, 1, 12), 2)).finished).toHaveLength(2);
  });

  it('refuses a week that overlaps another, starts in the future or more than 7 days ago', async () => {
    const db = getDb();
    const cal = await citizen('Cal');
    const now = uk(11, 20, 9);
    expect(await startWeek(db, cal, '2026-11-21', now)).toEqual({ ok: false, problem: 'future' });
    expect(await startWeek(db, cal, '2026-11-12', now)).toEqual({ ok: false, problem: 'too-long-ago' });
    expect(await startWeek(db, cal, '2026-11-18', now)).toMatchObject({ ok: true });
    expect(await startWeek(db, cal, '2026-11-20', now)).toEqual({ ok: false, problem: 'overlaps' });
    expect(await startWeek(db, cal, '2026-11-13', now)).toEqual({ ok: false, problem: 'overlaps' });
    expect(await db.homeMonitoringWeek.count({ where: { userId: cal } })).toBe(1);
  });

  it('finishes at once a week started 7 days ago, for readings taken on paper', async () => {
    const db = getDb();
    const dee = await citizen('Dee');
    const started = await startWeek(db, dee, '2026-11-13', uk(11, 20, 9));
    expect(started).toMatchObject({ ok: true, week: { endsOn: '2026-11-19', result: 'not-enough-readings' } });
    expect(started.ok && started.week.finishedAt).toBeTruthy();
  });

  it("ends a week early only from day 4, and only the citizen's own", async () => {
    const db = getDb();
    const eve = await citizen('Eve');
    const fin = await citizen('Fin');
    const started = await startWeek(db, eve, '2026-11-02', uk(11, 2, 8));
    const id = started.ok ? started.week.id : '';
    for (const day of [3, 4, 5]) await fullDay(eve, 11, day, 130, 80);
    expect(await endWeek(db, eve, id, uk(11, 4, 21))).toEqual({ ok: false, problem: 'too-early-to-end' });
    expect(await endWeek(db, fin, id, uk(11, 5, 21))).toBeNull();
    expect(await ownWeek(db, fin, id, uk(11, 5, 21))).toBeNull();
    const ended = await endWeek(db, eve, id, uk(11, 5, 21));
    expect(ended).toMatchObject({
      ok: true,
      week: { endsOn: '2026-11-05', endedEarly: true, result: 'below-135-85', average: { systolic: 130, diastolic: 80 } },
    });
    // Readings on the days it no longer covers are outside every week.
    await fullDay(eve, 11, 6, 180, 120);
    expect((await ownWeek(db, eve, id, uk(11, 9, 9)))?.average).toMatchObject({ systolic: 130, diastolic: 80 });
    expect(await endWeek(db, eve, id, uk(11, 6, 9))).toEqual({ ok: false, problem: 'finished' });
  });

  it('keeps UK days across the clock change: a late evening in October belongs to its own day', async () => {
    const db = getDb();
    const gil = await citizen('Gil');
    // Clocks go back at 2am on Sunday 25 October 2026.
    await startWeek(db, gil, '2026-10-19', uk(10, 19, 8));
    for (const day of [20, 21, 22, 23, 24]) await fullDay(gil, 10, day, 130, 80);
    // 11:30pm on 25 October (GMT) is day 7's evening, not 26 October.
    await addReadings(db, gil, [reading(uk(10, 25, 23, 30), 170, 100)], uk(10, 25, 23, 30));
    // 12:30am on 26 October is outside the week.
    await addReadings(db, gil, [reading(uk(10, 26, 0, 30), 200, 120)], uk(10, 26, 0, 30));
    const [week] = (await weeksNow(db, gil, uk(10, 27, 9))).finished;
    expect(week?.readings.map((r) => r.systolic)).toContain(170);
    expect(week?.readings.map((r) => r.systolic)).not.toContain(200);
    expect(week?.average?.readingCount).toBe(21);
  });
});
