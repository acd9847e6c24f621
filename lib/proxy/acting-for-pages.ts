import { z } from 'zod';
import { citizenGuard, citizenPage, guardedCitizen, ownUser, type CitizenPageRequest } from '@/lib/identity/public';
import { getDb } from '@/lib/platform/db';
import { notFound } from '@/lib/platform/errors';
import { readForm, shownValue } from '@/lib/platform/forms';
import { choice } from '@/lib/platform/form-fields';
import { log } from '@/lib/platform/log';
import { formPage, renderPage, routeParam, type PageRequest } from '@/lib/platform/page';
import { paths } from '@/lib/platform/paths';
import { redirect } from '@/lib/platform/render';
import { peopleProxyActsFor, startActing, stopActing } from './accesses';
import { answerInvitation, invitationFor, type Invitation, type InvitationRefusal } from './invitations';
import { basisText, dateText, howLongText, permissionLabels, untilForProxy } from './views';

/**
 * The proxy's side: the invitation a link leads to (accept or decline, or a clear page saying
 * why they cannot), "People you can act for", and choosing whom this browser acts for. These
 * are the proxy's own business, so they use the proxy's own account (ownUser) even while acting.
 */

const PATHS = paths.actingFor;

/** Each refusal's page, and the status it is sent with. */
const REFUSALS: Record<InvitationRefusal, { status: number; title: string }> = {
  used: { status: 410, title: 'This invitation has already been used' },
  withdrawn: { status: 410, title: 'This invitation has been withdrawn' },
  expired: { status: 410, title: 'This invitation has expired' },
  'to-yourself': { status: 403, title: 'You cannot accept your own invitation' },
  unproven: { status: 403, title: 'You need to prove your identity first' },
  'already-acting': { status: 409, title: 'You can already act for this person' },
};

function refusalPage(page: PageRequest, refusal: InvitationRefusal, invitation: Invitation): Response {
  log.info('proxy-invitation-refused', { refusal });
  const { status, title } = REFUSALS[refusal];
  return renderPage(page, 'proxy/invitation-refused.njk', { refusal, title, personName: invitation.personName }, { status });
}

const ANSWERS = ['accept', 'decline'] as const;
const answerSchema = (personName: string) => z.object({ answer: choice(ANSWERS, { required: `Select yes if you want to act for ${personName}` }) });

type Loaded = { invitation: Invitation };

/** The invitation behind the link, for this signed-in person: a refusal page instead when they cannot answer it. */
async function loadInvitation(page: PageRequest): Promise<Loaded | Response> {
  const user = ownUser(guardedCitizen(page));
  const found = (await invitationFor(getDb(), routeParam(page, 'token'), user, page.now)) ?? notFound('unknown-invitation');
  return found.refusal ? refusalPage(page, found.refusal, found.invitation) : { invitation: found.invitation };
}

/** While acting for someone, the invitation is still the proxy's own business: open to them. */
export const invitationPage = formPage<{ answer: (typeof ANSWERS)[number] }, Loaded>({
  view: 'proxy/invitation.njk',
  schema: ({ invitation }) => answerSchema(invitation.personName),
  access: 'citizen-or-proxy',
  guard: citizenGuard,
  load: loadInvitation,
  context: (page, { invitation }) => ({
    invitation,
    permissionLabels: permissionLabels(invitation.permissions),
    until: untilForProxy(invitation.endsAt),
    expiresOn: dateText(invitation.expiresAt),
    action: PATHS.invitation(routeParam(page, 'token')),
  }),
  onValid: async ({ answer }, page) => {
    const user = ownUser(guardedCitizen(page));
    const answered = await answerInvitation(getDb(), routeParam(page, 'token'), user, answer, page.now);
    if (!answered) notFound('unknown-invitation');
    if (!answered.ok) return refusalPage(page, answered.refusal, answered.invitation);
    log.info(answer === 'accept' ? 'proxy-accepted' : 'proxy-declined', {});
    return answer === 'accept' ? `${PATHS.list}?accepted=${encodeURIComponent(answered.invitation.id)}` : `${PATHS.list}?declined=1`;
  },
});

export const actingForListPage = citizenPage(async (page) => {
  const people = await peopleProxyActsFor(getDb(), ownUser(page.citizen).id, page.now);
  const acceptedId = page.url.searchParams.get('accepted');
  return renderPage(page, 'proxy/acting-for.njk', {
    people: people.map((person) => ({
      ...person,
      basisText: basisText(person.basis),
      permissionLabels: permissionLabels(person.permissions),
      howLong: howLongText(person.endsAt),
      actingNow: page.citizen.actingForId === person.id,
    })),
    accepted: acceptedId ? people.find((person) => person.id === acceptedId) : undefined,
    declined: page.url.searchParams.get('declined') === '1',
    actingFor: people.find((person) => person.id === page.citizen.actingForId),
  });
}, 'citizen-or-proxy');

/** The session this request came with, and the proxy's own account. */
const sessionOf = (page: CitizenPageRequest) => ({ id: page.citizen.id, proxyId: ownUser(page.citizen).id });

/** "Act for Amelia Testwell": this browser acts for them from the next page on. Only an active access of this proxy's own. */
export const startActingAction = citizenPage(async (page) => {
  const accessId = shownValue(await readForm(page.req), 'accessId');
  if (!(await startActing(getDb(), sessionOf(page), accessId, page.now))) notFound('not-acting-for');
  log.info('proxy-acting-started', {});
  return redirect(paths.account);
}, 'citizen-or-proxy');

/** Back to their own record. */
export const stopActingAction = citizenPage(async (page) => {
  await stopActing(getDb(), page.citizen.id);
  return redirect(PATHS.list);
}, 'citizen-or-proxy');
