import type { Db } from '@/lib/platform/db';
import { londonDay } from '@/lib/platform/london-time';

/**
 * Sign-ins started from "How do you want to sign in?", counted per UK calendar day and provider
 * (SignInStartDay): the first step of the registration funnel in the benefits report. Nobody can
 * be told apart in a count, and before someone proves who they are we cannot know whether they
 * already have an account, so returning people are counted too.
 */
export async function countSignInStart(db: Db, provider: string, now = new Date()): Promise<void> {
  // One statement, so that two sign-ins started at once both count (SQLite and PostgreSQL alike).
  await db.$executeRaw`
    INSERT INTO "SignInStartDay" ("day", "provider", "count") VALUES (${londonDay(now)}, ${provider}, 1)
    ON CONFLICT ("day", "provider") DO UPDATE SET "count" = "SignInStartDay"."count" + 1`;
}

/** Sign-ins started in each UK calendar month (YYYY-MM) from `firstMonth` to `lastMonth`. */
export async function signInStartsByMonth(db: Db, firstMonth: string, lastMonth: string): Promise<Map<string, number>> {
  const rows = await db.$queryRaw<{ month: string; count: number | bigint }[]>`
    SELECT substr("day", 1, 7) AS "month", SUM("count") AS "count" FROM "SignInStartDay"
    WHERE "day" >= ${`${firstMonth}-01`} AND "day" <= ${`${lastMonth}-31`}
    GROUP BY 1`;
  return new Map(rows.map((row) => [row.month, Number(row.count)]));
}
