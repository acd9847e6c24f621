import { describe, expect, it } from 'vitest';
import { ConfigError } from '@/lib/platform/config';
import { DEVELOPMENT_NOTIFY_API_KEY, DEVELOPMENT_TEMPLATE_IDS, LOCAL_NOTIFY_URL, notifySettings, templateVariable } from './config';
import { TEMPLATES } from './templates';

const REAL_KEY = 'phr_live-11111111-2222-4333-8444-555555555555-66666666-7777-4888-9999-000000000000';
const allTemplates = Object.fromEntries(
  TEMPLATES.flatMap((template) =>
    (['email', 'sms'] as const).map((channel) => [templateVariable(template, channel), DEVELOPMENT_TEMPLATE_IDS[template][channel]]),
  ),
);
const production = { NODE_ENV: 'production', PUBLIC_URL: 'https://phr.example.org', ...allTemplates };

describe('Notify settings', () => {
  it('default to the local Notify with the development key in development', () => {
    const settings = notifySettings({});
    expect(settings).toMatchObject({ apiKey: DEVELOPMENT_NOTIFY_API_KEY, baseUrl: LOCAL_NOTIFY_URL });
    expect(settings.templateIds['new-letter']).toEqual(DEVELOPMENT_TEMPLATE_IDS['new-letter']);
    expect(templateVariable('change-not-delivered', 'sms')).toBe('NOTIFY_TEMPLATE_CHANGE_NOT_DELIVERED_SMS');
  });

  it('refuse a key or a template id that is not one', () => {
    expect(() => notifySettings({ NOTIFY_API_KEY: 'secret' })).toThrow(ConfigError);
    expect(() => notifySettings({ NOTIFY_TEMPLATE_NEW_LETTER_EMAIL: 'letter' })).toThrow(/NOTIFY_TEMPLATE_NEW_LETTER_EMAIL/);
  });

  it('in production, refuse to start with the local Notify, the development key or no template ids', () => {
    const real = { ...production, NOTIFY_API_KEY: REAL_KEY, NOTIFY_BASE_URL: 'https://api.notifications.service.gov.uk' };
    expect(notifySettings(real)).toMatchObject({ apiKey: REAL_KEY, baseUrl: 'https://api.notifications.service.gov.uk' });
    expect(() => notifySettings({ ...real, NOTIFY_BASE_URL: 'http://localhost:3800' })).toThrow(/NOTIFY_BASE_URL/);
    expect(() => notifySettings({ ...real, NOTIFY_BASE_URL: undefined })).toThrow(/NOTIFY_BASE_URL/);
    expect(() => notifySettings({ ...real, NOTIFY_API_KEY: DEVELOPMENT_NOTIFY_API_KEY })).toThrow(/NOTIFY_API_KEY/);
    expect(() => notifySettings({ ...real, NOTIFY_TEMPLATE_NEW_LETTER_SMS: undefined })).toThrow(/NOTIFY_TEMPLATE_NEW_LETTER_SMS/);
  });

  it('allow the local Notify to the production build served only on this machine (the demo, end-to-end tests)', () => {
    expect(notifySettings({ NODE_ENV: 'production', PUBLIC_URL: 'http://localhost:3100' })).toMatchObject({ baseUrl: LOCAL_NOTIFY_URL });
  });
});
