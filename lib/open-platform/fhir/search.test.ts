import { describe, expect, it } from 'vitest';
import { r4Problems } from '@/lib/platform/testing/fhir-validation';
import { FhirError } from './outcome';
import { checkOwnPatient, dateRange, intersect, isEmpty, readDate, readSearch, readTokens, searchBundle, tokenMatches } from './search';

const refusal = (work: () => unknown): { status: number; diagnostics: string } => {
  try {
    work();
  } catch (error) {
    if (error instanceof FhirError) return { status: error.status, diagnostics: error.issues[0]!.diagnostics };
    throw error;
  }
  throw new Error('not refused');
};

const iso = (date: Date | undefined) => date?.toISOString();

describe('reading a search', () => {
  it('keeps the supported parameters in order, ignores empty ones, and pages with _count and _offset', () => {
    const search = readSearch(new URLSearchParams('code=85354-9&date=ge2026-01-01&date=&_count=5&_offset=10'), ['code', 'date']);
    expect(search).toEqual({
      params: [
        ['code', '85354-9'],
        ['date', 'ge2026-01-01'],
      ],
      count: 5,
      offset: 10,
    });
    expect(readSearch(new URLSearchParams(''), ['code'])).toEqual({ params: [], count: 20, offset: 0 });
    expect(readSearch(new URLSearchParams('_count=1000'), []).count).toBe(100);
    expect(readSearch(new URLSearchParams('_count=0'), []).count).toBe(0);
  });

  it('refuses unknown parameters, modifiers and unreadable paging with a 400', () => {
    expect(refusal(() => readSearch(new URLSearchParams('_sort=-date'), ['code']))).toMatchObject({
      status: 400,
      diagnostics: expect.stringContaining('_sort'),
    });
    expect(refusal(() => readSearch(new URLSearchParams('value-quantity=gt140'), ['code'])).status).toBe(400);
    expect(refusal(() => readSearch(new URLSearchParams('code:text=blood'), ['code'])).diagnostics).toContain(':text');
    for (const query of ['_count=-1', '_count=ten', '_count=1.5', '_offset=-5', '_offset=x', '_count=1&_count=2', '_offset=99999999']) {
      expect(refusal(() => readSearch(new URLSearchParams(query), [])).status, query).toBe(400);
    }
  });
});

describe('tokens', () => {
  const panel = [
    { system: 'http://loinc.org', code: '85354-9' },
    { system: 'http://snomed.info/sct', code: '75367002' },
  ];

  it('matches a code in any system, system|code, system| and |code (no system)', () => {
    expect(tokenMatches(readTokens('code', '85354-9'), panel)).toBe(true);
    expect(tokenMatches(readTokens('code', 'http://loinc.org|85354-9'), panel)).toBe(true);
    expect(tokenMatches(readTokens('code', 'http://snomed.info/sct|75367002'), panel)).toBe(true);
    expect(tokenMatches(readTokens('code', 'http://loinc.org|'), panel)).toBe(true);
    expect(tokenMatches(readTokens('code', '|85354-9'), panel)).toBe(false);
    expect(tokenMatches(readTokens('code', 'http://snomed.info/sct|85354-9'), panel)).toBe(false);
    expect(tokenMatches(readTokens('code', '8867-4'), panel)).toBe(false);
    expect(tokenMatches(readTokens('code', '8867-4,http://loinc.org|85354-9'), panel)).toBe(true);
  });

  it('reads escaped separators, and refuses a value that is not a token', () => {
    expect(readTokens('code', 'a\\|b|c\\,d')).toEqual([{ system: 'a|b', code: 'c,d' }]);
    for (const value of ['|', 'a|b|c', 'a,,b']) expect(refusal(() => readTokens('code', value)).status, value).toBe(400);
  });
});

describe('dates', () => {
  it('reads a year, month, day (UK days) and dateTimes with and without an offset as ranges', () => {
    expect(dateRange('2026')).toEqual({ start: new Date('2026-01-01T00:00:00Z'), end: new Date('2027-01-01T00:00:00Z') });
    expect(dateRange('2026-07')).toEqual({ start: new Date('2026-06-30T23:00:00Z'), end: new Date('2026-07-31T23:00:00Z') });
    expect(dateRange('2026-12')!.end).toEqual(new Date('2027-01-01T00:00:00Z'));
    expect(dateRange('2026-07-01')).toEqual({ start: new Date('2026-06-30T23:00:00Z'), end: new Date('2026-07-01T23:00:00Z') });
    // The day the clocks go back is 25 hours long.
    const longDay = dateRange('2026-10-25')!;
    expect(longDay.end.getTime() - longDay.start.getTime()).toBe(25 * 3_600_000);
    expect(dateRange('2026-07-01T08:30')).toEqual({ start: new Date('2026-07-01T07:30:00Z'), end: new Date('2026-07-01T07:31:00Z') });
    expect(dateRange('2026-07-01T08:30:15Z')).toEqual({ start: new Date('2026-07-01T08:30:15Z'), end: new Date('2026-07-01T08:30:16Z') });
    expect(dateRange('2026-07-01T08:30:15.5+02:00')).toEqual({ start: new Date('2026-07-01T06:30:15.500Z'), end: new Date('2026-07-01T06:30:15.600Z') });
    expect(dateRange('2026-07-01T08:30:15.123-05:00')!.start).toEqual(new Date('2026-07-01T13:30:15.123Z'));
  });

  it('refuses dates that are not real', () => {
    for (const text of ['2026-02-30', '2026-13-01', '2026-07-01T24:00', '2026-07-01T08:60', '26-07-01', '2026-7-1', '2026-07-01T08', 'yesterday', '']) {
      expect(dateRange(text), text).toBeNull();
    }
    expect(dateRange('2028-02-29')).not.toBeNull();
  });

  it('turns eq, ge, gt, le and lt into windows, and ands several', () => {
    const day = { start: '2026-06-30T23:00:00.000Z', end: '2026-07-01T23:00:00.000Z' };
    const window = (value: string) => {
      const read = readDate('date', value);
      return { from: iso(read.from), before: iso(read.before) };
    };
    expect(window('2026-07-01')).toEqual({ from: day.start, before: day.end });
    expect(window('eq2026-07-01')).toEqual({ from: day.start, before: day.end });
    expect(window('ge2026-07-01')).toEqual({ from: day.start, before: undefined });
    expect(window('gt2026-07-01')).toEqual({ from: day.end, before: undefined });
    expect(window('le2026-07-01')).toEqual({ from: undefined, before: day.end });
    expect(window('lt2026-07-01')).toEqual({ from: undefined, before: day.start });
    const both = intersect([readDate('date', 'ge2026-01-01'), readDate('date', 'lt2026-02-01'), readDate('date', 'ge2026-01-15')]);
    expect({ from: iso(both.from), before: iso(both.before) }).toEqual({ from: '2026-01-15T00:00:00.000Z', before: '2026-02-01T00:00:00.000Z' });
    expect(isEmpty(intersect([readDate('date', 'gt2026-02-01'), readDate('date', 'lt2026-01-01')]))).toBe(true);
    expect(intersect([])).toEqual({});
  });

  it('takes a space before an offset as the + an app forgot to encode', () => {
    expect(readDate('date', 'ge2026-07-01T09:30:00 01:00')).toEqual({ from: new Date('2026-07-01T08:30:00Z') });
  });

  it('refuses other prefixes and values that are not dates', () => {
    expect(refusal(() => readDate('date', 'ne2026-01-01'))).toMatchObject({ status: 400, diagnostics: expect.stringContaining('ne') });
    expect(refusal(() => readDate('date', 'sa2026-01-01')).status).toBe(400);
    expect(refusal(() => readDate('date', 'ge2026-02-30')).status).toBe(400);
    expect(refusal(() => readDate('date', 'last week')).status).toBe(400);
  });
});

describe('the patient a search names', () => {
  const base = 'http://localhost:3000/fhir/r4';
  it('allows only the caller’s own, in any of its forms', () => {
    for (const value of ['me', 'Patient/me', `${base}/Patient/me`]) expect(() => checkOwnPatient('patient', value, 'me', base)).not.toThrow();
    for (const value of ['someone-else', 'Patient/someone-else', `${base}/Patient/someone-else`, 'http://elsewhere/fhir/Patient/me', 'Group/me']) {
      expect(refusal(() => checkOwnPatient('patient', value, 'me', base)).status, value).toBe(403);
    }
  });
});

describe('the searchset Bundle', () => {
  const base = 'http://localhost:3000/fhir/r4';
  const patients = [{ resourceType: 'Patient' as const, id: 'a' }];

  it('links to itself, the next page and the previous one, as absolute addresses with the same parameters', async () => {
    const search = readSearch(new URLSearchParams('code=http://loinc.org|85354-9&_count=2&_offset=2'), ['code']);
    const bundle = searchBundle({ baseUrl: base, type: 'Patient', search, total: 7, resources: patients, now: new Date('2026-12-01T10:00:00Z') });
    expect(bundle.link).toEqual([
      { relation: 'self', url: `${base}/Patient?code=http%3A%2F%2Floinc.org%7C85354-9&_count=2&_offset=2` },
      { relation: 'next', url: `${base}/Patient?code=http%3A%2F%2Floinc.org%7C85354-9&_count=2&_offset=4` },
      { relation: 'previous', url: `${base}/Patient?code=http%3A%2F%2Floinc.org%7C85354-9&_count=2&_offset=0` },
    ]);
    expect(bundle).toMatchObject({ type: 'searchset', total: 7, entry: [{ fullUrl: `${base}/Patient/a`, search: { mode: 'match' } }] });
    expect(await r4Problems(bundle)).toEqual([]);
  });

  it('has no next link on the last page and no previous one on the first', () => {
    const first = searchBundle({
      baseUrl: base,
      type: 'Patient',
      search: readSearch(new URLSearchParams(''), []),
      total: 1,
      resources: patients,
      now: new Date(),
    });
    expect(first.link!.map((link) => link.relation)).toEqual(['self']);
    const counted = searchBundle({
      baseUrl: base,
      type: 'Patient',
      search: readSearch(new URLSearchParams('_count=0'), []),
      total: 30,
      resources: [],
      now: new Date(),
    });
    expect(counted.link!.map((link) => link.relation)).toEqual(['self']);
    expect(counted.total).toBe(30);
  });
});
