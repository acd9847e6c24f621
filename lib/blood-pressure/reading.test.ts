import { describe, expect, it } from 'vitest';
import { validateForm } from '@/lib/platform/forms';
import { readingFormSchema, readingProblems } from './reading';

// 23 November 2026, 12:30 on UK clocks (GMT).
const now = new Date('2026-11-23T12:30:00Z');
const schema = readingFormSchema(() => now);

const valid = {
  systolic: '128',
  diastolic: '82',
  pulse: '',
  secondSystolic: '',
  secondDiastolic: '',
  secondPulse: '',
  measuredWhen: 'earlier',
  'measuredAt-day': '23',
  'measuredAt-month': '11',
  'measuredAt-year': '2026',
  'measuredAt-hour': '8',
  'measuredAt-minute': '05',
  arm: 'left',
  sitting: 'yes',
};

function errorsFor(values: Record<string, string | string[]>) {
  const result = validateForm(schema, values);
  return result.ok ? [] : result.errors.summary;
}

function messageFor(values: Record<string, string | string[]>, href: string) {
  return errorsFor(values).find((error) => error.href === href)?.text;
}

describe('the "Add a reading" form', () => {
  it('turns a complete form into one reading, dated on UK clocks', () => {
    const result = validateForm(schema, valid);
    expect(result.ok && result.data).toEqual([{ systolic: 128, diastolic: 82, measuredAt: new Date('2026-11-23T08:05:00Z'), arm: 'left', sitting: true }]);
  });

  it('reads a summer time as British Summer Time', () => {
    const result = validateForm(schema, { ...valid, 'measuredAt-day': '1', 'measuredAt-month': '7' });
    expect(result.ok && result.data[0].measuredAt).toEqual(new Date('2026-07-01T07:05:00Z'));
  });

  it('keeps pulse when given, and "now" means now', () => {
    const result = validateForm(schema, { ...valid, pulse: ' 64 ', measuredWhen: 'now', 'measuredAt-day': '' });
    expect(result.ok && result.data).toEqual([{ systolic: 128, diastolic: 82, pulse: 64, measuredAt: now, arm: 'left', sitting: true }]);
  });

  it('takes a second reading a minute after the first, as NICE asks', () => {
    const result = validateForm(schema, { ...valid, secondSystolic: '124', secondDiastolic: '80', secondPulse: '62', sitting: 'no' });
    expect(result.ok && result.data).toEqual([
      { systolic: 128, diastolic: 82, measuredAt: new Date('2026-11-23T08:05:00Z'), arm: 'left', sitting: false },
      { systolic: 124, diastolic: 80, pulse: 62, measuredAt: new Date('2026-11-23T08:06:00Z'), arm: 'left', sitting: false },
    ]);
  });

  it('with "now", dates the second reading now and the first a minute before, never in the future', () => {
    const result = validateForm(schema, { ...valid, measuredWhen: 'now', secondSystolic: '124', secondDiastolic: '80' });
    expect(result.ok && result.data.map((reading) => reading.measuredAt)).toEqual([new Date(now.getTime() - 60_000), now]);
  });

  it('reports every missing answer at once, in page order, each linked to its box', () => {
    expect(errorsFor({})).toEqual([
      { text: 'Enter the systolic (top number)', href: '#systolic' },
      { text: 'Enter the diastolic (bottom number)', href: '#diastolic' },
      { text: 'Select when you took this reading', href: '#measuredWhen' },
      { text: 'Select which arm you used', href: '#arm' },
      { text: 'Select yes if you were sitting down', href: '#sitting' },
    ]);
  });

  it('lists problems in page order even when a later check finds an earlier box wrong', () => {
    expect(errorsFor({ ...valid, systolic: '80', diastolic: '120', pulse: 'x' }).map((e) => e.href)).toEqual(['#systolic', '#pulse']);
  });

  it('refuses numbers that are not whole numbers', () => {
    expect(messageFor({ ...valid, systolic: '120.5' }, '#systolic')).toBe('Systolic (top number) must be a whole number, like 120');
    expect(messageFor({ ...valid, diastolic: 'eighty' }, '#diastolic')).toBe('Diastolic (bottom number) must be a whole number, like 80');
    expect(messageFor({ ...valid, pulse: '-60' }, '#pulse')).toBe('Pulse must be a whole number, like 72');
  });

  it.each([
    ['systolic', '69', 'Systolic (top number) must be between 70 and 250'],
    ['systolic', '251', 'Systolic (top number) must be between 70 and 250'],
    ['diastolic', '39', 'Diastolic (bottom number) must be between 40 and 150'],
    ['diastolic', '151', 'Diastolic (bottom number) must be between 40 and 150'],
    ['pulse', '29', 'Pulse must be between 30 and 220'],
    ['pulse', '221', 'Pulse must be between 30 and 220'],
  ])('refuses %s %s as implausible', (field, value, message) => {
    const values = field === 'diastolic' ? { ...valid, systolic: '200', diastolic: value } : { ...valid, [field]: value };
    expect(messageFor(values, `#${field}`)).toBe(message);
  });

  it('accepts the edges of the plausible ranges', () => {
    expect(errorsFor({ ...valid, systolic: '250', diastolic: '150', pulse: '220' })).toEqual([]);
    expect(errorsFor({ ...valid, systolic: '70', diastolic: '40', pulse: '30' })).toEqual([]);
  });

  it('refuses a systolic that is not higher than the diastolic (numbers swapped)', () => {
    const message = 'Systolic (top number) must be higher than diastolic (bottom number)';
    expect(errorsFor({ ...valid, systolic: '80', diastolic: '120' })).toEqual([{ text: message, href: '#systolic' }]);
    expect(messageFor({ ...valid, systolic: '90', diastolic: '90' }, '#systolic')).toBe(message);
  });

  it('checks the second reading with its own messages', () => {
    expect(errorsFor({ ...valid, secondSystolic: '124' })).toEqual([
      { text: 'Enter the diastolic (bottom number) of your second reading', href: '#secondDiastolic' },
    ]);
    expect(messageFor({ ...valid, secondSystolic: '70', secondDiastolic: '80' }, '#secondSystolic')).toBe(
      'Systolic (top number) of your second reading must be higher than diastolic (bottom number)',
    );
  });

  it('asks for the date and time when the reading was earlier', () => {
    const blank = { ...valid, 'measuredAt-day': '', 'measuredAt-month': '', 'measuredAt-year': '', 'measuredAt-hour': '', 'measuredAt-minute': '' };
    expect(errorsFor(blank)).toEqual([
      { text: 'Enter the date you took this reading', href: '#measuredAt-day' },
      { text: 'Enter the time you took this reading', href: '#measuredAt-hour' },
    ]);
    expect(messageFor({ ...valid, 'measuredAt-month': '', 'measuredAt-year': '' }, '#measuredAt-month')).toBe(
      'Date you took this reading must include a month and year',
    );
    expect(messageFor({ ...valid, 'measuredAt-minute': '' }, '#measuredAt-minute')).toBe('Time you took this reading must include the minute');
  });

  it.each([
    [{ 'measuredAt-day': '31', 'measuredAt-month': '9' }, '#measuredAt-day', 'Date you took this reading must be a real date'],
    [{ 'measuredAt-day': '29', 'measuredAt-month': '2' }, '#measuredAt-day', 'Date you took this reading must be a real date'],
    [{ 'measuredAt-month': 'Nov' }, '#measuredAt-month', 'Date you took this reading must be a real date'],
    [{ 'measuredAt-month': '13' }, '#measuredAt-month', 'Date you took this reading must be a real date'],
    [{ 'measuredAt-day': '00001' }, '#measuredAt-day', 'Date you took this reading must be a real date'],
    [{ 'measuredAt-year': '02026' }, '#measuredAt-year', 'Year must include 4 numbers'],
    [{ 'measuredAt-year': '26' }, '#measuredAt-year', 'Year must include 4 numbers'],
    [{ 'measuredAt-hour': '24' }, '#measuredAt-hour', 'Time you took this reading must be a real time, like 8:30 or 19:45'],
    [{ 'measuredAt-minute': '60' }, '#measuredAt-minute', 'Time you took this reading must be a real time, like 8:30 or 19:45'],
    [{ 'measuredAt-hour': '8pm' }, '#measuredAt-hour', 'Time you took this reading must be a real time, like 8:30 or 19:45'],
  ])('refuses a date or time that does not exist: %o', (change, href, message) => {
    expect(messageFor({ ...valid, ...change }, href)).toBe(message);
  });

  it('reports a date that does not exist together with a time still to give', () => {
    expect(errorsFor({ ...valid, 'measuredAt-day': '31', 'measuredAt-month': '9', 'measuredAt-minute': '' })).toEqual([
      { text: 'Date you took this reading must be a real date', href: '#measuredAt-day' },
      { text: 'Time you took this reading must include the minute', href: '#measuredAt-minute' },
    ]);
  });

  it('refuses a time in the future, allowing a phone clock a few minutes ahead', () => {
    const at = (hour: string, minute: string) => ({ ...valid, 'measuredAt-hour': hour, 'measuredAt-minute': minute });
    expect(errorsFor(at('12', '35'))).toEqual([]);
    expect(messageFor(at('12', '36'), '#measuredAt-day')).toBe('Date you took this reading must be now or in the past');
    expect(messageFor({ ...valid, 'measuredAt-year': '2027' }, '#measuredAt-day')).toBe('Date you took this reading must be now or in the past');
  });

  it('refuses a date more than 5 years ago', () => {
    expect(errorsFor({ ...valid, 'measuredAt-year': '2021', 'measuredAt-hour': '13' })).toEqual([]);
    expect(messageFor({ ...valid, 'measuredAt-year': '2021', 'measuredAt-hour': '12' }, '#measuredAt-year')).toBe(
      'Date you took this reading must be in the last 5 years',
    );
  });

  it('refuses answers that are not on the form', () => {
    expect(messageFor({ ...valid, arm: 'both' }, '#arm')).toBe('Select which arm you used');
    expect(messageFor({ ...valid, sitting: 'maybe' }, '#sitting')).toBe('Select yes if you were sitting down');
    expect(messageFor({ ...valid, measuredWhen: 'tomorrow' }, '#measuredWhen')).toBe('Select when you took this reading');
  });

  it("refuses a field sent twice with the field's own message", () => {
    expect(messageFor({ ...valid, systolic: ['120', '130'] }, '#systolic')).toBe('Enter the systolic (top number)');
  });
});

describe('the form’s rules for a reading that arrives already made (the open platform API)', () => {
  const reading = { systolic: 128, diastolic: 82, measuredAt: new Date('2026-11-23T08:05:00Z') };

  it('passes what the form passes', () => {
    expect(readingProblems(reading, now)).toEqual([]);
    expect(readingProblems({ ...reading, systolic: 250, diastolic: 40, pulse: 30 }, now)).toEqual([]);
    // A phone clock a few minutes ahead is allowed, as on the form.
    expect(readingProblems({ ...reading, measuredAt: new Date(now.getTime() + 4 * 60_000) }, now)).toEqual([]);
  });

  it('refuses what the form refuses, with the form’s messages in page order', () => {
    expect(readingProblems({ ...reading, systolic: 251, diastolic: 39 }, now)).toEqual([
      'Systolic (top number) must be between 70 and 250',
      'Diastolic (bottom number) must be between 40 and 150',
    ]);
    expect(readingProblems({ ...reading, systolic: 80, diastolic: 90 }, now)).toEqual(['Systolic (top number) must be higher than diastolic (bottom number)']);
    expect(readingProblems({ ...reading, systolic: 120.5 }, now)).toEqual(['Systolic (top number) must be a whole number, like 120']);
    expect(readingProblems({ ...reading, pulse: 300 }, now)).toEqual(['Pulse must be between 30 and 220']);
    expect(readingProblems({ ...reading, measuredAt: new Date(now.getTime() + 6 * 60_000) }, now)).toEqual([
      'Date you took this reading must be now or in the past',
    ]);
    expect(readingProblems({ ...reading, systolic: -120, measuredAt: new Date('2021-11-22T12:00:00Z') }, now)).toEqual([
      'Systolic (top number) must be a whole number, like 120',
      'Date you took this reading must be in the last 5 years',
    ]);
  });
});
