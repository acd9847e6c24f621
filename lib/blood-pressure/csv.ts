import { londonIsoDateTime } from './london-time';
import type { BloodPressureReading } from './reading';

/**
 * Readings as CSV (RFC 4180: CRLF line ends, fields quoted when they hold a
 * comma, quote or line break, quotes doubled), to open in a spreadsheet.
 */

const FORMULA_START = /^[=+\-@\t\r]/;

/**
 * One text field. A spreadsheet runs text starting =, +, -, @, tab or carriage
 * return as a formula, so such text gets a leading apostrophe: shown, never run.
 */
export function csvTextField(text: string): string {
  const safe = FORMULA_START.test(text) ? `'${text}` : text;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

const csvRow = (fields: string[]) => `${fields.join(',')}\r\n`;

const header = [
  'Date and time measured',
  'Systolic (mmHg)',
  'Diastolic (mmHg)',
  'Pulse (beats a minute)',
  'Arm',
  'Sitting down',
];

/** Numbers are written as they are: they are whole numbers we checked, so never formulas. */
export function readingsCsv(readings: readonly BloodPressureReading[]): string {
  return [
    csvRow(header.map(csvTextField)),
    ...readings.map((reading) =>
      csvRow([
        londonIsoDateTime(reading.measuredAt),
        String(reading.systolic),
        String(reading.diastolic),
        reading.pulse === undefined ? '' : String(reading.pulse),
        csvTextField(reading.arm === 'left' ? 'Left' : 'Right'),
        csvTextField(reading.sitting ? 'Yes' : 'No'),
      ]),
    ),
  ].join('');
}
