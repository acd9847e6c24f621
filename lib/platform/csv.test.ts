import { describe, expect, it } from 'vitest';
import { csvCell, csvResponse, csvRow, toCsv } from './csv';

describe('a CSV field', () => {
  it.each([
    ['plain', 'plain'],
    ['with, comma', '"with, comma"'],
    ['say "hello"', '"say ""hello"""'],
    ['two\nlines', '"two\nlines"'],
    ['carriage\rreturn', '"carriage\rreturn"'],
    ["O'Brien", '"O\'Brien"'],
    ['', ''],
  ])('quotes %j as RFC 4180 asks', (text, field) => {
    expect(csvCell(text)).toBe(field);
  });

  it.each([
    ['=SUM(A1:A9)', `"'=SUM(A1:A9)"`],
    ['+44 113 000', `"'+44 113 000"`],
    ['-2+3', `"'-2+3"`],
    ['@cmd', `"'@cmd"`],
    ['\t=1', `"'\t=1"`],
    ['\r=1', `"'\r=1"`],
    ['=HYPERLINK("http://x","y")', `"'=HYPERLINK(""http://x"",""y"")"`],
  ])('stops a spreadsheet running %j as a formula', (text, field) => {
    expect(csvCell(text)).toBe(field);
  });

  it('writes numbers as they are, and nothing for a missing value', () => {
    expect(csvCell(142)).toBe('142');
    expect(csvCell(-2)).toBe('-2');
    expect(csvCell(undefined)).toBe('');
    expect(csvCell(null)).toBe('');
  });
});

describe('CSV rows and files', () => {
  it('ends every line CRLF', () => {
    expect(csvRow(['a', 1, undefined, 'b,c'])).toBe('a,1,,"b,c"\r\n');
    expect(
      toCsv([
        ['Question', 'Number of people'],
        ['=1+1', 5],
      ]),
    ).toBe(`Question,Number of people\r\n"'=1+1",5\r\n`);
    expect(toCsv([])).toBe('');
  });

  it('is downloaded as a file that is never stored or sniffed', async () => {
    const response = csvResponse('a,b\r\n', 'report.csv');
    expect(response.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(response.headers.get('content-disposition')).toBe('attachment; filename="report.csv"');
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await response.text()).toBe('a,b\r\n');
  });
});
