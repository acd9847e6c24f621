import { conditionHelpFor } from '@/lib/about-me/public';
import { getDb } from '@/lib/platform/db';
import { log } from '@/lib/platform/log';
import { pageRoute, renderPage, type PageRequest } from '@/lib/platform/page';
import { redirect } from '@/lib/platform/render';
import { formatWhen } from '@/lib/platform/uk-time';
import { PROVIDER_NAMES } from './auth';
import { citizenPage } from './citizen-page';
import { recentSignIns, revokeOtherSessions } from './session-store';
import { ACCOUNT_CLOSED_STATE, signOut } from './sign-out';
import { currentStaff, signOutStaff } from './staff-page';
import { safeReturnTo } from './return-to';
import { paths } from '@/lib/platform/paths';

const DEVICE_NAMES: Record<string, string> = { mobile: 'mobile phone', tablet: 'tablet', computer: 'computer' };

/** "Computer", "Shared computer", "Mobile phone": one short column, so the table fits a small screen. */
export function deviceDescription(kind: string, shared: boolean): string {
  const name = DEVICE_NAMES[kind] ?? 'device';
  const text = shared ? `shared ${name}` : name;
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/**
 * The account home. Someone acting for another person (lib/proxy) sees that person's home: only
 * what their permissions open, and the way back to their own record.
 */
export const accountPage = citizenPage(async (page) => {
  const fullName = `${page.citizen.user.givenName} ${page.citizen.user.familyName}`;
  const { actor } = page.citizen;
  if (actor) return renderPage(page, 'identity/account-acting.njk', { fullName, permissions: actor.permissions, sharedDevice: page.citizen.sharedDevice });
  return renderPage(page, 'identity/account.njk', {
    fullName,
    sharedDevice: page.citizen.sharedDevice,
    conditionHelp: await conditionHelpFor(getDb(), page.citizen.userId),
  });
}, 'citizen-or-proxy');

export const signInHistoryPage = {
  GET: citizenPage(async (page) => {
    const events = await recentSignIns(getDb(), page.citizen.userId);
    const rows = events.map((event) => [
      { text: formatWhen(event.at) },
      { text: PROVIDER_NAMES[event.provider as keyof typeof PROVIDER_NAMES] ?? event.provider },
      { text: deviceDescription(event.deviceKind, event.sharedDevice) },
    ]);
    return renderPage(page, 'identity/sign-in-history.njk', { rows, signedOutOthers: page.url.searchParams.get('signedOut') === 'others' });
  }),
  POST: citizenPage(async (page) => {
    const count = await revokeOtherSessions(getDb(), page.citizen.userId, page.citizen.id);
    log.info('signed-out-other-devices', { sessions: count });
    return redirect(`${paths.signInHistory}?signedOut=others`);
  }),
};

/** Citizens and staff share one sign-out address, as they share the session cookie. */
async function signOutAnyone(page: PageRequest): Promise<Response> {
  const staff = await currentStaff(page.req);
  return staff.state === 'signed-in' ? signOutStaff(staff.staff) : signOut(page.session);
}

/**
 * Sign out: the header's link signs out straight away when it comes from one of our own
 * pages (Sec-Fetch-Site), so a link on another site cannot sign people out; anything
 * else gets a one-button form.
 */
export const signOutPage = {
  GET: pageRoute((page) => {
    const site = page.req.headers.get('sec-fetch-site');
    if (site === 'same-origin' || site === 'none') return signOutAnyone(page);
    return renderPage(page, 'identity/sign-out.njk');
  }),
  POST: pageRoute(async (page) => {
    return signOutAnyone(page);
  }),
};

export const signedOutPage = pageRoute((page) => {
  // Back from the provider's sign-out after closing the account (sign-out.ts): its own page.
  if (page.url.searchParams.get('state') === ACCOUNT_CLOSED_STATE) return redirect(paths.accountClosed);
  const timedOut = page.url.searchParams.get('reason') === 'timeout';
  return renderPage(page, 'identity/signed-out.njk', { timedOut, returnTo: safeReturnTo(page.url.searchParams.get('returnTo') ?? undefined) });
});
