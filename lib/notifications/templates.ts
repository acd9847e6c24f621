import { paths } from '@/lib/platform/paths';

/**
 * What the service tells citizens by email or text message, through GOV.UK Notify. The wording
 * of each message is a template kept in Notify (the local stand-in keeps its own copies, in
 * scripts/notify/templates.ts); here are only which templates there are and what fills them.
 *
 * No message ever says anything about anyone's health: a message says only that there is
 * something to read, and links to the service, where the citizen signs in to read it. So the
 * personalisation is limited to the keys below, and none of them can carry a health detail or an
 * NHS number: the citizen's first name, the name of the organisation, the service's name and a
 * link to a page of the service. (An invitation to act for someone names who sent it, and greets
 * the invitee by the name they were given.)
 */

export const TEMPLATES = ['new-letter', 'engagement-invitation', 'change-not-delivered', 'proxy-invitation'] as const;
export type Template = (typeof TEMPLATES)[number];

export function isTemplate(value: string): value is Template {
  return (TEMPLATES as readonly string[]).includes(value);
}

/** Every key any message may be filled with: nothing outside this list is ever sent to Notify. */
export const PERSONALISATION_KEYS = ['first_name', 'sender', 'service_name', 'link'] as const;
export type PersonalisationKey = (typeof PERSONALISATION_KEYS)[number];

/**
 * What the caller gives (the rest the service fills in when sending), and the page the link opens.
 * `addressed`: sent not to a citizen's own email or mobile but to an address someone gave (an
 * invitation to act for them); what it says and where it goes are asked of the capability that
 * queued it when it is sent (see sender.ts), and its own link replaces `linkPath`.
 */
export const TEMPLATE_FIELDS: Record<Template, { fromCaller: readonly PersonalisationKey[]; linkPath: string; addressed?: true }> = {
  // "You have a new letter from ((sender))": the organisation's name, never what the letter is about.
  'new-letter': { fromCaller: ['sender'], linkPath: paths.letters.inbox },
  // "((sender)) would like to hear from you": never the activity's title, which can name a condition.
  'engagement-invitation': { fromCaller: ['sender'], linkPath: paths.engagement.home },
  // Once per change, however many organisations it did not reach: no organisation is named.
  'change-not-delivered': { fromCaller: [], linkPath: paths.contactDetails.summary },
  // "((sender)) has invited you to act for them": the person's name and the name they gave for
  // whom they invite (as first_name), never what they may do; the link is the invitation's own.
  'proxy-invitation': { fromCaller: ['first_name', 'sender'], linkPath: paths.actingFor.list, addressed: true },
};

/** Longest value a caller may give: an organisation's name, not a paragraph. */
export const MAX_VALUE_LENGTH = 100;

export class PersonalisationError extends Error {}

/**
 * The caller's part of the personalisation, checked: only the keys the template takes, each a
 * short line of text with no long run of digits (an NHS number, a date of birth).
 */
export function callerPersonalisation(template: Template, given: Record<string, string> = {}): Record<string, string> {
  const allowed = TEMPLATE_FIELDS[template].fromCaller as readonly string[];
  const checked: Record<string, string> = {};
  for (const [key, value] of Object.entries(given)) {
    if (!allowed.includes(key)) throw new PersonalisationError(`${template} takes no "${key}"`);
    const text = String(value).replace(/\s+/g, ' ').trim();
    if (!text || text.length > MAX_VALUE_LENGTH) throw new PersonalisationError(`${template}: "${key}" must be 1 to ${MAX_VALUE_LENGTH} characters`);
    if (/\d{6,}/.test(text.replace(/[\s\-/.]/g, ''))) throw new PersonalisationError(`${template}: "${key}" must not contain long numbers`);
    checked[key] = text;
  }
  for (const key of allowed) if (!(key in checked)) throw new PersonalisationError(`${template} needs "${key}"`);
  return checked;
}

/**
 * The whole personalisation sent to Notify: the caller's part and what the service fills in. An
 * addressed message's first name is the caller's (the name someone gave), and `linkPath` its own page.
 */
export function fullPersonalisation(
  template: Template,
  fromCaller: Record<string, string>,
  service: { firstName: string; serviceName: string; publicUrl: string; linkPath?: string },
): Partial<Record<PersonalisationKey, string>> {
  return {
    first_name: service.firstName,
    ...callerPersonalisation(template, fromCaller),
    service_name: service.serviceName,
    link: `${service.publicUrl}${service.linkPath ?? TEMPLATE_FIELDS[template].linkPath}`,
  };
}
