// Blood pressure readings on the database under test (SQLite and PostgreSQL, see scripts/db/test-both.sh).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeCitizen, useDatabaseUnderTest } from '@/lib/platform/db-test-support';
import { getDb } from '@/lib/platform/db';
import { bloodPressureChartData, monthlyChartData } from './chart';
import { londonDay } from '@/lib/platform/london-time';
import { observationProblems } from './fhir';
import { bloodPressureForProfessional, bloodPressureForProfessionalView } from './professional';
import type { BloodPressureReading } from './reading';
import {
  CHART_ROW_LIMIT,
  addReadings,
  allReadingsInBatches,
  changeReading,
  chartData,
  chartRangeRows,
  deleteReading,
  findOwnReading,
  latestReading,
  latestVeryHighReading,
  readingHistory,
  readingsPage,
  rangeStart,
  readingsWithChart,
} from './store';
import { seedDemoReadings } from './seed';

const { provider } = useDatabaseUnderTest();
const now = new Date('2026-11-30T21:00:00Z');
const hoursAgo = (hours: number) => new Date(now.getTime() - hours * 3_600_000);

const reading = (measuredAt: Date, systolic = 128, diastolic = 82, extra: Partial<BloodPressureReading> = {}): BloodPressureReading => ({
  systolic,
  diastolic,
  measuredAt,
  arm: 'left',
  sitting: true,
  ...extra,
});

let alice: string;
let bob: string;

beforeAll(async () => {
  alice = await makeCitizen({ givenName: 'Alice', nhsNumber: '9990012377' });
  bob = await makeCitizen({ givenName: 'Bob' });
});

afterAll(async () => {
  const db = getDb();
  await db.bloodPressureReadingChange.deleteMany({ where: { userId: { in: [alice, bob] } } });
  await db.user.deleteMany({ where: { id: { in: [alice, bob] } } });
});

describe(`blood pressure readings on ${provider}`, () => {
  it('saves two readings taken together as a pair, with their history', async () => {
    const db = getDb();
    const { readings: saved, workedOutAgain } = await addReadings(db, alice, [
      reading(hoursAgo(2), 140, 90, { pulse: 70 }),
      reading(new Date(hoursAgo(2).getTime() + 60_000), 136, 88),
    ]);
    expect(saved).toHaveLength(2);
    expect(workedOutAgain).toEqual([]);
    expect(saved[0]!.pairId).toBe(saved[0]!.id);
    expect(saved[1]!.pairId).toBe(saved[0]!.id);
    expect(await findOwnReading(db, alice, saved[0]!.id)).toMatchObject({ systolic: 140, diastolic: 90, pulse: 70, arm: 'left', sitting: true });
    expect(await findOwnReading(db, alice, saved[1]!.id)).not.toHaveProperty('pulse');
    const history = await readingHistory(db, alice, saved[0]!.id);
    expect(history).toEqual([expect.objectContaining({ action: 'added', after: expect.objectContaining({ systolic: 140, pulse: 70 }) })]);
  });

  it('changes and deletes a reading, keeping what it was in the history, and hides the deleted one', async () => {
    const db = getDb();
    const [saved] = (await addReadings(db, alice, [reading(hoursAgo(30), 150, 95)])).readings;
    expect(await changeReading(db, alice, saved!.id, reading(hoursAgo(31), 145, 92, { arm: 'right', sitting: false, pulse: 66 }))).toEqual({
      workedOutAgain: [],
    });
    expect(await findOwnReading(db, alice, saved!.id)).toMatchObject({ systolic: 145, diastolic: 92, arm: 'right', sitting: false, pulse: 66 });
    expect(await deleteReading(db, alice, saved!.id, now)).toEqual({ workedOutAgain: [] });
    expect(await findOwnReading(db, alice, saved!.id)).toBeNull();
    // A second delete, or a change after deleting, finds nothing.
    expect(await deleteReading(db, alice, saved!.id, now)).toBeNull();
    expect(await changeReading(db, alice, saved!.id, reading(hoursAgo(31)))).toBeNull();
    const history = await readingHistory(db, alice, saved!.id);
    expect(history.map((change) => change.action)).toEqual(['added', 'changed', 'deleted']);
    expect(history[1]).toMatchObject({ before: { systolic: 150, diastolic: 95 }, after: { systolic: 145, arm: 'right', sitting: false } });
    expect(history[2]).toMatchObject({ before: { systolic: 145 } });
    expect(history[2]!.after).toBeUndefined();
    // The row is kept (marked deleted), never shown.
    expect(await db.bloodPressureReading.findUnique({ where: { id: saved!.id } })).toMatchObject({ deletedAt: now });
    const page = await readingsPage(db, alice, { range: 'all', page: 1, now });
    expect(page.readings.map((r) => r.id)).not.toContain(saved!.id);
  });

  it("never lets one citizen read, change, delete or download another citizen's readings", async () => {
    const db = getDb();
    const [bobs] = (await addReadings(db, bob, [reading(hoursAgo(5), 191, 101)])).readings;
    expect(await findOwnReading(db, alice, bobs!.id)).toBeNull();
    expect(await changeReading(db, alice, bobs!.id, reading(hoursAgo(5), 120, 80))).toBeNull();
    expect(await deleteReading(db, alice, bobs!.id, now)).toBeNull();
    expect(await readingHistory(db, alice, bobs!.id)).toEqual([]);
    expect(await findOwnReading(db, bob, bobs!.id)).toMatchObject({ systolic: 191, diastolic: 101 });

    const alicesPage = await readingsPage(db, alice, { range: 'all', page: 1, now, pageSize: 1000 });
    expect(alicesPage.readings.some((r) => r.id === bobs!.id)).toBe(false);
    const alicesCsv = [];
    for await (const batch of allReadingsInBatches(db, alice)) alicesCsv.push(...batch);
    expect(alicesCsv.some((r) => r.id === bobs!.id)).toBe(false);
    const alicesChart = await chartData(db, alice, 'all', now);
    expect(alicesChart.points.some((p) => p.systolic === 191)).toBe(false);
    expect((await latestReading(db, alice, now))?.id).not.toBe(bobs!.id);
    expect((await latestVeryHighReading(db, alice, hoursAgo(24), now))?.id).not.toBe(bobs!.id);
    expect((await latestVeryHighReading(db, bob, hoursAgo(24), now))?.id).toBe(bobs!.id);
    await deleteReading(db, bob, bobs!.id, now);
  });

  it('pages readings newest first, in a range', async () => {
    const db = getDb();
    const carol = await makeCitizen({ givenName: 'Carol' });
    // One reading a day for 40 days.
    await db.bloodPressureReading.createMany({
      data: Array.from({ length: 40 }, (_, day) => ({
        userId: carol,
        measuredAt: hoursAgo(24 * day + 1),
        systolic: 100 + day,
        diastolic: 70,
        arm: 'left',
        sitting: true,
      })),
    });
    const first = await readingsPage(db, carol, { range: '30-days', page: 1, now, pageSize: 20 });
    expect(first).toMatchObject({ page: 1, pageCount: 2, total: 30 });
    expect(first.readings.map((r) => r.systolic).slice(0, 3)).toEqual([100, 101, 102]);
    const past = await readingsPage(db, carol, { range: '30-days', page: 99, now, pageSize: 20 });
    expect(past.page).toBe(2);
    expect(past.readings).toHaveLength(10);
    expect((await readingsPage(db, carol, { range: 'all', page: 1, now })).total).toBe(40);
    expect((await readingsPage(db, carol, { range: 'all', page: Number.NaN, now })).page).toBe(1);
    // Readings at the same instant: the id orders them, the same way in the list and the chart.
    await db.bloodPressureReading.createMany({
      data: Array.from({ length: 5 }, (_, i) => ({
        userId: carol,
        measuredAt: hoursAgo(24 * 3),
        systolic: 140 + i,
        diastolic: 80,
        arm: 'left',
        sitting: true,
      })),
    });
    // The readings pages read the range once for the page and the chart: the same as each reading for itself.
    for (const range of ['30-days', 'all'] as const) {
      for (const pageNumber of [1, 2, 3, 99]) {
        const both = await readingsWithChart(db, carol, { range, page: pageNumber, now });
        expect(both.list).toEqual(await readingsPage(db, carol, { range, page: pageNumber, now }));
        expect(both.chart).toEqual(await chartData(db, carol, range, now));
      }
    }
    expect((await latestReading(db, carol, now))?.systolic).toBe(100);
    await db.bloodPressureReading.deleteMany({ where: { userId: carol } });
    await db.user.delete({ where: { id: carol } });
  });

  it("reads a chart range directly just as Prisma reads it: its edges, ties, nulls, and no deleted or other citizen's readings", async () => {
    const db = getDb();
    const dan = await makeCitizen({ givenName: 'Dan' });
    const since = rangeStart('30-days', now)!;
    const at = (ms: number) => new Date(since.getTime() + ms);
    await db.bloodPressureReading.createMany({
      data: [
        { userId: dan, measuredAt: since, systolic: 120, diastolic: 80, arm: 'left', sitting: true },
        // A tie, stored in the opposite order to its ids: the id orders it.
        { id: `${dan}-tie-b`, userId: dan, measuredAt: at(1), systolic: 121, diastolic: 81, pulse: 60, arm: 'right', sitting: false, pairId: 'pair-1' },
        { id: `${dan}-tie-a`, userId: dan, measuredAt: at(1), systolic: 122, diastolic: 82, pulse: 61, arm: 'right', sitting: false, pairId: 'pair-1' },
        { userId: dan, measuredAt: at(86_400_123), systolic: 123, diastolic: 83, arm: 'left', sitting: true },
        { userId: dan, measuredAt: at(-86_400_000), systolic: 119, diastolic: 79, arm: 'left', sitting: true },
        { userId: dan, measuredAt: now, systolic: 124, diastolic: 84, arm: 'left', sitting: true },
        { userId: dan, measuredAt: new Date(now.getTime() + 1), systolic: 125, diastolic: 85, arm: 'left', sitting: true },
        { userId: dan, measuredAt: at(2), systolic: 126, diastolic: 86, arm: 'left', sitting: true, deletedAt: now },
        { userId: bob, measuredAt: at(3), systolic: 127, diastolic: 87, arm: 'left', sitting: true },
      ],
    });
    for (const range of ['30-days', '90-days', 'all'] as const) {
      const since = rangeStart(range, now);
      const expected = await db.bloodPressureReading.findMany({
        where: { userId: dan, deletedAt: null, measuredAt: { ...(since ? { gt: since } : {}), lte: now } },
        select: { id: true, measuredAt: true, systolic: true, diastolic: true, pulse: true, arm: true, sitting: true, pairId: true },
        orderBy: [{ measuredAt: 'asc' }, { id: 'asc' }],
      });
      expect(await chartRangeRows(db, dan, range, now)).toEqual(expected);
    }
    expect((await chartRangeRows(db, dan, '30-days', now)).map((r) => r.systolic)).toEqual([122, 121, 123, 124]);
    await db.bloodPressureReading.deleteMany({ where: { OR: [{ userId: dan }, { userId: bob, systolic: 127, measuredAt: at(3) }] } });
    await db.user.delete({ where: { id: dan } });
  });

  it("reads the latest reading and the latest very high one directly just as Prisma reads them: edges, ties, and no deleted, future or other citizen's readings", async () => {
    const db = getDb();
    const eve = await makeCitizen({ givenName: 'Eve' });
    const since = hoursAgo(24);
    const prismaLatest = (where: object) =>
      db.bloodPressureReading.findFirst({
        where: { userId: eve, deletedAt: null, ...where },
        select: { id: true, measuredAt: true, systolic: true, diastolic: true, pulse: true, arm: true, sitting: true, pairId: true },
        orderBy: [{ measuredAt: 'desc' }, { id: 'desc' }],
      });
    const veryHighWhere = { measuredAt: { gte: since, lte: now }, OR: [{ systolic: { gte: 180 } }, { diastolic: { gte: 120 } }] };
    // As the store gives a reading: no pulse or pair when there is none.
    const shaped = (row: Awaited<ReturnType<typeof prismaLatest>>) => row && { ...row, pulse: row.pulse ?? undefined, pairId: row.pairId ?? undefined };
    const expectSame = async () => {
      expect(await latestReading(db, eve, now)).toEqual(shaped(await prismaLatest({ measuredAt: { lte: now } })));
      expect(await latestVeryHighReading(db, eve, since, now)).toEqual(shaped(await prismaLatest(veryHighWhere)));
    };
    await expectSame();
    expect(await latestReading(db, eve, now)).toBeNull();

    await db.bloodPressureReading.createMany({
      data: [
        // Very high at the start of the 24 hours, by the top number and by the bottom one.
        { userId: eve, measuredAt: since, systolic: 180, diastolic: 90, arm: 'left', sitting: true },
        { userId: eve, measuredAt: new Date(since.getTime() - 1), systolic: 200, diastolic: 130, arm: 'left', sitting: true },
        { userId: eve, measuredAt: hoursAgo(2), systolic: 150, diastolic: 120, pulse: 70, arm: 'right', sitting: false },
        // A tie at the latest time, stored in the opposite order to its ids: the id orders it.
        { id: `${eve}-tie-a`, userId: eve, measuredAt: hoursAgo(1), systolic: 121, diastolic: 81, pulse: 60, arm: 'right', sitting: false, pairId: 'pair-1' },
        { id: `${eve}-tie-b`, userId: eve, measuredAt: hoursAgo(1), systolic: 122, diastolic: 82, arm: 'left', sitting: true, pairId: 'pair-1' },
        // None of these: deleted, in the future, another citizen's.
        { userId: eve, measuredAt: hoursAgo(0.5), systolic: 190, diastolic: 125, arm: 'left', sitting: true, deletedAt: now },
        { userId: eve, measuredAt: new Date(now.getTime() + 1), systolic: 185, diastolic: 80, arm: 'left', sitting: true },
        { userId: bob, measuredAt: hoursAgo(0.25), systolic: 181, diastolic: 121, arm: 'left', sitting: true },
      ],
    });
    await expectSame();
    expect((await latestReading(db, eve, now))?.id).toBe(`${eve}-tie-b`);
    expect((await latestVeryHighReading(db, eve, since, now))?.diastolic).toBe(120);
    expect(await latestVeryHighReading(db, eve, hoursAgo(1.5), now)).toBeNull();
    await db.bloodPressureReading.deleteMany({ where: { OR: [{ userId: eve }, { userId: bob, measuredAt: hoursAgo(0.25) }] } });
    await db.user.delete({ where: { id: eve } });
  });

  it('downloads every reading in batches, oldest first, with none missed or repeated', async () => {
    const db = getDb();
    const dan = await makeCitizen({ givenName: 'Dan' });
    // Several readings at the same instant: the id breaks the tie between batches.
    const sameTime = hoursAgo(10);
    await db.bloodPressureReading.createMany({
      data: Array.from({ length: 23 }, (_, i) => ({
        userId: dan,
        measuredAt: i < 7 ? sameTime : hoursAgo(20 + i),
        systolic: 110 + i,
        diastolic: 70,
        arm: 'right',
        sitting: true,
      })),
    });
    const seen: string[] = [];
    for await (const batch of allReadingsInBatches(db, dan, 5)) seen.push(...batch.map((r) => r.id));
    expect(seen).toHaveLength(23);
    expect(new Set(seen).size).toBe(23);
    await db.bloodPressureReading.deleteMany({ where: { userId: dan } });
    await db.user.delete({ where: { id: dan } });
  });

  it('charts years of readings from monthly averages worked out by the database, the same as from every row', async () => {
    const db = getDb();
    const erin = await makeCitizen({ givenName: 'Erin' });
    const count = CHART_ROW_LIMIT + 200;
    const rows = Array.from({ length: count }, (_, i) => ({
      userId: erin,
      measuredAt: hoursAgo(12 * i + 1),
      systolic: 110 + (i % 37),
      diastolic: 65 + (i % 23),
      arm: 'left',
      sitting: true,
    }));
    for (let start = 0; start < rows.length; start += 500) await db.bloodPressureReading.createMany({ data: rows.slice(start, start + 500) });
    const fromDatabase = await chartData(db, erin, 'all', now);
    const fromRows = bloodPressureChartData(rows, 'all', now);
    expect(fromDatabase.grouping).toBe('month');
    expect(fromRows.grouping).toBe('month');
    expect(fromDatabase.points).toEqual(fromRows.points);
    // Short ranges still come as rows, grouped by chart.ts.
    const month = await chartData(db, erin, '30-days', now);
    expect(month.points.reduce((sum, p) => sum + p.readingCount, 0)).toBe(60);
    // The readings pages, over the limit too, the same as the list and the chart each read for itself.
    for (const range of ['30-days', 'all'] as const) {
      for (const pageNumber of [1, 57, 999]) {
        const both = await readingsWithChart(db, erin, { range, page: pageNumber, now });
        expect(both.list).toEqual(await readingsPage(db, erin, { range, page: pageNumber, now }));
        expect(both.chart).toEqual(await chartData(db, erin, range, now));
      }
    }
    expect((await readingsWithChart(db, erin, { range: 'all', page: 1, now })).list.total).toBe(count);
    await db.bloodPressureReading.deleteMany({ where: { userId: erin } });
    await db.user.delete({ where: { id: erin } });
  });

  it("averages by month only the range's own readings: not deleted ones, not another citizen's, not those before the range", async () => {
    const db = getDb();
    const fay = await makeCitizen({ givenName: 'Fay' });
    const gus = await makeCitizen({ givenName: 'Gus' });
    // Hourly for 88 days: over the limit within 90 days, across month ends and the clocks going
    // back on 25 October.
    const inRange = Array.from({ length: CHART_ROW_LIMIT + 100 }, (_, i) => ({
      userId: fay,
      measuredAt: hoursAgo(i + 1),
      systolic: 100 + (i % 61),
      diastolic: 60 + (i % 29),
      arm: 'left',
      sitting: true,
    }));
    // Some from just before the range, in the month it starts in (1 September), and the days before.
    const before = [...Array.from({ length: 5 }, (_, i) => hoursAgo(24 * 90 + 1 + i)), ...Array.from({ length: 30 }, (_, i) => hoursAgo(24 * (91 + i)))].map(
      (measuredAt) => ({ ...inRange[0]!, measuredAt, systolic: 200, diastolic: 130 }),
    );
    const othersAndDeleted = [
      ...inRange.slice(0, 300).map((row) => ({ ...row, userId: gus, systolic: 190 })),
      ...inRange.slice(0, 300).map((row) => ({ ...row, deletedAt: now, systolic: 190 })),
    ];
    const all = [...inRange, ...before, ...othersAndDeleted];
    for (let start = 0; start < all.length; start += 500) await db.bloodPressureReading.createMany({ data: all.slice(start, start + 500) });

    const byMonth = new Map<string, { systolic: number; diastolic: number; readingCount: number }>();
    const since = rangeStart('90-days', now)!;
    for (const row of inRange.filter((r) => r.measuredAt > since)) {
      const key = londonDay(row.measuredAt).slice(0, 7);
      const sum = byMonth.get(key) ?? { systolic: 0, diastolic: 0, readingCount: 0 };
      byMonth.set(key, { systolic: sum.systolic + row.systolic, diastolic: sum.diastolic + row.diastolic, readingCount: sum.readingCount + 1 });
    }
    const expected = [...byMonth].map(([month, sum]) => ({
      month,
      systolic: sum.systolic / sum.readingCount,
      diastolic: sum.diastolic / sum.readingCount,
      readingCount: sum.readingCount,
    }));
    expect(expected.length).toBeGreaterThanOrEqual(3);
    const chart = await chartData(db, fay, '90-days', now);
    expect(chart.grouping).toBe('month');
    expect(chart).toEqual(monthlyChartData(expected, '90-days', now));
    // 'all' takes in the older ones too, still without the deleted ones or Gus's.
    const whole = await chartData(db, fay, 'all', now);
    expect(whole.points.reduce((sum, p) => sum + p.readingCount, 0)).toBe(inRange.length + before.length);
    await db.bloodPressureReading.deleteMany({ where: { userId: { in: [fay, gus] } } });
    await db.user.deleteMany({ where: { id: { in: [fay, gus] } } });
  });

  it("gives the care team the readings and the last finished week's average as valid FHIR Observations as soon as they are saved", async () => {
    const db = getDb();
    const fay = await makeCitizen({ givenName: 'Fay', nhsNumber: '9990050007' });
    expect((await bloodPressureForProfessional(fay, { db, now }))?.bundle.entry).toEqual([]);
    await seedDemoReadings(db, fay, now);
    const seen = await bloodPressureForProfessional(fay, { db, now, range: '30-days', page: 1 });
    expect(seen).not.toBeNull();
    const { bundle, weeks, readings, chart } = seen!;
    expect(readings.readings.length).toBeGreaterThan(0);
    expect(chart.points.length).toBeGreaterThan(0);
    expect(weeks[0]?.average).toBeTruthy();
    expect(bundle).toMatchObject({ resourceType: 'Bundle', type: 'collection' });
    const observations = bundle.entry!.map((entry) => entry.resource!);
    for (const observation of observations) expect(observationProblems(observation)).toEqual([]);
    const panels = observations.filter((o) => o.code.coding?.some((c) => c.code === '85354-9'));
    expect(panels.map((o) => o.id)).toEqual(readings.readings.map((r) => r.id));
    expect(panels[0]!.subject).toEqual({
      reference: `Patient/${fay}`,
      identifier: { system: 'https://fhir.nhs.uk/Id/nhs-number', value: '9990050007' },
      type: 'Patient',
    });
    const average = observations.find((o) => o.code.coding?.some((c) => c.code === '96607-7'));
    expect(average?.derivedFrom?.length).toBe(weeks[0]!.average!.readingCount);

    // A new reading is there at once.
    const [added] = (await addReadings(db, fay, [reading(hoursAgo(0.5), 182, 100)])).readings;
    const again = await bloodPressureForProfessional(fay, { db, now });
    expect(again!.bundle.entry![0]!.resource!.id).toBe(added!.id);
    // The professional's view warns of a very high reading from the last 24 hours.
    const view = await db.$transaction((tx) => bloodPressureForProfessionalView(tx, fay, now));
    expect(view.veryHighRecently).toEqual([{ measuredAt: added!.measuredAt, systolic: 182, diastolic: 100, pulse: null, arm: 'left', sitting: true }]);
    const dayLater = await db.$transaction((tx) => bloodPressureForProfessionalView(tx, fay, new Date(now.getTime() + 25 * 3_600_000)));
    expect(dayLater.veryHighRecently).toEqual([]);
    // Every very high reading is flagged in the list, whenever it was taken.
    expect(dayLater.latest.find((row) => row.systolic === 182)).toMatchObject({ veryHigh: true });
    expect(dayLater.latest.filter((row) => row.systolic !== 182).every((row) => !row.veryHigh)).toBe(true);

    expect(await bloodPressureForProfessional('no-such-citizen', { db, now })).toBeNull();
    await db.bloodPressureReadingChange.deleteMany({ where: { userId: fay } });
    await db.user.delete({ where: { id: fay } });
  });

  it('seeds the demo week only once, as a finished week with its result', async () => {
    const db = getDb();
    const gus = await makeCitizen({ givenName: 'Gus' });
    const first = await seedDemoReadings(db, gus, now);
    expect(first).toBeGreaterThan(20);
    expect(await seedDemoReadings(db, gus, now)).toBe(0);
    const weeks = await db.homeMonitoringWeek.findMany({ where: { userId: gus } });
    expect(weeks).toHaveLength(1);
    expect(weeks[0]).toMatchObject({ startedOn: '2026-11-23', endsOn: '2026-11-29', daysThatCount: 6, readingCount: 24 });
    expect(weeks[0]!.finishedAt).not.toBeNull();
    await db.bloodPressureReadingChange.deleteMany({ where: { userId: gus } });
    await db.user.delete({ where: { id: gus } });
  });
});
