import { describe, expect, it } from 'vitest';
import { validateForm } from '@/lib/platform/forms';
import { endWeekSchema, startWeekSchema, weekProblemMessage } from './week-forms';

const now = new Date('2026-11-25T09:00:00Z');
const another = (day: string, month = '11', year = '2026') => ({
  startWhen: 'another-day',
  'startedOn-day': day,
  'startedOn-month': month,
  'startedOn-year': year,
});
const messages = (values: Record<string, string | string[]>) => {
  const result = validateForm(startWeekSchema(now), values);
  return result.ok ? [] : result.errors.summary.map((error) => `${error.href} ${error.text}`);
};

describe('starting a home reading week', () => {
  it('starts today or on a day in the last 7 days', () => {
    expect(validateForm(startWeekSchema(now), { startWhen: 'today' })).toMatchObject({ ok: true, data: { chosen: 'today', startedOn: '2026-11-25' } });
    expect(validateForm(startWeekSchema(now), another('18'))).toMatchObject({ ok: true, data: { startedOn: '2026-11-18' } });
    // Today on UK clocks: 11:30pm UTC in summer is already tomorrow.
    expect(validateForm(startWeekSchema(new Date('2026-07-01T23:30:00Z')), { startWhen: 'today' })).toMatchObject({ data: { startedOn: '2026-07-02' } });
  });

  it('refuses bad answers with GOV.UK messages, each pointing at the box to fix', () => {
    expect(messages({})).toEqual(['#startWhen Select when you want to start your week']);
    expect(messages({ startWhen: 'yesterday' })).toEqual(['#startWhen Select when you want to start your week']);
    expect(messages({ startWhen: ['today', 'another-day'] })).toEqual(['#startWhen Select when you want to start your week']);
    expect(messages(another('', '', ''))).toEqual(['#startedOn-day Enter the date your week starts']);
    expect(messages(another('26'))).toEqual(['#startedOn-day Date your week starts must be today or in the past']);
    expect(messages(another('17'))).toEqual(['#startedOn-year Date your week starts must be in the last 7 days']);
    expect(messages(another('30', '2'))).toEqual(['#startedOn-day Date your week starts must be a real date']);
    expect(messages(another('20', '13'))).toEqual(['#startedOn-month Date your week starts must be a real date']);
    expect(messages(another('31', '11'))).toEqual(['#startedOn-day Date your week starts must be a real date']);
    expect(messages(another('20', '11', '26'))).toEqual(['#startedOn-year Year must include 4 numbers']);
    expect(messages(another('2'.repeat(5000)))).toEqual(['#startedOn-day Date your week starts must be a real date']);
  });
});

describe('ending a home reading week early', () => {
  it('asks yes or no', () => {
    expect(validateForm(endWeekSchema, { endNow: 'yes' })).toMatchObject({ ok: true, data: { confirm: 'yes' } });
    expect(validateForm(endWeekSchema, {})).toMatchObject({
      ok: false,
      errors: { summary: [{ text: 'Select yes if you want to end your week now', href: '#endNow' }] },
    });
    expect(validateForm(endWeekSchema, { endNow: 'maybe' })).toMatchObject({ ok: false });
  });

  it('says from which day a week can end', () => {
    expect(weekProblemMessage('too-early-to-end', 'Thursday 12 November')).toBe('You can end your week from day 4, Thursday 12 November');
  });
});
