type Macro = (params: unknown) => unknown;

/** How many different params a macro's HTML is kept for; past that it is made every time. */
export const KEPT_PARAMS_PER_MACRO = 64;

/**
 * `{{ keptHtml(appFooter, pageFooter) }}`: the macro's HTML for these params, made the first
 * time and kept. For the frame every page draws (the header, the service navigation and the
 * footer): drawing them was about a third of the time of a short page such as the account home
 * (issue 18's profile), yet their params are the same on nearly every page (the service's names
 * and links, whether someone is signed in, which navigation item is the page being shown). Also
 * a list's page links (appPagination: page numbers and addresses only, about 0.1 ms a page of readings).
 *
 * Only for macros imported without context (kept by importOnce, lib/platform/render.ts): their
 * HTML depends on their params and the environment's globals and nothing else. Params are
 * compared as JSON. Never give such a macro anything personal: the frame shows no one's name.
 */
export function keptMacroHtml(): (macro: Macro, params: unknown) => unknown {
  const kept = new WeakMap<Macro, Map<string, unknown>>();
  return (macro, params) => {
    let byParams = kept.get(macro);
    if (!byParams) {
      byParams = new Map();
      kept.set(macro, byParams);
    }
    const key = JSON.stringify(params) ?? '';
    let html = byParams.get(key);
    if (html === undefined) {
      html = macro(params);
      if (byParams.size < KEPT_PARAMS_PER_MACRO) byParams.set(key, html);
    }
    return html;
  };
}
