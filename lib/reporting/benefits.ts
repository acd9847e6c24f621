// The benefits the business case counts on, month by month, for programme administrators and the
// commissioners who own them. Every figure is counted in the database (grouped by UK calendar
// month in one query a measure), never by loading rows; the report holds no names or details.
import { ORGANISATIONS, postToDigitalSwitchCount } from '@/lib/contact-details/public';
import { SMALLEST_GROUP } from '@/lib/engagement/public';
import { signInStartsByMonth } from '@/lib/identity/public';
import { lettersByMonth } from '@/lib/letters/public';
import { Prisma } from '@/lib/generated/sqlite/client';
import { toCsv, type CsvCell } from '@/lib/platform/csv';
import type { Db } from '@/lib/platform/db';
import { activeUsersReport } from './active-users';
import { BUSINESS_CASE, monthStarts, percentOf, progressAgainstBusinessCase, type Progress } from './business-case';

export type BenefitsMonth = {
  key: string;
  label: string;
  /** People (not accounts) who signed in that month and have finished registering. */
  active: number;
  /** Sign-ins started (the first step of registering; people who already have an account are counted too). */
  started: number;
  /** Accounts made: one is made only when a sign-in proves who the person is. */
  identityProven: number;
  registered: number;
  deliveredDigitally: number;
  posted: number;
  /** New addresses citizens gave here (the source of the change). */
  addressChanges: number;
  /** Address changes delivered, by organisation id (every one in ORGANISATIONS has a figure). */
  addressDeliveries: Record<string, number>;
  /** Blood pressure readings added by people who share their readings with their care teams. */
  readingsShared: number;
  /** Engagement answers given again, with the citizen's agreement, in responses sent that month. */
  answersReused: number;
  /** People who moved from letters by post to email, text message or the service only. */
  switchedFromPost: number;
};

export type BenefitsReport = {
  generatedAt: Date;
  /** Active users in the last 30 days: the figure the business case is measured by. */
  active: number;
  progress: Progress;
  percentOfBreakEven: number;
  percentOfTarget: number;
  breakEven: number;
  target: number;
  organisations: { id: string; name: string }[];
  /** Oldest first. */
  months: BenefitsMonth[];
};

type Month = { key: string; start: Date; end: Date };
type Measure = {
  /** FROM (and any JOIN), with the table aliased. */
  from: Prisma.Sql;
  /** The instant that puts a row in a month. */
  at: Prisma.Sql;
  where?: Prisma.Sql;
  /** A second grouping (an organisation, say). */
  by?: Prisma.Sql;
  count?: Prisma.Sql;
};

/**
 * One measure, counted per UK calendar month in the database. The month is a CASE over the
 * months' ends rather than strftime (SQLite) or to_char (PostgreSQL), so one query serves both
 * databases and the months are UK ones (GMT or BST), not UTC.
 */
async function countByMonth(db: Db, months: Month[], measure: Measure): Promise<{ month: string; by: string; count: number }[]> {
  const month = Prisma.join(
    months.map((candidate) => Prisma.sql`WHEN ${measure.at} < ${candidate.end} THEN CAST(${candidate.key} AS TEXT)`),
    ' ',
  );
  const rows = await db.$queryRaw<{ month: string; by: string; count: number | bigint }[]>`
    SELECT CASE ${month} END AS "month", ${measure.by ?? Prisma.sql`CAST('' AS TEXT)`} AS "by", ${measure.count ?? Prisma.sql`COUNT(*)`} AS "count"
    FROM ${measure.from}
    WHERE ${measure.at} >= ${months[0]!.start} AND ${measure.at} < ${months[months.length - 1]!.end}
      AND ${measure.where ?? Prisma.sql`1 = 1`}
    GROUP BY 1, 2`;
  return rows.map((row) => ({ month: row.month, by: row.by, count: Number(row.count) }));
}

const byMonth = (rows: { month: string; count: number }[]) => new Map(rows.map((row) => [row.month, row.count]));

export async function benefitsReport(db: Db, now = new Date(), monthsBack = 12): Promise<BenefitsReport> {
  const months = monthStarts(now, monthsBack);
  const keys = months.map((month) => month.key);
  const [activeUsers, started, proven, addresses, deliveries, readings, reused, letters, switches] = await Promise.all([
    activeUsersReport(db, now, monthsBack),
    signInStartsByMonth(db, keys[0]!, keys[keys.length - 1]!),
    // Accounts made by a sign-in with a proven identity: not a record held for a child (lib/proxy).
    countByMonth(db, months, { from: Prisma.sql`"User" u`, at: Prisma.sql`u."createdAt"`, where: Prisma.sql`u."heldForPersonSince" IS NULL` }),
    countByMonth(db, months, { from: Prisma.sql`"PostalAddress" a`, at: Prisma.sql`a."createdAt"` }),
    // Delivered messages are kept for the retention period (lib/platform/retention.ts), so older
    // months count only what is still kept.
    countByMonth(db, months, {
      from: Prisma.sql`"OutboxMessage" m`,
      at: Prisma.sql`m."deliveredAt"`,
      where: Prisma.sql`m."topic" = 'address-changed' AND m."status" = 'delivered'`,
      by: Prisma.sql`m."destination"`,
    }),
    // Shared by default (lib/sharing): a reading counts unless its owner chose not to share readings.
    countByMonth(db, months, {
      from: Prisma.sql`"BloodPressureReading" r`,
      at: Prisma.sql`r."createdAt"`,
      where: Prisma.sql`r."deletedAt" IS NULL AND NOT EXISTS (
        SELECT 1 FROM "SharingConsent" c WHERE c."userId" = r."userId" AND c."category" = 'blood-pressure' AND NOT c."shared")`,
    }),
    countByMonth(db, months, {
      from: Prisma.sql`"EngagementAnswer" a JOIN "EngagementResponse" r ON r."id" = a."responseId"`,
      at: Prisma.sql`r."submittedAt"`,
      where: Prisma.sql`a."reusedFromId" IS NOT NULL`,
    }),
    lettersByMonth(db, keys),
    Promise.all(months.map((month) => postToDigitalSwitchCount(db, month.start, month.end))),
  ]);
  const activeByMonth = new Map(activeUsers.months.map((month) => [month.key, month]));
  const [provenIn, addressesIn, readingsIn, reusedIn] = [proven, addresses, readings, reused].map(byMonth);
  const organisations = ORGANISATIONS.map(({ id, name }) => ({ id, name }));
  return {
    generatedAt: now,
    active: activeUsers.active,
    progress: progressAgainstBusinessCase(activeUsers.active),
    percentOfBreakEven: percentOf(activeUsers.active, BUSINESS_CASE.breakEven),
    percentOfTarget: percentOf(activeUsers.active, BUSINESS_CASE.target),
    breakEven: BUSINESS_CASE.breakEven,
    target: BUSINESS_CASE.target,
    organisations,
    months: months.map((month, index) => ({
      key: month.key,
      label: month.label,
      active: activeByMonth.get(month.key)?.active ?? 0,
      started: started.get(month.key) ?? 0,
      identityProven: provenIn!.get(month.key) ?? 0,
      registered: activeByMonth.get(month.key)?.registered ?? 0,
      deliveredDigitally: letters[month.key]?.deliveredDigitally ?? 0,
      posted: letters[month.key]?.posted ?? 0,
      addressChanges: addressesIn!.get(month.key) ?? 0,
      addressDeliveries: Object.fromEntries(
        organisations.map((organisation) => [organisation.id, deliveries.find((row) => row.month === month.key && row.by === organisation.id)?.count ?? 0]),
      ),
      readingsShared: readingsIn!.get(month.key) ?? 0,
      answersReused: reusedIn!.get(month.key) ?? 0,
      switchedFromPost: switches[index] ?? 0,
    })),
  };
}

/** A count as staff see it: 1 to 4 is not given (people could be recognised); none is 0. */
export function suppressed(count: number): number | null {
  return count > 0 && count < SMALLEST_GROUP ? null : count;
}

export const SUPPRESSED_TEXT = `fewer than ${SMALLEST_GROUP}`;

/** Every measure, month by month (oldest first), small numbers kept back as on the page. */
export function benefitsCsv(report: BenefitsReport): string {
  const cell = (count: number): CsvCell => suppressed(count) ?? SUPPRESSED_TEXT;
  return toCsv([
    [
      'month',
      'active_users',
      'sign_ins_started',
      'identity_proven',
      'registered',
      'letters_delivered_digitally',
      'letters_posted',
      'address_changes_made',
      ...report.organisations.map((organisation) => `address_changes_delivered_${organisation.id}`),
      'readings_shared_with_care_teams',
      'engagement_answers_reused',
      'moved_from_post_to_digital',
    ],
    ...report.months.map((month) => [
      month.key,
      ...[month.active, month.started, month.identityProven, month.registered, month.deliveredDigitally, month.posted, month.addressChanges].map(cell),
      ...report.organisations.map((organisation) => cell(month.addressDeliveries[organisation.id] ?? 0)),
      ...[month.readingsShared, month.answersReused, month.switchedFromPost].map(cell),
    ]),
  ]);
}
