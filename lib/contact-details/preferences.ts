import { z } from 'zod';
import { choice, requiredText } from '@/lib/platform/form-fields';
import { ORGANISATION_IDS, ORGANISATIONS, type OrganisationId } from './organisations';
import { isEmailAddress, normaliseUkMobile } from '@/lib/platform/contact-formats';

/** How the citizen wants to be contacted, and which organisations should send fewer letters. */

export const CHANNELS = ['email', 'text', 'post', 'service-only'] as const;
export type Channel = (typeof CHANNELS)[number];

export const CHANNEL_LABELS: Record<Channel, string> = {
  email: 'Email',
  text: 'Text message',
  post: 'Letter by post',
  'service-only': 'Only through this service',
};

/** Email, text and the service itself are digital; the benefits case counts moves from post to these. */
export function isDigital(channel: Channel): boolean {
  return channel !== 'post';
}

/**
 * Whether a change counts as a switch from post to digital. Without a recorded preference the
 * organisations write by post, so a first choice of a digital channel counts too.
 */
export function isPostToDigitalSwitch(previous: Channel | null, next: Channel): boolean {
  return (previous ?? 'post') === 'post' && isDigital(next);
}

export const MESSAGES = {
  channel: 'Select how you would like to be contacted',
  email: 'Enter your email address',
  emailInvalid: 'Enter an email address in the correct format, like name@example.com',
  emailTooLong: 'Email address must be 254 characters or less',
  mobile: 'Enter your UK mobile phone number',
  mobileInvalid: 'Enter a UK mobile phone number, like 07700 900 982',
  mobileTooLong: 'Mobile phone number must be 20 characters or less',
  fewerLetters: 'Select which organisations should send you fewer letters, or select that you want letters as usual',
  fewerLettersBoth: 'Select organisations, or select that you want letters as usual, not both',
} as const;

export { isEmailAddress, normaliseUkMobile };

const emailField = requiredText({ required: MESSAGES.email, tooLong: MESSAGES.emailTooLong }, 254).refine(isEmailAddress, MESSAGES.emailInvalid);
const mobileField = requiredText({ required: MESSAGES.mobile, tooLong: MESSAGES.mobileTooLong }, 20).transform((value, context) => {
  const mobile = normaliseUkMobile(value);
  if (!mobile) {
    context.addIssue({ code: 'custom', message: MESSAGES.mobileInvalid });
    return z.NEVER;
  }
  return mobile;
});

/** "How would you like to be contacted?" (the email address or mobile number is the next question). */
export const howToContactSchema = z.object({ channel: choice(CHANNELS, { required: MESSAGES.channel }) });

export const emailAddressSchema = z.object({ email: emailField });
export const mobileNumberSchema = z.object({ mobile: mobileField });

export type HowToContact = { channel: Channel; email?: string; mobile?: string };

export const NO_FEWER_LETTERS = 'none';

/** "Which organisations should send you fewer letters?": organisation ids, or none. */
export const fewerLettersSchema = z
  .object({
    fewerLetters: z
      .union([z.string(), z.array(z.string())], { error: MESSAGES.fewerLetters })
      .transform((value) => (Array.isArray(value) ? value : [value]))
      .pipe(z.array(z.enum([...ORGANISATION_IDS, NO_FEWER_LETTERS], { error: MESSAGES.fewerLetters })).min(1, MESSAGES.fewerLetters))
      .refine((chosen) => !(chosen.includes(NO_FEWER_LETTERS) && chosen.length > 1), MESSAGES.fewerLettersBoth)
      .transform((chosen) => [...new Set(chosen.filter((id): id is OrganisationId => id !== NO_FEWER_LETTERS))]),
  })
  .transform((answers) => answers.fewerLetters);

/** What the journey collects before check answers. */
export const preferenceDraftSchema = z.object({
  channel: z.enum(CHANNELS).optional(),
  email: z.string().optional(),
  mobile: z.string().optional(),
  fewerLetters: z.array(z.enum(ORGANISATION_IDS)).optional(),
});
export type PreferenceDraft = z.infer<typeof preferenceDraftSchema>;

export type PreferenceAnswers = HowToContact & { fewerLetters: OrganisationId[] };

/** The draft as complete answers, or null while a question is unanswered. */
export function completePreference(draft: PreferenceDraft): PreferenceAnswers | null {
  if (!draft.channel || !draft.fewerLetters) return null;
  if (draft.channel === 'email' && !draft.email) return null;
  if (draft.channel === 'text' && !draft.mobile) return null;
  return {
    channel: draft.channel,
    ...(draft.channel === 'email' ? { email: draft.email } : {}),
    ...(draft.channel === 'text' ? { mobile: draft.mobile } : {}),
    fewerLetters: draft.fewerLetters,
  };
}

/** "Email: name@example.com" style, for check answers and the summary. */
export function describeChannel(answers: HowToContact): string {
  if (answers.channel === 'email') return `Email: ${answers.email}`;
  if (answers.channel === 'text') return `Text message: ${answers.mobile}`;
  return CHANNEL_LABELS[answers.channel];
}

export function describeFewerLetters(fewerLetters: readonly string[]): string[] {
  const names = ORGANISATIONS.filter((organisation) => fewerLetters.includes(organisation.id)).map((organisation) => organisation.name);
  return names.length ? names : ['No, letters as usual'];
}
