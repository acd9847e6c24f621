import { pageRoute, type PageRequest } from '@/lib/platform/page';
import { redirect } from '@/lib/platform/render';
import type { Citizen } from './citizen';
import { signedOutCookies } from './sign-out';

export type CitizenPageRequest = PageRequest & { citizen: Citizen };

/**
 * A page only for the signed-in citizen. Signed out: to sign in, then back here. A session
 * that timed out or was revoked: told so, with nothing personal shown.
 */
export function citizenPage(handler: (page: CitizenPageRequest) => Response | Promise<Response>) {
  return pageRoute(async (page) => {
    const returnTo = encodeURIComponent(`${page.url.pathname}${page.url.search}`);
    if (page.session.state === 'ended') {
      return redirect(`/signed-out?reason=timeout&returnTo=${returnTo}`, { cookies: signedOutCookies() });
    }
    if (page.session.state === 'signed-out') return redirect(`/sign-in?returnTo=${returnTo}`);
    return handler({ ...page, citizen: page.session.citizen });
  });
}
