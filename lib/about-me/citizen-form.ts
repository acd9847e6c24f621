import { citizenPage, notSignedIn, type CitizenPageRequest } from '@/lib/identity/public';
import { keepAnswersCookie, takeKeptAnswers } from '@/lib/platform/kept-answers';
import { readForm, type FormValues } from '@/lib/platform/forms';
import { pageRoute, renderPage, type PageRequest, type ViewContext } from '@/lib/platform/page';
import { redirect } from '@/lib/platform/render';
import type { Validation } from './rules';

/**
 * A question page for the signed-in citizen, like the platform's formPage but with what
 * these questions need: the form starts filled in with what they saved before, the
 * rules may depend on what they already have (a condition added twice), and checkboxes
 * keep every ticked box when the page is shown again with errors.
 */
export function citizenForm<T>(spec: {
  view: string;
  context?: (page: CitizenPageRequest) => ViewContext | Promise<ViewContext>;
  /** What the form shows when first opened. */
  values: (page: CitizenPageRequest) => Promise<FormValues>;
  validate: (values: FormValues, page: CitizenPageRequest) => Validation<T> | Promise<Validation<T>>;
  /** Does the work; the address to go to next. */
  onValid: (data: T, page: CitizenPageRequest) => Promise<string>;
}) {
  const post = async (page: CitizenPageRequest): Promise<Response> => {
    const values = await readForm(page.req);
    const result = await spec.validate(values, page);
    if (result.ok) return redirect(await spec.onValid(result.data, page));
    const context = { ...(await spec.context?.(page)), values, errors: result.errors };
    return renderPage(page, spec.view, context, { status: 422 });
  };
  return {
    GET: citizenPage(async (page) => {
      const kept = takeKeptAnswers(page.req, page.citizen.userId, page.url.pathname);
      const values = kept.values ?? (await spec.values(page));
      return renderPage(page, spec.view, { ...(await spec.context?.(page)), values, keptAnswers: Boolean(kept.values) }, { cookies: kept.cookies });
    }),
    POST: pageRoute(async (page: PageRequest) => {
      if (page.session.state === 'ended' && page.session.userId) {
        // Sent just after their session ended: keep the answers (sealed) for after they sign in again.
        const refused = notSignedIn(page);
        const cookie = keepAnswersCookie(page.session.userId, page.url.pathname, await readForm(page.req));
        if (cookie) refused.headers.append('set-cookie', cookie);
        return refused;
      }
      if (page.session.state !== 'signed-in') return notSignedIn(page);
      const { citizen } = page.session;
      if (!citizen.user.registeredAt) return redirect('/account');
      return post({ ...page, citizen });
    }),
  };
}
