import { Prisma } from '@/lib/generated/sqlite/client';
import { londonDay } from '@/lib/platform/london-time';
import { HttpError } from '@/lib/platform/errors';
import { queueNotifications } from '@/lib/notifications/public';
import { getDb, isPostgres, type Db } from '@/lib/platform/db';
import { errorFields, log } from '@/lib/platform/log';
import { insertInvitationsSql, invitationCountsSql, invitationDecisionsSql, type InvitationCountsRow } from './invitation-sql';
import {
  audienceOf,
  EXCLUSION_REASONS,
  isOpen,
  isOpportunityFor,
  overlapping,
  reusableAnswer,
  splitList,
  publishedCount,
  RESULTS_BATCH,
  SMALLEST_GROUP,
  summariseAnswers,
  type ActivityFacts,
  type CitizenProfile,
  type ExclusionReason,
  type Question,
} from './rules';

export type { Question };

/**
 * Open Citizen's data access. Every citizen read is scoped by the signed-in citizen's own id,
 * so no citizen ever gets another's answers; staff reads of one activity are scoped by the
 * coordinator's organisation, and staff only ever get aggregated, suppressed results.
 */

type ActivityRow = NonNullable<Awaited<ReturnType<Db['engagementActivity']['findUnique']>>>;
type QuestionRow = NonNullable<Awaited<ReturnType<Db['engagementQuestion']['findUnique']>>>;

export function toQuestion(row: QuestionRow): Question {
  return { id: row.id, text: row.text, kind: row.kind, options: JSON.parse(row.options) as string[], organisationCode: row.organisationCode };
}

export function facts(row: ActivityRow): ActivityFacts {
  return {
    id: row.id,
    organisationCode: row.organisationCode,
    topics: splitList(row.topics),
    audience: audienceOf(row.audienceKind, row.audienceValue),
    startsOn: row.startsOn,
    endsOn: row.endsOn,
    method: row.method,
  };
}

const parseValue = (stored: string) => JSON.parse(stored) as string | string[];

// ---- Citizens ---------------------------------------------------------------------------

export type Preference = NonNullable<CitizenProfile['preference']>;

export async function preferenceOf(userId: string): Promise<Preference | null> {
  const row = await getDb().engagementPreference.findUnique({ where: { userId } });
  if (!row) return null;
  return {
    wantsInvitations: row.wantsInvitations,
    topics: splitList(row.topics),
    methods: splitList(row.methods),
    monthlyLimit: row.monthlyLimit,
    postcodeDistrict: row.postcodeDistrict,
  };
}

/** Saves some of the preferences; the first save starts from "yes, invite me, twice a month at most". */
export async function savePreference(userId: string, changes: Partial<Preference>): Promise<void> {
  const data = {
    ...(changes.wantsInvitations !== undefined ? { wantsInvitations: changes.wantsInvitations } : {}),
    ...(changes.topics ? { topics: changes.topics.join(',') } : {}),
    ...(changes.methods ? { methods: changes.methods.join(',') } : {}),
    ...(changes.monthlyLimit !== undefined ? { monthlyLimit: changes.monthlyLimit } : {}),
    ...('postcodeDistrict' in changes ? { postcodeDistrict: changes.postcodeDistrict ?? null } : {}),
  };
  await getDb().engagementPreference.upsert({
    where: { userId },
    create: { userId, wantsInvitations: true, ...data },
    update: data,
  });
}

async function profileOf(userId: string): Promise<CitizenProfile> {
  const [conditions, preference] = await Promise.all([
    getDb().longTermCondition.findMany({ where: { userId, code: { not: null } }, select: { code: true } }),
    preferenceOf(userId),
  ]);
  return { conditionCodes: conditions.map((c) => c.code!), preference };
}

export async function citizenOverview(userId: string, now = new Date()) {
  const db = getDb();
  const today = londonDay(now);
  const [profile, invitations, published, responses] = await Promise.all([
    profileOf(userId),
    db.engagementInvitation.findMany({ where: { userId }, include: { activity: true }, orderBy: { sentAt: 'desc' } }),
    db.engagementActivity.findMany({ where: { status: 'published' }, orderBy: { endsOn: 'asc' } }),
    db.engagementResponse.findMany({ where: { userId, submittedAt: { not: null } }, include: { activity: true }, orderBy: { submittedAt: 'desc' } }),
  ]);
  const answered = new Set(responses.map((r) => r.activityId));
  const open = published.filter((a) => isOpen(a, today));
  return {
    preference: profile.preference,
    invitations: invitations.filter((i) => isOpen(i.activity, today) && !answered.has(i.activityId)).map((i) => i.activity),
    opportunities: open.filter((a) => !answered.has(a.id) && isOpportunityFor(facts(a), profile)),
    // "You said, we did": closed activities this citizen took part in.
    youSaidWeDid: responses.filter((r) => r.activity.status === 'closed').map((r) => r.activity),
    contributions: responses.length,
  };
}

/** An activity a citizen may look at: published or closed, never a draft. */
export async function visibleActivity(activityId: string) {
  const activity = await getDb().engagementActivity.findUnique({
    where: { id: activityId },
    include: { questions: { include: { question: true }, orderBy: { position: 'asc' } } },
  });
  if (!activity || activity.status === 'draft') throw new HttpError(404, 'no-such-activity');
  return { ...activity, questionList: activity.questions.map((q) => toQuestion(q.question)) };
}

export type VisibleActivity = Awaited<ReturnType<typeof visibleActivity>>;

/** The citizen's own response to an activity (draft or sent) with their answers, or null. */
export async function responseOf(activityId: string, userId: string) {
  const response = await getDb().engagementResponse.findUnique({
    where: { activityId_userId: { activityId, userId } },
    include: { answers: true },
  });
  if (!response) return null;
  return { ...response, values: new Map(response.answers.map((a) => [a.questionId, { value: parseValue(a.value), reusedFromId: a.reusedFromId }])) };
}

export async function saveAnswer(activityId: string, userId: string, questionId: string, value: string | string[], reusedFromId?: string) {
  const db = getDb();
  const response = await db.engagementResponse.upsert({
    where: { activityId_userId: { activityId, userId } },
    create: { activityId, userId },
    update: {},
  });
  if (response.submittedAt) throw new HttpError(409, 'already-sent');
  const stored = JSON.stringify(value);
  await db.engagementAnswer.upsert({
    where: { responseId_questionId: { responseId: response.id, questionId } },
    create: { responseId: response.id, questionId, value: stored, reusedFromId: reusedFromId ?? null },
    update: { value: stored, reusedFromId: reusedFromId ?? null, answeredAt: new Date() },
  });
}

export async function sendResponse(activityId: string, userId: string, now = new Date()): Promise<void> {
  const updated = await getDb().engagementResponse.updateMany({
    where: { activityId, userId, submittedAt: null },
    data: { submittedAt: now },
  });
  if (updated.count !== 1) throw new HttpError(409, 'nothing-to-send');
}

/** The citizen's own earlier answer to this bank question that they could reuse here. */
export async function earlierAnswer(userId: string, question: Question, activityId: string) {
  const rows = await getDb().engagementAnswer.findMany({
    where: { questionId: question.id, response: { userId, submittedAt: { not: null } } },
    include: { response: { include: { activity: { select: { title: true, organisationName: true } } } } },
  });
  const answers = rows.map((row) => ({
    id: row.id,
    activityId: row.response.activityId,
    activityTitle: row.response.activity.title,
    organisationName: row.response.activity.organisationName,
    answeredAt: row.answeredAt,
    value: parseValue(row.value),
  }));
  return reusableAnswer(question, activityId, answers);
}

/** Everything the citizen has sent, newest first, with their own answers. */
export async function contributionsOf(userId: string) {
  const responses = await getDb().engagementResponse.findMany({
    where: { userId, submittedAt: { not: null } },
    include: { activity: true, answers: { include: { question: true } } },
    orderBy: { submittedAt: 'desc' },
  });
  return responses.map((response) => ({
    activity: response.activity,
    submittedAt: response.submittedAt!,
    answers: response.answers.map((answer) => ({
      question: toQuestion(answer.question),
      value: parseValue(answer.value),
      reused: answer.reusedFromId !== null,
    })),
  }));
}

// ---- Coordinators ------------------------------------------------------------------------

export type Organisation = { organisationCode: string; organisationName: string; subject: string };

/**
 * This organisation's activities with how many people sent a response and were invited: read
 * from each activity's running totals (EngagementActivityTally, kept by database triggers), so
 * the page does not count a city's invitations and responses each time it is shown.
 */
export async function activitiesOf(organisationCode: string) {
  const activities = await getDb().engagementActivity.findMany({ where: { organisationCode }, orderBy: { createdAt: 'desc' }, include: { tally: true } });
  return activities.map(({ tally, ...activity }) => ({
    ...activity,
    _count: { responses: tally?.responses ?? 0, invitations: tally?.invitations ?? 0 },
  }));
}

export async function createActivity(by: Organisation, about: { title: string; purpose: string }): Promise<string> {
  const row = await getDb().engagementActivity.create({
    data: { organisationCode: by.organisationCode, organisationName: by.organisationName, createdBy: by.subject, ...about },
  });
  return row.id;
}

/** One of this organisation's activities; another organisation's is "not found". */
export async function ownActivity(activityId: string, organisationCode: string) {
  const activity = await getDb().engagementActivity.findUnique({
    where: { id: activityId },
    include: { questions: { include: { question: true }, orderBy: { position: 'asc' } } },
  });
  if (!activity || activity.organisationCode !== organisationCode) throw new HttpError(404, 'no-such-activity');
  return { ...activity, questionList: activity.questions.map((q) => toQuestion(q.question)) };
}

export type OwnActivity = Awaited<ReturnType<typeof ownActivity>>;

/** Changes a draft; published activities are not changed (people may have answered). */
export async function updateDraft(
  activityId: string,
  organisationCode: string,
  changes: Partial<Pick<ActivityRow, 'title' | 'purpose' | 'topics' | 'audienceKind' | 'audienceValue' | 'startsOn' | 'endsOn' | 'method'>>,
) {
  const updated = await getDb().engagementActivity.updateMany({ where: { id: activityId, organisationCode, status: 'draft' }, data: changes });
  if (updated.count !== 1) throw new HttpError(409, 'not-a-draft');
}

export async function questionBank(): Promise<Question[]> {
  const rows = await getDb().engagementQuestion.findMany({ orderBy: { createdAt: 'asc' } });
  return rows.map(toQuestion);
}

export async function setQuestions(activityId: string, organisationCode: string, questionIds: string[]) {
  const db = getDb();
  const known = await db.engagementQuestion.count({ where: { id: { in: questionIds } } });
  if (known !== new Set(questionIds).size) throw new HttpError(400, 'unknown-question');
  await ownDraft(activityId, organisationCode);
  await db.$transaction([
    db.engagementActivityQuestion.deleteMany({ where: { activityId } }),
    ...questionIds.map((questionId, position) => db.engagementActivityQuestion.create({ data: { activityId, questionId, position } })),
  ]);
}

async function ownDraft(activityId: string, organisationCode: string) {
  const activity = await ownActivity(activityId, organisationCode);
  if (activity.status !== 'draft') throw new HttpError(409, 'not-a-draft');
  return activity;
}

/** A new question goes into the shared bank (for every organisation) and onto this activity. */
export async function addNewQuestion(activityId: string, organisationCode: string, question: { text: string; kind: string; options: string[] }) {
  const db = getDb();
  const activity = await ownDraft(activityId, organisationCode);
  await db.engagementQuestion.create({
    data: {
      organisationCode,
      text: question.text,
      kind: question.kind,
      options: JSON.stringify(question.options),
      activities: { create: { activityId, position: activity.questions.length } },
    },
  });
}

/** Other organisations' live or planned activities that overlap this one. */
export async function overlapsWith(activity: OwnActivity) {
  const others = await getDb().engagementActivity.findMany({
    where: { status: 'published', organisationCode: { not: activity.organisationCode } },
  });
  const overlap = new Set(overlapping(facts(activity), others.map(facts)).map((o) => o.id));
  return others.filter((o) => overlap.has(o.id));
}

/** How many responses these activities have sent (EngagementActivityTally). */
async function sentResponses(activityIds: string[]): Promise<Map<string, number>> {
  const tallies = await getDb().engagementActivityTally.findMany({ where: { activityId: { in: activityIds } }, select: { activityId: true, responses: true } });
  return new Map(tallies.map((tally) => [tally.activityId, tally.responses]));
}

/**
 * The answers to these bank questions in the responses each of these activities' results are
 * made from: sent ones, in the order they were sent, in whole batches of RESULTS_BATCH (see
 * publishedCount). Results never change as each answer arrives, so no one can watch them to
 * learn what the last person said.
 *
 * Counted from the running totals of every sent response's answers (EngagementAnswerTally, kept
 * by database triggers), less the answers of each activity's last "sent % RESULTS_BATCH"
 * responses (by submittedAt, then id: those not yet in a whole batch), so the work does not grow
 * with the number of responses. One query however many activities and questions: each
 * different answer comes back once with how many gave it. Answers in people's own words are not
 * fetched at all unless `withText` (only counted, each as an empty string).
 */
async function publishedAnswers(activityIds: string[], questions: Question[], { withText }: { withText: boolean }) {
  if (activityIds.length === 0 || questions.length === 0) return [];
  const questionIds = Prisma.join(questions.map((question) => question.id));
  const textIds = questions.filter((question) => question.kind === 'text').map((question) => question.id);
  const valueOf = (table: string) =>
    withText || textIds.length === 0
      ? Prisma.raw(`${table}."value"`)
      : Prisma.sql`CASE WHEN ${Prisma.raw(`${table}."questionId"`)} IN (${Prisma.join(textIds)}) THEN NULL ELSE ${Prisma.raw(`${table}."value"`)} END`;
  // Each activity's responses not yet in a whole batch: of its last RESULTS_BATCH - 1 sent (a
  // constant limit, so that the planner expects a handful and looks their answers up by
  // response), the newest "sent % RESULTS_BATCH".
  const unpublished = Prisma.join(
    activityIds.map(
      (activityId) => Prisma.sql`SELECT u."id", u."activityId" FROM (
        SELECT r."id", r."activityId", ROW_NUMBER() OVER (ORDER BY r."submittedAt" DESC, r."id" DESC) AS "back"
        FROM "EngagementResponse" r
        WHERE r."activityId" = ${activityId} AND r."submittedAt" IS NOT NULL
        ORDER BY r."submittedAt" DESC, r."id" DESC
        LIMIT ${RESULTS_BATCH - 1}
      ) u
      WHERE u."back" <= (SELECT COALESCE(MAX(s."responses"), 0) % ${RESULTS_BATCH} FROM "EngagementActivityTally" s WHERE s."activityId" = ${activityId})`,
    ),
    ' UNION ALL ',
  );
  const rows = await getDb().$queryRaw<{ activityId: string; questionId: string; value: string | null; answers: number | bigint }[]>`
    SELECT x."activityId", x."questionId", x."value", SUM(x."answers") AS "answers"
    FROM (
      SELECT t."activityId", t."questionId", ${valueOf('t')} AS "value", t."answers"
      FROM "EngagementAnswerTally" t
      WHERE t."activityId" IN (${Prisma.join(activityIds)}) AND t."questionId" IN (${questionIds})
      UNION ALL
      SELECT u."activityId", a."questionId", ${valueOf('a')} AS "value", -1 AS "answers"
      FROM (${unpublished}) u JOIN "EngagementAnswer" a ON a."responseId" = u."id"
      WHERE a."questionId" IN (${questionIds})
    ) x
    GROUP BY x."activityId", x."questionId", x."value"
    HAVING SUM(x."answers") > 0`;
  return rows.map((row) => ({
    activityId: row.activityId,
    questionId: row.questionId,
    values: Array<string | string[]>(Number(row.answers)).fill(row.value === null ? '' : parseValue(row.value)),
  }));
}

/**
 * For each of this activity's questions that other organisations have asked: who asked, and
 * what people told them, combined. Safe against subtraction: the viewer's own organisation's
 * answers are never part of it (they have those in their own results), and an organisation's
 * answers are included only when at least SMALLEST_GROUP people answered it there, so taking
 * one combined result from another never leaves a small group. Free text is never shown here.
 */
export async function askedBefore(activity: OwnActivity) {
  const questionIds = activity.questionList.map((question) => question.id);
  if (questionIds.length === 0) return [];
  const asked = await getDb().engagementActivityQuestion.findMany({
    where: { questionId: { in: questionIds }, activity: { organisationCode: { not: activity.organisationCode }, status: { not: 'draft' } } },
    select: { questionId: true, activity: { select: { id: true, title: true, organisationCode: true, organisationName: true } } },
    orderBy: { activity: { createdAt: 'asc' } },
  });
  const answers = await publishedAnswers([...new Set(asked.map((row) => row.activity.id))], activity.questionList, { withText: false });
  const result = [];
  for (const question of activity.questionList) {
    const askers = asked.filter((row) => row.questionId === question.id).map((row) => row.activity);
    if (askers.length === 0) continue;
    const organisationOf = new Map(askers.map((asker) => [asker.id, asker.organisationCode]));
    const byOrganisation = new Map<string, (string | string[])[]>(askers.map((asker) => [asker.organisationCode, []]));
    for (const answer of answers) {
      const organisation = answer.questionId === question.id ? organisationOf.get(answer.activityId) : undefined;
      if (organisation !== undefined) byOrganisation.set(organisation, byOrganisation.get(organisation)!.concat(answer.values));
    }
    const included = [...byOrganisation.entries()].filter(([, values]) => values.length >= SMALLEST_GROUP);
    const summary = summariseAnswers(
      question,
      included.flatMap(([, values]) => values),
    );
    result.push({ question, askers, organisationsShown: included.length, summary: { ...summary, texts: [] } });
  }
  return result;
}

export async function publish(activityId: string, organisationCode: string, now = new Date()) {
  const updated = await getDb().engagementActivity.updateMany({
    where: { id: activityId, organisationCode, status: 'draft' },
    data: { status: 'published', publishedAt: now },
  });
  if (updated.count !== 1) throw new HttpError(409, 'not-a-draft');
  // Its page shows the counts next: counted now, once, with the audience it was published with
  // (a draft's audience, topics and method can change; a published activity's cannot).
  await countInvitationsNow((await getDb().engagementActivity.findUnique({ where: { id: activityId } }))!, now);
}

export async function close(activityId: string, organisationCode: string, youSaidWeDid: { whatWeHeard: string; whatWeChanged: string }, now = new Date()) {
  const updated = await getDb().engagementActivity.updateMany({
    where: { id: activityId, organisationCode, status: 'published' },
    data: { status: 'closed', closedAt: now, ...youSaidWeDid },
  });
  if (updated.count !== 1) throw new HttpError(409, 'not-published');
}

export type InvitationCounts = { eligible: number; excluded: { reason: ExclusionReason; text: string; count: number }[] };

/**
 * Who could be invited now, and how many were not and why: counted in the database
 * (invitationCountsSql), deciding one by one only the citizens who want invitations.
 */
export async function invitationCounts(activity: ActivityRow, now = new Date()): Promise<InvitationCounts> {
  const db = getDb();
  const postgres = isPostgres();
  const count = db.$queryRaw<InvitationCountsRow[]>(invitationCountsSql(facts(activity), now, postgres));
  const [row] = postgres ? (await db.$transaction([db.$executeRaw(WITHOUT_JIT), count]))[1] : await count;
  const counts = Object.fromEntries(Object.entries(row!).map(([name, value]) => [name, Number(value)])) as Record<keyof InvitationCountsRow, number>;
  // Everyone registered who is neither invited already nor among those who want invitations.
  const notWanted = counts.registered - counts['already-invited'] - counts.wanting;
  return {
    eligible: counts.eligible,
    excluded: EXCLUSION_REASONS.map((r) => ({ reason: r.value, text: r.text, count: r.value === 'not-wanted' ? notWanted : counts[r.value] })),
  };
}

/** The counts as the coordinator's page shows them, and the time they were counted for. */
export type CountedInvitations = InvitationCounts & { countedAt: Date };

/** EngagementInvitationCount's column for each reason. */
const REASON_COLUMNS = {
  'already-invited': 'alreadyInvited',
  'not-wanted': 'notWanted',
  'not-in-audience': 'notInAudience',
  topics: 'topics',
  method: 'method',
  'monthly-limit': 'monthlyLimit',
} as const satisfies Record<ExclusionReason, string>;

/** How long a worker's claim on one activity's counts lasts: far longer than counting a city takes. */
const COUNT_LEASE_MS = 5 * 60_000;

/**
 * The invitation counts of a published activity as last counted (EngagementInvitationCount): one
 * row, whatever the size of the city. Counted now, and kept, when there are none yet. Sending
 * still decides everyone at the time of sending (sendInvitations), whatever these say.
 */
export async function countedInvitations(activity: ActivityRow, now = new Date()): Promise<CountedInvitations> {
  const row = await getDb().engagementInvitationCount.findUnique({ where: { activityId: activity.id } });
  if (row) {
    return {
      eligible: row.eligible,
      excluded: EXCLUSION_REASONS.map((r) => ({ reason: r.value, text: r.text, count: row[REASON_COLUMNS[r.value]] })),
      countedAt: row.countedAt,
    };
  }
  // Kept only if there are still none: a send may have counted meanwhile, after this count began.
  const counts = await invitationCounts(activity, now);
  await keepInvitationCounts(activity.id, counts, now, 'if-none');
  return { ...counts, countedAt: now };
}

/** Counts an activity's invitations now (invitationCounts) and keeps the counts for its page. */
export async function countInvitationsNow(activity: ActivityRow, now = new Date()): Promise<CountedInvitations> {
  const counts = await invitationCounts(activity, now);
  await keepInvitationCounts(activity.id, counts, now);
  return { ...counts, countedAt: now };
}

const integer = (value: number) => Prisma.sql`CAST(${value} AS INTEGER)`;

/**
 * Writes one activity's counts in one statement (the same on SQLite and PostgreSQL). Counts made
 * when the activity is published or after a send replace whatever is there, and end any worker's
 * claim. The worker's replace them only while it still holds its claim (`claim`, the lease it
 * took); the page's first count and the worker's count of an activity that had none are kept only
 * where there are still none (`'if-none'`). So counts made before a send committed never replace
 * those made after it. An activity deleted meanwhile is skipped (the SELECT finds no activity).
 */
async function keepInvitationCounts(activityId: string, counts: InvitationCounts, countedAt: Date, claim?: Date | 'if-none'): Promise<number> {
  const postgres = isPostgres();
  const by = Object.fromEntries(counts.excluded.map((row) => [row.reason, row.count])) as Record<ExclusionReason, number>;
  const columns = Object.values(REASON_COLUMNS).map((column) => Prisma.raw(`"${column}"`));
  const values = (Object.keys(REASON_COLUMNS) as ExclusionReason[]).map((reason) => integer(by[reason] ?? 0));
  const updates = Object.values(REASON_COLUMNS).map((column) => Prisma.raw(`"${column}" = excluded."${column}"`));
  // PostgreSQL types a bound value in a select list as text; its columns are integers and a timestamp.
  const at = postgres ? Prisma.sql`CAST(${countedAt} AS timestamp(3))` : Prisma.sql`${countedAt}`;
  const onlyIf =
    claim === undefined
      ? Prisma.empty
      : claim === 'if-none'
        ? Prisma.sql`WHERE 1 = 0`
        : Prisma.sql`WHERE "EngagementInvitationCount"."claimedUntil" = ${claim}`;
  return getDb().$executeRaw`
    INSERT INTO "EngagementInvitationCount" ("activityId", "eligible", ${Prisma.join(columns)}, "countedAt", "claimedUntil")
    SELECT a."id", ${integer(counts.eligible)}, ${Prisma.join(values)}, ${at}, NULL FROM "EngagementActivity" a WHERE a."id" = ${activityId}
    ON CONFLICT ("activityId") DO UPDATE SET
      "eligible" = excluded."eligible", ${Prisma.join(updates)}, "countedAt" = excluded."countedAt", "claimedUntil" = NULL
    ${onlyIf}`;
}

/**
 * The worker's task (every WORKER_INVITATION_COUNTS_INTERVAL_MS): counts again every published
 * activity whose counts are older than staleAfterMs, or that has none. Closed and draft activities
 * are left alone: their pages show no counts. Several workers may run: each takes an activity's
 * counts by a conditional UPDATE (a lease, claimedUntil) before counting, so no two count the same
 * one; an activity with no counts yet has no row to claim, and if two count it the first count is
 * kept. `counted` is how many counts it kept. One activity's failure is logged and the others are
 * still counted.
 */
export async function refreshInvitationCounts(staleAfterMs: number, now = new Date()): Promise<{ counted: number }> {
  const db = getDb();
  const staleBefore = new Date(now.getTime() - staleAfterMs);
  const due = await db.$queryRaw<{ id: string; counted: number | bigint }[]>`
    SELECT a."id", CASE WHEN c."activityId" IS NULL THEN 0 ELSE 1 END AS "counted"
    FROM "EngagementActivity" a
    LEFT JOIN "EngagementInvitationCount" c ON c."activityId" = a."id"
    WHERE a."status" = 'published'
      AND (c."activityId" IS NULL OR (c."countedAt" < ${staleBefore} AND (c."claimedUntil" IS NULL OR c."claimedUntil" < ${now})))
    ORDER BY a."id"`;
  let counted = 0;
  for (const { id, counted: hasRow } of due) {
    // From when it is claimed, late in a long round as much as at its start.
    const lease = new Date(Math.max(now.getTime(), Date.now()) + COUNT_LEASE_MS);
    if (Number(hasRow) === 1) {
      const claimed = await db.$executeRaw`
        UPDATE "EngagementInvitationCount" SET "claimedUntil" = ${lease}
        WHERE "activityId" = ${id} AND "countedAt" < ${staleBefore} AND ("claimedUntil" IS NULL OR "claimedUntil" < ${now})`;
      if (claimed !== 1) continue;
    }
    try {
      const activity = await db.engagementActivity.findUnique({ where: { id } });
      // Closed (or deleted) since it was found: its claim lapses with its lease.
      if (activity?.status !== 'published') continue;
      const counts = await invitationCounts(activity, now);
      counted += await keepInvitationCounts(id, counts, now, Number(hasRow) === 1 ? lease : 'if-none');
    } catch (error) {
      log.error('invitation-counts-failed', { activityId: id, ...errorFields(error) });
    }
  }
  return { counted };
}

/**
 * PostgreSQL compiles a query to machine code (JIT) when the planner's cost estimate is high, and
 * the per-citizen CASE of invitation-sql.ts is estimated high: at 100,000 citizens compiling
 * added 0.2 to 1.7 seconds, more than the query itself takes. Off for the transaction it is set in.
 */
const WITHOUT_JIT = Prisma.sql`SET LOCAL jit = off`;

/**
 * Invites everyone eligible, in one INSERT ... SELECT: decided and written in one statement, with
 * no citizens loaded into the app. Run by the worker when a coordinator has asked (invitation-sends.ts):
 * about a second for a city, too long for their request. SQLite runs writes one at a time; on PostgreSQL the transaction
 * is serializable (and tried again on a conflict), so two organisations inviting at once cannot
 * take someone past their limit. It is an interactive transaction on purpose: Prisma runs a batch
 * of one statement ($transaction([...])) without a transaction, at the default isolation level.
 */
export async function sendInvitations(activityId: string, organisationCode: string, now = new Date()): Promise<number> {
  const activity = await ownActivity(activityId, organisationCode);
  if (activity.status !== 'published') throw new HttpError(409, 'not-published');
  const postgres = isPostgres();
  const insert = insertInvitationsSql(activity.id, invitationDecisionsSql(facts(activity), now, postgres), now, postgres);
  let invited = 0;
  for (let attempt = 1; ; attempt += 1) {
    try {
      invited = await getDb().$transaction(
        async (tx) => {
          if (postgres) await tx.$executeRaw(WITHOUT_JIT);
          const invited = await tx.$executeRaw(insert);
          // Those just invited who chose email or text are told so (lib/notifications): in the
          // same statement-sized way, with nothing about the activity but who is asking.
          const sentAt = postgres ? Prisma.sql`CAST(${now} AS timestamp(3))` : Prisma.sql`${now}`;
          await queueNotifications(
            tx,
            {
              template: 'engagement-invitation',
              personalisation: { sender: activity.organisationName },
              recipients: Prisma.sql`SELECT i."userId", i."activityId" AS "subjectId" FROM "EngagementInvitation" i WHERE i."activityId" = ${activity.id} AND i."sentAt" = ${sentAt}`,
            },
            now,
          );
          return invited;
        },
        postgres ? { isolationLevel: 'Serializable' } : {},
      );
      break;
    } catch (error) {
      if (!isWriteConflict(error) || attempt >= 3) throw error;
    }
  }
  // The coordinator's page shows who is left to invite (none, usually) as soon as the send is done.
  // The invitations are sent whatever happens here: counts that could not be made are removed
  // instead, so that the page counts for itself rather than show those from before the send.
  try {
    await countInvitationsNow(activity, now);
  } catch (error) {
    log.error('invitation-counts-failed', { activityId: activity.id, ...errorFields(error) });
    await getDb().engagementInvitationCount.deleteMany({ where: { activityId: activity.id } });
  }
  return invited;
}

/**
 * PostgreSQL's serialization failure, however it arrives: P2034 from Prisma's own queries, P2010
 * wrapping the driver's error from a raw one, or the driver's error itself when COMMIT fails.
 */
function isWriteConflict(error: unknown): boolean {
  type Failure = { code?: string; cause?: { kind?: string }; meta?: { driverAdapterError?: { cause?: { kind?: string } } } };
  const failure = (error ?? {}) as Failure;
  const driverError = failure.meta?.driverAdapterError ?? failure;
  return failure.code === 'P2034' || driverError.cause?.kind === 'TransactionWriteConflict';
}

/** Aggregated results of one activity, with small groups hidden and no identities. */
export async function resultsOf(activity: OwnActivity) {
  const [sent, answers] = await Promise.all([sentResponses([activity.id]), publishedAnswers([activity.id], activity.questionList, { withText: true })]);
  const responses = publishedCount(sent.get(activity.id) ?? 0);
  const questions = activity.questionList.map((question) => ({
    question,
    summary: summariseAnswers(
      question,
      answers.filter((answer) => answer.questionId === question.id).flatMap((answer) => answer.values),
    ),
  }));
  return { responses, questions };
}
