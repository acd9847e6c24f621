import { pageRoute, renderPage } from './page';

/** A page of content with no form: one view, rendered as it is. */
export function contentPage(view: string) {
  return pageRoute((page) => renderPage(page, view));
}
