/**
 * CSV files people open in a spreadsheet. RFC 4180: CRLF line ends, a field quoted when it
 * holds a comma, quote, apostrophe or line break, quotes inside doubled. Each capability
 * chooses its own columns; this is only how they are written.
 */

export type CsvCell = string | number | null | undefined;

// A spreadsheet runs text starting with these as a formula (CSV injection).
const FORMULA_START = /^[=+\-@\t\r]/;

/**
 * One field. Text that would run as a formula gets a leading apostrophe: shown, never run.
 * Numbers are our own figures, written as they are (so -2 stays a number); a missing value is empty.
 */
export function csvCell(value: CsvCell): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return String(value);
  const text = FORMULA_START.test(value) ? `'${value}` : value;
  // Apostrophes (the one added too) are quoted, as OWASP's CSV injection advice asks.
  return /[",'\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** One line, ending CRLF. */
export function csvRow(cells: readonly CsvCell[]): string {
  return `${cells.map(csvCell).join(',')}\r\n`;
}

/** A whole file: every row, each ending CRLF. */
export function toCsv(rows: readonly (readonly CsvCell[])[]): string {
  return rows.map(csvRow).join('');
}

/** A CSV download: saved as a file, never stored by the browser or a proxy, never sniffed as anything else. */
export function csvResponse(body: string | ReadableStream<Uint8Array>, filename: string): Response {
  return new Response(body, {
    headers: {
      'content-type': 'text/csv; charset=utf-8',
      'content-disposition': `attachment; filename="${filename}"`,
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
    },
  });
}
