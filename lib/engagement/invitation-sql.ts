import { Prisma } from '@/lib/generated/sqlite/client';
import { normalisePostcodeDistrict } from '@/lib/platform/postcode';
import { conditionAudience } from './condition-audiences';
import { londonMonth, type ActivityFacts, type ExclusionReason } from './rules';

/**
 * invitationDecision (rules.ts) written as SQL, so that a city of citizens is counted and
 * invited inside the database rather than loaded into the app. It must decide exactly as the
 * rule does, reason by reason in the same order; scale-queries.db.test.ts holds it to that on
 * a random population.
 *
 * The same SQL runs on SQLite and PostgreSQL. Where they differ it says so. Values are always
 * bound, never written into the text: dates as Date objects, so each adapter writes them the
 * way it stores them (SQLite: ISO text ending "+00:00"; PostgreSQL: timestamp in UTC).
 */

/**
 * One row per registered citizen: their id and the first reason not to invite them (null:
 * invite). A CASE stops at the first reason that applies, so the costlier tests (conditions,
 * this month's invitations: every organisation's, UK calendar month, by the userId-sentAt
 * index) are only made for the citizens who got that far.
 */
export function invitationDecisionsSql(activity: ActivityFacts, now: Date, postgres: boolean): Prisma.Sql {
  const month = londonMonth(now);
  const { notInAudience, topicsDiffer, methodRefused } = preferenceTests(activity, Prisma.sql`u."id"`, postgres);
  return Prisma.sql`
    SELECT u."id" AS "userId",
      CASE
        WHEN here."id" IS NOT NULL THEN 'already-invited'
        WHEN p."userId" IS NULL OR NOT p."wantsInvitations" THEN 'not-wanted'
        ${notInAudience ? Prisma.sql`WHEN ${notInAudience} THEN 'not-in-audience'` : Prisma.empty}
        WHEN ${topicsDiffer} THEN 'topics'
        ${methodRefused ? Prisma.sql`WHEN ${methodRefused} THEN 'method'` : Prisma.empty}
        WHEN (
          SELECT COUNT(*) FROM "EngagementInvitation" sent
          WHERE sent."userId" = u."id" AND sent."sentAt" >= ${month.start} AND sent."sentAt" < ${month.end}
        ) >= p."monthlyLimit" THEN 'monthly-limit'
        ELSE NULL
      END AS "reason"
    FROM "User" u
    LEFT JOIN "EngagementPreference" p ON p."userId" = u."id"
    LEFT JOIN "EngagementInvitation" here ON here."activityId" = ${activity.id} AND here."userId" = u."id"
    WHERE u."registeredAt" IS NOT NULL`;
}

/**
 * The tests of invitationDecision that look at the citizen's preferences and conditions, as
 * conditions on their preference row (p) and their user id; null when a test cannot fail.
 */
function preferenceTests(activity: ActivityFacts, userId: Prisma.Sql, postgres: boolean) {
  // Lists are stored comma-separated ("transport,digital"): an item is in one when ",item," is
  // in ",list,". instr and strpos are the same test in each dialect (LIKE would read _ and % as
  // wildcards, and ignores case on SQLite).
  const listHas = (column: Prisma.Sql, item: string) =>
    postgres ? Prisma.sql`strpos(',' || ${column} || ',', ${`,${item},`}) > 0` : Prisma.sql`instr(',' || ${column} || ',', ${`,${item},`}) > 0`;
  // splitList drops empty items, so a list of nothing but commas is an empty list too.
  const isEmptyList = (column: Prisma.Sql) => Prisma.sql`replace(${column}, ',', '') = ''`;
  const topics = Prisma.sql`p."topics"`;
  const methods = Prisma.sql`p."methods"`;
  return {
    notInAudience: notInAudienceSql(activity, userId),
    // topicsMatch: the citizen chose no topics, or shares one with the activity.
    topicsDiffer:
      activity.topics.length === 0
        ? Prisma.sql`NOT ${isEmptyList(topics)}`
        : Prisma.sql`NOT ${isEmptyList(topics)} AND NOT (${Prisma.join(
            activity.topics.map((topic) => listHas(topics, topic)),
            ' OR ',
          )})`,
    methodRefused: activity.method ? Prisma.sql`NOT ${isEmptyList(methods)} AND NOT ${listHas(methods, activity.method)}` : null,
  };
}

/**
 * The same decisions as invitationDecisionsSql, counted: invitationCounts' one query. Only the
 * citizens who want invitations (and are not yet invited to this activity) are decided one by
 * one; everyone else registered is "already invited" or "does not want to be", which is
 * arithmetic on two counts (store.ts). This month's invitations are counted once for everyone
 * who has any (by the sentAt-userId index), not looked up citizen by citizen. "Registered" is
 * asked of the few who are not: every preference and invitation belongs to an existing user.
 */
export function invitationCountsSql(activity: ActivityFacts, now: Date, postgres: boolean): Prisma.Sql {
  const month = londonMonth(now);
  const { notInAudience, topicsDiffer, methodRefused } = preferenceTests(activity, Prisma.sql`p."userId"`, postgres);
  const unregistered = (userId: Prisma.Sql) => Prisma.sql`EXISTS (SELECT 1 FROM "User" u WHERE u."id" = ${userId} AND u."registeredAt" IS NULL)`;
  return Prisma.sql`
    WITH "thisMonth" AS (
      SELECT sent."userId", COUNT(*) AS "invitations" FROM "EngagementInvitation" sent
      WHERE sent."sentAt" >= ${month.start} AND sent."sentAt" < ${month.end}
      GROUP BY sent."userId"
    ), d AS MATERIALIZED (
      SELECT
        CASE
          ${notInAudience ? Prisma.sql`WHEN ${notInAudience} THEN 'not-in-audience'` : Prisma.empty}
          WHEN ${topicsDiffer} THEN 'topics'
          ${methodRefused ? Prisma.sql`WHEN ${methodRefused} THEN 'method'` : Prisma.empty}
          WHEN COALESCE(m."invitations", 0) >= p."monthlyLimit" THEN 'monthly-limit'
          ELSE NULL
        END AS "reason"
      FROM "EngagementPreference" p
      LEFT JOIN "thisMonth" m ON m."userId" = p."userId"
      WHERE p."wantsInvitations"
        AND NOT EXISTS (SELECT 1 FROM "EngagementInvitation" here WHERE here."activityId" = ${activity.id} AND here."userId" = p."userId")
        AND NOT ${unregistered(Prisma.sql`p."userId"`)}
    )
    SELECT
      (SELECT COUNT(*) FROM "User" u WHERE u."registeredAt" IS NOT NULL) AS "registered",
      (
        SELECT COUNT(*) FROM "EngagementInvitation" here
        WHERE here."activityId" = ${activity.id} AND NOT ${unregistered(Prisma.sql`here."userId"`)}
      ) AS "already-invited",
      COUNT(*) AS "wanting",
      COUNT(CASE WHEN d."reason" IS NULL THEN 1 END) AS "eligible",
      COUNT(CASE WHEN d."reason" = 'not-in-audience' THEN 1 END) AS "not-in-audience",
      COUNT(CASE WHEN d."reason" = 'topics' THEN 1 END) AS "topics",
      COUNT(CASE WHEN d."reason" = 'method' THEN 1 END) AS "method",
      COUNT(CASE WHEN d."reason" = 'monthly-limit' THEN 1 END) AS "monthly-limit"
    FROM d`;
}

/** What invitationCountsSql counts (COUNT is a bigint on PostgreSQL); "not wanted" is what is left of "registered". */
export type InvitationCountsRow = Record<'registered' | 'wanting' | 'eligible' | Exclude<ExclusionReason, 'not-wanted'>, number | bigint>;

/** inAudience's "no" as a condition on the citizen's rows; null when the activity is for everyone. */
function notInAudienceSql(activity: ActivityFacts, userId: Prisma.Sql): Prisma.Sql | null {
  const audience = activity.audience;
  if (audience.kind === 'condition') {
    // By SNOMED CT code only; a code no longer on the list is for no one.
    const known = conditionAudience(audience.value);
    if (!known) return Prisma.sql`1 = 1`;
    return Prisma.sql`NOT EXISTS (
      SELECT 1 FROM "LongTermCondition" c WHERE c."userId" = ${userId} AND c."code" IN (${Prisma.join([...known.memberCodes])})
    )`;
  }
  if (audience.kind === 'area') {
    // Districts are saved normalised ("LS6"); spaces, hyphens and case are taken out here too,
    // as samePostcodeDistrict does, in case an older row was saved as typed.
    const district = normalisePostcodeDistrict(audience.value);
    if (!district) return Prisma.sql`1 = 1`;
    return Prisma.sql`(p."postcodeDistrict" IS NULL OR upper(replace(replace(p."postcodeDistrict", ' ', ''), '-', '')) <> ${district})`;
  }
  return null;
}

/**
 * Invites everyone the decisions say yes to, in one statement. The id column's default (a cuid)
 * is Prisma's, not the database's, so ids are made here: "c" and 24 random hex digits, the
 * length and alphabet of a cuid.
 */
export function insertInvitationsSql(activityId: string, decisions: Prisma.Sql, now: Date, postgres: boolean): Prisma.Sql {
  const id = postgres ? Prisma.sql`'c' || substr(replace(gen_random_uuid()::text, '-', ''), 1, 24)` : Prisma.sql`'c' || lower(hex(randomblob(12)))`;
  // PostgreSQL types a bound value in a select list as text; the column is a timestamp.
  const sentAt = postgres ? Prisma.sql`CAST(${now} AS timestamp(3))` : Prisma.sql`${now}`;
  return Prisma.sql`
    INSERT INTO "EngagementInvitation" ("id", "activityId", "userId", "sentAt")
    SELECT ${id}, CAST(${activityId} AS TEXT), d."userId", ${sentAt}
    FROM (${decisions}) d
    WHERE d."reason" IS NULL`;
}
