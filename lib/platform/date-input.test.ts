import { describe, expect, it } from 'vitest';
import { isoDate, readDateInput } from './date-input';

const words = { label: 'Date your week starts', enter: 'Enter the date your week starts' };
const boxes = (day: string, month: string, year: string) => ({ 'startedOn-day': day, 'startedOn-month': month, 'startedOn-year': year });
const read = (values: Record<string, unknown>) => readDateInput(values, 'startedOn', words);

describe('the GOV.UK date input', () => {
  it('reads a real date', () => {
    const result = read(boxes(' 5 ', '11', '2026'));
    expect(result).toEqual({ ok: true, date: { year: 2026, month: 11, day: 5 } });
    expect(result.ok && isoDate(result.date)).toBe('2026-11-05');
  });

  it('says what is missing, pointing at the first empty box', () => {
    expect(read(boxes('', '', ''))).toEqual({ ok: false, problem: { field: 'startedOn-day', message: 'Enter the date your week starts' } });
    expect(read({})).toMatchObject({ problem: { message: 'Enter the date your week starts' } });
    expect(read(boxes('5', '', ''))).toEqual({
      ok: false,
      problem: { field: 'startedOn-month', message: 'Date your week starts must include a month and year' },
    });
    expect(read(boxes('5', '11', ''))).toMatchObject({ problem: { field: 'startedOn-year', message: 'Date your week starts must include a year' } });
  });

  it('refuses dates that do not exist and years that are not 4 numbers', () => {
    expect(read(boxes('31', '11', '2026'))).toMatchObject({ problem: { field: 'startedOn-day', message: 'Date your week starts must be a real date' } });
    expect(read(boxes('29', '2', '2026'))).toMatchObject({ problem: { message: 'Date your week starts must be a real date' } });
    expect(read(boxes('1', '13', '2026'))).toMatchObject({ problem: { field: 'startedOn-month' } });
    expect(read(boxes('one', '11', '2026'))).toMatchObject({ problem: { field: 'startedOn-day', message: 'Date your week starts must be a real date' } });
    expect(read(boxes('1', '11', '26'))).toMatchObject({ problem: { field: 'startedOn-year', message: 'Year must include 4 numbers' } });
    expect(read(boxes('1', '11', '20266'))).toMatchObject({ problem: { field: 'startedOn-year', message: 'Year must include 4 numbers' } });
    expect(read(boxes('1', '11', '2O26'))).toMatchObject({ problem: { field: 'startedOn-year', message: 'Date your week starts must be a real date' } });
    expect(read(boxes('005', '11', '2026'))).toMatchObject({ problem: { field: 'startedOn-day', message: 'Date your week starts must be a real date' } });
    expect(read(boxes('5', '011', '2026'))).toMatchObject({ problem: { field: 'startedOn-month', message: 'Date your week starts must be a real date' } });
    expect(read(boxes('05', '09', '2026'))).toEqual({ ok: true, date: { year: 2026, month: 9, day: 5 } });
    expect(read({ ...boxes('1', '11', '2026'), 'startedOn-day': ['1', '2'] })).toMatchObject({
      problem: { message: 'Date your week starts must be a real date' },
    });
  });
});
