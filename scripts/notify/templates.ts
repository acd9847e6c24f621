import { DEVELOPMENT_TEMPLATE_IDS } from '../../lib/notifications/config';
import type { Template } from '../../lib/notifications/templates';

/**
 * The local Notify stand-in's copies of the service's templates, under the made-up ids the
 * service uses in development (lib/notifications/config.ts). In GOV.UK Notify these are set up
 * in the service's account, with the same placeholders: ((first_name)), ((sender)),
 * ((service_name)) and ((link)). None says anything about anyone's health.
 */

export type StoredTemplate = { id: string; name: string; type: 'email' | 'sms'; subject?: string; body: string };

const TEXTS: Record<Template, { email: { subject: string; body: string }; sms: string }> = {
  'new-letter': {
    email: {
      subject: 'You have a new letter',
      body: 'Dear ((first_name))\n\nYou have a new letter from ((sender)) in ((service_name)).\n\nSign in to read it: ((link))',
    },
    sms: '((service_name)): you have a new letter from ((sender)). Sign in to read it: ((link))',
  },
  'engagement-invitation': {
    email: {
      subject: 'You are invited to have your say',
      body: 'Dear ((first_name))\n\n((sender)) would like to hear from you.\n\nSign in to ((service_name)) to find out more and take part: ((link))',
    },
    sms: '((service_name)): ((sender)) would like to hear from you. Sign in to find out more: ((link))',
  },
  'change-not-delivered': {
    email: {
      subject: 'We could not pass on a change to your details',
      body: 'Dear ((first_name))\n\nWe could not pass on a change you made to your contact details to one of the organisations that look after you.\n\nSign in to ((service_name)) to see which one and what you can do: ((link))',
    },
    sms: '((service_name)): we could not pass on a change you made to your contact details. Sign in to see what you can do: ((link))',
  },
  'proxy-invitation': {
    email: {
      subject: '((sender)) has invited you to act for them',
      body: 'Dear ((first_name))\n\n((sender)) has invited you to help with their health and care in ((service_name)).\n\nTo accept or decline, open this link and sign in: ((link))\n\nIf you do not have an account yet, you will set one up first. Then open the link again.\n\nThe link works for 14 days and only once. If you do not know ((sender)), you can ignore this email.',
    },
    sms: '((service_name)): ((sender)) has invited you to act for them. To accept or decline, open this link and sign in. It works for 14 days: ((link))',
  },
};

export const STORED_TEMPLATES: ReadonlyMap<string, StoredTemplate> = new Map(
  (Object.keys(TEXTS) as Template[]).flatMap((name): [string, StoredTemplate][] => [
    [DEVELOPMENT_TEMPLATE_IDS[name].email, { id: DEVELOPMENT_TEMPLATE_IDS[name].email, name: `${name} (email)`, type: 'email', ...TEXTS[name].email }],
    [DEVELOPMENT_TEMPLATE_IDS[name].sms, { id: DEVELOPMENT_TEMPLATE_IDS[name].sms, name: `${name} (text message)`, type: 'sms', body: TEXTS[name].sms }],
  ]),
);

/** The placeholders a text uses, each once. */
export function placeholdersOf(text: string): string[] {
  return [...new Set([...text.matchAll(/\(\(([a-z_]+)\)\)/gi)].map((match) => match[1]!))];
}

/** The text with each placeholder filled in. */
export function fill(text: string, personalisation: Record<string, string>): string {
  return text.replace(/\(\(([a-z_]+)\)\)/gi, (_, key: string) => personalisation[key] ?? '');
}
