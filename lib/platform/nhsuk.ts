/**
 * The NHS brand (BRAND=nhs): our component macros (views/components.njk) take GOV.UK Frontend's
 * params and call the NHS.UK Frontend (v10) macro, whose params are mostly the same. Here:
 * what differs, per component (the `nhsuk` filter), and the GOV.UK class names our views use
 * for type, spacing and layout ("govuk-body", "govuk-!-margin-bottom-0") as NHS.UK Frontend's
 * ("nhsuk-body", "nhsuk-u-margin-bottom-0"), for every page rendered in the NHS brand.
 */

type Params = Record<string, unknown>;

/** GOV.UK class names with a different NHS.UK name (the rest: "govuk-" becomes "nhsuk-"). */
const CLASS_NAMES: Readonly<Record<string, string>> = {
  'govuk-visually-hidden': 'nhsuk-u-visually-hidden',
  // NHS.UK Frontend's lists are spaced already; its tables are responsive (see table below).
  'govuk-list--spaced': '',
  'govuk-table--small-text-until-tablet': '',
};

/** One class name in NHS.UK Frontend's words; our own (app-) names stay. */
export function nhsukClassName(name: string): string {
  if (name in CLASS_NAMES) return CLASS_NAMES[name]!;
  if (name.startsWith('govuk-!-')) return `nhsuk-u-${name.slice('govuk-!-'.length)}`;
  if (name.startsWith('govuk-')) return `nhsuk-${name.slice('govuk-'.length)}`;
  return name;
}

/** A class attribute's value in NHS.UK Frontend's words. */
export function nhsukClasses(classes: string): string {
  return classes.split(/\s+/).map(nhsukClassName).filter(Boolean).join(' ');
}

/** Every class attribute of a page in NHS.UK Frontend's words. */
export function nhsukPage(html: string): string {
  return html.replace(/(<[a-z][a-z0-9-]*\s[^>]*?\bclass=")([^"]*)"/g, (_whole, start: string, classes: string) => `${start}${nhsukClasses(classes)}"`);
}

/** Params with every `classes` (and `captionClasses`, …) in NHS.UK Frontend's words, at any depth. */
function withNhsukClasses(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withNhsukClasses);
  if (value === null || typeof value !== 'object' || value.constructor !== Object) return value;
  return Object.fromEntries(
    Object.entries(value).map(([key, item]) => [
      key,
      /classes$/i.test(key) && typeof item === 'string'
        ? nhsukClasses(item)
        : // GOV.UK Frontend's macros show a number given as text; NHS.UK Frontend's trim it, which needs a string.
          key === 'text' && typeof item === 'number'
          ? String(item)
          : withNhsukClasses(item),
    ]),
  );
}

type DateInputItem = { name: string; id?: string; label?: unknown; width?: number; [key: string]: unknown };

/** GOV.UK Frontend's boxes when a date input gives none. */
const DATE_INPUT_ITEMS: DateInputItem[] = [{ name: 'day' }, { name: 'month' }, { name: 'year' }];

const LOG_ENDINGS: Readonly<Record<string, string>> = { '': '', s: 's', ed: 'ged', ing: 'ging' };

/**
 * The NHS's own words on the service's controls (its buttons and the header's links), where the
 * NHS content style differs from GOV.UK's: the NHS digital service manual's A to Z of NHS health
 * writing says "log in" and "log out", not "sign in" and "sign out" (GOV.UK's words, which the
 * views are written in). "NHS login", the service's name, is a noun and stays.
 */
export function nhsukWords(text: string): string {
  return text.replace(/\b([Ss])ign(s|ed|ing)? (in|out)\b/g, (_whole, s: string, ending: string | undefined, direction: string) => {
    return `${s === 'S' ? 'L' : 'l'}og${LOG_ENDINGS[ending ?? '']} ${direction}`;
  });
}

/**
 * The NHS's words in what the public reads: "log in" as above, and "GP surgery", not "GP practice"
 * (the NHS content style guide: "surgery" for the public, "practice" when writing for staff, so
 * staff pages keep it).
 */
export function nhsukPublicWords(text: string): string {
  return nhsukWords(text).replace(/\bGP practice(s)?\b/g, (_whole, plural: string | undefined) => (plural ? 'GP surgeries' : 'GP surgery'));
}

/** An item given as { text } (an error message, a table's head cell) in the public's NHS words; anything else as it is. */
export function withNhsukPublicText(item: unknown): unknown {
  return item && typeof item === 'object' && typeof (item as Params).text === 'string'
    ? { ...(item as Params), text: nhsukPublicWords((item as Params).text as string) }
    : item;
}

/** What differs from GOV.UK Frontend's params, per component (the name our macro passes). */
const COMPONENTS: Readonly<Record<string, (params: Params) => Params>> = {
  // NHS.UK Frontend has no start button: a start page's button is a plain one. Its words are the NHS's.
  button: ({ isStartButton: _start, text, ...params }) => ({ ...params, ...(typeof text === 'string' ? { text: nhsukWords(text) } : {}) }),
  // The NHS's own responsive table: each cell shows its column's name on a narrow screen (a head
  // item's `label`, where given, as the appTable filter does in the council brand).
  table: ({ head, rows, ...params }) => {
    const columns = (Array.isArray(head) ? head : []) as { label?: string; [key: string]: unknown }[];
    return {
      ...params,
      responsive: true,
      head: columns.map(({ label: _label, ...item }) => item),
      rows: (Array.isArray(rows) ? rows : []).map((row: unknown) =>
        Array.isArray(row)
          ? row.map((cell: Params, column) => (columns[column]?.label === undefined ? cell : { header: columns[column]!.label, ...cell }))
          : row,
      ),
    };
  },
  // GOV.UK's summary card: { title: { text, headingLevel }, actions } is the NHS card's heading.
  summaryList: ({ card, ...params }) => {
    if (!card || typeof card !== 'object') return params;
    const { title, actions } = card as { title?: { text?: string; html?: string; headingLevel?: number }; actions?: { items?: unknown[] } };
    return {
      ...params,
      card: {
        heading: title?.text ?? title?.html,
        headingLevel: title?.headingLevel ?? 2,
        ...(actions?.items?.length ? { actions } : {}),
      },
    };
  },
  // GOV.UK names each box "<namePrefix>-day", NHS.UK Frontend "<namePrefix>[day]": our forms read
  // GOV.UK's names (lib/platform/date-input.ts), so each box is given its whole name, and the id
  // and label GOV.UK Frontend would make from its short one (NHS.UK Frontend would make them from
  // the whole name). A year box is 4 characters wide unless it says otherwise, as in both.
  dateInput: ({ namePrefix, items, ...params }) => ({
    ...params,
    items: ((Array.isArray(items) && items.length ? items : DATE_INPUT_ITEMS) as DateInputItem[]).map((item) => ({
      ...item,
      name: namePrefix ? `${String(namePrefix)}-${item.name}` : item.name,
      id: item.id ?? `${String(params.id)}-${item.name}`,
      label: item.label ?? item.name.charAt(0).toUpperCase() + item.name.slice(1),
      ...(item.name === 'year' && item.width === undefined ? { width: 4 } : {}),
    })),
  }),
  // GOV.UK's warning text is the NHS's warning callout, headed "Important".
  warningText: ({ text, html, iconFallbackText: _icon, ...params }) => ({ ...params, heading: 'Important', headingLevel: 2, text, html }),
};

/** The `nhsuk` filter: GOV.UK Frontend params as the NHS.UK Frontend macro's. */
export function nhsukParams(params: unknown, component: string): Params {
  const mapped = withNhsukErrorWords(withNhsukClasses(params ?? {}) as Params);
  return COMPONENTS[component]?.(mapped) ?? mapped;
}

/**
 * Error messages come from lib/ (the form's checks), not from a view, so the NHS brand's loader
 * (lib/platform/render.ts) never sees them: a field's message and the summary's list in the NHS's
 * words here ("Select how you want to log in", "Enter the name of their GP surgery": only citizens' forms
 * name a GP practice).
 */
function withNhsukErrorWords(params: Params): Params {
  return {
    ...params,
    ...(params.errorMessage ? { errorMessage: withNhsukPublicText(params.errorMessage) } : {}),
    ...(Array.isArray(params.errorList) ? { errorList: params.errorList.map(withNhsukPublicText) } : {}),
  };
}

export type HeaderParams = {
  organisationName: string;
  organisationUrl: string;
  serviceName: string;
  serviceUrl: string;
  navigation?: { href: string; text: string; active?: boolean }[];
};

/**
 * The NHS header: the organisation's name, the service's name and its navigation. The NHS logo
 * only for an organisation entitled to it (NHS_LOGO_ENTITLED); otherwise the service's own mark,
 * which says nothing (the organisation's name is beside it).
 */
export function nhsukHeaderParams(params: HeaderParams, nhsLogo: boolean): Params {
  return {
    organisation: { name: params.organisationName },
    logo: nhsLogo
      ? { href: params.organisationUrl, ariaLabel: `NHS ${params.organisationName} homepage` }
      : { href: params.organisationUrl, src: '/favicon.svg', alt: '', ariaLabel: `${params.organisationName} homepage` },
    classes: nhsLogo ? undefined : 'app-header--no-nhs-logo',
    service: { text: params.serviceName, href: params.serviceUrl },
    navigation: params.navigation?.length
      ? { items: params.navigation.map(({ href, text, active }) => ({ href, text: nhsukWords(text), active })) }
      : undefined,
  };
}
