import { describe, expect, it } from 'vitest';
import { validateForm } from '@/lib/platform/forms';
import { nameAndDateSchema, nhsNumberSchema } from './find-citizen';

const today = new Date('2026-11-25T09:00:00Z');
const messages = (result: ReturnType<typeof validateForm>) => (result.ok ? [] : result.errors.summary.map((error) => `${error.href} ${error.text}`));
const person = (day: string, month: string, year: string) => ({
  givenName: 'Amelia',
  familyName: 'Testwell',
  'dateOfBirth-day': day,
  'dateOfBirth-month': month,
  'dateOfBirth-year': year,
});
const search = (values: Record<string, string>) =>
  validateForm(
    nameAndDateSchema(() => today),
    values,
  );

describe('finding a citizen by NHS number', () => {
  it('takes the digits of a real NHS number, typed with spaces or hyphens', () => {
    expect(validateForm(nhsNumberSchema, { nhsNumber: ' 999 001-2377 ' })).toMatchObject({ ok: true, data: { nhsNumber: '9990012377' } });
  });

  it('says what is wrong', () => {
    expect(messages(validateForm(nhsNumberSchema, { nhsNumber: '' }))).toEqual(['#nhsNumber Enter an NHS number']);
    expect(messages(validateForm(nhsNumberSchema, { nhsNumber: '999 OO1 2377' }))).toEqual(['#nhsNumber NHS number must only include numbers']);
    expect(messages(validateForm(nhsNumberSchema, { nhsNumber: '999 001 237' }))).toEqual(['#nhsNumber NHS number must be 10 digits']);
    expect(messages(validateForm(nhsNumberSchema, { nhsNumber: '999 001 2378' }))).toEqual(['#nhsNumber Enter a valid NHS number, like 485 777 3456']);
  });
});

describe('finding a citizen by name and date of birth', () => {
  it('takes the names and a real date of birth', () => {
    expect(search(person('17', '3', '1984'))).toMatchObject({ ok: true, data: { givenName: 'Amelia', familyName: 'Testwell', birthDate: '1984-03-17' } });
  });

  it('asks for the date of birth as the GOV.UK date input does, pointing at the box to fix', () => {
    expect(messages(search(person('', '', '')))).toEqual(['#dateOfBirth-day Enter their date of birth']);
    expect(messages(search(person('17', '', '')))).toEqual(['#dateOfBirth-month Date of birth must include a month and year']);
    expect(messages(search(person('31', '2', '1950')))).toEqual(['#dateOfBirth-day Date of birth must be a real date']);
    expect(messages(search(person('17', '13', '1984')))).toEqual(['#dateOfBirth-month Date of birth must be a real date']);
    expect(messages(search(person('17', 'March', '1984')))).toEqual(['#dateOfBirth-month Date of birth must be a real date']);
    expect(messages(search(person('17', '3', '84')))).toEqual(['#dateOfBirth-year Year must include 4 numbers']);
  });

  it('needs a date in the past and after 1890', () => {
    expect(messages(search(person('4', '7', '2090')))).toEqual(['#dateOfBirth-day Date of birth must be in the past']);
    expect(messages(search(person('31', '12', '1889')))).toEqual(['#dateOfBirth-year Date of birth must be after 1890']);
    expect(search(person('1', '1', '1890')).ok).toBe(true);
  });
});
