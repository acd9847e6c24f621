// Active users against the business case, on the database under test (SQLite and PostgreSQL).
import { afterAll, describe, expect, it } from 'vitest';
import { useDatabaseUnderTest } from '@/lib/platform/db-test-support';
import { getDb } from '@/lib/platform/db';
import { activeUsersCsv, activeUsersReport } from './active-users';
import { citizen, farFuture, reportInEveryState, resetRollup } from './test-support';

const { provider } = useDatabaseUnderTest();
afterAll(resetRollup);

describe(`active users report on ${provider}`, () => {
  it('counts each registered person once per period, and never people who did not finish registering', async () => {
    const now = farFuture('06-15T12:00:00Z');
    const daysAgo = (days: number) => new Date(now.getTime() - days * 86_400_000);
    const registered = new Date(now.getTime() - 400 * 86_400_000);
    const before = await reportInEveryState(now, daysAgo(30));

    await citizen(registered, [daysAgo(1), daysAgo(2), daysAgo(3)]);
    await citizen(registered, [daysAgo(20)]);
    await citizen(registered, [daysAgo(45)]);
    await citizen(null, [daysAgo(1)]);

    // The rollup stopped part way through these sign-ins, between the second and third.
    const report = await reportInEveryState(now, daysAgo(2.5));
    expect(report.active - before.active).toBe(2);
    expect(report.activeLast7Days - before.activeLast7Days).toBe(1);
    expect(report.progress).toBe(report.active >= 1150 ? (report.active >= 7500 ? 'target' : 'break-even') : 'below-break-even');
    expect(report.months).toHaveLength(12);
    expect(report.months[0]!.key).toBe(`${now.getUTCFullYear()}-06`);
    // June: the person who signed in 1, 2 and 3 days ago counts once; May: 20 and 45 days ago.
    expect(report.months[0]!.active - before.months[0]!.active).toBe(1);
    expect(report.months[1]!.active - before.months[1]!.active).toBe(2);
  });

  it('exports months and numbers only', async () => {
    const report = await activeUsersReport(getDb(), new Date(`2990-01-10T00:00:00Z`), 2);
    expect(activeUsersCsv(report)).toBe('month,active_users,new_registrations\r\n2990-01,0,0\r\n2989-12,0,0\r\n');
  });
});
