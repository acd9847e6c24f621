import { describe, expect, it } from 'vitest';
import { readingsCsv } from './csv';

describe('CSV of readings', () => {
  it('has a header row, UK-offset ISO dates and CRLF line ends', () => {
    const csv = readingsCsv([
      { systolic: 142, diastolic: 91, pulse: 68, measuredAt: new Date('2026-07-01T07:30:00Z'), arm: 'left', sitting: true },
      { systolic: 128, diastolic: 82, measuredAt: new Date('2026-12-01T19:05:00Z'), arm: 'right', sitting: false },
    ]);
    expect(csv).toBe(
      'Date and time measured,Systolic (mmHg),Diastolic (mmHg),Pulse (beats a minute),Arm,Sitting down\r\n' +
        '2026-07-01T08:30:00+01:00,142,91,68,Left,Yes\r\n' +
        '2026-12-01T19:05:00+00:00,128,82,,Right,No\r\n',
    );
  });

  it('is only a header when there are no readings', () => {
    expect(readingsCsv([]).split('\r\n')).toHaveLength(2);
  });
});
