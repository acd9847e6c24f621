import type { Bundle, BundleLink, Coding, Resource } from '@medplum/fhirtypes';
import { fromLondonWallClock } from '@/lib/platform/london-time';
import { refuse } from './outcome';

/**
 * The search parameters the API understands, read strictly: a parameter we do not support, a
 * modifier, or a value we cannot read is a 400, never a silently wider search (an app that
 * asked for one week must not be sent every reading). Empty values are ignored, as FHIR says.
 *
 * Paging: `_count` (default 20, at most 100; more is brought down to 100, as FHIR allows a
 * server to) and `_offset`, ours (how many matches to skip, newest first). The Bundle's self,
 * next and previous links carry both.
 */

export const DEFAULT_COUNT = 20;
export const MAX_COUNT = 100;
const MAX_OFFSET = 9_999_999;

export type Search = {
  /** The supported parameters given, in the order given, each with its values (one per occurrence). */
  params: [name: string, value: string][];
  count: number;
  offset: number;
};

const PAGING = ['_count', '_offset'];

/** Reads the query of a search that supports only the parameters named in `supported`. */
export function readSearch(query: URLSearchParams, supported: readonly string[]): Search {
  const params: [string, string][] = [];
  const paging = new Map<string, string>();
  for (const [key, value] of query) {
    const [name, modifier] = key.split(':', 2) as [string, string | undefined];
    if (modifier !== undefined) throw refuse.notSupported(`The :${modifier} modifier is not supported (in ${key})`);
    if (PAGING.includes(name)) {
      if (paging.has(name)) throw refuse.invalid(`${name} was given more than once`);
      paging.set(name, value);
      continue;
    }
    if (!supported.includes(name)) {
      const known = [...supported, ...PAGING].join(', ');
      throw refuse.notSupported(`The search parameter ${name} is not supported here. Supported: ${known}`);
    }
    if (value.trim() !== '') params.push([name, value.trim()]);
  }
  return { params, count: readCount(paging.get('_count')), offset: readOffset(paging.get('_offset')) };
}

function readCount(text: string | undefined): number {
  if (text === undefined || text === '') return DEFAULT_COUNT;
  if (!/^\d{1,6}$/.test(text)) throw refuse.invalid('_count must be a whole number from 0 to 100');
  return Math.min(Number(text), MAX_COUNT);
}

function readOffset(text: string | undefined): number {
  if (text === undefined || text === '') return 0;
  if (!/^\d{1,7}$/.test(text) || Number(text) > MAX_OFFSET) throw refuse.invalid('_offset must be a whole number of matches to skip');
  return Number(text);
}

/** The values of one parameter, each occurrence on its own (they are all to be met). */
export const valuesOf = (search: Search, name: string) => search.params.filter(([key]) => key === name).map(([, value]) => value);

// --- Tokens (code, category, identifier) ---

export type Token = { system?: string; code?: string };

/** Splits on a character FHIR lets a value escape with a backslash, keeping the escapes for the next split. */
function splitEscaped(text: string, separator: string): string[] {
  const parts: string[] = [];
  let current = '';
  for (let index = 0; index < text.length; index += 1) {
    const char = text[index]!;
    if (char === '\\' && index + 1 < text.length) {
      current += char + text[index + 1];
      index += 1;
    } else if (char === separator) {
      parts.push(current);
      current = '';
    } else {
      current += char;
    }
  }
  parts.push(current);
  return parts;
}

const unescape = (text: string) => text.replace(/\\(.)/g, '$1');

/**
 * A token parameter's value: its comma-separated alternatives, each `code` (any system),
 * `system|code`, `|code` (no system) or `system|` (any code in that system).
 */
export function readTokens(name: string, value: string): Token[] {
  return splitEscaped(value, ',').map((alternative) => {
    const parts = splitEscaped(alternative, '|').map(unescape);
    if (parts.length > 2 || (parts.length === 2 && parts[0] === '' && parts[1] === '') || alternative === '') {
      throw refuse.invalid(`${name} must be a code, system|code or system|, like http://loinc.org|85354-9`);
    }
    if (parts.length === 1) return { code: parts[0] };
    return { system: parts[0], ...(parts[1] ? { code: parts[1] } : {}) };
  });
}

/** Whether any of the alternatives matches any of the codings. An empty system matches a coding with none. */
export function tokenMatches(tokens: readonly Token[], codings: readonly Coding[]): boolean {
  return tokens.some((token) =>
    codings.some((coding) => {
      if (token.system !== undefined && (coding.system ?? '') !== token.system) return false;
      return token.code === undefined || coding.code === token.code;
    }),
  );
}

// --- Dates ---

/** When something happened, as a search narrows it: from (inclusive), before (exclusive). */
export type Window = { from?: Date; before?: Date };

const DATE_VALUE = /^(\d{4})(?:-(\d{2})(?:-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}:\d{2})?)?)?)?$/;

const daysIn = (year: number, month: number) => new Date(Date.UTC(year, month, 0)).getUTCDate();

/**
 * The instants a date or dateTime stands for: [start, end). A value without an offset is on UK
 * clocks (this service's time zone), as FHIR leaves to the server; a whole day is a UK day.
 */
export function dateRange(text: string): { start: Date; end: Date } | null {
  const match = DATE_VALUE.exec(text);
  if (!match) return null;
  const [, y, mo, d, h, mi, s, fraction, zone] = match;
  const year = Number(y);
  const month = mo === undefined ? undefined : Number(mo);
  const day = d === undefined ? undefined : Number(d);
  if (month !== undefined && (month < 1 || month > 12)) return null;
  if (day !== undefined && (day < 1 || day > daysIn(year, month!))) return null;
  if (h === undefined) {
    // A year, month or day: from its first midnight on UK clocks to the next one's.
    const startOf = (yy: number, mm: number, dd: number) => fromLondonWallClock({ year: yy, month: mm, day: dd, hour: 0, minute: 0 });
    if (month === undefined) return { start: startOf(year, 1, 1), end: startOf(year + 1, 1, 1) };
    if (day === undefined) return { start: startOf(year, month, 1), end: month === 12 ? startOf(year + 1, 1, 1) : startOf(year, month + 1, 1) };
    const next = new Date(Date.UTC(year, month - 1, day + 1));
    return { start: startOf(year, month, day), end: startOf(next.getUTCFullYear(), next.getUTCMonth() + 1, next.getUTCDate()) };
  }
  const hour = Number(h);
  const minute = Number(mi);
  const second = s === undefined ? 0 : Number(s);
  if (hour > 23 || minute > 59 || second > 59) return null;
  const millis = fraction === undefined ? 0 : Number(fraction.slice(0, 3).padEnd(3, '0'));
  // The value's own precision: a minute, a second, or (with a fraction) a millisecond or more.
  const width = fraction !== undefined ? Math.max(1, 10 ** (3 - Math.min(fraction.length, 3))) : s !== undefined ? 1000 : 60_000;
  let start: number;
  if (zone === undefined) {
    start = fromLondonWallClock({ year, month: month!, day: day!, hour, minute }).getTime() + second * 1000 + millis;
  } else {
    const offset = zone === 'Z' ? 0 : (zone.startsWith('-') ? -1 : 1) * (Number(zone.slice(1, 3)) * 60 + Number(zone.slice(4, 6)));
    start = Date.UTC(year, month! - 1, day!, hour, minute, second, millis) - offset * 60_000;
  }
  return { start: new Date(start), end: new Date(start + width) };
}

const PREFIXES = ['eq', 'ge', 'gt', 'le', 'lt'] as const;

/**
 * One date parameter (eq, ge, gt, le or lt, then a date or dateTime) as a window for a point
 * in time: eq within the value's range, ge from its start, gt from its end, le before its end,
 * lt before its start.
 */
export function readDate(name: string, value: string): Window {
  const prefixed = /^([a-z]{2})(.*)$/.exec(value);
  const prefix = prefixed ? prefixed[1]! : 'eq';
  // A + left unencoded in an address arrives as a space: an offset's sign is the only place it can be.
  const text = (prefixed ? prefixed[2]! : value).replace(/ (\d{2}:\d{2})$/, '+$1');
  if (!(PREFIXES as readonly string[]).includes(prefix)) throw refuse.notSupported(`${name}: the prefix ${prefix} is not supported; use eq, ge, gt, le or lt`);
  const range = dateRange(text);
  if (!range) throw refuse.invalid(`${name} must be a date or a date and time, like 2026-11-30 or 2026-11-30T08:30:00Z, after eq, ge, gt, le or lt`);
  switch (prefix) {
    case 'ge':
      return { from: range.start };
    case 'gt':
      return { from: range.end };
    case 'le':
      return { before: range.end };
    case 'lt':
      return { before: range.start };
    default:
      return { from: range.start, before: range.end };
  }
}

/** Every window met at once: the latest start and the earliest end. */
export function intersect(windows: readonly Window[]): Window {
  const later = (a?: Date, b?: Date) => (a && b ? (a > b ? a : b) : (a ?? b));
  const earlier = (a?: Date, b?: Date) => (a && b ? (a < b ? a : b) : (a ?? b));
  return windows.reduce<Window>((all, window) => {
    const from = later(all.from, window.from);
    const before = earlier(all.before, window.before);
    return { ...(from ? { from } : {}), ...(before ? { before } : {}) };
  }, {});
}

/** Whether a window can hold nothing at all (ge after lt). */
export const isEmpty = (window: Window) => window.from !== undefined && window.before !== undefined && window.from >= window.before;

// --- The patient a search names ---

/**
 * A patient or subject parameter must name the caller's own Patient: `<id>`, `Patient/<id>` or
 * its full address. Anything else is refused (403) the same way whether or not it exists.
 */
export function checkOwnPatient(name: string, value: string, patientId: string, baseUrl: string): void {
  const id = value.startsWith(`${baseUrl}/Patient/`)
    ? value.slice(`${baseUrl}/Patient/`.length)
    : value.startsWith('Patient/')
      ? value.slice('Patient/'.length)
      : value;
  if (id !== patientId)
    throw refuse.forbidden(`${name} must be your own patient, Patient/${patientId}: an app connected to a record can only search that record`);
}

// --- The answer ---

/** A searchset Bundle of one page of matches, with links to this page and the ones either side. */
export function searchBundle<T extends Resource & { id?: string }>(page: {
  baseUrl: string;
  type: string;
  search: Search;
  total: number;
  resources: readonly T[];
  now: Date;
}): Bundle<T> {
  const { baseUrl, type, search, total, resources } = page;
  const link = (relation: string, offset: number): BundleLink => {
    const query = new URLSearchParams(search.params);
    query.set('_count', String(search.count));
    query.set('_offset', String(offset));
    return { relation, url: `${baseUrl}/${type}?${query.toString()}` };
  };
  const links = [link('self', search.offset)];
  if (search.count > 0 && search.offset + search.count < total) links.push(link('next', search.offset + search.count));
  if (search.count > 0 && search.offset > 0) links.push(link('previous', Math.max(0, search.offset - search.count)));
  return {
    resourceType: 'Bundle',
    type: 'searchset',
    timestamp: page.now.toISOString(),
    total,
    link: links,
    entry: resources.map((resource) => ({ fullUrl: `${baseUrl}/${type}/${resource.id}`, resource, search: { mode: 'match' } })),
  };
}
