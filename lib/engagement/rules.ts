import { fromLondonWallClock, londonDay } from '@/lib/platform/london-time';
import { conditionAudience, conditionAudiencesOverlap, hasConditionIn } from './condition-audiences';
import { samePostcodeDistrict } from '@/lib/platform/postcode';

/**
 * Open Citizen's rules, with no database: who an activity is for, who may be invited,
 * which activities overlap, and how results are shown without identifying anyone.
 */

export const TOPICS = [
  { value: 'gp-services', text: 'GP services' },
  { value: 'hospital-care', text: 'Hospital care' },
  { value: 'mental-health', text: 'Mental health' },
  { value: 'long-term-conditions', text: 'Living with a long-term condition' },
  { value: 'social-care', text: 'Social care and support at home' },
  { value: 'healthy-living', text: 'Healthy living' },
  { value: 'transport', text: 'Transport and getting to appointments' },
  { value: 'digital', text: 'Online services' },
] as const;
export type Topic = (typeof TOPICS)[number]['value'];
export const TOPIC_VALUES = TOPICS.map((t) => t.value) as unknown as readonly [Topic, ...Topic[]];

export const METHODS = [
  { value: 'online-survey', text: 'Online survey' },
  { value: 'workshop', text: 'Workshop or group meeting' },
  { value: 'interview', text: 'One-to-one interview' },
  { value: 'paper', text: 'Paper survey by post' },
] as const;
export type Method = (typeof METHODS)[number]['value'];
export const METHOD_VALUES = METHODS.map((m) => m.value) as unknown as readonly [Method, ...Method[]];

export const MONTHLY_LIMITS = [1, 2, 4, 8] as const;

export const QUESTION_KINDS = [
  { value: 'text', text: 'Their own words' },
  { value: 'choice', text: 'Choose one answer' },
  { value: 'multiple-choice', text: 'Choose one or more answers' },
  { value: 'scale', text: 'A scale from 1 to 5' },
] as const;
export type QuestionKind = (typeof QUESTION_KINDS)[number]['value'];
export const QUESTION_KIND_VALUES = QUESTION_KINDS.map((k) => k.value) as unknown as readonly [QuestionKind, ...QuestionKind[]];

export const SCALE_OPTIONS = ['1', '2', '3', '4', '5'] as const;
export const SCALE_LABELS: Record<string, string> = {
  '1': '1 – Very poor',
  '2': '2 – Poor',
  '3': '3 – Neither good nor poor',
  '4': '4 – Good',
  '5': '5 – Very good',
};

/** A question in the shared bank. */
export type Question = { id: string; text: string; kind: string; options: string[]; organisationCode: string };

/** Groups smaller than this are never shown (counted people could be recognised). */
export const SMALLEST_GROUP = 5;

/** Results are made from whole batches of this many sent responses, never one at a time. */
export const RESULTS_BATCH = 5;

/** How many of `sent` responses the results include: the whole batches. */
export function publishedCount(sent: number): number {
  return sent - (sent % RESULTS_BATCH);
}

/** A count of people as staff see it: under SMALLEST_GROUP (but not none) it is not given. */
export function shownCount(count: number): string {
  if (count > 0 && count < SMALLEST_GROUP) return `fewer than ${SMALLEST_GROUP}`;
  return String(count);
}

export const topicName = (value: string) => TOPICS.find((t) => t.value === value)?.text ?? value;
export const methodName = (value: string | null) => METHODS.find((m) => m.value === value)?.text ?? '';

export function splitList(stored: string | null | undefined): string[] {
  return (stored ?? '').split(',').filter((item) => item.length > 0);
}

export type Audience = { kind: 'everyone' } | { kind: 'condition'; value: string } | { kind: 'area'; value: string };

export function audienceOf(kind: string, value: string | null): Audience {
  if ((kind === 'condition' || kind === 'area') && value) return { kind, value };
  return { kind: 'everyone' };
}

export function audienceName(audience: Audience): string {
  if (audience.kind === 'condition') {
    const condition = conditionAudience(audience.value);
    return condition ? `People with ${condition.name}` : 'People with a condition that is no longer on the list';
  }
  if (audience.kind === 'area') return `People living in ${audience.value}`;
  return 'Everyone';
}

/** What we know about a citizen that decides which activities are for them. */
export type CitizenProfile = {
  /** The SNOMED CT codes of the conditions they chose from the list (ones typed in their own words have none). */
  conditionCodes: string[];
  preference: {
    wantsInvitations: boolean;
    topics: string[];
    methods: string[];
    monthlyLimit: number;
    postcodeDistrict: string | null;
  } | null;
};

export type ActivityFacts = {
  id: string;
  organisationCode: string;
  topics: string[];
  audience: Audience;
  startsOn: string | null;
  endsOn: string | null;
  method: string | null;
};

export function inAudience(audience: Audience, citizen: CitizenProfile): boolean {
  if (audience.kind === 'condition') return hasConditionIn(audience.value, citizen.conditionCodes);
  // Area: only people who told us their postcode district (the address is not ours to read yet).
  if (audience.kind === 'area') {
    const district = citizen.preference?.postcodeDistrict;
    return Boolean(district) && samePostcodeDistrict(district!, audience.value);
  }
  return true;
}

/** Topics match when the citizen chose none (interested in everything) or shares one with the activity. */
export function topicsMatch(activityTopics: string[], citizenTopics: string[]): boolean {
  return citizenTopics.length === 0 || activityTopics.some((topic) => citizenTopics.includes(topic));
}

/** Whether an open activity is shown to the citizen as an opportunity. */
export function isOpportunityFor(activity: ActivityFacts, citizen: CitizenProfile): boolean {
  return inAudience(activity.audience, citizen) && topicsMatch(activity.topics, citizen.preference?.topics ?? []);
}

export function isOpen(activity: { status: string; startsOn: string | null; endsOn: string | null }, today: string): boolean {
  return activity.status === 'published' && (!activity.startsOn || activity.startsOn <= today) && (!activity.endsOn || today <= activity.endsOn);
}

export const EXCLUSION_REASONS = [
  { value: 'already-invited', text: 'Already invited to this activity' },
  { value: 'not-wanted', text: 'Do not want to be invited, or have not said' },
  { value: 'not-in-audience', text: 'Not in the audience' },
  { value: 'topics', text: 'Not interested in these topics' },
  { value: 'method', text: 'Do not want to take part this way' },
  { value: 'monthly-limit', text: 'Reached their monthly limit of invitations' },
] as const;
export type ExclusionReason = (typeof EXCLUSION_REASONS)[number]['value'];

/**
 * Whether a citizen may be invited, or the first reason not. `invitedThisMonth` counts the
 * invitations they already have this calendar month from every organisation.
 */
export function invitationDecision(
  activity: ActivityFacts,
  citizen: CitizenProfile & { alreadyInvited: boolean; invitedThisMonth: number },
): { invite: true } | { invite: false; reason: ExclusionReason } {
  const preference = citizen.preference;
  if (citizen.alreadyInvited) return { invite: false, reason: 'already-invited' };
  if (!preference?.wantsInvitations) return { invite: false, reason: 'not-wanted' };
  if (!inAudience(activity.audience, citizen)) return { invite: false, reason: 'not-in-audience' };
  if (!topicsMatch(activity.topics, preference.topics)) return { invite: false, reason: 'topics' };
  if (preference.methods.length > 0 && activity.method && !preference.methods.includes(activity.method)) {
    return { invite: false, reason: 'method' };
  }
  if (citizen.invitedThisMonth >= preference.monthlyLimit) return { invite: false, reason: 'monthly-limit' };
  return { invite: true };
}

/** The calendar month (UK clocks) an instant falls in, as [start, next month's start). */
export function londonMonth(instant: Date): { start: Date; end: Date } {
  const [year, month] = londonDay(instant).split('-').map(Number) as [number, number];
  const start = fromLondonWallClock({ year, month, day: 1, hour: 0, minute: 0 });
  const end =
    month === 12
      ? fromLondonWallClock({ year: year + 1, month: 1, day: 1, hour: 0, minute: 0 })
      : fromLondonWallClock({ year, month: month + 1, day: 1, hour: 0, minute: 0 });
  return { start, end };
}

function audiencesOverlap(a: Audience, b: Audience): boolean {
  if (a.kind === 'everyone' || b.kind === 'everyone') return true;
  if (a.kind !== b.kind) return false;
  return a.kind === 'area' ? samePostcodeDistrict(a.value, b.value) : conditionAudiencesOverlap(a.value, b.value);
}

function datesOverlap(a: ActivityFacts, b: ActivityFacts): boolean {
  // An activity without dates yet could be any time: it overlaps.
  const aStart = a.startsOn ?? '0000-01-01';
  const aEnd = a.endsOn ?? '9999-12-31';
  const bStart = b.startsOn ?? '0000-01-01';
  const bEnd = b.endsOn ?? '9999-12-31';
  return aStart <= bEnd && bStart <= aEnd;
}

/** Other organisations' activities asking the same people about the same things at the same time. */
export function overlapping<T extends ActivityFacts>(activity: ActivityFacts, others: T[]): T[] {
  return others.filter(
    (other) =>
      other.id !== activity.id &&
      other.organisationCode !== activity.organisationCode &&
      other.topics.some((topic) => activity.topics.includes(topic)) &&
      audiencesOverlap(activity.audience, other.audience) &&
      datesOverlap(activity, other),
  );
}

export type CountRow = { option: string; label: string; count: number | null };
export type QuestionResult = {
  /** People who answered; null when too few to show anything. */
  answered: number | null;
  rows: CountRow[];
  /** Free text, with no names, in an order that says nothing about who sent what. */
  texts: string[];
};

/**
 * Counts per option with small groups hidden. For single answers the counts add up to the
 * number who answered, so when only one group is hidden the next smallest is hidden too:
 * otherwise subtracting the others would reveal it. Nothing is shown when fewer than
 * SMALLEST_GROUP people answered at all.
 */
export function summariseAnswers(question: { kind: string; options: string[] }, values: (string | string[])[]): QuestionResult {
  const answered = values.length;
  if (answered < SMALLEST_GROUP) return { answered: null, rows: [], texts: [] };
  if (question.kind === 'text') {
    const texts = values.filter((v): v is string => typeof v === 'string').sort((a, b) => a.localeCompare(b));
    return { answered, rows: [], texts };
  }
  const options = question.kind === 'scale' ? [...SCALE_OPTIONS] : question.options;
  const counts = options.map((option) => values.filter((v) => (Array.isArray(v) ? v.includes(option) : v === option)).length);
  const hidden = counts.map((count) => count > 0 && count < SMALLEST_GROUP);
  if (question.kind !== 'multiple-choice' && hidden.filter(Boolean).length === 1) {
    let smallest = -1;
    counts.forEach((count, index) => {
      if (!hidden[index] && (smallest === -1 || count < counts[smallest]!)) smallest = index;
    });
    if (smallest !== -1) hidden[smallest] = true;
  }
  const rows = options.map((option, index) => ({
    option,
    label: question.kind === 'scale' ? SCALE_LABELS[option]! : option,
    count: hidden[index] ? null : counts[index]!,
  }));
  return { answered, rows, texts: [] };
}

/** How an answer reads back: the text, the choices joined, or the scale's label. */
export function answerText(kind: string, value: string | string[]): string {
  if (Array.isArray(value)) return value.join(', ');
  return kind === 'scale' ? (SCALE_LABELS[value] ?? value) : value;
}

/** Whether a stored answer still fits the question (options can only be added to a new question). */
export function answerFits(question: { kind: string; options: string[] }, value: string | string[]): boolean {
  if (question.kind === 'text') return typeof value === 'string' && value.length > 0;
  if (question.kind === 'scale') return typeof value === 'string' && (SCALE_OPTIONS as readonly string[]).includes(value);
  if (question.kind === 'choice') return typeof value === 'string' && question.options.includes(value);
  return Array.isArray(value) && value.length > 0 && value.every((v) => question.options.includes(v));
}

/**
 * The earlier answer the citizen could reuse: their most recent sent answer to the same
 * bank question in another activity, if it still fits. Only ever their own answers are given.
 */
export function reusableAnswer<T extends { activityId: string; answeredAt: Date; value: string | string[] }>(
  question: { kind: string; options: string[] },
  activityId: string,
  earlier: T[],
): T | null {
  const candidates = earlier
    .filter((answer) => answer.activityId !== activityId && answerFits(question, answer.value))
    .sort((a, b) => b.answeredAt.getTime() - a.answeredAt.getTime());
  return candidates[0] ?? null;
}
