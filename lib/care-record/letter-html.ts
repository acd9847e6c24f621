/**
 * Letters from the care record are HTML written by other organisations' systems: we show them
 * inside our own pages, so only simple structure survives. Everything is rebuilt from an allow
 * list: no attributes except a checked link address, so no scripts, styles or event handlers.
 */

const ALLOWED = new Set([
  'p',
  'br',
  'h2',
  'h3',
  'h4',
  'ul',
  'ol',
  'li',
  'strong',
  'em',
  'b',
  'i',
  'table',
  'thead',
  'tbody',
  'tr',
  'th',
  'td',
  'blockquote',
  'a',
]);
/** The page has its own h1 (the letter's title), so a letter's headings start one level down. */
const RENAMED: Record<string, string> = { h1: 'h2', h5: 'h4', h6: 'h4' };
/** Dropped with everything inside them, not only their tags. */
const DROPPED_WITH_CONTENT = new Set([
  'script',
  'style',
  'head',
  'title',
  'iframe',
  'object',
  'embed',
  'template',
  'noscript',
  'svg',
  'math',
  'textarea',
  'select',
  'xmp',
  'noembed',
  'noframes',
]);
const VOID = new Set(['br']);
/** Plain web and email addresses only: anything else (javascript:, data:, encoded tricks) loses its link. */
const SAFE_HREF = /^(https?:\/\/|mailto:)[^\s"'<>&`\\]+$/i;

const TOKEN = /<!--[\s\S]*?(?:-->|$)|<![^>]*>|<\?[^>]*>|<(\/?)([a-zA-Z][a-zA-Z0-9-]*)((?:[^>"']|"[^"]*"|'[^']*')*)>/g;

export function sanitiseLetterHtml(html: string): string {
  const out: string[] = [];
  const open: string[] = [];
  let skipping: string | undefined;
  let last = 0;
  for (const match of html.matchAll(TOKEN)) {
    if (!skipping) out.push(escapeText(html.slice(last, match.index)));
    last = match.index + match[0].length;
    const [, closing, rawName, attributes] = match;
    if (!rawName) continue;
    const name = rawName.toLowerCase();
    if (skipping) {
      if (closing && name === skipping) skipping = undefined;
      continue;
    }
    if (DROPPED_WITH_CONTENT.has(name)) {
      if (!closing && !attributes?.trimEnd().endsWith('/')) skipping = name;
      continue;
    }
    const tag = RENAMED[name] ?? name;
    if (!ALLOWED.has(tag)) continue;
    if (closing) {
      // Close only what is open, so a letter cannot close our page's own elements.
      const at = open.lastIndexOf(tag);
      if (at === -1) continue;
      while (open.length > at) out.push(`</${open.pop()}>`);
    } else if (VOID.has(tag)) {
      out.push(`<${tag}>`);
    } else {
      out.push(tag === 'a' ? linkTag(attributes ?? '') : `<${tag}>`);
      open.push(tag);
    }
  }
  if (!skipping) out.push(escapeText(html.slice(last)));
  while (open.length > 0) out.push(`</${open.pop()}>`);
  return out.join('').trim();
}

function linkTag(attributes: string): string {
  const href = /\bhref\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))/i.exec(attributes);
  const value = (href?.[1] ?? href?.[2] ?? href?.[3] ?? '').trim();
  return SAFE_HREF.test(value) ? `<a href="${value}" rel="noopener noreferrer">` : '<a>';
}

/** Text keeps its entities; any stray angle bracket or bare ampersand is escaped. */
function escapeText(text: string): string {
  return text
    .replace(/&(?!#?[a-zA-Z0-9]+;)/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;');
}

const GOVUK_CLASSES: Record<string, string> = {
  p: 'govuk-body',
  h2: 'govuk-heading-m',
  h3: 'govuk-heading-s',
  h4: 'govuk-heading-s',
  ul: 'govuk-list govuk-list--bullet',
  ol: 'govuk-list govuk-list--number',
  table: 'govuk-table',
  tr: 'govuk-table__row',
  th: 'govuk-table__header',
  td: 'govuk-table__cell',
  a: 'govuk-link',
};

/**
 * GOV.UK typography for a letter already sanitised by sanitiseLetterHtml: its tags carry no
 * attributes (links only their checked href and rel), so each opening tag is known exactly.
 */
export function withGovukClasses(sanitised: string): string {
  return sanitised.replace(/<(p|h2|h3|h4|ul|ol|table|tr|th|td|a)(\s|>)/g, (_, tag: string, next: string) => `<${tag} class="${GOVUK_CLASSES[tag]}"${next}`);
}
