// The active days rollup the worker keeps, on the database under test (SQLite and PostgreSQL).
import { randomUUID } from 'node:crypto';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { joinAccounts, joinQuestions, pendingJoin, saveJoinChoice, startJoin } from '@/lib/identity/account-links';
import { getDb } from '@/lib/platform/db';
import { makeCitizen, useDatabaseUnderTest } from '@/lib/platform/db-test-support';
import { activeUsersReport } from './active-users';
import { ACTIVE_DAYS_ROLLUP, ROLLUP_OVERLAP_MS, updateActivityRollup } from './rollup';
import { citizen, farFuture, reportInEveryState, resetRollup, signIn } from './test-support';

const { provider } = useDatabaseUnderTest();
beforeEach(resetRollup);
afterAll(resetRollup);

const MINUTE = 60_000;
const DAY = 86_400_000;

async function daysOf(userId: string): Promise<string[]> {
  const rows = await getDb().userActiveDay.findMany({ where: { userId }, orderBy: { day: 'asc' } });
  return rows.map((row) => row.day);
}

async function watermark(): Promise<Date | undefined> {
  return (await getDb().rollupState.findUnique({ where: { name: ACTIVE_DAYS_ROLLUP } }))?.watermark;
}

describe(`the active days rollup on ${provider}`, () => {
  it('works through existing history in batches, one row per person per UK day', async () => {
    const now = farFuture('08-20T12:00:00Z');
    const year = now.getUTCFullYear();
    // 23:30 UTC in July is 00:30 the next day in the UK (BST); two sign-ins at one instant test the paging.
    const sameInstant = new Date(`${year}-07-10T09:00:00Z`);
    const first = await citizen(now, [new Date(`${year}-07-01T23:30:00Z`), new Date(`${year}-07-02T08:00:00Z`), sameInstant, sameInstant]);
    const second = await citizen(null, [sameInstant, new Date(`${year}-08-19T10:00:00Z`)]);

    const { added } = await updateActivityRollup(getDb(), now, 2);
    expect(added).toBeGreaterThanOrEqual(4);
    expect(await daysOf(first)).toEqual([`${year}-07-02`, `${year}-07-10`]);
    expect(await daysOf(second)).toEqual([`${year}-07-10`, `${year}-08-19`]);
    expect((await watermark())!.getTime()).toBeGreaterThanOrEqual(new Date(`${year}-08-19T10:00:00Z`).getTime());
  });

  it('adds nothing when run again, and never passes "now"', async () => {
    const now = farFuture('03-10T12:00:00Z');
    const userId = await citizen(now, [new Date(now.getTime() - 2 * DAY), new Date(now.getTime() + 3 * DAY)]);
    await updateActivityRollup(getDb(), now);
    const rows = await getDb().userActiveDay.count();
    expect(await updateActivityRollup(getDb(), now)).toEqual({ added: 0 });
    expect(await getDb().userActiveDay.count()).toBe(rows);
    expect(await daysOf(userId)).toHaveLength(1);
    expect((await watermark())!.getTime()).toBeLessThanOrEqual(now.getTime());
  });

  it('counts a sign-in that became visible after a later one, within the overlap', async () => {
    const now = farFuture('11-05T12:00:00Z');
    await citizen(now, [now]);
    await updateActivityRollup(getDb(), now);
    const before = await activeUsersReport(getDb(), now);

    // Its time was taken before the watermark's sign-in, but its transaction committed after the run.
    const late = await citizen(now, [new Date(now.getTime() - 2 * MINUTE)]);
    const between = await activeUsersReport(getDb(), now);
    expect(between.active).toBe(before.active + 1);
    expect(await updateActivityRollup(getDb(), now)).toEqual({ added: 1 });
    expect(await daysOf(late)).toHaveLength(1);
    expect(await activeUsersReport(getDb(), now)).toEqual(between);
    expect(ROLLUP_OVERLAP_MS).toBeGreaterThanOrEqual(2 * MINUTE);
  });

  it('counts the 30-day window to the instant at both ends, however far the rollup has got', async () => {
    const now = farFuture('09-20T12:00:00Z');
    const start = new Date(now.getTime() - 30 * DAY);
    const before = await reportInEveryState(now, start);
    await citizen(now, [new Date(start.getTime() - MINUTE)]);
    await citizen(now, [new Date(start.getTime() + MINUTE)]);
    await citizen(now, [start]);
    await citizen(now, [now]);
    await citizen(now, [new Date(now.getTime() + MINUTE)]);
    // The boundary day in the rollup holds the people just outside the window as well as those inside.
    for (const partWay of [new Date(start.getTime() + DAY), new Date(now.getTime() - 3 * MINUTE), now]) {
      const report = await reportInEveryState(now, partWay);
      expect(report.active - before.active).toBe(3);
    }
  });

  it('counts a sign-in just after midnight UK time on 1 August (BST) in August', async () => {
    const now = farFuture('08-15T12:00:00Z');
    const year = now.getUTCFullYear();
    const before = await reportInEveryState(now, now);
    await citizen(now, [new Date(`${year}-07-31T23:30:00Z`)]);
    await citizen(now, [new Date(`${year}-07-31T22:59:00Z`)]);
    const report = await reportInEveryState(now, new Date(`${year}-08-02T00:00:00Z`));
    const month = (key: string) => report.months.find((m) => m.key === key)!.active - before.months.find((m) => m.key === key)!.active;
    expect(month(`${year}-08`)).toBe(1);
    expect(month(`${year}-07`)).toBe(1);
  });

  it('counts a finished month from the months kept: each person once, however many days, registered people only', async () => {
    const now = farFuture('06-20T12:00:00Z');
    const year = now.getUTCFullYear();
    const before = await reportInEveryState(now, now);
    const often = await citizen(
      now,
      ['03-02', '03-15', '03-31', '04-01'].map((day) => new Date(`${year}-${day}T10:00:00Z`)),
    );
    await citizen(now, [new Date(`${year}-03-20T10:00:00Z`)]);
    await citizen(null, [new Date(`${year}-03-21T10:00:00Z`)]);
    // Part way through April: March is whole in the rollup, April is not.
    const report = await reportInEveryState(now, new Date(`${year}-04-10T00:00:00Z`));
    const month = (key: string) => report.months.find((m) => m.key === key)!.active - before.months.find((m) => m.key === key)!.active;
    expect(month(`${year}-03`)).toBe(2);
    expect(month(`${year}-04`)).toBe(1);
    const months = await getDb().userActiveMonth.findMany({ where: { userId: often }, orderBy: { month: 'asc' } });
    expect(months.map((row) => row.month)).toEqual([`${year}-03`, `${year}-04`]);
  });

  it('leaves out people who have not finished registering, and counts their days once they have', async () => {
    const now = farFuture('04-10T12:00:00Z');
    const before = await reportInEveryState(now, now);
    const userId = await citizen(null, [new Date(now.getTime() - 5 * DAY)]);
    expect((await reportInEveryState(now, now)).active).toBe(before.active);
    expect(await daysOf(userId)).toHaveLength(1);
    await getDb().user.update({ where: { id: userId }, data: { registeredAt: now } });
    const after = await reportInEveryState(now, now);
    expect(after.active).toBe(before.active + 1);
    expect(after.registered).toBe(before.registered + 1);
  });

  it('counts a person once after their two accounts are joined, with the days of both', async () => {
    const db = getDb();
    const now = farFuture('05-20T12:00:00Z');
    const details = { givenName: 'Ada', familyName: `Rollup-${randomUUID().slice(0, 6)}`, birthDate: '1970-02-03', registeredAt: now };
    const mine = await makeCitizen({ ...details, identityLevel: 'P2' });
    const other = await makeCitizen(details);
    for (const [userId, days] of [
      [mine, [1, 2]],
      [other, [2, 3, 40]],
    ] as const) {
      for (const days_ of days) await signIn(userId, new Date(now.getTime() - days_ * DAY));
    }
    const before = await reportInEveryState(now, new Date(now.getTime() - 2.5 * DAY));
    const nhsSubject = `nhs-${randomUUID()}`;
    await db.userIdentity.create({ data: { userId: other, provider: 'nhslogin', subject: nhsSubject } });
    await startJoin(db, mine, { otherUserId: other, provider: 'nhslogin', subject: nhsSubject }, new Date());
    for (const question of await joinQuestions(db, mine, other)) await saveJoinChoice(db, mine, (await pendingJoin(db, mine))!, question.key, 'this');
    // The rollup has run part way: the kept account gets the other's rolled-up days as well as its sign-ins.
    expect((await joinAccounts(db, mine)).ok).toBe(true);
    expect(await daysOf(other)).toEqual([]);
    expect(await getDb().userActiveMonth.count({ where: { userId: other } })).toBe(0);
    expect(await daysOf(mine)).toHaveLength(4);

    const afterJoin = await activeUsersReport(db, now);
    expect(afterJoin.active).toBe(before.active - 1);
    expect(afterJoin.registered).toBe(before.registered - 1);
    expect(await reportInEveryState(now, new Date(now.getTime() - 2.5 * DAY))).toEqual(afterJoin);
  });
});
