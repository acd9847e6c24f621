// Who may be invited is decided in SQL (invitation-sql.ts) so that a city is never loaded into
// the app. Here the SQL is held to the rules: on a random population, its counts and the people
// it invites are exactly what invitationDecision (rules.ts) gives, applied citizen by citizen.
// Runs on SQLite and PostgreSQL, like every database test.
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { makeCitizen, useDatabaseUnderTest } from '@/lib/platform/db-test-support';
import { getDb } from '@/lib/platform/db';
import { LISTED_CONDITIONS } from '@/lib/about-me/public';
import { EXCLUSION_REASONS, invitationDecision, londonMonth, MONTHLY_LIMITS, splitList, type ExclusionReason } from './rules';
import { insertInvitationsSql, invitationDecisionsSql } from './invitation-sql';
import { createActivity, facts, invitationCounts, publish, sendInvitations, updateDraft } from './store';
import { generator } from './test-support';

const { provider } = useDatabaseUnderTest();

const NOW = new Date('2026-12-10T12:00:00Z');
const PEOPLE = 150;
const ORG = `ZS${randomUUID().slice(0, 6)}`;
const OTHER_ORG = `ZT${randomUUID().slice(0, 6)}`;

// A new seed each run, given in every failure so that the population can be made again.
const SEED = Math.floor(Math.random() * 2 ** 31);

const TOPICS = ['transport', 'digital', 'gp-services'];
const METHODS = ['online-survey', 'workshop', 'interview', 'paper'];
// Diabetes' two members, a condition in no group, and one no audience below asks for.
const CONDITION_CODES = ['46635009', '44054006', '195967001', '84757009'];
// How districts might have been stored: normalised, and (older rows) as typed.
const DISTRICTS = [null, '', 'LS6', 'LS6', 'ls 6', 'LS-6', 'LS1', 'SW1A', 'LS16'];
// This month runs from 2026-12-01T00:00Z to 2027-01-01T00:00Z (GMT); both edges and either side.
const SENT_TIMES = [
  '2026-11-15T09:00:00Z',
  '2026-11-30T23:59:59.999Z',
  '2026-12-01T00:00:00Z',
  '2026-12-01T00:00:00.001Z',
  '2026-12-09T15:30:00Z',
  '2026-12-31T23:59:59.999Z',
  '2027-01-01T00:00:00Z',
  '2027-01-12T08:00:00Z',
].map((at) => new Date(at));

async function publishedActivity(org: string, changes: { topics: string; audienceKind: string; audienceValue: string | null; method: string | null }) {
  const id = await createActivity(
    { organisationCode: org, organisationName: 'Test Lane Surgery', subject: 'coordinator' },
    { title: `Activity ${randomUUID()}`, purpose: 'To test' },
  );
  await updateDraft(id, org, { startsOn: '2026-12-01', endsOn: '2026-12-31', ...changes });
  await publish(id, org, NOW);
  return id;
}

/** A random population: preferences, coded and typed conditions, districts and earlier invitations. */
async function makePopulation(seed: number, earlierActivities: string[]) {
  const random = generator(seed);
  for (let n = 0; n < PEOPLE; n += 1) {
    const hasPreference = random.next() < 0.85;
    await makeCitizen({
      // A few started registering and never finished: they are never counted or invited.
      ...(random.next() < 0.05 ? { registeredAt: null } : {}),
      longTermConditions: {
        create: [
          ...random.some(CONDITION_CODES, 0.3).map((code) => ({ code, name: LISTED_CONDITIONS.find((c) => c.code === code)!.name })),
          ...(random.next() < 0.2 ? [{ name: 'Type 2 diabetes' }] : []),
        ],
      },
      ...(hasPreference
        ? {
            engagementPreference: {
              create: {
                wantsInvitations: random.next() < 0.8,
                topics: random.some(TOPICS, 0.3).join(','),
                methods: random.some(METHODS, 0.3).join(','),
                monthlyLimit: random.pick(MONTHLY_LIMITS),
                postcodeDistrict: random.pick(DISTRICTS),
              },
            },
          }
        : {}),
      engagementInvitations: {
        create: random.some(earlierActivities, 0.4).map((activityId) => ({ activityId, sentAt: random.pick(SENT_TIMES) })),
      },
    });
  }
}

/** What invitationDecision says of every registered citizen in the database (as the app once did it, in memory). */
async function decidedByTheRules(activityId: string) {
  const db = getDb();
  const activity = await db.engagementActivity.findUniqueOrThrow({ where: { id: activityId } });
  const month = londonMonth(NOW);
  const users = await db.user.findMany({
    where: { registeredAt: { not: null } },
    include: { longTermConditions: true, engagementPreference: true, engagementInvitations: true },
  });
  const counts = new Map<ExclusionReason, number>();
  const invited: string[] = [];
  for (const user of users) {
    const preference = user.engagementPreference;
    const decision = invitationDecision(facts(activity), {
      conditionCodes: user.longTermConditions.flatMap((condition) => (condition.code ? [condition.code] : [])),
      preference: preference && { ...preference, topics: splitList(preference.topics), methods: splitList(preference.methods) },
      alreadyInvited: user.engagementInvitations.some((invitation) => invitation.activityId === activityId),
      invitedThisMonth: user.engagementInvitations.filter((invitation) => invitation.sentAt >= month.start && invitation.sentAt < month.end).length,
    });
    if (decision.invite) invited.push(user.id);
    else counts.set(decision.reason, (counts.get(decision.reason) ?? 0) + 1);
  }
  return {
    eligible: invited.length,
    excluded: EXCLUSION_REASONS.map((reason) => ({ reason: reason.value, text: reason.text, count: counts.get(reason.value) ?? 0 })),
    invited: invited.sort(),
  };
}

const AUDIENCES = [
  { audienceKind: 'everyone', audienceValue: null },
  { audienceKind: 'condition', audienceValue: '73211009' }, // Diabetes: a group of two codes.
  { audienceKind: 'condition', audienceValue: '195967001' }, // Asthma: one code.
  { audienceKind: 'condition', audienceValue: '000000' }, // No longer on the list: no one.
  { audienceKind: 'area', audienceValue: 'LS6' },
];
const CASES = AUDIENCES.flatMap((audience) =>
  [
    { topics: '', method: null },
    { topics: 'transport,digital', method: null },
    { topics: '', method: 'workshop' },
    { topics: 'gp-services', method: 'paper' },
  ].map((rest) => ({ ...audience, ...rest })),
);

describe(`who may be invited, decided in the database on ${provider}`, () => {
  it('counts and invites exactly as the rules decide, for every kind of audience, with and without topics and a method', async () => {
    const earlier = [];
    for (let n = 0; n < 4; n += 1)
      earlier.push(await publishedActivity(OTHER_ORG, { topics: 'transport', audienceKind: 'everyone', audienceValue: null, method: null }));
    await makePopulation(SEED, earlier);
    const db = getDb();

    for (const changes of CASES) {
      const about = `seed ${SEED}, ${JSON.stringify(changes)}`;
      const id = await publishedActivity(ORG, changes);
      // Some are already invited to this one (sent earlier, by hand).
      const someone = await db.user.findFirstOrThrow({ where: { registeredAt: { not: null }, engagementPreference: { wantsInvitations: true } } });
      await db.engagementInvitation.create({ data: { activityId: id, userId: someone.id, sentAt: SENT_TIMES[3]! } });

      const expected = await decidedByTheRules(id);
      const row = await db.engagementActivity.findUniqueOrThrow({ where: { id } });
      expect(await invitationCounts(row, NOW), about).toEqual({ eligible: expected.eligible, excluded: expected.excluded });

      expect(await sendInvitations(id, ORG, NOW), about).toBe(expected.eligible);
      const written = await db.engagementInvitation.findMany({ where: { activityId: id, userId: { not: someone.id } } });
      expect(written.map((invitation) => invitation.userId).sort(), about).toEqual(expected.invited);
      // Written as Prisma writes them: read back as the same instant, with ids of their own.
      expect(new Set(written.map((invitation) => invitation.sentAt.getTime())), about).toEqual(new Set(written.length ? [NOW.getTime()] : []));
      expect(new Set(written.map((invitation) => invitation.id)).size, about).toBe(written.length);

      // Now everyone invited counts as already invited, and this month's invitations include these.
      const again = await decidedByTheRules(id);
      expect(again.eligible, about).toBe(0);
      expect(await invitationCounts(row, NOW), about).toEqual({ eligible: 0, excluded: again.excluded });
    }
  });

  it('never takes anyone past their limit when two organisations invite at the same time', async () => {
    const topic = `topic-${randomUUID().slice(0, 8)}`;
    const people = [];
    for (let n = 0; n < 20; n += 1) {
      people.push(await makeCitizen({ engagementPreference: { create: { wantsInvitations: true, topics: topic, monthlyLimit: 1 } } }));
    }
    const ours = await publishedActivity(ORG, { topics: topic, audienceKind: 'everyone', audienceValue: null, method: null });
    const theirs = await publishedActivity(OTHER_ORG, { topics: topic, audienceKind: 'everyone', audienceValue: null, method: null });

    // On PostgreSQL one of the two conflicts, is tried again, and then finds them all at their limit.
    await Promise.all([sendInvitations(ours, ORG, NOW), sendInvitations(theirs, OTHER_ORG, NOW)]);
    const invitations = await getDb().engagementInvitation.groupBy({ by: ['userId'], where: { userId: { in: people } }, _count: { _all: true } });
    expect(invitations).toHaveLength(people.length);
    expect(invitations.every((row) => row._count._all === 1)).toBe(true);
  });

  it.runIf(provider === 'postgresql')('lets only one of two overlapping sends commit, so no one goes past their limit', async () => {
    const topic = `topic-${randomUUID().slice(0, 8)}`;
    const people = [];
    for (let n = 0; n < 5; n += 1) {
      people.push(await makeCitizen({ engagementPreference: { create: { wantsInvitations: true, topics: topic, monthlyLimit: 1 } } }));
    }
    const ours = await publishedActivity(ORG, { topics: topic, audienceKind: 'everyone', audienceValue: null, method: null });
    const theirs = await publishedActivity(OTHER_ORG, { topics: topic, audienceKind: 'everyone', audienceValue: null, method: null });
    const db = getDb();
    const theirRow = await db.engagementActivity.findUniqueOrThrow({ where: { id: theirs } });

    // Their send has written its invitations but not committed when ours runs: ours cannot see
    // them, so it invites the same people. Serializable transactions let only one of the two commit.
    let release = () => {};
    const held = new Promise<void>((resolve) => (release = resolve));
    let written = () => {};
    const hasWritten = new Promise<void>((resolve) => (written = resolve));
    const theirSend = db.$transaction(
      async (tx) => {
        await tx.$executeRaw(insertInvitationsSql(theirs, invitationDecisionsSql(facts(theirRow), NOW, true), NOW, true));
        written();
        await held;
      },
      { isolationLevel: 'Serializable' },
    );
    await hasWritten;
    expect(await sendInvitations(ours, ORG, NOW)).toBeGreaterThanOrEqual(people.length);
    release();
    await expect(theirSend).rejects.toThrow();

    const invitations = await db.engagementInvitation.findMany({ where: { userId: { in: people } } });
    expect(invitations.map((invitation) => invitation.activityId)).toEqual(people.map(() => ours));
  });
});
