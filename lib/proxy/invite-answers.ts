import { z } from 'zod';
import { isEmailAddress, normaliseUkMobile } from '@/lib/platform/contact-formats';
import { dateInputFields, isoDate, readDateInput } from '@/lib/platform/date-input';
import { choice, requiredText } from '@/lib/platform/form-fields';
import { addDays, londonDay, startOfLondonDay, type LondonDay } from '@/lib/platform/london-time';
import { PROXY_PERMISSIONS, type ProxyPermission } from './permissions';

/**
 * Inviting someone to act for you: the questions (one a page), their rules and GOV.UK messages,
 * and the answers kept between the pages (the citizen's draft, lib/platform/drafts.ts) until
 * they confirm on check answers.
 */

export const MESSAGES = {
  name: 'Enter their full name',
  nameTooLong: 'Full name must be 100 characters or less',
  nameCharacters: 'Full name must only include letters, spaces, hyphens and apostrophes',
  channel: 'Select how we should send the invitation',
  email: 'Enter their email address',
  emailInvalid: 'Enter an email address in the correct format, like name@example.com',
  emailTooLong: 'Email address must be 254 characters or less',
  emailYours: 'Enter their email address, not your own',
  mobile: 'Enter their UK mobile phone number',
  mobileInvalid: 'Enter a UK mobile phone number, like 07700 900 982',
  mobileTooLong: 'Mobile phone number must be 20 characters or less',
  mobileYours: 'Enter their mobile phone number, not your own',
  alreadyInvited: 'You have already invited someone at this address. Their invitation or access is on your list',
  permissions: 'Select what they can do for you',
  howLong: 'Select how long they can act for you',
  endsOnPast: 'The date their access ends must be in the future',
  endsOnTooFar: 'The date their access ends must be within 5 years',
} as const;

/** Longest an access given "until a date" can last. */
export const LONGEST_ACCESS_YEARS = 5;

export type InviteContact = { channel: 'email'; email: string } | { channel: 'text'; mobile: string };
export type HowLong = { until: 'stopped' } | { until: 'date'; lastDay: LondonDay };

export type InviteAnswers = {
  name?: string;
  contact?: InviteContact;
  permissions?: ProxyPermission[];
  howLong?: HowLong;
};

export type CompleteInvite = Required<InviteAnswers>;

const NAME_CHARACTERS = /^[\p{L}\p{M}][\p{L}\p{M} .'’-]*$/u;

export const nameSchema = z.object({
  name: requiredText({ required: MESSAGES.name, tooLong: MESSAGES.nameTooLong }, 100)
    .transform((name) => name.replace(/\s+/g, ' '))
    .refine((name) => NAME_CHARACTERS.test(name), MESSAGES.nameCharacters),
});

/** The contact fields' names, as the view uses them. */
export const CONTACT_FIELDS = { channel: 'channel', email: 'email', mobile: 'mobile' } as const;

/**
 * "How should we send the invitation?": email or text message, and the address for the one
 * chosen (the other box is ignored). Each problem is on the box to fix.
 */
export const contactSchema = z.record(z.string(), z.unknown()).transform((values, ctx): InviteContact => {
  const fail = (field: string, message: string) => {
    ctx.addIssue({ code: 'custom', message, path: [field] });
    return z.NEVER;
  };
  const text = (field: string) => {
    const value = values[field];
    return typeof value === 'string' ? value.trim() : '';
  };
  const channel = values[CONTACT_FIELDS.channel];
  if (channel === 'email') {
    const email = text(CONTACT_FIELDS.email);
    if (!email) return fail(CONTACT_FIELDS.email, MESSAGES.email);
    if (email.length > 254) return fail(CONTACT_FIELDS.email, MESSAGES.emailTooLong);
    if (!isEmailAddress(email)) return fail(CONTACT_FIELDS.email, MESSAGES.emailInvalid);
    return { channel, email };
  }
  if (channel === 'text') {
    const typed = text(CONTACT_FIELDS.mobile);
    if (!typed) return fail(CONTACT_FIELDS.mobile, MESSAGES.mobile);
    if (typed.length > 20) return fail(CONTACT_FIELDS.mobile, MESSAGES.mobileTooLong);
    const mobile = normaliseUkMobile(typed);
    if (!mobile) return fail(CONTACT_FIELDS.mobile, MESSAGES.mobileInvalid);
    return { channel, mobile };
  }
  return fail(CONTACT_FIELDS.channel, MESSAGES.channel);
});

export const permissionsSchema = z.object({
  permissions: z
    .union([z.string(), z.array(z.string())], { error: MESSAGES.permissions })
    .transform((value) => (Array.isArray(value) ? value : [value]))
    .pipe(z.array(z.enum(PROXY_PERMISSIONS, { error: MESSAGES.permissions })).min(1, MESSAGES.permissions))
    // In their usual order, each once.
    .transform((chosen) => PROXY_PERMISSIONS.filter((permission) => chosen.includes(permission))),
});

/** The how-long fields' names, as the view uses them. */
export const HOW_LONG_FIELDS = { until: 'until', ...dateInputFields('endsOn') } as const;

/** "How long can they act for you?": until you stop it, or until the end of a day in the next 5 years. */
export function howLongSchema(now: Date) {
  return z.record(z.string(), z.unknown()).transform((values, ctx): HowLong => {
    const fail = (field: string, message: string) => {
      ctx.addIssue({ code: 'custom', message, path: [field] });
      return z.NEVER;
    };
    const until = values[HOW_LONG_FIELDS.until];
    if (until === 'stopped') return { until };
    if (until !== 'date') return fail(HOW_LONG_FIELDS.until, MESSAGES.howLong);
    const read = readDateInput(values, 'endsOn', { label: 'The date their access ends', enter: 'Enter the date their access ends' });
    if (!read.ok) return fail(read.problem.field, read.problem.message);
    const lastDay = isoDate(read.date);
    const today = londonDay(now);
    if (lastDay <= today) return fail(HOW_LONG_FIELDS.day, MESSAGES.endsOnPast);
    const [year, month, day] = today.split('-').map(Number) as [number, number, number];
    const latest = isoDate({ year: year + LONGEST_ACCESS_YEARS, month, day });
    if (lastDay > latest) return fail(HOW_LONG_FIELDS.year, MESSAGES.endsOnTooFar);
    return { until: 'date', lastDay };
  });
}

/** When an access given until a day ends: as that day ends in the UK. */
export function endsAtOf(howLong: HowLong): Date | null {
  return howLong.until === 'date' ? startOfLondonDay(addDays(howLong.lastDay, 1)) : null;
}

/** The last whole day of an access that ends at `endsAt` (the inverse of endsAtOf). */
export function lastDayOf(endsAt: Date): LondonDay {
  return londonDay(new Date(endsAt.getTime() - 1));
}

/** The answers as kept in the draft, checked again whenever they are read. */
export const inviteAnswersSchema = z.object({
  name: z.string().min(1).max(100).optional(),
  contact: z
    .discriminatedUnion('channel', [
      z.object({ channel: z.literal('email'), email: z.string().min(3).max(254) }),
      z.object({ channel: z.literal('text'), mobile: z.string().min(11).max(20) }),
    ])
    .optional(),
  permissions: z.array(z.enum(PROXY_PERMISSIONS)).min(1).optional(),
  howLong: z
    .discriminatedUnion('until', [
      z.object({ until: z.literal('stopped') }),
      z.object({ until: z.literal('date'), lastDay: z.string().regex(/^\d{4}-\d{2}-\d{2}$/) }),
    ])
    .optional(),
});

/** The questions in order: the first one not answered is where the journey goes next. */
export const INVITE_QUESTIONS = ['name', 'contact', 'permissions', 'howLong'] as const;
export type InviteQuestion = (typeof INVITE_QUESTIONS)[number];

export function firstUnanswered(answers: InviteAnswers): InviteQuestion | null {
  return INVITE_QUESTIONS.find((question) => answers[question] === undefined) ?? null;
}

export function completeInvite(answers: InviteAnswers | null): CompleteInvite | null {
  if (!answers || firstUnanswered(answers) !== null) return null;
  return answers as CompleteInvite;
}

/** The address the invitation goes to, as people read it. */
export function contactText(contact: InviteContact): string {
  return contact.channel === 'email' ? contact.email : contact.mobile;
}

/** Whether two addresses are the same: email ignoring case, mobiles as numbers. */
export function sameContact(a: InviteContact, b: { email?: string | null; mobile?: string | null }): boolean {
  if (a.channel === 'email') return Boolean(b.email) && a.email.toLowerCase() === b.email!.trim().toLowerCase();
  return Boolean(b.mobile) && normaliseUkMobile(a.mobile) === normaliseUkMobile(b.mobile!);
}
