import { describe, expect, it } from 'vitest';
import { validateForm } from '@/lib/platform/forms';
import {
  aboutSchema,
  activityTopicsSchema,
  answerSchema,
  areaSchema,
  audienceSchema,
  closeSchema,
  datesSchema,
  newQuestionSchema,
  topicsSchema,
} from './forms';
import { datesForm } from './test-support';

const messages = (result: ReturnType<typeof validateForm>) => (result.ok ? [] : result.errors.summary.map((e) => `${e.href} ${e.text}`));

describe('coordinator forms', () => {
  it('refuses an empty or too long title and purpose, and keeps HTML as text', () => {
    expect(messages(validateForm(aboutSchema, {}))).toEqual(['#title Enter a title', '#purpose Enter what the activity is for']);
    expect(messages(validateForm(aboutSchema, { title: 'x'.repeat(121), purpose: 'y'.repeat(1201) }))).toEqual([
      '#title Title must be 120 characters or less',
      '#purpose What the activity is for must be 1200 characters or less',
    ]);
    const ok = validateForm(aboutSchema, { title: '<script>x</script>', purpose: ' <b>why</b> ' });
    expect(ok.ok && ok.data).toEqual({ title: '<script>x</script>', purpose: '<b>why</b>' });
  });

  it('needs at least one known topic', () => {
    expect(messages(validateForm(activityTopicsSchema, {}))).toEqual(['#topics Select at least one topic']);
    expect(messages(validateForm(activityTopicsSchema, { topics: ['transport', 'made-up'] }))).toEqual(['#topics Select topics from the list']);
    const ok = validateForm(activityTopicsSchema, { topics: 'transport' });
    expect(ok.ok && ok.data).toEqual({ topics: ['transport'] });
  });

  it('needs the condition or a real postcode district for those audiences', () => {
    expect(messages(validateForm(audienceSchema, {}))).toEqual(['#audienceKind Select who the activity is for']);
    expect(messages(validateForm(audienceSchema, { audienceKind: 'condition', condition: '' }))).toEqual(['#condition Select the long-term condition']);
    // Only a condition from the list: typed words are not matched to anyone.
    expect(messages(validateForm(audienceSchema, { audienceKind: 'condition', condition: 'Diabetes' }))).toEqual(['#condition Select the long-term condition']);
    expect(validateForm(audienceSchema, { audienceKind: 'condition', condition: '73211009' })).toMatchObject({
      ok: true,
      data: { audienceKind: 'condition', audienceValue: '73211009' },
    });
    expect(messages(validateForm(audienceSchema, { audienceKind: 'area', area: 'LS' }))).toEqual(['#area Enter the first part of a postcode, like LS6']);
    const ok = validateForm(audienceSchema, { audienceKind: 'area', area: 'ls 6', condition: 'ignored' });
    expect(ok.ok && ok.data).toEqual({ audienceKind: 'area', audienceValue: 'LS6' });
  });

  it('reads the GOV.UK date inputs, each problem at the first box to fix, the end on or after the start', () => {
    expect(messages(validateForm(datesSchema, {}))).toEqual(['#starts-day Enter the start date', '#ends-day Enter the end date']);
    expect(messages(validateForm(datesSchema, datesForm(['1', '', '2027'], ['', '', '27'])))).toEqual([
      '#starts-month Start date must include a month',
      '#ends-day End date must include a day and month',
    ]);
    expect(messages(validateForm(datesSchema, datesForm(['31', '2', '2027'], ['1', 'x', '2027'])))).toEqual([
      '#starts-day Start date must be a real date',
      '#ends-month End date must be a real date',
    ]);
    expect(messages(validateForm(datesSchema, datesForm(['1', '13', '2027'], ['1', '1', '27'])))).toEqual([
      '#starts-month Start date must be a real date',
      '#ends-year Year must include 4 numbers',
    ]);
    expect(messages(validateForm(datesSchema, datesForm(['2', '1', '2027'], ['1', '1', '2027'])))).toEqual([
      '#ends-day The end date must be the same as or after the start date',
    ]);
    const ok = validateForm(datesSchema, datesForm([' 1 ', '01', '2027'], ['1', '1', '2027']));
    expect(ok.ok && ok.data).toEqual({ startsOn: '2027-01-01', endsOn: '2027-01-01' });
  });

  it('needs 2 to 10 answers for a choice question', () => {
    expect(messages(validateForm(newQuestionSchema, {}))).toEqual(['#text Enter the question', '#kind Select how people answer']);
    expect(messages(validateForm(newQuestionSchema, { text: 'Q', kind: 'choice', options: 'Only one' }))).toEqual([
      '#options Enter at least 2 answers, one on each line',
    ]);
    const ok = validateForm(newQuestionSchema, { text: 'Q', kind: 'multiple-choice', options: 'A\r\n\r\nB\nA' });
    expect(ok.ok && ok.data).toEqual({ text: 'Q', kind: 'multiple-choice', options: ['A', 'B'] });
    const scale = validateForm(newQuestionSchema, { text: 'Q', kind: 'scale', options: 'ignored' });
    expect(scale.ok && scale.data).toEqual({ text: 'Q', kind: 'scale', options: [] });
  });

  it('needs both parts of "you said, we did"', () => {
    expect(messages(validateForm(closeSchema, { whatWeHeard: ' ', whatWeChanged: 'x'.repeat(2001) }))).toEqual([
      '#whatWeHeard Enter what you heard',
      '#whatWeChanged What you changed must be 2000 characters or less',
    ]);
  });
});

describe('citizen forms', () => {
  const question = (kind: string, options: string[] = []) => ({ id: 'q', text: 'Q', kind, options, organisationCode: 'ZZ' });

  it('checks an answer against its question', () => {
    expect(messages(validateForm(answerSchema(question('text')), { answer: '' }))).toEqual(['#answer Enter your answer']);
    expect(messages(validateForm(answerSchema(question('choice', ['A', 'B'])), { answer: 'C' }))).toEqual(['#answer Select an answer']);
    expect(messages(validateForm(answerSchema(question('scale')), { answer: '6' }))).toEqual(['#answer Select an answer']);
    expect(messages(validateForm(answerSchema(question('multiple-choice', ['A', 'B'])), {}))).toEqual(['#answer Select at least one answer']);
    const ok = validateForm(answerSchema(question('multiple-choice', ['A', 'B'])), { answer: ['B', 'A', 'B'] });
    expect(ok.ok && ok.data).toEqual({ answer: ['B', 'A'] });
  });

  it('accepts an empty postcode district but not a wrong one', () => {
    const empty = validateForm(areaSchema, { postcodeDistrict: '' });
    expect(empty.ok && empty.data).toEqual({ postcodeDistrict: undefined });
    expect(messages(validateForm(areaSchema, { postcodeDistrict: 'LS6 4AB' }))).toEqual(['#postcodeDistrict Enter the first part of your postcode, like LS6']);
    // Royal Mail never uses Q as the first letter.
    expect(messages(validateForm(areaSchema, { postcodeDistrict: 'QS1' }))).toEqual(['#postcodeDistrict Enter the first part of your postcode, like LS6']);
    const given = validateForm(areaSchema, { postcodeDistrict: ' ls 6 ' });
    expect(given.ok && given.data).toEqual({ postcodeDistrict: 'LS6' });
    expect(messages(validateForm(topicsSchema, { topics: '<b>' }))).toEqual(['#topics Select topics from the list']);
  });
});
