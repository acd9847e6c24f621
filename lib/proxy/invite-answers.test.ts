import { describe, expect, it } from 'vitest';
import { validateForm } from '@/lib/platform/forms';
import {
  completeInvite,
  contactSchema,
  endsAtOf,
  firstUnanswered,
  howLongSchema,
  inviteAnswersSchema,
  lastDayOf,
  MESSAGES,
  nameSchema,
  permissionsSchema,
  sameContact,
} from './invite-answers';

// Midday on 10 March 2027 in London (GMT).
const NOW = new Date('2027-03-10T12:00:00Z');

const errorsOf = (result: ReturnType<typeof validateForm>) =>
  result.ok ? {} : Object.fromEntries(Object.entries(result.errors.fields).map(([field, { text }]) => [field, text]));

describe('their name', () => {
  it('takes a name as typed, with spaces tidied', () => {
    expect(validateForm(nameSchema, { name: '  Walt   Helpwell ' })).toMatchObject({ ok: true, data: { name: 'Walt Helpwell' } });
    expect(validateForm(nameSchema, { name: "Siân O'Brien-Jones" })).toMatchObject({ ok: true });
  });

  it('refuses no name, a long one and one with numbers or symbols', () => {
    expect(errorsOf(validateForm(nameSchema, {}))).toEqual({ name: MESSAGES.name });
    expect(errorsOf(validateForm(nameSchema, { name: '   ' }))).toEqual({ name: MESSAGES.name });
    expect(errorsOf(validateForm(nameSchema, { name: 'a'.repeat(101) }))).toEqual({ name: MESSAGES.nameTooLong });
    expect(errorsOf(validateForm(nameSchema, { name: 'Walt 943 476' }))).toEqual({ name: MESSAGES.nameCharacters });
    expect(errorsOf(validateForm(nameSchema, { name: '<script>' }))).toEqual({ name: MESSAGES.nameCharacters });
    expect(errorsOf(validateForm(nameSchema, { name: ['Walt', 'Ben'] }))).toEqual({ name: MESSAGES.name });
  });
});

describe('how the invitation is sent', () => {
  it('takes the address for the way chosen and ignores the other box', () => {
    expect(validateForm(contactSchema, { channel: 'email', email: ' walt@example.com ', mobile: 'nonsense' })).toMatchObject({
      ok: true,
      data: { channel: 'email', email: 'walt@example.com' },
    });
    expect(validateForm(contactSchema, { channel: 'text', mobile: '+44 7700 900982', email: 'nonsense' })).toMatchObject({
      ok: true,
      data: { channel: 'text', mobile: '07700 900982' },
    });
  });

  it('puts each problem on the box to fix', () => {
    expect(errorsOf(validateForm(contactSchema, {}))).toEqual({ channel: MESSAGES.channel });
    expect(errorsOf(validateForm(contactSchema, { channel: 'post' }))).toEqual({ channel: MESSAGES.channel });
    expect(errorsOf(validateForm(contactSchema, { channel: 'email' }))).toEqual({ email: MESSAGES.email });
    expect(errorsOf(validateForm(contactSchema, { channel: 'email', email: 'walt.example.com' }))).toEqual({ email: MESSAGES.emailInvalid });
    expect(errorsOf(validateForm(contactSchema, { channel: 'email', email: `${'a'.repeat(250)}@example.com` }))).toEqual({ email: MESSAGES.emailTooLong });
    expect(errorsOf(validateForm(contactSchema, { channel: 'text', mobile: '' }))).toEqual({ mobile: MESSAGES.mobile });
    expect(errorsOf(validateForm(contactSchema, { channel: 'text', mobile: '0113 496 0000' }))).toEqual({ mobile: MESSAGES.mobileInvalid });
    expect(errorsOf(validateForm(contactSchema, { channel: 'text', mobile: '0'.repeat(21) }))).toEqual({ mobile: MESSAGES.mobileTooLong });
  });

  it('knows an address already given, whatever its case or spacing', () => {
    expect(sameContact({ channel: 'email', email: 'Walt@Example.com' }, { email: 'walt@example.com ' })).toBe(true);
    expect(sameContact({ channel: 'text', mobile: '07700 900982' }, { mobile: '+447700900982' })).toBe(true);
    expect(sameContact({ channel: 'text', mobile: '07700 900982' }, { email: '07700 900982' })).toBe(false);
    expect(sameContact({ channel: 'email', email: 'walt@example.com' }, { email: null, mobile: null })).toBe(false);
  });
});

describe('what they can do', () => {
  it('takes one or more permissions, in their usual order, each once', () => {
    expect(validateForm(permissionsSchema, { permissions: 'care-record' })).toMatchObject({ ok: true, data: { permissions: ['care-record'] } });
    expect(validateForm(permissionsSchema, { permissions: ['sharing', 'care-record', 'sharing'] })).toMatchObject({
      ok: true,
      data: { permissions: ['care-record', 'sharing'] },
    });
  });

  it('refuses none, and anything that is not a permission', () => {
    expect(errorsOf(validateForm(permissionsSchema, {}))).toEqual({ permissions: MESSAGES.permissions });
    expect(errorsOf(validateForm(permissionsSchema, { permissions: ['care-record', 'close-account'] }))).toEqual({ permissions: MESSAGES.permissions });
  });
});

describe('how long', () => {
  const schema = howLongSchema(NOW);
  const date = (day: string, month: string, year: string) => ({ until: 'date', 'endsOn-day': day, 'endsOn-month': month, 'endsOn-year': year });

  it('takes "until you stop it", or a day from tomorrow to 5 years from today', () => {
    expect(validateForm(schema, { until: 'stopped', 'endsOn-day': 'x' })).toMatchObject({ ok: true, data: { until: 'stopped' } });
    expect(validateForm(schema, date('11', '3', '2027'))).toMatchObject({ ok: true, data: { until: 'date', lastDay: '2027-03-11' } });
    expect(validateForm(schema, date('10', '3', '2032'))).toMatchObject({ ok: true, data: { lastDay: '2032-03-10' } });
  });

  it('refuses no choice, a date not given or not real, today or before, and beyond 5 years', () => {
    expect(errorsOf(validateForm(schema, {}))).toEqual({ until: MESSAGES.howLong });
    expect(errorsOf(validateForm(schema, { until: 'date' }))).toEqual({ 'endsOn-day': 'Enter the date their access ends' });
    expect(errorsOf(validateForm(schema, date('1', '', '2027')))).toEqual({ 'endsOn-month': 'The date their access ends must include a month' });
    expect(errorsOf(validateForm(schema, date('30', '2', '2028')))).toEqual({ 'endsOn-day': 'The date their access ends must be a real date' });
    expect(errorsOf(validateForm(schema, date('10', '3', '2027')))).toEqual({ 'endsOn-day': MESSAGES.endsOnPast });
    expect(errorsOf(validateForm(schema, date('1', '1', '2020')))).toEqual({ 'endsOn-day': MESSAGES.endsOnPast });
    expect(errorsOf(validateForm(schema, date('11', '3', '2032')))).toEqual({ 'endsOn-year': MESSAGES.endsOnTooFar });
  });

  it('ends an access as its last day ends in the UK, summer time included', () => {
    expect(endsAtOf({ until: 'stopped' })).toBeNull();
    const winter = endsAtOf({ until: 'date', lastDay: '2027-12-31' })!;
    expect(winter.toISOString()).toBe('2028-01-01T00:00:00.000Z');
    const summer = endsAtOf({ until: 'date', lastDay: '2027-07-31' })!;
    expect(summer.toISOString()).toBe('2027-07-31T23:00:00.000Z');
    expect(lastDayOf(winter)).toBe('2027-12-31');
    expect(lastDayOf(summer)).toBe('2027-07-31');
  });
});

describe('the answers kept between pages', () => {
  it('goes to the first question not answered, and is complete only with every answer', () => {
    expect(firstUnanswered({})).toBe('name');
    expect(firstUnanswered({ name: 'Walt', permissions: ['care-record'] })).toBe('contact');
    const all = {
      name: 'Walt',
      contact: { channel: 'email' as const, email: 'w@example.com' },
      permissions: ['care-record' as const],
      howLong: { until: 'stopped' as const },
    };
    expect(firstUnanswered(all)).toBeNull();
    expect(completeInvite(all)).toEqual(all);
    expect(completeInvite({ ...all, howLong: undefined })).toBeNull();
    expect(completeInvite(null)).toBeNull();
  });

  it('reads back only answers of the right shape', () => {
    expect(inviteAnswersSchema.safeParse({ name: 'Walt', permissions: ['care-record'] }).success).toBe(true);
    expect(inviteAnswersSchema.safeParse({ permissions: ['close-account'] }).success).toBe(false);
    expect(inviteAnswersSchema.safeParse({ contact: { channel: 'post' } }).success).toBe(false);
  });
});
