import { csvRow } from '@/lib/platform/csv';
import { londonIsoDateTime } from '@/lib/platform/london-time';
import type { BloodPressureReading } from './reading';

/** Readings as CSV, to open in a spreadsheet (written by the platform's formula-safe writer). */

const header = ['Date and time measured', 'Systolic (mmHg)', 'Diastolic (mmHg)', 'Pulse (beats a minute)', 'Arm', 'Sitting down'];

/** The header row then one row a reading; an empty list is the header alone. */
export function readingsCsv(readings: readonly BloodPressureReading[]): string {
  return [
    csvRow(header),
    ...readings.map((reading) =>
      csvRow([
        londonIsoDateTime(reading.measuredAt),
        reading.systolic,
        reading.diastolic,
        reading.pulse,
        reading.arm === 'left' ? 'Left' : 'Right',
        reading.sitting ? 'Yes' : 'No',
      ]),
    ),
  ].join('');
}
