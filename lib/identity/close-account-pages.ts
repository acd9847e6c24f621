import { z } from 'zod';
import { config } from '@/lib/platform/config';
import { getDb } from '@/lib/platform/db';
import { log } from '@/lib/platform/log';
import { deliverSoon } from '@/lib/platform/outbox';
import { formPage, pageRoute, renderPage } from '@/lib/platform/page';
import { paths } from '@/lib/platform/paths';
import { redirect } from '@/lib/platform/render';
import { identitiesOf } from './account-links';
import { PROVIDER_NAMES } from './auth';
import { citizenPage, type CitizenPageRequest } from './citizen-page';
import { closeAccount } from './close-account';
import { ACCOUNT_CLOSED_STATE, signOutAtProvider } from './sign-out';

/**
 * "Close your account": what is deleted and what is kept and why, a box to tick, then the
 * account is closed (close-account.ts), this browser signed out here and at the identity
 * provider, ending on the public "Your account has been closed" page.
 */

export const CONFIRM_MESSAGE = 'Select that you understand your information will be deleted and cannot be got back';

/** "GOV.UK One Login and NHS login": the ways this account signs in, as the page names them. */
async function signInMethods(userId: string): Promise<{ signInMethods: string; several: boolean }> {
  const names = (await identitiesOf(getDb(), userId)).map((identity) => PROVIDER_NAMES[identity.provider as keyof typeof PROVIDER_NAMES] ?? identity.provider);
  const text = names.length > 1 ? `${names.slice(0, -1).join(', ')} and ${names.at(-1)}` : (names[0] ?? 'GOV.UK One Login or NHS login');
  return { signInMethods: text, several: names.length > 1 };
}

export const closeAccountPage = formPage<{ confirm: 'yes' }, undefined, CitizenPageRequest>({
  route: citizenPage,
  view: 'identity/close-account.njk',
  schema: z.object({ confirm: z.literal('yes', { error: CONFIRM_MESSAGE }) }),
  lists: ['confirm'],
  context: (page) => signInMethods(page.citizen.userId),
  onValid: async (_answers, page) => {
    const { citizen } = page;
    // Changes queued just now (an address, a sharing choice turned off) get the moment every page
    // gives them to go; whatever is still waiting after that is cancelled with the account.
    await deliverSoon(citizen.userId);
    const closed = await closeAccount(getDb(), citizen.userId, page.now);
    log.info('account-closed', { provider: citizen.provider, ...(closed ?? { alreadyClosed: true }) });
    const issuer = config().identity.providers.find((known) => known.id === citizen.provider)?.issuer;
    return signOutAtProvider(issuer, citizen.idToken, ACCOUNT_CLOSED_STATE);
  },
});

/**
 * Public, and nothing personal on it (it may be a shared computer). Someone signed in who comes
 * here (a link, an old tab) has an account: their account page rather than a false "closed".
 */
export const accountClosedPage = pageRoute((page) => {
  if (page.session.state === 'signed-in') return redirect(paths.account);
  return renderPage(page, 'identity/account-closed.njk');
});
