import { describe, expect, it } from 'vitest';
import {
  audienceName,
  invitationDecision,
  isOpen,
  isOpportunityFor,
  londonMonth,
  overlapping,
  reusableAnswer,
  summariseAnswers,
  type ActivityFacts,
  type CitizenProfile,
} from './rules';

const activity: ActivityFacts = {
  id: 'a1',
  organisationCode: 'ZZ0003',
  topics: ['long-term-conditions', 'digital'],
  // Diabetes (type 1 or type 2), by its SNOMED CT code.
  audience: { kind: 'condition', value: '73211009' },
  startsOn: '2026-12-01',
  endsOn: '2026-12-31',
  method: 'online-survey',
};

const keen: CitizenProfile = {
  // Type 2 diabetes, chosen from the list.
  conditionCodes: ['44054006'],
  preference: { wantsInvitations: true, topics: ['digital'], methods: ['online-survey'], monthlyLimit: 2, postcodeDistrict: 'LS6' },
};

const invite = (citizen: CitizenProfile, extra: { alreadyInvited?: boolean; invitedThisMonth?: number } = {}, facts = activity) =>
  invitationDecision(facts, { ...citizen, alreadyInvited: extra.alreadyInvited ?? false, invitedThisMonth: extra.invitedThisMonth ?? 0 });

describe('matching', () => {
  it('offers an activity to people in its audience who share a topic, or chose no topics', () => {
    expect(isOpportunityFor(activity, keen)).toBe(true);
    expect(isOpportunityFor(activity, { ...keen, conditionCodes: ['195967001'] })).toBe(false);
    expect(isOpportunityFor(activity, { ...keen, preference: { ...keen.preference!, topics: ['transport'] } })).toBe(false);
    expect(isOpportunityFor(activity, { ...keen, preference: { ...keen.preference!, topics: [] } })).toBe(true);
    expect(isOpportunityFor({ ...activity, audience: { kind: 'everyone' } }, { conditionCodes: [], preference: null })).toBe(true);
  });

  it('matches condition audiences by SNOMED CT code, a group taking in every condition under it, never by typed words', () => {
    // "Diabetes" finds people who chose Type 1 or Type 2 diabetes.
    expect(isOpportunityFor(activity, { ...keen, conditionCodes: ['46635009'] })).toBe(true);
    // One condition finds only itself.
    const type1 = { ...activity, audience: { kind: 'condition', value: '46635009' } as const };
    expect(isOpportunityFor(type1, keen)).toBe(false);
    // A code that is not on the list finds no one, and says so.
    expect(isOpportunityFor({ ...activity, audience: { kind: 'condition', value: 'Type 2 diabetes' } }, keen)).toBe(false);
    expect(audienceName({ kind: 'condition', value: '73211009' })).toBe('People with Diabetes (type 1 or type 2)');
    expect(audienceName({ kind: 'condition', value: 'Type 2 diabetes' })).toBe('People with a condition that is no longer on the list');
    // A group and one of its conditions could reach the same people: they overlap.
    expect(overlapping(activity, [{ ...activity, id: 'b', organisationCode: 'ZZ0009', audience: { kind: 'condition', value: '44054006' } }])).toHaveLength(1);
  });

  it('matches an area by the postcode district the citizen gave, in any case or spacing', () => {
    const area = { ...activity, audience: { kind: 'area', value: 'LS6' } as const };
    expect(isOpportunityFor(area, { ...keen, preference: { ...keen.preference!, postcodeDistrict: 'ls 6' } })).toBe(true);
    expect(isOpportunityFor(area, { ...keen, preference: { ...keen.preference!, postcodeDistrict: 'LS16' } })).toBe(false);
    expect(isOpportunityFor(area, { ...keen, preference: { ...keen.preference!, postcodeDistrict: null } })).toBe(false);
  });

  it('is open only when published and today is within its dates', () => {
    const dates = { startsOn: '2026-12-01', endsOn: '2026-12-31' };
    expect(isOpen({ status: 'published', ...dates }, '2026-12-01')).toBe(true);
    expect(isOpen({ status: 'published', ...dates }, '2026-12-31')).toBe(true);
    expect(isOpen({ status: 'published', ...dates }, '2027-01-01')).toBe(false);
    expect(isOpen({ status: 'draft', ...dates }, '2026-12-10')).toBe(false);
    expect(isOpen({ status: 'closed', ...dates }, '2026-12-10')).toBe(false);
  });
});

describe('invitations', () => {
  it('invites people who asked for invitations, fit the audience, topics and method', () => {
    expect(invite(keen)).toEqual({ invite: true });
  });

  it('gives the first reason someone is not invited', () => {
    expect(invite(keen, { alreadyInvited: true })).toEqual({ invite: false, reason: 'already-invited' });
    expect(invite({ ...keen, preference: null })).toEqual({ invite: false, reason: 'not-wanted' });
    expect(invite({ ...keen, preference: { ...keen.preference!, wantsInvitations: false } })).toEqual({ invite: false, reason: 'not-wanted' });
    expect(invite({ ...keen, conditionCodes: [] })).toEqual({ invite: false, reason: 'not-in-audience' });
    expect(invite({ ...keen, preference: { ...keen.preference!, topics: ['transport'] } })).toEqual({ invite: false, reason: 'topics' });
    expect(invite({ ...keen, preference: { ...keen.preference!, methods: ['paper'] } })).toEqual({ invite: false, reason: 'method' });
  });

  it('stops at the monthly limit counted across all organisations', () => {
    expect(invite(keen, { invitedThisMonth: 1 })).toEqual({ invite: true });
    expect(invite(keen, { invitedThisMonth: 2 })).toEqual({ invite: false, reason: 'monthly-limit' });
    expect(invite({ ...keen, preference: { ...keen.preference!, monthlyLimit: 8 } }, { invitedThisMonth: 7 })).toEqual({ invite: true });
  });

  it('counts the month on UK clocks: the first hour of 1 July (BST) is July, not June', () => {
    const july = londonMonth(new Date('2026-06-30T23:30:00Z'));
    expect(july.start.toISOString()).toBe('2026-06-30T23:00:00.000Z');
    expect(july.end.toISOString()).toBe('2026-07-31T23:00:00.000Z');
    const december = londonMonth(new Date('2026-12-31T23:59:00Z'));
    expect(december.start.toISOString()).toBe('2026-12-01T00:00:00.000Z');
    expect(december.end.toISOString()).toBe('2027-01-01T00:00:00.000Z');
  });
});

describe('overlap', () => {
  const other = (changes: Partial<ActivityFacts>): ActivityFacts => ({ ...activity, id: 'b', organisationCode: 'ZZ0002', ...changes });

  it('finds other organisations asking the same audience about the same topic at the same time', () => {
    expect(overlapping(activity, [other({})]).map((a) => a.id)).toEqual(['b']);
    expect(overlapping(activity, [other({ audience: { kind: 'everyone' }, topics: ['digital'] })])).toHaveLength(1);
    expect(overlapping(activity, [other({ startsOn: '2026-12-31', endsOn: '2027-01-10' })])).toHaveLength(1);
  });

  it('leaves out its own organisation, other topics, other audiences and other dates', () => {
    expect(overlapping(activity, [other({ organisationCode: 'ZZ0003' })])).toEqual([]);
    expect(overlapping(activity, [other({ topics: ['transport'] })])).toEqual([]);
    expect(overlapping(activity, [other({ audience: { kind: 'condition', value: '195967001' } })])).toEqual([]);
    expect(overlapping(activity, [other({ audience: { kind: 'area', value: 'LS6' } })])).toEqual([]);
    expect(overlapping(activity, [other({ startsOn: '2027-01-01', endsOn: '2027-01-31' })])).toEqual([]);
  });
});

describe('small-number suppression', () => {
  const choice = { kind: 'choice', options: ['Yes', 'No', 'Not sure'] };
  const answers = (counts: Record<string, number>) => Object.entries(counts).flatMap(([option, n]) => Array<string>(n).fill(option));

  it('shows nothing when fewer than 5 people answered', () => {
    expect(summariseAnswers(choice, answers({ Yes: 4 }))).toEqual({ answered: null, rows: [], texts: [] });
  });

  it('shows counts of 5 or more and zero', () => {
    const result = summariseAnswers(choice, answers({ Yes: 6, No: 5 }));
    expect(result.answered).toBe(11);
    expect(result.rows.map((r) => r.count)).toEqual([6, 5, 0]);
  });

  it('hides a group under 5, and the next smallest too so it cannot be worked out from the total', () => {
    const result = summariseAnswers(choice, answers({ Yes: 9, No: 3, 'Not sure': 0 }));
    expect(result.answered).toBe(12);
    expect(result.rows.map((r) => r.count)).toEqual([9, null, null]);
    const two = summariseAnswers(choice, answers({ Yes: 9, No: 3, 'Not sure': 2 }));
    expect(two.rows.map((r) => r.count)).toEqual([9, null, null]);
  });

  it('hides small groups on a scale and in multiple choice', () => {
    expect(summariseAnswers({ kind: 'scale', options: [] }, answers({ '5': 7, '4': 1 })).rows.map((r) => r.count)).toEqual([null, 0, 0, null, 7]);
    const multi = summariseAnswers({ kind: 'multiple-choice', options: ['A', 'B'] }, [['A', 'B'], ['A'], ['A'], ['A'], ['A']]);
    expect(multi.rows.map((r) => r.count)).toEqual([5, null]);
  });

  it('gives free text in alphabetical order, with no one named', () => {
    expect(summariseAnswers({ kind: 'text', options: [] }, ['e', 'b', 'd', 'a', 'c']).texts).toEqual(['a', 'b', 'c', 'd', 'e']);
  });
});

describe('reusing an earlier answer', () => {
  const question = { kind: 'choice', options: ['Yes', 'No'] };
  const at = (iso: string) => new Date(iso);

  it('offers the most recent answer from another activity', () => {
    const earlier = [
      { activityId: 'old', answeredAt: at('2026-01-01T00:00:00Z'), value: 'No' },
      { activityId: 'newer', answeredAt: at('2026-06-01T00:00:00Z'), value: 'Yes' },
    ];
    expect(reusableAnswer(question, 'this', earlier)?.activityId).toBe('newer');
  });

  it('never offers an answer from this activity, or one that no longer fits the question', () => {
    expect(reusableAnswer(question, 'this', [{ activityId: 'this', answeredAt: at('2026-06-01T00:00:00Z'), value: 'Yes' }])).toBeNull();
    expect(reusableAnswer(question, 'this', [{ activityId: 'x', answeredAt: at('2026-06-01T00:00:00Z'), value: 'Maybe' }])).toBeNull();
    expect(reusableAnswer(question, 'this', [])).toBeNull();
  });
});
