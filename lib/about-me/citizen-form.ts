import { citizenPage, type CitizenPageRequest } from '@/lib/identity/public';
import { takeKeptAnswers } from '@/lib/platform/kept-answers';
import { readForm, type FormValues } from '@/lib/platform/forms';
import { renderPage, type ViewContext } from '@/lib/platform/page';
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
    // Answers sent just after the session ended are kept by the page pipeline (lib/platform/page.ts).
    POST: citizenPage(post),
  };
}
