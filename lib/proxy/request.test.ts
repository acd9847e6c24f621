import { describe, expect, it } from 'vitest';
import { validateForm } from '@/lib/platform/forms';
import { accessIsActive } from './active';
import {
  completeRequest,
  decisionSchema,
  evidenceSchema,
  nextStep,
  parseRequestDetail,
  permissionsSchema,
  relationshipSchema,
  requestDetailOf,
  theirDetailsSchema,
  type RequestDraft,
} from './request';
import { listedRequest, sixteenthBirthday } from './request-views';

const today = new Date('2026-12-03T10:00:00Z');
const details = (birth: [string, string, string], extra: Record<string, string> = {}) => ({
  givenName: 'Chloe',
  familyName: 'Testwell',
  'dateOfBirth-day': birth[0],
  'dateOfBirth-month': birth[1],
  'dateOfBirth-year': birth[2],
  nhsNumber: '999 003 7116',
  ...extra,
});
const messages = (result: ReturnType<typeof validateForm>) => (result.ok ? [] : result.errors.summary.map((error) => `${error.href} ${error.text}`));

describe('accessIsActive: whether a proxy may act now', () => {
  const access = { status: 'active', endsAt: null, basis: 'parent' };
  const child = { birthDate: '2010-12-04' };

  it("holds a parent's access until the day before the child's 16th birthday, and not on it", () => {
    expect(accessIsActive(access, child, new Date('2026-12-03T23:59:59Z'))).toBe(true);
    expect(accessIsActive(access, child, new Date('2026-12-04T00:00:00Z'))).toBe(false);
  });

  it("keeps an attorney's or an invited person's access whatever the person's age", () => {
    expect(accessIsActive({ ...access, basis: 'attorney' }, { birthDate: '1940-01-01' }, today)).toBe(true);
    expect(accessIsActive({ ...access, basis: 'invited' }, { birthDate: '1990-01-01' }, today)).toBe(true);
  });

  it('is closed for anything not active, and from the moment an end date passes', () => {
    for (const status of ['requested', 'refused', 'ended', 'invited']) expect(accessIsActive({ ...access, status }, child, today)).toBe(false);
    const endsAt = new Date('2026-12-03T12:00:00Z');
    expect(accessIsActive({ ...access, endsAt }, child, new Date('2026-12-03T11:59:59Z'))).toBe(true);
    expect(accessIsActive({ ...access, endsAt }, child, endsAt)).toBe(false);
  });

  it('counts a 29 February birthday from 1 March in a year without one', () => {
    const leapling = { birthDate: '2012-02-29' };
    expect(accessIsActive(access, leapling, new Date('2028-02-28T12:00:00Z'))).toBe(true);
    expect(accessIsActive(access, leapling, new Date('2028-02-29T00:00:00Z'))).toBe(false);
    expect(sixteenthBirthday('2011-02-28')).toBe('2027-02-28');
    expect(sixteenthBirthday('2012-02-29')).toBe('2028-02-29');
    expect(sixteenthBirthday('2008-02-29')).toBe('2024-02-29');
  });
});

describe('the request questions', () => {
  it('asks which relationship', () => {
    expect(messages(validateForm(relationshipSchema, {}))).toEqual([
      '#relationship Select whether you are their parent or guardian, or their attorney or deputy',
    ]);
    expect(messages(validateForm(relationshipSchema, { relationship: 'carer' }))).toHaveLength(1);
    expect(validateForm(relationshipSchema, { relationship: 'parent' })).toMatchObject({ ok: true, data: { relationship: 'parent' } });
  });

  it("reads their details: a child under 16 for a parent, and the NHS number's 10 digits", () => {
    expect(validateForm(theirDetailsSchema('parent', today), details(['4', '12', '2010']))).toMatchObject({
      ok: true,
      data: { givenName: 'Chloe', familyName: 'Testwell', birthDate: '2010-12-04', nhsNumber: '9990037116' },
    });
    expect(messages(validateForm(theirDetailsSchema('parent', today), details(['3', '12', '2010'])))).toEqual([
      '#dateOfBirth-day Date of birth must be after 3 December 2010, as a child must be under 16. Someone aged 16 or over can have their own account',
    ]);
    expect(messages(validateForm(theirDetailsSchema('attorney', today), details(['4', '12', '2010'])))[0]).toMatch(
      /^#dateOfBirth-day Date of birth must be the same as or before 3 December 2010/,
    );
    expect(validateForm(theirDetailsSchema('attorney', today), details(['3', '12', '2010'])).ok).toBe(true);
  });

  it('reports every problem with their details at once, in the order of the page', () => {
    const result = validateForm(theirDetailsSchema('parent', today), {
      givenName: ' ',
      'dateOfBirth-day': '31',
      'dateOfBirth-month': '2',
      'dateOfBirth-year': '2020',
      nhsNumber: '999 003 7117',
    });
    expect(messages(result)).toEqual([
      '#givenName Enter their first name',
      '#familyName Enter their last name',
      '#dateOfBirth-day Date of birth must be a real date',
      '#nhsNumber Enter a valid NHS number, like 485 777 3456',
    ]);
    expect(messages(validateForm(theirDetailsSchema('parent', today), details(['1', '1', '2027'], { nhsNumber: '999-003' })))).toEqual([
      '#dateOfBirth-day Date of birth must be in the past',
      '#nhsNumber NHS number must be 10 digits',
    ]);
    expect(messages(validateForm(theirDetailsSchema('parent', today), details(['1', '1', '2015'], { nhsNumber: 'NHS 999' })))).toEqual([
      '#nhsNumber NHS number must only include numbers',
    ]);
    expect(messages(validateForm(theirDetailsSchema('parent', today), details(['1', '1', '2015'], { familyName: 'x'.repeat(101) })))).toEqual([
      '#familyName Last name must be 100 characters or fewer',
    ]);
  });

  it("asks what they can show from the relationship's own kinds, a lasting power of attorney with its reference", () => {
    expect(messages(validateForm(evidenceSchema('parent'), {}))).toEqual([
      '#evidence Select what you can show to prove you can act for them',
      '#gpPractice Enter the name of their GP practice',
    ]);
    expect(messages(validateForm(evidenceSchema('parent'), { evidence: 'lasting-power-of-attorney', gpPractice: 'Demo Lane' }))).toHaveLength(1);
    expect(validateForm(evidenceSchema('parent'), { evidence: 'birth-certificate', gpPractice: '  Demo   Lane ' })).toMatchObject({
      ok: true,
      data: { kind: 'birth-certificate', gpPractice: 'Demo Lane' },
    });
    expect(messages(validateForm(evidenceSchema('attorney'), { evidence: 'lasting-power-of-attorney', gpPractice: 'Demo Lane' }))).toEqual([
      '#reference Enter the reference number of the lasting power of attorney',
    ]);
    expect(messages(validateForm(evidenceSchema('attorney'), { evidence: 'deputy-order', reference: '<script>', gpPractice: 'Demo Lane' }))).toEqual([
      '#reference Reference number must only include letters, numbers, spaces, hyphens and slashes',
    ]);
    expect(validateForm(evidenceSchema('attorney'), { evidence: 'deputy-order', gpPractice: 'Demo Lane' })).toMatchObject({
      ok: true,
      data: { kind: 'deputy-order' },
    });
  });

  it('asks for at least one permission, each one we know, in their usual order', () => {
    expect(messages(validateForm(permissionsSchema, {}))).toEqual(['#permissions Select what you need to do for them']);
    expect(messages(validateForm(permissionsSchema, { permissions: ['care-record', 'everything'] }))).toEqual([
      '#permissions Select what you need to do for them',
    ]);
    expect(validateForm(permissionsSchema, { permissions: ['sharing', 'care-record'] })).toMatchObject({ ok: true, data: ['care-record', 'sharing'] });
  });
});

describe('the journey through the questions', () => {
  const answered: RequestDraft = {
    relationship: 'parent',
    person: { givenName: 'Chloe', familyName: 'Testwell', birthDate: '2012-05-01', nhsNumber: '9990037116' },
    evidence: { kind: 'birth-certificate', gpPractice: 'Demo Lane Surgery' },
    permissions: ['care-record'],
  };

  it('goes to the first question still to answer, and to check answers once all are', () => {
    expect(nextStep(null, today)).toBe('relationship');
    expect(nextStep({ relationship: 'parent' }, today)).toBe('their-details');
    expect(nextStep({ ...answered, permissions: [] }, today)).toBe('permissions');
    expect(nextStep(answered, today)).toBe('check-answers');
    expect(completeRequest(answered, today)).toEqual(answered);
  });

  it('asks again what no longer fits after the relationship is changed', () => {
    expect(nextStep({ ...answered, relationship: 'attorney' }, today)).toBe('their-details');
    const adult = { ...answered, relationship: 'attorney' as const, person: { ...answered.person!, birthDate: '1950-01-01' } };
    expect(nextStep(adult, today)).toBe('evidence');
    expect(completeRequest(adult, today)).toBeNull();
  });

  it('stops at their details once a child has turned 16 while the answers waited', () => {
    expect(nextStep({ ...answered, person: { ...answered.person!, birthDate: '2010-12-03' } }, today)).toBe('their-details');
  });

  it('keeps what was told with the request, and reads back only what it wrote', () => {
    const detail = requestDetailOf(completeRequest(answered, today)!);
    expect(detail).toEqual({
      relationship: 'parent',
      givenName: 'Chloe',
      familyName: 'Testwell',
      birthDate: '2012-05-01',
      nhsNumber: '9990037116',
      evidence: 'birth-certificate',
      reference: null,
      gpPractice: 'Demo Lane Surgery',
    });
    expect(parseRequestDetail(JSON.stringify(detail))).toEqual(detail);
    expect(parseRequestDetail('{"relationship":"friend"}')).toBeNull();
    expect(parseRequestDetail('not json')).toBeNull();
    expect(parseRequestDetail(null)).toBeNull();
  });
});

describe("the member of staff's decision", () => {
  const schema = decisionSchema(['care-record', 'blood-pressure']);

  it('grants what was asked, or less, and never more', () => {
    expect(validateForm(schema, { decision: 'grant', permissions: ['blood-pressure'] })).toMatchObject({
      ok: true,
      data: { decision: 'grant', permissions: ['blood-pressure'] },
    });
    expect(messages(validateForm(schema, { decision: 'grant' }))).toEqual(['#permissions Select what they can do for them']);
    expect(messages(validateForm(schema, { decision: 'grant', permissions: ['care-record', 'sharing'] }))).toEqual([
      '#permissions Select only what they asked to do',
    ]);
  });

  it('refuses only with a reason, which is what the person asking reads', () => {
    expect(messages(validateForm(schema, { decision: 'refuse' }))).toEqual(['#reason Enter why you are refusing the request']);
    expect(messages(validateForm(schema, { decision: 'refuse', reason: '   ' }))).toEqual(['#reason Enter why you are refusing the request']);
    expect(messages(validateForm(schema, { decision: 'refuse', reason: 'x'.repeat(501) }))).toEqual(['#reason Reason must be 500 characters or fewer']);
    expect(validateForm(schema, { decision: 'refuse', reason: ' The birth certificate did not name you. ', permissions: 'care-record' })).toMatchObject({
      ok: true,
      data: { decision: 'refuse', reason: 'The birth certificate did not name you.' },
    });
    expect(messages(validateForm(schema, { decision: 'maybe' }))).toEqual(['#decision Select whether you grant or refuse the request']);
  });
});

describe('the list of requests, as the person who asked reads it', () => {
  const row = {
    id: 'r1',
    basis: 'parent',
    status: 'active',
    permissions: 'care-record,blood-pressure',
    createdAt: new Date('2026-11-01T10:00:00Z'),
    endsAt: null,
    endedAt: null,
    endedReason: null,
    decidedAt: new Date('2026-11-02T10:00:00Z'),
    decidedByOrganisation: 'Demo Lane Surgery (ZZ0001)',
    decisionReason: null,
    requestDetail: null,
    person: { givenName: 'Chloe', familyName: 'Testwell', birthDate: '2010-12-04' },
  };
  const keys = (listed: ReturnType<typeof listedRequest>) => Object.fromEntries(listed.rows.map((answer) => [answer.key, answer.lines.join(' / ')]));

  it('shows what they can do while it is granted', () => {
    const listed = listedRequest(row, today);
    expect(listed.tag.text).toBe('Granted');
    expect(keys(listed)).toMatchObject({
      Granted: '2 November 2026 by Demo Lane Surgery (ZZ0001)',
      'You can': 'See their care record / See and add their blood pressure readings',
    });
  });

  it('shows it ended on the 16th birthday, before any sweep has marked it', () => {
    const listed = listedRequest(row, new Date('2026-12-04T08:00:00Z'));
    expect(listed.tag.text).toBe('Ended');
    expect(keys(listed).Ended).toBe('Chloe turned 16 on 4 December 2026. They can now have their own account, and can ask you to act for them again.');
    expect(listedRequest({ ...row, status: 'ended', endedReason: 'turned-16', endedAt: new Date('2026-12-04T01:00:00Z') }, today).tag.text).toBe('Ended');
  });

  it('shows the reason for a refusal', () => {
    const listed = listedRequest({ ...row, status: 'refused', decisionReason: 'Bring the birth certificate' }, today);
    expect(listed.tag.text).toBe('Refused');
    expect(keys(listed).Reason).toBe('Bring the birth certificate');
  });
});
