import { citizenRoute, type CitizenPageRequest } from '@/lib/identity/public';
import type { FormValues } from '@/lib/platform/forms';
import { formPage, type ViewContext } from '@/lib/platform/page';
import type { Validation } from './rules';

/**
 * An about me question page: the platform's formPage for the signed-in citizen (and for someone
 * acting for them with the about-me permission, as every about me page is), with about me's
 * own rules (`validate`: they may depend on what the citizen already has, a condition added
 * twice) and the form filled in with what they saved before. Checkbox fields (`lists`) keep
 * every ticked box when the page is shown again with errors.
 */
export function citizenForm<T>(spec: {
  view: string;
  context?: (page: CitizenPageRequest) => ViewContext | Promise<ViewContext>;
  /** What the form shows when first opened. */
  values: (page: CitizenPageRequest) => Promise<FormValues>;
  validate: (values: FormValues, page: CitizenPageRequest) => Validation<T> | Promise<Validation<T>>;
  lists?: readonly string[];
  /** Does the work; the address to go to next. */
  onValid: (data: T, page: CitizenPageRequest) => Promise<string>;
}) {
  return formPage<T, undefined, CitizenPageRequest>({
    view: spec.view,
    route: citizenRoute('citizen-or-proxy:about-me'),
    context: async (page) => (await spec.context?.(page)) ?? {},
    values: (page) => spec.values(page),
    validate: (values, page) => spec.validate(values, page),
    lists: spec.lists,
    onValid: (data, page) => spec.onValid(data, page),
  });
}
