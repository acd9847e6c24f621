import { pageRoute, type PageRequest } from '@/lib/platform/page';
import { redirect } from '@/lib/platform/render';
import type { Citizen } from './citizen';
import { nextStep, REGISTRATION_PATHS } from './registration';
import { registrationProgress } from './registration-store';
import { signedOutCookies } from './sign-out';

export type CitizenPageRequest = PageRequest & { citizen: Citizen };

/**
 * Where someone who is not signed in goes instead. Signed out: to sign in, then back here.
 * A session that timed out or was revoked: told so, with nothing personal shown.
 */
export function notSignedIn(page: PageRequest): Response {
  const returnTo = encodeURIComponent(`${page.url.pathname}${page.url.search}`);
  if (page.session.state === 'ended') {
    return redirect(`/signed-out?reason=timeout&returnTo=${returnTo}`, { cookies: signedOutCookies() });
  }
  return redirect(`/sign-in?returnTo=${returnTo}`);
}

/**
 * A page only for the signed-in, registered citizen. Until the registration journey is
 * confirmed the account cannot be used: every such page sends them back into it.
 */
export function citizenPage(handler: (page: CitizenPageRequest) => Response | Promise<Response>) {
  return pageRoute(async (page) => {
    if (page.session.state !== 'signed-in') return notSignedIn(page);
    const { citizen } = page.session;
    if (!citizen.user.registeredAt) return redirect(REGISTRATION_PATHS[nextStep(registrationProgress(citizen))]);
    return handler({ ...page, citizen });
  });
}
