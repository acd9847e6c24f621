// What the scale benchmark times: the database work of each page and report, called through the
// project's own lib functions as the pages call them, for one typical citizen, organisation and
// activity picked the same way in the small and the large database.
import pg from 'pg';
import { currentTopThree, lastProfessionalView, listConditions, readCommunicationNeeds } from '@/lib/about-me/store';
import { recordAudit } from '@/lib/audit/audit-log';
import { latestReading, latestVeryHighReading, readingsWithChart } from '@/lib/blood-pressure/store';
import { weeksNow } from '@/lib/blood-pressure/weeks';
import { notYetInCareRecord } from '@/lib/care-record/contributions-outbox';
import { findLink } from '@/lib/care-record/link-store';
import { contactDetailsOf } from '@/lib/contact-details/public';
import { postToDigitalSwitchCount } from '@/lib/contact-details/store';
import {
  activitiesOf,
  askedBefore,
  citizenOverview,
  countedInvitations,
  countInvitationsNow,
  createActivity,
  ownActivity,
  publish,
  resultsOf,
  updateDraft,
} from '@/lib/engagement/store';
import { askToSendInvitations, sendAskedInvitations } from '@/lib/engagement/invitation-sends';
import { findSession, recentSignIns } from '@/lib/identity/session-store';
import { connectedApps } from '@/lib/open-platform/apps';
import { registeredApps } from '@/lib/open-platform/registry';
import { getDb } from '@/lib/platform/db';
import { createDispatcher } from '@/lib/platform/outbox';
import { activeUsersReport } from '@/lib/reporting/active-users';
import { accessesOf, emergencyAccesses } from '@/lib/sharing/access-log';
import { findByNameAndBirthDate, findByNhsNumber } from '@/lib/sharing/find-citizen';
import { ORGANISATIONS } from './sizes';

/** background: the worker's work, timed and printed, with no target (no one waits for it). */
export type Kind = 'per-request' | 'report' | 'background';

export type Operation = {
  name: string;
  kind: Kind;
  /** Made before each run, outside the timing (a write needs something new to work on). */
  prepare?: (run: number) => Promise<unknown>;
  run: (prepared: unknown, run: number) => Promise<unknown>;
};

/** The typical citizen, organisation and activities of one database. */
export type Subjects = {
  userId: string;
  /** A citizen the benchmark's audit appends are about. */
  otherUserId: string;
  sessionId: string;
  nhsNumber: string;
  person: { givenName: string; familyName: string; birthDate: string };
  organisationCode: string;
  publishedActivityId: string;
  closedActivityId: string;
  /** What the citizen has, printed so that the two databases' citizens can be compared. */
  shape: Record<string, number>;
};

const MONTH = 31 * 86_400_000;

/** What a citizen can have besides readings; the typical citizen of both databases has the same. */
const FEATURES = {
  topThree: 'EXISTS (SELECT 1 FROM "TopThingsVersion" t WHERE t."userId" = c.id)',
  codedCondition: 'EXISTS (SELECT 1 FROM "LongTermCondition" l WHERE l."userId" = c.id AND l.code IS NOT NULL)',
  communicationNeeds: 'EXISTS (SELECT 1 FROM "CommunicationNeeds" n WHERE n."userId" = c.id)',
  contactPreference: 'EXISTS (SELECT 1 FROM "ContactPreference" p WHERE p."userId" = c.id)',
  address: 'EXISTS (SELECT 1 FROM "PostalAddress" a WHERE a."userId" = c.id)',
  viewedByStaff: `EXISTS (SELECT 1 FROM "AuditEntry" e WHERE e."citizenId" = c.id AND e."actorKind" = 'staff')`,
  sentResponse: 'EXISTS (SELECT 1 FROM "EngagementResponse" r WHERE r."userId" = c.id AND r."submittedAt" IS NOT NULL)',
  homeMonitoringWeek: 'EXISTS (SELECT 1 FROM "HomeMonitoringWeek" w WHERE w."userId" = c.id)',
};

export type Features = Record<keyof typeof FEATURES, boolean>;

/**
 * Picks the subjects with plain SQL (not timed). The citizen: registered, with about 100
 * readings (the average), a session, a care-record match and a wish to be invited; of those, the one with
 * the most of everything else a citizen can have, or (given `like`, the small database's
 * citizen) one with exactly what that one has, so that both do the same work. The organisation
 * and activities are the same rows in both databases: activities do not grow with the city (sizes.ts).
 */
export async function pickSubjects(url: string, like?: Features): Promise<Subjects & { features: Features }> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const candidates = await client.query<Features & { id: string; readings: number }>(`
      SELECT c.id, c.readings, ${Object.entries(FEATURES)
        .map(([name, test]) => `${test} AS "${name}"`)
        .join(', ')}
      FROM bench.citizen c
      WHERE c.registered AND c.readings BETWEEN 80 AND 120 AND c.link = 'matched' AND c.wants_invitations
        AND EXISTS (SELECT 1 FROM "Session" s WHERE s."userId" = c.id)
      ORDER BY c.i LIMIT 3000`);
    const score = (features: Features) => Object.values(features).filter(Boolean).length;
    const same = (features: Features) => like !== undefined && (Object.keys(FEATURES) as (keyof Features)[]).every((name) => features[name] === like[name]);
    const ranked = candidates.rows.toSorted(
      (a, b) => Number(same(b)) - Number(same(a)) || score(b) - score(a) || Math.abs(a.readings - 100) - Math.abs(b.readings - 100),
    );
    const chosen = ranked[0];
    if (!chosen) throw new Error('no citizen with about 100 readings, a care-record match and a wish to be invited');
    const features = Object.fromEntries(Object.keys(FEATURES).map((name) => [name, chosen[name as keyof Features]])) as Features;
    const userId = chosen.id;
    const user = await client.query<{ givenName: string; familyName: string; birthDate: string }>(
      'SELECT "givenName", "familyName", "birthDate" FROM "User" WHERE id = $1',
      [userId],
    );
    const other = await client.query<{ id: string }>('SELECT id FROM bench.citizen WHERE registered AND id <> $1 ORDER BY i LIMIT 1', [userId]);
    const session = await client.query<{ id: string }>('SELECT id FROM "Session" WHERE "userId" = $1 ORDER BY "createdAt" DESC LIMIT 1', [userId]);
    const nhs = await client.query<{ nhsNumber: string }>(
      `SELECT "nhsNumber" FROM "User" WHERE "registeredAt" IS NOT NULL AND "nhsNumber" IS NOT NULL ORDER BY (id = $1) DESC, id LIMIT 1`,
      [userId],
    );
    const organisationCode = ORGANISATIONS[0].code;
    // Activities are the same rows in both databases, so ordering by id picks the same ones.
    const published = await client.query<{ id: string }>(
      `SELECT id FROM "EngagementActivity" WHERE "organisationCode" = $1 AND status = 'published' ORDER BY ("audienceKind" = 'everyone') DESC, id LIMIT 1`,
      [organisationCode],
    );
    const closed = await client.query<{ id: string }>(
      `SELECT a.id FROM "EngagementActivity" a WHERE a."organisationCode" = $1 AND a.status = 'closed'
       AND EXISTS (
         SELECT 1 FROM "EngagementActivityQuestion" q JOIN "EngagementActivityQuestion" o ON o."questionId" = q."questionId"
         JOIN "EngagementActivity" other ON other.id = o."activityId" AND other."organisationCode" <> a."organisationCode" AND other.status <> 'draft'
         WHERE q."activityId" = a.id)
       ORDER BY a.id LIMIT 1`,
      [organisationCode],
    );
    const count = async (sql: string) => Number((await client.query<{ n: string }>(sql, [userId])).rows[0]!.n);
    const shape = {
      readings: await count('SELECT count(*) AS n FROM "BloodPressureReading" WHERE "userId" = $1'),
      sessions: await count('SELECT count(*) AS n FROM "Session" WHERE "userId" = $1'),
      auditEntries: await count('SELECT count(*) AS n FROM "AuditEntry" WHERE "citizenId" = $1'),
      conditions: await count('SELECT count(*) AS n FROM "LongTermCondition" WHERE "userId" = $1'),
      invitations: await count('SELECT count(*) AS n FROM "EngagementInvitation" WHERE "userId" = $1'),
      outboxMessages: await count('SELECT count(*) AS n FROM "OutboxMessage" WHERE "userId" = $1'),
    };
    return {
      userId,
      otherUserId: other.rows[0]!.id,
      sessionId: session.rows[0]!.id,
      nhsNumber: nhs.rows[0]!.nhsNumber,
      person: user.rows[0]!,
      organisationCode,
      publishedActivityId: published.rows[0]!.id,
      closedActivityId: closed.rows[0]!.id,
      shape,
      features,
    };
  } finally {
    await client.end();
  }
}

/**
 * The benchmark's own organisation, for the activities it creates to send invitations: another
 * organisation's list of activities would otherwise grow with every run on a kept database.
 */
const BENCH_ORGANISATION = { code: 'ZZ9BENCH', name: 'Bench organisation' };

export function operations(s: Subjects, now: Date): Operation[] {
  const db = () => getDb();
  const organisation = BENCH_ORGANISATION;
  return [
    { name: 'session lookup', kind: 'per-request', run: () => findSession(db(), s.sessionId) },
    {
      name: 'blood pressure overview',
      kind: 'per-request',
      run: () =>
        Promise.all([
          latestReading(db(), s.userId, now),
          latestVeryHighReading(db(), s.userId, new Date(now.getTime() - 86_400_000), now),
          weeksNow(db(), s.userId, now, 1),
        ]),
    },
    {
      name: 'blood pressure readings',
      kind: 'per-request',
      run: async () => {
        const { list } = await readingsWithChart(db(), s.userId, { range: '30-days', page: 1, now });
        return notYetInCareRecord(
          db(),
          s.userId,
          'blood-pressure-reading',
          list.readings.map((reading) => reading.id),
        );
      },
    },
    {
      name: 'about me',
      kind: 'per-request',
      run: () =>
        Promise.all([
          currentTopThree(db(), s.userId),
          listConditions(db(), s.userId),
          readCommunicationNeeds(db(), s.userId),
          lastProfessionalView(db(), s.userId),
          contactDetailsOf(s.userId),
          notYetInCareRecord(db(), s.userId, 'top-three', [s.userId]),
          notYetInCareRecord(db(), s.userId, 'communication-needs', [s.userId]),
        ]),
    },
    { name: 'care-record link', kind: 'per-request', run: () => findLink(db(), s.userId) },
    { name: 'who has viewed', kind: 'per-request', run: () => accessesOf(db(), s.userId, 1) },
    { name: 'sign-in history', kind: 'per-request', run: () => recentSignIns(db(), s.userId) },
    { name: 'connected apps', kind: 'per-request', run: () => connectedApps(db(), s.userId) },
    {
      name: 'audit append',
      kind: 'per-request',
      run: () =>
        recordAudit(db(), {
          actorKind: 'staff',
          actorId: 'staff-bench',
          actorName: 'Bench Professional',
          actorOrganisation: ORGANISATIONS[0].name,
          actorRole: 'General practitioner',
          // Another citizen: the typical one's "who has viewed" would otherwise grow with every run.
          citizenId: s.otherUserId,
          action: 'view',
          category: 'blood-pressure',
          detail: { access: 'relationship' },
        }),
    },
    { name: 'find citizen by NHS number', kind: 'per-request', run: () => findByNhsNumber(db(), s.nhsNumber) },
    { name: 'find citizen by name and birth date', kind: 'per-request', run: () => findByNameAndBirthDate(db(), s.person) },
    { name: 'Open Citizen overview', kind: 'per-request', run: () => citizenOverview(s.userId, now) },
    { name: "coordinator's activities", kind: 'per-request', run: () => activitiesOf(s.organisationCode) },
    {
      // What the coordinator's page does: read the counts last made (made first, outside the timing,
      // when the generated database has none: the page would count on the spot once).
      name: 'invitation counts',
      kind: 'per-request',
      prepare: async () => {
        const activity = (await db().engagementActivity.findUnique({ where: { id: s.publishedActivityId } }))!;
        if (!(await db().engagementInvitationCount.findUnique({ where: { activityId: activity.id } }))) await countInvitationsNow(activity, now);
      },
      run: async () => countedInvitations((await db().engagementActivity.findUnique({ where: { id: s.publishedActivityId } }))!, now),
    },
    { name: 'asked before', kind: 'per-request', run: async () => askedBefore(await ownActivity(s.closedActivityId, s.organisationCode)) },
    { name: 'results', kind: 'per-request', run: async () => resultsOf(await ownActivity(s.closedActivityId, s.organisationCode)) },
    {
      name: 'outbox claim',
      kind: 'per-request',
      // A lease of a millisecond: each run claims the same backlog again.
      run: () =>
        createDispatcher({
          db: db(),
          senders: { council: async () => ({ ok: true }) },
          maxAttempts: 8,
          backoffBaseMs: 1_000,
          backoffMaxMs: 60_000,
          leaseMs: 1,
        }).claimDue(),
    },
    { name: 'active users report', kind: 'report', run: () => activeUsersReport(db(), now) },
    { name: 'post-to-digital count', kind: 'report', run: () => postToDigitalSwitchCount(db()) },
    { name: 'emergency access review', kind: 'report', run: () => emergencyAccesses(db(), 1) },
    { name: 'registered apps', kind: 'report', run: () => registeredApps(db()) },
    {
      // Counting them again, as the worker does for each open activity every few minutes, as
      // publishing does and as sending does after it sends: still every citizen who wants invitations.
      name: 'invitation counts refresh (worker)',
      kind: 'report',
      run: async () => countInvitationsNow((await db().engagementActivity.findUnique({ where: { id: s.publishedActivityId } }))!, now),
    },
    {
      // What the coordinator's "Send invitations" does in the request: records that sending was
      // asked for (the worker sends). A new activity each run, so that each run asks afresh.
      name: 'ask to send invitations',
      kind: 'per-request',
      prepare: () => benchActivity(),
      run: (id) => askToSendInvitations(id as string, organisation.code, 'staff-bench', now),
    },
    {
      // The worker's send of what was asked: claim, invite everyone eligible (about 45,000 of
      // 100,000 citizens) with their notifications, count again, record. A new activity for everyone
      // each run, sent in a month of its own (each run a month further back), so that no run's
      // invitations count against the next run's monthly limits.
      name: 'send invitations (worker)',
      kind: 'background',
      prepare: async () => {
        const id = await benchActivity();
        await askToSendInvitations(id, organisation.code, 'staff-bench', now);
        return id;
      },
      run: async (_id, run) => {
        const sent = await sendAskedInvitations(() => new Date(now.getTime() - run * MONTH), 1);
        if (sent !== 1) throw new Error(`the worker sent ${sent} sends, not the one asked for`);
      },
    },
  ];

  /**
   * A published activity for everyone, of the benchmark's own organisation. The sends its earlier
   * runs asked for and no worker sent are removed first, so the worker's run finds only its own.
   */
  async function benchActivity(): Promise<string> {
    await db().engagementInvitationSend.deleteMany({ where: { status: 'pending', activity: { organisationCode: organisation.code } } });
    const by = { organisationCode: organisation.code, organisationName: organisation.name, subject: 'staff-bench' };
    const id = await createActivity(by, { title: 'Bench activity', purpose: 'Timing invitations' });
    await updateDraft(id, organisation.code, { topics: 'gp-services', audienceKind: 'everyone', method: 'online-survey' });
    await publish(id, organisation.code, now);
    return id;
  }
}
