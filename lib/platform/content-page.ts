import { pageRoute, renderPage, type ViewContext } from './page';

/** A page of content with no form: one view, rendered as it is, with what `context` gives it (worked out at each request). */
export function contentPage(view: string, context: () => ViewContext = () => ({})) {
  return pageRoute((page) => renderPage(page, view, context()));
}
