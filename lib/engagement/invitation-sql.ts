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
  // Lists are stored comma-separated ("transport,digital"): an item is in one when ",item," is
  // in ",list,". instr and strpos are the same test in each dialect (LIKE would read _ and % as
  // wildcards, and ignores case on SQLite).
  const listHas = (column: Prisma.Sql, item: string) =>
    postgres ? Prisma.sql`strpos(',' || ${column} || ',', ${`,${item},`}) > 0` : Prisma.sql`instr(',' || ${column} || ',', ${`,${item},`}) > 0`;
  // splitList drops empty items, so a list of nothing but commas is an empty list too.
  const isEmptyList = (column: Prisma.Sql) => Prisma.sql`replace(${column}, ',', '') = ''`;
  const topics = Prisma.sql`p."topics"`;
  const methods = Prisma.sql`p."methods"`;

  const notInAudience = notInAudienceSql(activity);
  // topicsMatch: the citizen chose no topics, or shares one with the activity.
  const topicsDiffer =
    activity.topics.length === 0
      ? Prisma.sql`NOT ${isEmptyList(topics)}`
      : Prisma.sql`NOT ${isEmptyList(topics)} AND NOT (${Prisma.join(
          activity.topics.map((topic) => listHas(topics, topic)),
          ' OR ',
        )})`;
  const methodRefused = activity.method
    ? Prisma.sql`WHEN NOT ${isEmptyList(methods)} AND NOT ${listHas(methods, activity.method)} THEN 'method'`
    : Prisma.empty;

  return Prisma.sql`
    SELECT u."id" AS "userId",
      CASE
        WHEN here."id" IS NOT NULL THEN 'already-invited'
        WHEN p."userId" IS NULL OR NOT p."wantsInvitations" THEN 'not-wanted'
        ${notInAudience ? Prisma.sql`WHEN ${notInAudience} THEN 'not-in-audience'` : Prisma.empty}
        WHEN ${topicsDiffer} THEN 'topics'
        ${methodRefused}
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

/** inAudience's "no" as a condition on the citizen's rows; null when the activity is for everyone. */
function notInAudienceSql(activity: ActivityFacts): Prisma.Sql | null {
  const audience = activity.audience;
  if (audience.kind === 'condition') {
    // By SNOMED CT code only; a code no longer on the list is for no one.
    const known = conditionAudience(audience.value);
    if (!known) return Prisma.sql`1 = 1`;
    return Prisma.sql`NOT EXISTS (
      SELECT 1 FROM "LongTermCondition" c WHERE c."userId" = u."id" AND c."code" IN (${Prisma.join([...known.memberCodes])})
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

/** How many citizens were decided each way (COUNT is a bigint on PostgreSQL). */
export type DecisionCounts = Record<'eligible' | ExclusionReason, number | bigint>;

/**
 * Counts the decisions in one pass, a column each. The decisions are MATERIALIZED so that each
 * citizen's CASE is worked out once, not once per column; GROUP BY the reason instead made
 * PostgreSQL sort every citizen's row (it cannot tell that the CASE gives only a few values).
 */
export function decisionCountsSql(decisions: Prisma.Sql): Prisma.Sql {
  return Prisma.sql`
    WITH d AS MATERIALIZED (${decisions})
    SELECT
      COUNT(CASE WHEN d."reason" IS NULL THEN 1 END) AS "eligible",
      COUNT(CASE WHEN d."reason" = 'already-invited' THEN 1 END) AS "already-invited",
      COUNT(CASE WHEN d."reason" = 'not-wanted' THEN 1 END) AS "not-wanted",
      COUNT(CASE WHEN d."reason" = 'not-in-audience' THEN 1 END) AS "not-in-audience",
      COUNT(CASE WHEN d."reason" = 'topics' THEN 1 END) AS "topics",
      COUNT(CASE WHEN d."reason" = 'method' THEN 1 END) AS "method",
      COUNT(CASE WHEN d."reason" = 'monthly-limit' THEN 1 END) AS "monthly-limit"
    FROM d`;
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
