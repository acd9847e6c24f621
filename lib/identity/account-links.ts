import { z } from 'zod';
import { describeCommunicationNeeds, savedCommunicationNeeds } from '@/lib/about-me/public';
import { appendAuditEntry, auditedTransaction, citizenActor, type Tx } from '@/lib/audit/public';
import type { Db } from '@/lib/platform/db';
import { readDraft, saveDraft, takeDraft } from '@/lib/platform/drafts';
import { moveActiveDays } from '@/lib/reporting/public';
import { CATEGORIES, CATEGORY_TEXT, SHARED_BY_DEFAULT, isCategory } from '@/lib/sharing/public';

/**
 * One person, one record: the ways a citizen signs in (UserIdentity), adding another one
 * (IdentityLink kind "added"), and joining the account that other way of signing in already had
 * here into this one (kind "merged"). The rule for when two identities are one person is in
 * linking.ts; this module is the database side.
 *
 * Joining moves every row the other account owns to this one, in one transaction, and then
 * deletes the other account. Where both accounts have something only one can keep (top three
 * things, communication needs, contact preferences, choices about being asked to take part,
 * a sharing choice that differs), the citizen is asked first (the join-accounts draft keeps
 * their answers until they confirm). Audit log entries are never rewritten (that would break
 * the hash chain): they stay under the other account's id, and `accountIdsOf` gives readers
 * every id that is now this account's.
 */

export const JOIN_JOURNEY = 'identity/join-accounts';

/** The answer to a conflict: keep what this account has, or what the other account has. */
export type Side = 'this' | 'other';

const joinDraftSchema = z.object({
  otherUserId: z.string().min(1),
  provider: z.string().min(1),
  subject: z.string().min(1),
  choices: z.record(z.string(), z.enum(['this', 'other'])),
});

export type JoinDraft = z.infer<typeof joinDraftSchema>;

/** The ways this account signs in, oldest first. */
export function identitiesOf(db: Db, userId: string) {
  return db.userIdentity.findMany({ where: { userId }, orderBy: { createdAt: 'asc' } });
}

/** Ways of signing in added, and accounts joined, newest first. */
export function linkHistoryOf(db: Db, userId: string) {
  return db.identityLink.findMany({ where: { userId }, orderBy: { at: 'desc' } });
}

/** This account's id and the ids of every account joined to it (their audit entries are still under those ids). */
export async function accountIdsOf(db: Db | Tx, userId: string): Promise<string[]> {
  const links = await db.identityLink.findMany({ where: { userId, kind: 'merged', mergedUserId: { not: null } }, select: { mergedUserId: true } });
  return [userId, ...links.map((link) => link.mergedUserId!)];
}

/** The account a provider's identity belongs to, if we know it. */
export async function ownerOf(db: Db, provider: string, subject: string): Promise<string | null> {
  const identity = await db.userIdentity.findUnique({ where: { provider_subject: { provider, subject } }, select: { userId: true } });
  return identity?.userId ?? null;
}

/**
 * Adds a way of signing in that is new to us to this account: the identity, the link history
 * entry, and the NHS number (from NHS login) when the account had none. All or nothing.
 */
export async function addSignInMethod(
  db: Db,
  userId: string,
  added: { provider: string; subject: string; nhsNumber?: string | null; postcode?: string | null },
  now = new Date(),
): Promise<void> {
  await auditedTransaction(db, async (tx) => {
    const user = await tx.user.findUniqueOrThrow({ where: { id: userId } });
    await tx.userIdentity.create({ data: { userId, provider: added.provider, subject: added.subject, createdAt: now } });
    await tx.user.update({
      where: { id: userId },
      data: { nhsNumber: user.nhsNumber ?? added.nhsNumber ?? null, verifiedPostcode: user.verifiedPostcode ?? added.postcode ?? null },
    });
    await tx.identityLink.create({ data: { userId, at: now, provider: added.provider, kind: 'added' } });
    await appendAuditEntry(tx, { ...citizenActor(user), citizenId: userId, action: 'sign-in-method-added', detail: { provider: added.provider } }, now);
  });
}

/** Keeps what is needed to join the other account until the citizen confirms (replacing any earlier join). */
export function startJoin(db: Db, userId: string, join: Omit<JoinDraft, 'choices'>, now = new Date()): Promise<void> {
  return saveDraft(db, userId, JOIN_JOURNEY, { ...join, choices: {} }, now);
}

/** The join waiting for the citizen's answers, if it is still theirs to confirm. */
export async function pendingJoin(db: Db, userId: string, now = new Date()): Promise<JoinDraft | null> {
  const draft = await readDraft(db, userId, JOIN_JOURNEY, joinDraftSchema, now);
  if (!draft || draft.otherUserId === userId) return null;
  // The other account must still own that way of signing in (and still exist).
  return (await ownerOf(db, draft.provider, draft.subject)) === draft.otherUserId ? draft : null;
}

export async function saveJoinChoice(db: Db, userId: string, draft: JoinDraft, question: string, side: Side, now = new Date()): Promise<void> {
  await saveDraft(db, userId, JOIN_JOURNEY, { ...draft, choices: { ...draft.choices, [question]: side } }, now);
}

export async function cancelJoin(db: Db, userId: string): Promise<void> {
  await db.draft.deleteMany({ where: { userId, journey: JOIN_JOURNEY } });
}

/** Every question a join can ask (its key is part of the question page's address). */
export function isJoinQuestionKey(key: string): boolean {
  return (
    ['top-three', 'communication-needs', 'contact-preferences', 'taking-part'].includes(key) || CATEGORIES.some((category) => key === `sharing-${category}`)
  );
}

/** A thing both accounts have and only one can keep: what each has, in a few words. */
export type JoinQuestion = {
  key: string;
  /** "Which top three things do you want to keep?" */
  question: string;
  /** For check answers: "Top three things". */
  label: string;
  /** When no answer is given: "Select which top three things to keep". */
  error: string;
  thisAccount: string[];
  otherAccount: string[];
};

type Client = Db | Tx;

function topThreeTitles(items: string): string[] {
  try {
    const parsed = JSON.parse(items) as { title?: unknown }[];
    return parsed.map((item) => (typeof item.title === 'string' ? item.title : '')).filter(Boolean);
  } catch {
    return [];
  }
}

const CHANNEL_WORDS: Record<string, string> = { email: 'By email', text: 'By text message', post: 'By post', 'service-only': 'Only through this service' };

async function latestTopThree(db: Client, userId: string) {
  return db.topThingsVersion.findFirst({ where: { userId }, orderBy: [{ createdAt: 'desc' }, { id: 'desc' }] });
}

/** What each account has, for every thing both have and only one can keep. */
export async function joinQuestions(db: Client, userId: string, otherUserId: string): Promise<JoinQuestion[]> {
  const questions: JoinQuestion[] = [];
  const [mine, theirs] = await Promise.all([latestTopThree(db, userId), latestTopThree(db, otherUserId)]);
  if (mine && theirs) {
    questions.push({
      key: 'top-three',
      question: 'Which top three things to know about you do you want to keep?',
      label: 'Top three things to know about you',
      error: 'Select which top three things to keep',
      thisAccount: topThreeTitles(mine.items),
      otherAccount: topThreeTitles(theirs.items),
    });
  }
  const [myNeeds, theirNeeds] = await Promise.all([
    db.communicationNeeds.findUnique({ where: { userId } }),
    db.communicationNeeds.findUnique({ where: { userId: otherUserId } }),
  ]);
  if (myNeeds && theirNeeds) {
    // In the words of the citizen's own communication needs page.
    const describe = (row: typeof myNeeds) => {
      const needs = savedCommunicationNeeds(row);
      return [...describeCommunicationNeeds(needs), ...(needs.otherNeeds ? [needs.otherNeeds] : [])];
    };
    questions.push({
      key: 'communication-needs',
      question: 'Which communication needs do you want to keep?',
      label: 'Communication needs',
      error: 'Select which communication needs to keep',
      thisAccount: describe(myNeeds),
      otherAccount: describe(theirNeeds),
    });
  }
  const [myContact, theirContact] = await Promise.all([
    db.contactPreference.findUnique({ where: { userId } }),
    db.contactPreference.findUnique({ where: { userId: otherUserId } }),
  ]);
  if (myContact && theirContact) {
    const describe = (preference: typeof myContact) =>
      [CHANNEL_WORDS[preference.channel] ?? preference.channel, preference.email ?? '', preference.mobile ?? ''].filter(Boolean);
    questions.push({
      key: 'contact-preferences',
      question: 'Which contact preferences do you want to keep?',
      label: 'How you want to be contacted',
      error: 'Select which contact preferences to keep',
      thisAccount: describe(myContact),
      otherAccount: describe(theirContact),
    });
  }
  const [myTakingPart, theirTakingPart] = await Promise.all([
    db.engagementPreference.findUnique({ where: { userId } }),
    db.engagementPreference.findUnique({ where: { userId: otherUserId } }),
  ]);
  if (myTakingPart && theirTakingPart) {
    const describe = (preference: typeof myTakingPart) =>
      preference.wantsInvitations
        ? [`Invite me to take part, at most ${preference.monthlyLimit} ${preference.monthlyLimit === 1 ? 'time' : 'times'} a month`]
        : ['Do not invite me to take part'];
    questions.push({
      key: 'taking-part',
      question: 'Which choices about taking part in surveys and events do you want to keep?',
      label: 'Taking part in surveys and events',
      error: 'Select which choices about taking part to keep',
      thisAccount: describe(myTakingPart),
      otherAccount: describe(theirTakingPart),
    });
  }
  const [myChoices, theirChoices] = await Promise.all([sharingOf(db, userId), sharingOf(db, otherUserId)]);
  for (const category of CATEGORIES) {
    if (myChoices[category] === theirChoices[category]) continue;
    const words = (shared: boolean) => [shared ? 'Shared with the professionals caring for you' : 'Not shared'];
    questions.push({
      key: `sharing-${category}`,
      question: `Which choice about sharing your ${CATEGORY_TEXT[category].lower} do you want to keep?`,
      label: `Sharing your ${CATEGORY_TEXT[category].lower}`,
      error: `Select which choice about sharing your ${CATEGORY_TEXT[category].lower} to keep`,
      thisAccount: words(myChoices[category]!),
      otherAccount: words(theirChoices[category]!),
    });
  }
  return questions;
}

async function sharingOf(db: Client, userId: string): Promise<Record<string, boolean>> {
  const rows = await db.sharingConsent.findMany({ where: { userId } });
  const chosen = new Map(rows.map((row) => [row.category, row.shared]));
  return Object.fromEntries(CATEGORIES.map((category) => [category, chosen.get(category) ?? SHARED_BY_DEFAULT]));
}

/** What joining would bring across from the other account, counted, for check answers and the link history. */
export type MovedCounts = {
  bloodPressureReadings: number;
  homeMonitoringWeeks: number;
  topThreeVersions: number;
  conditions: number;
  addresses: number;
  signIns: number;
  surveyResponses: number;
};

export async function countsToMove(db: Client, otherUserId: string): Promise<MovedCounts> {
  const where = { userId: otherUserId };
  const [bloodPressureReadings, homeMonitoringWeeks, topThreeVersions, conditions, addresses, signIns, surveyResponses] = await Promise.all([
    db.bloodPressureReading.count({ where: { ...where, deletedAt: null } }),
    db.homeMonitoringWeek.count({ where }),
    db.topThingsVersion.count({ where }),
    db.longTermCondition.count({ where }),
    db.postalAddress.count({ where }),
    db.signInEvent.count({ where }),
    db.engagementResponse.count({ where: { ...where, submittedAt: { not: null } } }),
  ]);
  return { bloodPressureReadings, homeMonitoringWeeks, topThreeVersions, conditions, addresses, signIns, surveyResponses };
}

export type JoinResult = { ok: true; counts: MovedCounts } | { ok: false; reason: 'no-join' | 'unanswered'; question?: string };

/** A test's hook between the steps of a join, to show that a failure half way changes nothing. */
export type JoinHooks = { afterStep?: (step: string) => Promise<void> | void };

/**
 * Joins the other account into this one, as the citizen chose: one transaction, so a failure at
 * any point leaves both accounts exactly as they were. Uses up the join-accounts draft, so a
 * second, duplicate confirm does nothing.
 */
export async function joinAccounts(db: Db, userId: string, now = new Date(), hooks: JoinHooks = {}): Promise<JoinResult> {
  const join = await pendingJoin(db, userId, now);
  if (!join) return { ok: false, reason: 'no-join' };
  const other = join.otherUserId;
  return auditedTransaction(db, async (tx): Promise<JoinResult> => {
    const questions = await joinQuestions(tx, userId, other);
    const unanswered = questions.find((question) => !join.choices[question.key]);
    if (unanswered) return { ok: false, reason: 'unanswered', question: unanswered.key };
    if (!(await takeDraft(tx, userId, JOIN_JOURNEY, now))) return { ok: false, reason: 'no-join' };
    const choices = Object.fromEntries(questions.map((question) => [question.key, join.choices[question.key]!]));
    const step = async (name: string) => hooks.afterStep?.(name);
    const user = await tx.user.findUniqueOrThrow({ where: { id: userId } });
    const otherUser = await tx.user.findUniqueOrThrow({ where: { id: other } });
    const counts = await countsToMove(tx, other);
    const move = { where: { userId: other }, data: { userId } };

    // Top three things: every version comes across (the history is kept); the one chosen is made the newest.
    const keptTopThree = choices['top-three'] === 'other' ? await latestTopThree(tx, other) : await latestTopThree(tx, userId);
    await tx.topThingsVersion.updateMany(move);
    const newest = await latestTopThree(tx, userId);
    if (keptTopThree && newest && newest.id !== keptTopThree.id) {
      await tx.topThingsVersion.create({ data: { userId, items: keptTopThree.items, createdAt: now } });
    }
    await step('top-three');

    await tx.bloodPressureReading.updateMany(move);
    await tx.bloodPressureReadingChange.updateMany(move);
    await tx.homeMonitoringWeek.updateMany(move);
    await step('blood-pressure');

    // A condition already on this account's list is not added twice.
    const mine = await tx.longTermCondition.findMany({ where: { userId } });
    const sameCondition = (a: { code: string | null; name: string }, b: { code: string | null; name: string }) =>
      a.code && b.code ? a.code === b.code : a.name.trim().toLowerCase() === b.name.trim().toLowerCase();
    for (const condition of await tx.longTermCondition.findMany({ where: { userId: other } })) {
      if (mine.some((kept) => sameCondition(kept, condition))) await tx.longTermCondition.delete({ where: { id: condition.id } });
    }
    await tx.longTermCondition.updateMany(move);

    // One row each: keep the side chosen (this account's when only it has one).
    await keepOne(tx, 'communicationNeeds', userId, other, choices['communication-needs']);
    await keepOne(tx, 'contactPreference', userId, other, choices['contact-preferences']);
    await keepOne(tx, 'engagementPreference', userId, other, choices['taking-part']);
    // "Fewer letters" goes with the contact preferences chosen, organisation by organisation.
    const losing = choices['contact-preferences'] === 'other' ? userId : other;
    const winning = losing === userId ? other : userId;
    const winningOrganisations = (await tx.fewerLettersChoice.findMany({ where: { userId: winning } })).map((row) => row.organisation);
    await tx.fewerLettersChoice.deleteMany({ where: { userId: losing, organisation: { in: winningOrganisations } } });
    await tx.fewerLettersChoice.updateMany(move);
    await tx.postalAddress.updateMany(move);
    await tx.outboxMessage.updateMany(move);
    await tx.postToDigitalSwitch.updateMany(move);
    // Letters organisations sent to either account are all kept, read or not, in one inbox.
    await tx.letter.updateMany(move);
    // An organisation's reference for the person (the council names them by it in its letters):
    // one per organisation, this account's when both have one.
    const myReferences = (await tx.organisationReference.findMany({ where: { userId }, select: { organisation: true } })).map((row) => row.organisation);
    await tx.organisationReference.deleteMany({ where: { userId: other, organisation: { in: myReferences } } });
    await tx.organisationReference.updateMany(move);
    await step('contact-details');

    // Sharing: the choice made where the accounts differed, otherwise what they both had.
    const [mySharing, theirSharing] = await Promise.all([sharingOf(tx, userId), sharingOf(tx, other)]);
    const categories = new Set((await tx.sharingConsent.findMany({ where: { userId: { in: [userId, other] } } })).map((row) => row.category));
    await tx.sharingConsent.deleteMany({ where: { userId: other } });
    for (const category of categories) {
      if (!isCategory(category)) continue;
      const shared = choices[`sharing-${category}`] === 'other' ? theirSharing[category]! : mySharing[category]!;
      await tx.sharingConsent.upsert({ where: { userId_category: { userId, category } }, create: { userId, category, shared }, update: { shared } });
    }
    await step('sharing');

    // The care record link is kept where it found the record; otherwise it is looked for again on the next visit.
    const myLink = await tx.careRecordLink.findUnique({ where: { userId } });
    if (myLink?.outcome !== 'matched') {
      await tx.careRecordLink.deleteMany({ where: { userId } });
      const theirLink = await tx.careRecordLink.findUnique({ where: { userId: other } });
      if (theirLink?.outcome === 'matched' && (!user.nhsNumber || user.nhsNumber === otherUser.nhsNumber)) await tx.careRecordLink.updateMany(move);
    }
    await tx.careRecordLink.deleteMany({ where: { userId: other } });

    // Open Citizen: one response and one invitation per activity; a sent response wins over a draft.
    const myResponses = await tx.engagementResponse.findMany({ where: { userId } });
    for (const theirs of await tx.engagementResponse.findMany({ where: { userId: other } })) {
      const clash = myResponses.find((response) => response.activityId === theirs.activityId);
      if (!clash) continue;
      const dropped = !clash.submittedAt && theirs.submittedAt ? clash : theirs;
      await tx.engagementResponse.delete({ where: { id: dropped.id } });
    }
    await tx.engagementResponse.updateMany(move);
    const myInvitations = (await tx.engagementInvitation.findMany({ where: { userId }, select: { activityId: true } })).map((row) => row.activityId);
    await tx.engagementInvitation.deleteMany({ where: { userId: other, activityId: { in: myInvitations } } });
    await tx.engagementInvitation.updateMany(move);
    await step('engagement');

    // Answers half given on the other account come across unless this account has its own for that journey.
    const myJourneys = (await tx.draft.findMany({ where: { userId }, select: { journey: true } })).map((row) => row.journey);
    await tx.draft.deleteMany({ where: { userId: other, journey: { in: myJourneys } } });
    await tx.draft.updateMany(move);

    // Signing in: the other account's ways of signing in and history come across; its sessions end.
    await tx.session.deleteMany({ where: { userId: other } });
    await tx.signInEvent.updateMany(move);
    // The active users report counts a person's days from a rollup: the days move with the sign-ins.
    await moveActiveDays(tx, other, userId);
    await tx.userIdentity.updateMany(move);
    await tx.identityLink.updateMany(move);
    await step('sign-in');

    await tx.user.update({
      where: { id: userId },
      data: { nhsNumber: user.nhsNumber ?? otherUser.nhsNumber, verifiedPostcode: user.verifiedPostcode ?? otherUser.verifiedPostcode },
    });
    await tx.user.delete({ where: { id: other } });
    await tx.identityLink.create({
      data: { userId, at: now, provider: join.provider, kind: 'merged', mergedUserId: other, detail: JSON.stringify({ moved: counts, choices }) },
    });
    await appendAuditEntry(
      tx,
      {
        ...citizenActor(user),
        citizenId: userId,
        action: 'accounts-joined',
        detail: { provider: join.provider, joinedAccount: other, ...counts, ...choices },
      },
      now,
    );
    await step('done');
    return { ok: true, counts };
  });
}

type OneRowModel = 'communicationNeeds' | 'contactPreference' | 'engagementPreference';

/** A one-row-per-citizen table: the chosen side's row is kept (this account's when only one side has one, or no choice). */
async function keepOne(tx: Tx, model: OneRowModel, userId: string, other: string, side: Side | undefined): Promise<void> {
  // The three delegates share these calls; TypeScript cannot see one signature across them.
  const table = tx[model] as unknown as {
    findUnique(args: { where: { userId: string } }): Promise<unknown>;
    deleteMany(args: { where: { userId: string } }): Promise<unknown>;
    updateMany(args: { where: { userId: string }; data: { userId: string } }): Promise<unknown>;
  };
  const [mine, theirs] = await Promise.all([table.findUnique({ where: { userId } }), table.findUnique({ where: { userId: other } })]);
  if (!theirs) return;
  if (mine && side !== 'other') {
    await table.deleteMany({ where: { userId: other } });
    return;
  }
  await table.deleteMany({ where: { userId } });
  await table.updateMany({ where: { userId: other }, data: { userId } });
}

/** The link history entry's detail, as the citizen's page shows it. */
export function parseLinkDetail(detail: string): { moved?: Partial<MovedCounts>; choices?: Record<string, Side> } {
  try {
    const parsed = JSON.parse(detail) as unknown;
    return parsed && typeof parsed === 'object' ? (parsed as { moved?: Partial<MovedCounts> }) : {};
  } catch {
    return {};
  }
}
