import nunjucks from 'nunjucks';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { reloadConfig } from './config';
import { labelledTable, views } from './render';
import { FEWEST_ROWS, tableByRowShape } from './table-rows';

type Macro = (params: unknown) => unknown;
const { SafeString } = (nunjucks as unknown as { runtime: { SafeString: new (html: string) => object } }).runtime;

beforeAll(() => {
  const { BRAND: _brand, ...env } = process.env;
  reloadConfig(env);
});
afterAll(() => {
  reloadConfig(process.env);
});

/** govuk-frontend's own govukTable, from the service's environment. */
function govukTable(): Macro {
  let macro: Macro | undefined;
  views().renderString('{% from "govuk/components/table/macro.njk" import govukTable %}{{ keep(govukTable) }}', {
    keep: (m: Macro) => {
      macro = m;
    },
  });
  return macro!;
}

const many = <T>(n: number, make: (i: number) => T): T[] => Array.from({ length: n }, (_, i) => make(i));

// Every kind of cell a view may give, in long tables (so that each is drawn by shapes).
const tables: [string, Record<string, unknown>][] = [
  ['text cells, escaped', { rows: many(20, (i) => [{ text: `<b>${i}</b> & "q" 'a'` }, { text: i }, { text: i % 2 === 0 }]) }],
  [
    'a caption, a head and classes',
    {
      caption: 'Readings & <more>',
      captionClasses: 'govuk-table__caption--s',
      classes: 'app-table',
      head: [{ text: 'Date' }, { html: '<span class="govuk-visually-hidden">Actions</span>', format: 'numeric' }],
      rows: many(12, (i) => [{ text: `day ${i}` }, { html: `<a href="/r/${i}">Change</a>` }]),
    },
  ],
  ['the first cell a header', { firstCellIsHeader: true, rows: many(10, (i) => [{ text: `row ${i}` }, { text: String(i) }]) }],
  [
    'formats, classes, colspan and rowspan, row by row',
    {
      rows: many(16, (i) =>
        i % 3 === 0
          ? [
              { text: 'a', colspan: 2 },
              { text: i, format: 'numeric', classes: 'x' },
            ]
          : i % 3 === 1
            ? [{ text: 'b', rowspan: 2 }, { text: 'c' }, { html: '<i>d</i>', format: 'numeric' }]
            : [{ text: 'e' }],
      ),
    },
  ],
  [
    'attributes as objects and as safe HTML',
    {
      rows: many(10, (i) => [
        { text: 'x', attributes: { 'data-sort-value': i, 'data-x': '"<>' } },
        { text: 'y', attributes: new SafeString(' data-label="Y &amp; Z"') },
        { text: 'z', attributes: { hidden: { value: true, optional: true } } },
      ]),
    },
  ],
  [
    'attributes that JSON would write alike (NaN, Infinity and null)',
    {
      rows: many(12, (i) => [{ text: 'x', attributes: { 'data-n': [Number.NaN, Number.POSITIVE_INFINITY, null][i % 3] } }]),
    },
  ],
  ['missing, empty and null values', { rows: many(9, (i) => [{}, { text: '' }, { html: '', text: 'fallback' }, { text: null }, { html: null, text: i }]) }],
  [
    'safe strings and multi-line HTML',
    { rows: many(9, (i) => [{ text: new SafeString(`<em>${i}</em>`) }, { html: new SafeString('<br>') }, { html: `\n  line one\n  line ${i}\n` }]) },
  ],
  ['rows that are not there, and empty rows', { rows: many(12, (i) => (i % 4 === 0 ? null : i % 4 === 1 ? [] : [{ text: i }])) }],
  ['rows with white space and what looks like a marker', { rows: many(10, (i) => [{ text: `\u0000${i}\u0000` }, { html: '  ' }]) }],
];

describe('tableByRowShape', () => {
  const macro = govukTable();

  it.each(tables)('writes what govukTable writes: %s', (_name, params) => {
    const calls = vi.fn(macro);
    expect(String(tableByRowShape(calls, params))).toBe(String(macro(params)));
    // By shapes: the macro never drew the whole table.
    expect(calls).not.toHaveBeenCalledWith(params);
    // Cells labelled by their columns before, and as the service draws tables: labelled only in the rows the macro draws.
    const labelled = labelledTable(params);
    expect(String(tableByRowShape(macro, labelled))).toBe(String(macro(labelled)));
    expect(String(tableByRowShape(macro, params, labelledTable))).toBe(String(macro(labelled)));
  });

  it('labels only the rows the macro draws', () => {
    const calls = vi.fn(macro);
    const label = vi.fn(labelledTable);
    const params = {
      head: [{ text: 'When' }, { text: 'Reading', label: 'Blood pressure' }],
      rows: many(50, (i) => [{ text: `${i} December` }, i % 5 ? { text: `${120 + i}/80` } : { text: `${120 + i}/80`, attributes: { id: 'first' } }]),
    };
    expect(String(tableByRowShape(calls, params, label))).toBe(String(macro(labelledTable(params))));
    // The empty table and the two shapes of row, each labelled once.
    expect(calls).toHaveBeenCalledTimes(3);
    expect(label).toHaveBeenCalledTimes(3);
    expect(label.mock.calls.map(([table]) => (table.rows as unknown[]).length)).toEqual([0, 1, 1]);
  });

  it('draws each shape of row once, however many rows have it', () => {
    const calls = vi.fn(macro);
    const params = {
      head: [{ text: 'A' }, { text: 'B' }],
      rows: many(100, (i) => (i % 2 ? [{ text: i }, { text: 'odd' }] : [{ text: i }, { text: 'even', format: 'numeric' }])),
    };
    expect(String(tableByRowShape(calls, params))).toBe(String(macro(params)));
    // The empty table, and one table for each of the two shapes.
    expect(calls).toHaveBeenCalledTimes(3);
  });

  it(`leaves tables of fewer than ${FEWEST_ROWS} rows, and anything it does not know, to the macro`, () => {
    const calls = vi.fn(macro);
    const short = { rows: many(FEWEST_ROWS - 1, (i) => [{ text: i }]) };
    expect(String(tableByRowShape(calls, short))).toBe(String(macro(short)));
    expect(calls).toHaveBeenCalledTimes(1);
    for (const odd of [
      { rows: many(10, () => [{ html: 42 }]) },
      { rows: many(10, () => [{ text: { an: 'object' } }]) },
      { rows: many(10, () => [new Date(0)]) },
      { rows: many(10, () => ({ not: 'an array' })) },
      { rows: many(10, () => [{ text: 'a', attributes: { f: () => 'x' } }]) },
    ]) {
      calls.mockClear();
      expect(String(tableByRowShape(calls, odd))).toBe(String(macro(odd)));
      expect(calls).toHaveBeenCalledTimes(1);
    }
  });

  it('writes what govukTable writes when the head holds what looks like a marker', () => {
    const params = { head: [{ text: '\u00000\u0000' }], rows: many(10, (i) => [{ text: i }]) };
    expect(String(tableByRowShape(macro, params))).toBe(String(macro(params)));
  });
});
