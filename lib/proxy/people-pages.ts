import { z } from 'zod';
import { auditedTransaction } from '@/lib/audit/public';
import { contactPreferencesOf } from '@/lib/contact-details/public';
import { citizenGuard, citizenPage, guardedCitizen, type Citizen } from '@/lib/identity/public';
import { getDb } from '@/lib/platform/db';
import { readDraft, saveDraft, takeDraft } from '@/lib/platform/drafts';
import { notFound } from '@/lib/platform/errors';
import type { FormErrors } from '@/lib/platform/forms';
import { validateForm } from '@/lib/platform/forms';
import { log } from '@/lib/platform/log';
import { deliverSoon } from '@/lib/platform/outbox';
import { formPage, pageRoute, renderPage, routeParam, type PageRequest } from '@/lib/platform/page';
import { paths } from '@/lib/platform/paths';
import { redirect } from '@/lib/platform/render';
import { accessesOfPerson, accessOfPerson, canChange, changePermissions, endAccess, type PersonsAccess } from './accesses';
import {
  completeInvite,
  CONTACT_FIELDS,
  contactSchema,
  contactText,
  firstUnanswered,
  HOW_LONG_FIELDS,
  howLongSchema,
  inviteAnswersSchema,
  MESSAGES,
  nameSchema,
  permissionsSchema,
  sameContact,
  type InviteAnswers,
  type InviteContact,
  type InviteQuestion,
} from './invite-answers';
import { createInvitation, INVITATION_DAYS, INVITATIONS_PER_DAY, invitationsSentToday, openInvitationAddresses } from './invitations';
import { basisText, dateText, howLongAnswerText, howLongText, permissionItems, permissionLabels, STATE_TAGS } from './views';

/**
 * The person's side of acting for someone else: "People who can act for you" (who can, who is
 * invited, what has ended), inviting someone (a question a page, check answers, sent), and one
 * access: what they can do, changing it, ending it. Every page is the signed-in person's own: an
 * id that is not theirs is "Page not found". The answers wait in their draft until they confirm.
 */

const PATHS = paths.peopleActingForYou;
const JOURNEY = 'proxy/invite';

/** For formPage: only the signed-in, registered citizen. */
const citizenOf = (page: PageRequest) => guardedCitizen(page);
const personOf = (citizen: Citizen) => ({ id: citizen.userId, givenName: citizen.user.givenName, familyName: citizen.user.familyName });

/** One problem on one field, as the form mechanism shows it. */
function fieldError(field: string, text: string): FormErrors {
  return { summary: [{ text, href: `#${field}` }], fields: { [field]: { text } } };
}

/** An access as the list and its page show it. */
function accessView(access: PersonsAccess) {
  return {
    ...access,
    tag: STATE_TAGS[access.state],
    basisText: basisText(access.basis),
    permissionLabels: permissionLabels(access.permissions),
    howLong: howLongText(access.endsAt),
    createdOn: dateText(access.createdAt),
    acceptedOn: dateText(access.acceptedAt),
    endedOn: dateText(access.endedAt),
    expiresOn: dateText(access.invitationExpiresAt),
    canChange: canChange(access),
  };
}

export const listPage = citizenPage(async (page) => {
  const { active, waiting, history } = await accessesOfPerson(getDb(), page.citizen.userId, page.now);
  const endedId = page.url.searchParams.get('ended');
  const ended = endedId ? await accessOfPerson(getDb(), page.citizen.userId, endedId, page.now) : null;
  return renderPage(page, 'proxy/people.njk', {
    active: active.map(accessView),
    waiting: waiting.map(accessView),
    history: history.map(accessView),
    ended: ended && accessView(ended),
  });
});

// Inviting someone ------------------------------------------------------------------------

const QUESTION_PATHS: Record<InviteQuestion, string> = {
  name: PATHS.inviteName,
  contact: PATHS.inviteContact,
  permissions: PATHS.invitePermissions,
  howLong: PATHS.inviteHowLong,
};

async function answersOf(page: PageRequest): Promise<InviteAnswers> {
  return (await readDraft(getDb(), citizenOf(page).userId, JOURNEY, inviteAnswersSchema, page.now)) ?? {};
}

/** Keeps the answers; the next page is the first question not answered yet, or check answers. */
async function saveAnswers(page: PageRequest, answers: InviteAnswers): Promise<string> {
  await saveDraft(getDb(), citizenOf(page).userId, JOURNEY, answers, page.now);
  const next = firstUnanswered(answers);
  return next ? QUESTION_PATHS[next] : PATHS.inviteCheckAnswers;
}

/** The page before each question: the list for the first, otherwise the question before. */
const BACK: Record<InviteQuestion, string> = {
  name: PATHS.list,
  contact: PATHS.inviteName,
  permissions: PATHS.inviteContact,
  howLong: PATHS.invitePermissions,
};

export const inviteNamePage = formPage({
  view: 'proxy/invite-name.njk',
  schema: nameSchema,
  access: 'citizen',
  guard: citizenGuard,
  context: async (page) => ({ saved: { name: (await answersOf(page)).name }, backLink: BACK.name }),
  onValid: async ({ name }, page) => saveAnswers(page, { ...(await answersOf(page)), name }),
});

/** Their address must not be the person's own, nor one already invited or acting. */
async function contactProblem(citizen: Citizen, contact: InviteContact, now: Date): Promise<FormErrors | null> {
  const field = contact.channel === 'email' ? CONTACT_FIELDS.email : CONTACT_FIELDS.mobile;
  const own = await contactPreferencesOf(getDb(), citizen.userId);
  if (sameContact(contact, { email: own.email, mobile: own.mobile })) {
    return fieldError(field, contact.channel === 'email' ? MESSAGES.emailYours : MESSAGES.mobileYours);
  }
  const open = await openInvitationAddresses(getDb(), citizen.userId, now);
  if (open.some((address) => sameContact(contact, address))) return fieldError(field, MESSAGES.alreadyInvited);
  return null;
}

function contactValues(contact: InviteContact | undefined): Record<string, string> {
  if (!contact) return {};
  return contact.channel === 'email' ? { channel: 'email', email: contact.email } : { channel: 'text', mobile: contact.mobile };
}

export const inviteContactPage = formPage({
  view: 'proxy/invite-contact.njk',
  access: 'citizen',
  guard: citizenGuard,
  validate: async (values, page) => {
    const result = validateForm(contactSchema, values);
    if (!result.ok) return result;
    const problem = await contactProblem(citizenOf(page), result.data, page.now);
    return problem ? { ok: false, errors: problem } : result;
  },
  context: async (page) => {
    const answers = await answersOf(page);
    return { saved: contactValues(answers.contact), invitedName: answers.name, backLink: BACK.contact };
  },
  onValid: async (contact, page) => saveAnswers(page, { ...(await answersOf(page)), contact }),
});

export const invitePermissionsPage = formPage({
  view: 'proxy/invite-permissions.njk',
  schema: permissionsSchema,
  access: 'citizen',
  guard: citizenGuard,
  lists: ['permissions'],
  context: async (page) => {
    const answers = await answersOf(page);
    return { saved: { permissions: answers.permissions ?? [] }, invitedName: answers.name, items: permissionItems(), backLink: BACK.permissions };
  },
  onValid: async ({ permissions }, page) => saveAnswers(page, { ...(await answersOf(page)), permissions }),
});

function howLongValues(answers: InviteAnswers): Record<string, string> {
  const howLong = answers.howLong;
  if (!howLong) return {};
  if (howLong.until === 'stopped') return { [HOW_LONG_FIELDS.until]: 'stopped' };
  const [year, month, day] = howLong.lastDay.split('-');
  return {
    [HOW_LONG_FIELDS.until]: 'date',
    [HOW_LONG_FIELDS.day]: String(Number(day)),
    [HOW_LONG_FIELDS.month]: String(Number(month)),
    [HOW_LONG_FIELDS.year]: year!,
  };
}

export const inviteHowLongPage = formPage({
  view: 'proxy/invite-how-long.njk',
  access: 'citizen',
  guard: citizenGuard,
  validate: (values, page) => validateForm(howLongSchema(page.now), values),
  context: async (page) => {
    const answers = await answersOf(page);
    return { saved: howLongValues(answers), invitedName: answers.name, backLink: BACK.howLong };
  },
  onValid: async (howLong, page) => saveAnswers(page, { ...(await answersOf(page)), howLong }),
});

const checkAnswersForm = formPage({
  view: 'proxy/invite-check-answers.njk',
  schema: z.object({}),
  access: 'citizen',
  guard: citizenGuard,
  context: async (page) => {
    const answers = completeInvite(await answersOf(page));
    return answers
      ? {
          name: answers.name,
          contactText: contactText(answers.contact),
          channel: answers.contact.channel,
          permissionLabels: permissionLabels(answers.permissions),
          howLong: howLongAnswerText(answers.howLong),
          invitationDays: INVITATION_DAYS,
        }
      : {};
  },
  onValid: async (_none, page) => {
    const citizen = citizenOf(page);
    const answers = completeInvite(await answersOf(page));
    // Sent twice (a double click): the first sent it and took the draft.
    if (!answers) return PATHS.inviteSent;
    if ((await invitationsSentToday(getDb(), citizen.userId, page.now)) >= INVITATIONS_PER_DAY) {
      return renderPage(page, 'proxy/too-many-invitations.njk', { perDay: INVITATIONS_PER_DAY }, { status: 429 });
    }
    const created = await auditedTransaction(getDb(), async (tx) =>
      (await takeDraft(tx, citizen.userId, JOURNEY, page.now)) ? createInvitation(tx, personOf(citizen), answers, page.now) : null,
    );
    if (created) {
      log.info('proxy-invited', { channel: answers.contact.channel, permissions: answers.permissions.length, until: answers.howLong.until });
      // Sent now, mostly before the next page.
      await deliverSoon(citizen.userId);
    }
    return PATHS.inviteSent;
  },
});

/** Check answers needs every answer: otherwise the first question not answered. */
export const inviteCheckAnswersPage = {
  GET: pageRoute(async (page) => {
    const refused = citizenGuard(page);
    if (refused) return refused;
    const next = firstUnanswered(await answersOf(page));
    return next ? redirect(QUESTION_PATHS[next]) : checkAnswersForm.GET(page.req);
  }, 'citizen'),
  POST: checkAnswersForm.POST,
};

/** How recent an invitation the confirmation shows: the one just sent, not an old one. */
const SENT_SHOWN_MS = 60 * 60_000;

export const inviteSentPage = citizenPage(async (page) => {
  const { waiting } = await accessesOfPerson(getDb(), page.citizen.userId, page.now);
  const sent = waiting.find((access) => access.basis === 'invited' && access.createdAt.getTime() > page.now.getTime() - SENT_SHOWN_MS);
  if (!sent) return redirect(PATHS.list);
  return renderPage(page, 'proxy/invite-sent.njk', { sent: accessView(sent), invitationDays: INVITATION_DAYS });
});

// One access ----------------------------------------------------------------------------

/** The access in the address, if it is the signed-in person's own: "Page not found" otherwise. */
async function ownAccess(page: PageRequest): Promise<PersonsAccess> {
  return (await accessOfPerson(getDb(), citizenOf(page).userId, routeParam(page, 'id'), page.now)) ?? notFound();
}

export const accessPage = citizenPage(async (page) => {
  const access = await ownAccess(page);
  return renderPage(page, 'proxy/access.njk', { access: accessView(access), changed: page.url.searchParams.get('changed') === 'permissions' });
});

export const accessPermissionsPage = formPage({
  view: 'proxy/access-permissions.njk',
  schema: permissionsSchema,
  access: 'citizen',
  guard: citizenGuard,
  lists: ['permissions'],
  load: async (page) => {
    const access = await ownAccess(page);
    return canChange(access) ? access : redirect(PATHS.access(access.id));
  },
  context: (_page, access) => ({ access: accessView(access), items: permissionItems() }),
  values: (_page, access) => ({ permissions: access.permissions }),
  onValid: async ({ permissions }, page, access) => {
    const changed = await changePermissions(getDb(), personOf(citizenOf(page)), access.id, permissions, page.now);
    if (changed) log.info('proxy-permissions-changed', { permissions: permissions.length });
    return changed ? `${PATHS.access(access.id)}?changed=permissions` : PATHS.access(access.id);
  },
});

export const accessEndPage = {
  GET: citizenPage(async (page) => {
    const access = await ownAccess(page);
    if (!canChange(access)) return redirect(PATHS.access(access.id));
    return renderPage(page, 'proxy/access-end.njk', { access: accessView(access) });
  }),
  POST: citizenPage(async (page) => {
    const access = await ownAccess(page);
    const ended = await endAccess(getDb(), personOf(page.citizen), access.id, page.now);
    if (!ended) return redirect(PATHS.access(access.id));
    log.info('proxy-ended', { by: 'person', state: access.state });
    return redirect(`${PATHS.list}?ended=${encodeURIComponent(access.id)}`);
  }),
};
