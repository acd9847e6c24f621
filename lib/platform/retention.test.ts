import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config';
import { daysInWords, RETENTION_RULES, retentionNotice } from './retention';

describe('retention settings (RETENTION_*_DAYS)', () => {
  it('keep things for the periods the privacy notice has always given, by default', () => {
    expect(loadConfig({}).retention).toEqual({
      draftsDays: 0,
      sessionsDays: 30,
      signInEventsDays: 730,
      deliveredMessagesDays: 90,
      deletedReadingsDays: 30,
      feedbackDays: 730,
    });
  });

  it('are whole days, as configured', () => {
    const retention = loadConfig({
      RETENTION_DRAFTS_DAYS: '2',
      RETENTION_SESSIONS_DAYS: '7',
      RETENTION_SIGN_IN_EVENTS_DAYS: '31',
      RETENTION_DELIVERED_MESSAGES_DAYS: '365',
      RETENTION_DELETED_READINGS_DAYS: '1',
      RETENTION_FEEDBACK_DAYS: '1095',
    }).retention;
    expect(retention).toEqual({ draftsDays: 2, sessionsDays: 7, signInEventsDays: 31, deliveredMessagesDays: 365, deletedReadingsDays: 1, feedbackDays: 1095 });
  });

  it.each([
    ['RETENTION_SESSIONS_DAYS', 'thirty'],
    ['RETENTION_SESSIONS_DAYS', '1.5'],
    ['RETENTION_SESSIONS_DAYS', '0'],
    ['RETENTION_DRAFTS_DAYS', '-1'],
    ['RETENTION_FEEDBACK_DAYS', '0'],
    ['RETENTION_FEEDBACK_DAYS', '36501'],
    ['RETENTION_DELIVERED_MESSAGES_DAYS', '0'],
    ['RETENTION_DELETED_READINGS_DAYS', '0'],
    // The active users report reads the last 30 days' sign-ins.
    ['RETENTION_SIGN_IN_EVENTS_DAYS', '30'],
  ])('refuse %s=%s, so the service does not start with it', (name, value) => {
    expect(() => loadConfig({ [name]: value })).toThrow(ConfigError);
    expect(() => loadConfig({ [name]: value })).toThrow(name);
  });

  it('let drafts go as soon as their time has passed (0 days)', () => {
    expect(loadConfig({ RETENTION_DRAFTS_DAYS: '0' }).retention.draftsDays).toBe(0);
  });
});

describe('the retention job', () => {
  it('is a list of rules, each named once, and none for the audit log', () => {
    const names = RETENTION_RULES.map((rule) => rule.name);
    expect(new Set(names).size).toBe(names.length);
    expect(names).toEqual(
      expect.arrayContaining(['drafts', 'sessions', 'staff-sessions', 'sign-in-events', 'delivered-messages', 'deleted-readings', 'feedback']),
    );
    expect(names.join(' ')).not.toMatch(/audit/i);
  });
});

describe('what the privacy notice says', () => {
  it('puts days in words, years when they are whole years', () => {
    expect(daysInWords(1)).toBe('1 day');
    expect(daysInWords(30)).toBe('30 days');
    expect(daysInWords(365)).toBe('1 year');
    expect(daysInWords(730)).toBe('2 years');
    expect(daysInWords(400)).toBe('400 days');
  });

  it('comes from the configuration', () => {
    expect(retentionNotice(loadConfig({}).retention)).toEqual({
      draftBloodPressureReading: '30 minutes',
      draftLongest: '1 day',
      draftsAfter: null,
      sessions: '30 days',
      signIns: '2 years',
      deliveredMessages: '90 days',
      deletedReadings: '30 days',
      feedback: '2 years',
    });
    const notice = retentionNotice(loadConfig({ RETENTION_DRAFTS_DAYS: '1', RETENTION_FEEDBACK_DAYS: '365', RETENTION_SESSIONS_DAYS: '14' }).retention);
    expect(notice).toMatchObject({ draftsAfter: '1 day', feedback: '1 year', sessions: '14 days' });
  });
});
