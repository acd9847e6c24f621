import { HttpError } from '@/lib/platform/errors';
import { pageRoute, type Access, type FormRoute, type PageRequest, type PageRoute } from '@/lib/platform/page';
import { redirect } from '@/lib/platform/render';
import type { Citizen } from './citizen';
import { nextStep, REGISTRATION_PATHS } from './registration';
import { registrationProgress } from './registration-store';
import { signedOutCookies } from './sign-out';
import { paths } from '@/lib/platform/paths';

export type CitizenPageRequest = PageRequest & { citizen: Citizen };

/**
 * Where someone who is not signed in goes instead. Signed out: to sign in, then back here.
 * A session that timed out or was revoked: told so, with nothing personal shown.
 */
export function notSignedIn(page: PageRequest): Response {
  const returnTo = encodeURIComponent(`${page.url.pathname}${page.url.search}`);
  if (page.session.state === 'ended') {
    return redirect(`${paths.signedOut}?reason=timeout&returnTo=${returnTo}`, { cookies: signedOutCookies() });
  }
  return redirect(`${paths.signIn}?returnTo=${returnTo}`);
}

/**
 * Who may use a citizen page: the signed-in, registered citizen. Until the registration
 * journey is confirmed the account cannot be used: every such page sends them back into it.
 * A response instead of the page, or null to go on (formPage's guard).
 */
export function citizenGuard(page: PageRequest): Response | null {
  if (page.session.state !== 'signed-in') return notSignedIn(page);
  const { citizen } = page.session;
  if (!citizen.user.registeredAt) return redirect(REGISTRATION_PATHS[nextStep(registrationProgress(citizen))]);
  return null;
}

/** The citizen of a page that passed citizenGuard (a 403 refusal, never a 500, if one did not). */
export function guardedCitizen(page: PageRequest): Citizen {
  if (page.session.state !== 'signed-in') throw new HttpError(403, 'not-signed-in');
  return page.session.citizen;
}

/** Who a citizen page is for: the citizen only, or someone acting for them too (lib/proxy; pageRoute enforces it). */
export type CitizenAccess = Extract<Access, 'citizen' | `citizen-or-proxy${string}`>;

/**
 * A page only for the signed-in, registered citizen (citizenGuard): by default never for someone
 * acting for them; `access` opens it to them (any proxy, or one with a permission).
 */
export function citizenPage(handler: (page: CitizenPageRequest) => Response | Promise<Response>, access: CitizenAccess = 'citizen') {
  return pageRoute(async (page) => citizenGuard(page) ?? handler({ ...page, citizen: guardedCitizen(page) }), access);
}

/** citizenPage for a form (formPage's `route`), with who else may use it. */
export function citizenRoute(
  access: CitizenAccess,
): FormRoute<CitizenPageRequest> & ((handler: (page: CitizenPageRequest) => Response | Promise<Response>) => PageRoute) {
  return (handler) => citizenPage(handler, access);
}
