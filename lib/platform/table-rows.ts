import nunjucks from 'nunjucks';

type Macro = (params: unknown) => unknown;
type Cell = Record<string, unknown>;
type TableParams = { rows?: unknown; [key: string]: unknown };

const { SafeString } = (nunjucks as unknown as { runtime: { SafeString: new (html: string) => { val: string } } }).runtime;
const { escape } = nunjucks.lib as unknown as { escape(text: string): string };

/** Tables shorter than this are drawn by the macro as they are: there is little to save. */
export const FEWEST_ROWS = 8;

/** In place of a cell's value while a row's shape is drawn: never in what a view gives a table. */
const marker = (index: number) => `\u0000${index}\u0000`;
const markers = /\u0000(\d+)\u0000/;

/**
 * `{{ tableByRowShape(govukTable, params) }}`: the same HTML as `{{ govukTable(params) }}` (and
 * `{{ tableByRowShape(govukTable, params, labelledTable) }}` as `govukTable(labelledTable(params))`), made
 * faster for long tables. The macro writes each row the same way, whatever its cells' words, with
 * an attributes macro and a dozen tests for every cell: 0.65 ms for the readings page's chart as a
 * table (84 rows of 4 cells), 0.15 ms this way; the page as a whole 4.8 -> 4.4 ms of CPU (issue 18,
 * npm run bench:pages). So the macro draws each different shape of row once, with a marker in place of each
 * cell's value, and every row of that shape is that HTML with its own values put in, as the
 * macro puts them in: `html` as it is, else `text` escaped (govuk-frontend's table template,
 * `cell.html | safe if cell.html else cell.text`). Nothing is kept between tables.
 *
 * A row's shape is everything in its cells but their text and html (classes, format, colspan,
 * rowspan, attributes). The table with no rows and with one row of each shape gives where the
 * rows go and each shape's HTML. Anything this does not know for certain (a cell that is not a
 * plain object, html that is not a string, a marker that does not come out once) is drawn by the
 * macro as it is. lib/platform/table-rows.test.ts checks the HTML is the macro's, byte for byte.
 *
 * `prepare` (labelledTable, which gives every cell its column's label) is done to the params only
 * where the macro draws them: the empty table and one row of each shape. A row's shape is read
 * from the cells as the view gave them, which is enough when `prepare` does the same to every
 * row, cell by cell and column by column. Copying and labelling every cell of every row first,
 * two tables like the readings page's took 400 us; this way 103 (the cells as the view gave them
 * are also quicker to read: each of them is one of a few kinds of object).
 */
export function tableByRowShape<Params extends TableParams>(macro: Macro, params: Params, prepare?: (params: Params) => unknown): unknown {
  // What is done to the params before the macro draws them (labelledTable): cell by cell, by column.
  const draw = (table: Params) => macro(prepare ? prepare(table) : table);
  const rows = params?.rows;
  if (!Array.isArray(rows) || rows.length < FEWEST_ROWS) return draw(params);
  const shapes = new Map<string, { row: unknown; index: number; cells: number }>();
  const shapeOfRow: number[] = [];
  const values: string[][] = [];
  const keys = new Map<unknown, string | undefined>();
  for (const row of rows) {
    const shaped = shapeOf(row, keys);
    if (!shaped) return draw(params);
    let shape = shapes.get(shaped.key);
    if (!shape) {
      shape = { row: withMarkers(row), index: shapes.size, cells: shaped.values.length };
      shapes.set(shaped.key, shape);
    }
    shapeOfRow.push(shape.index);
    values.push(shaped.values);
  }
  const empty = String(draw({ ...params, rows: [] }));
  const drawn = [...shapes.values()].map(({ row, cells }) => ({ html: String(draw({ ...params, rows: [row] })), cells }));
  const where = whereRowsGo(
    empty,
    drawn.map(({ html }) => html),
  );
  if (where === undefined) return draw(params);
  const parts: string[][] = [];
  for (const { html, cells } of drawn) {
    const pieces = html.slice(where, where + html.length - empty.length).split(markers);
    // split() with a group gives text, index, text, index, ..., text: each index once, in order.
    for (let i = 1; i < pieces.length; i += 2) if (pieces[i] !== String((i - 1) / 2)) return draw(params);
    if ((pieces.length - 1) / 2 !== cells) return draw(params);
    parts.push(pieces.filter((_, i) => i % 2 === 0));
  }
  let html = empty.slice(0, where);
  for (const [i, shape] of shapeOfRow.entries()) {
    const pieces = parts[shape]!;
    const rowValues = values[i]!;
    html += pieces[0];
    for (let cell = 0; cell < rowValues.length; cell += 1) html += rowValues[cell]! + pieces[cell + 1]!;
  }
  return new SafeString(html + empty.slice(where));
}

/**
 * Where in the empty table the rows go: a place where each one-row table is the empty table with
 * its row put in. Rows may begin with what follows them (white space, say), so there can be more
 * than one such place; any place that holds for every shape gives the same HTML.
 */
function whereRowsGo(empty: string, drawn: string[]): number | undefined {
  let earliest = 0;
  let latest = empty.length;
  for (const html of drawn) {
    if (html.length < empty.length) return undefined;
    let prefix = 0;
    while (prefix < empty.length && html.charCodeAt(prefix) === empty.charCodeAt(prefix)) prefix += 1;
    let suffix = 0;
    while (suffix < empty.length && html.charCodeAt(html.length - 1 - suffix) === empty.charCodeAt(empty.length - 1 - suffix)) suffix += 1;
    earliest = Math.max(earliest, empty.length - suffix);
    latest = Math.min(latest, prefix);
  }
  return earliest <= latest ? earliest : undefined;
}

/** A row's shape (a key) and its cells' values as the macro writes them. */
function shapeOf(row: unknown, keys: Map<unknown, string | undefined>): { key: string; values: string[] } | undefined {
  // The macro writes nothing but white space for a row that is not there ({% if row %}).
  if (!row) return { key: '', values: [] };
  if (!Array.isArray(row)) return undefined;
  const values: string[] = [];
  let key = '[';
  for (const cell of row) {
    if (!isPlainObject(cell)) return undefined;
    const value = valueHtml(cell);
    if (value === undefined) return undefined;
    values.push(value);
    for (const name in cell) {
      if (name === 'text' || name === 'html') continue;
      const property = cell[name];
      // Objects by who they are: an object several cells share (attributes, say) is read once.
      let part = typeof property === 'object' && property !== null ? keys.get(property) : undefined;
      if (part === undefined) {
        part = keyOf(property);
        if (part === undefined) return undefined;
        if (typeof property === 'object' && property !== null) keys.set(property, part);
      }
      key += `${name}\u0000${part},`;
    }
    key += '|';
  }
  return { key: `${key}]`, values };
}

/** The row with a marker in place of each cell's value (its text and html). */
function withMarkers(row: unknown): unknown {
  if (!row) return row;
  return (row as Cell[]).map((cell, index) => ({ ...cell, text: undefined, html: marker(index) }));
}

/** A cell's value as the macro writes it: html as it is, else text escaped (nothing for none). */
function valueHtml(cell: Cell): string | undefined {
  const { html, text } = cell;
  if (html) return typeof html === 'string' ? html : html instanceof SafeString ? html.val : undefined;
  if (text === undefined || text === null) return '';
  if (text instanceof SafeString) return text.val;
  if (typeof text === 'string' || typeof text === 'number' || typeof text === 'boolean') return escape(String(text));
  return undefined;
}

/** What a cell's other properties are, for the key: safe HTML and plain data only. */
function keyOf(value: unknown): string | undefined {
  if (value instanceof SafeString) return `safe${JSON.stringify(value.val)}`;
  if (value === undefined) return 'undefined';
  // Numbers as they are written (JSON would write NaN and Infinity as null).
  if (typeof value === 'number') return `number:${String(value)}`;
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return JSON.stringify(value);
  if (isPlainObject(value)) {
    const parts: string[] = [];
    for (const name of Object.keys(value)) {
      const part = keyOf(value[name]);
      if (part === undefined) return undefined;
      parts.push(`${JSON.stringify(name)}:${part}`);
    }
    return `{${parts.join(',')}}`;
  }
  if (Array.isArray(value)) {
    const parts = value.map(keyOf);
    return parts.includes(undefined) ? undefined : `[${parts.join(',')}]`;
  }
  return undefined;
}

function isPlainObject(value: unknown): value is Cell {
  if (typeof value !== 'object' || value === null) return false;
  const prototype = Object.getPrototypeOf(value) as unknown;
  return prototype === Object.prototype || prototype === null;
}
