import { describe, expect, it } from 'vitest';
import { validateForm } from '@/lib/platform/forms';
import { findAddressSchema, manualAddressSchema, MESSAGES as ADDRESS } from './address';
import { demoAddressLookup } from './address-lookup';
import { loadConfig } from '@/lib/platform/config';
import { contactDetailsSettings } from './config';

const loadContactDetailsConfig = (env: Record<string, string>) => contactDetailsSettings(loadConfig(env));
import { backoffMs } from './outbox';
import {
  completePreference,
  emailAddressSchema,
  fewerLettersSchema,
  howToContactSchema,
  isPostToDigitalSwitch,
  MESSAGES,
  mobileNumberSchema,
  normaliseUkMobile,
} from './preferences';

const errorsOf = (result: ReturnType<typeof validateForm>) =>
  result.ok ? {} : Object.fromEntries(Object.entries(result.errors.fields).map(([field, { text }]) => [field, text]));

describe('UK mobile numbers', () => {
  it.each([
    ['07700 900982', '07700 900982'],
    ['07700900982', '07700 900982'],
    ['+44 7700 900 982', '07700 900982'],
    ['0044 (0)7700-900982'.replace('(0)', ''), '07700 900982'],
  ])('%s is written as %s', (input, expected) => {
    expect(normaliseUkMobile(input)).toBe(expected);
  });

  it.each(['0113 222 4444', '0770090098', '077009009821', '+1 555 0100', 'seven'])('%s is not a UK mobile number', (input) => {
    expect(normaliseUkMobile(input)).toBeNull();
  });
});

describe('how to contact you', () => {
  it('needs a channel', () => {
    expect(errorsOf(validateForm(howToContactSchema, {}))).toEqual({ channel: MESSAGES.channel });
    expect(errorsOf(validateForm(howToContactSchema, { channel: 'pigeon' }))).toEqual({ channel: MESSAGES.channel });
    expect(validateForm(howToContactSchema, { channel: 'service-only' })).toMatchObject({ ok: true, data: { channel: 'service-only' } });
  });

  it('needs a valid email address', () => {
    expect(errorsOf(validateForm(emailAddressSchema, {}))).toEqual({ email: MESSAGES.email });
    expect(errorsOf(validateForm(emailAddressSchema, { email: '  ' }))).toEqual({ email: MESSAGES.email });
    expect(errorsOf(validateForm(emailAddressSchema, { email: 'name@' }))).toEqual({ email: MESSAGES.emailInvalid });
    expect(errorsOf(validateForm(emailAddressSchema, { email: '<script>@x.com' }))).toEqual({ email: MESSAGES.emailInvalid });
    expect(errorsOf(validateForm(emailAddressSchema, { email: `${'a'.repeat(250)}@example.com` }))).toEqual({ email: MESSAGES.emailTooLong });
    expect(validateForm(emailAddressSchema, { email: ' name@example.com ' })).toMatchObject({ ok: true, data: { email: 'name@example.com' } });
  });

  it('needs a UK mobile number for text messages', () => {
    expect(errorsOf(validateForm(mobileNumberSchema, { mobile: '' }))).toEqual({ mobile: MESSAGES.mobile });
    expect(errorsOf(validateForm(mobileNumberSchema, { mobile: '0113 222 4444' }))).toEqual({ mobile: MESSAGES.mobileInvalid });
    expect(errorsOf(validateForm(mobileNumberSchema, { mobile: '0'.repeat(21) }))).toEqual({ mobile: MESSAGES.mobileTooLong });
    expect(validateForm(mobileNumberSchema, { mobile: '+447700900982' })).toMatchObject({ ok: true, data: { mobile: '07700 900982' } });
  });
});

describe('fewer letters', () => {
  it('takes organisations, or none, but not both or nothing', () => {
    expect(validateForm(fewerLettersSchema, { fewerLetters: ['council', 'care-record'] })).toMatchObject({ ok: true, data: ['council', 'care-record'] });
    expect(validateForm(fewerLettersSchema, { fewerLetters: 'none' })).toMatchObject({ ok: true, data: [] });
    expect(errorsOf(validateForm(fewerLettersSchema, {}))).toEqual({ fewerLetters: MESSAGES.fewerLetters });
    expect(errorsOf(validateForm(fewerLettersSchema, { fewerLetters: ['none', 'council'] }))).toEqual({ fewerLetters: MESSAGES.fewerLettersBoth });
    expect(errorsOf(validateForm(fewerLettersSchema, { fewerLetters: 'the-moon' }))).toEqual({ fewerLetters: MESSAGES.fewerLetters });
  });
});

describe('the post-to-digital count', () => {
  it('counts a move from post, or from nothing recorded (letters are the default), to a digital channel', () => {
    expect(isPostToDigitalSwitch('post', 'email')).toBe(true);
    expect(isPostToDigitalSwitch('post', 'text')).toBe(true);
    expect(isPostToDigitalSwitch('post', 'service-only')).toBe(true);
    expect(isPostToDigitalSwitch(null, 'email')).toBe(true);
    expect(isPostToDigitalSwitch('post', 'post')).toBe(false);
    expect(isPostToDigitalSwitch('email', 'text')).toBe(false);
    expect(isPostToDigitalSwitch('email', 'post')).toBe(false);
  });

  it('waits for every answer before check answers', () => {
    expect(completePreference({ channel: 'email' })).toBeNull();
    expect(completePreference({ channel: 'email', fewerLetters: [] })).toBeNull();
    expect(completePreference({ channel: 'email', email: 'a@example.com', mobile: '07700 900982', fewerLetters: ['council'] })).toEqual({
      channel: 'email',
      email: 'a@example.com',
      fewerLetters: ['council'],
    });
  });
});

describe('addresses', () => {
  it('finding: a full UK postcode, normalised, and an optional building', () => {
    expect(validateForm(findAddressSchema, { postcode: 'ls16zz', building: '' })).toMatchObject({
      ok: true,
      data: { postcode: 'LS1 6ZZ', building: undefined },
    });
    expect(errorsOf(validateForm(findAddressSchema, { postcode: '' }))).toEqual({ postcode: ADDRESS.postcode });
    expect(errorsOf(validateForm(findAddressSchema, { postcode: 'LS1' }))).toEqual({ postcode: ADDRESS.postcodeInvalid });
    expect(errorsOf(validateForm(findAddressSchema, { postcode: 'LS1 6ZZ', building: 'x'.repeat(61) }))).toEqual({ building: ADDRESS.building });
  });

  it('manual entry: line 1, town and postcode needed, lengths capped, HTML kept as text', () => {
    expect(errorsOf(validateForm(manualAddressSchema, { line1: ' ', town: '', postcode: '' }))).toEqual({
      line1: ADDRESS.line1,
      town: ADDRESS.town,
      postcode: ADDRESS.postcode,
    });
    expect(
      errorsOf(
        validateForm(manualAddressSchema, { line1: 'x'.repeat(101), line2: 'y'.repeat(101), town: 'z'.repeat(61), county: 'c'.repeat(61), postcode: 'nope' }),
      ),
    ).toEqual({
      line1: ADDRESS.line1TooLong,
      line2: ADDRESS.line2TooLong,
      town: ADDRESS.townTooLong,
      county: ADDRESS.countyTooLong,
      postcode: ADDRESS.postcodeInvalid,
    });
    expect(validateForm(manualAddressSchema, { line1: '<script>alert(1)</script>', town: 'Leeds', postcode: 'ls6 9zz' })).toMatchObject({
      ok: true,
      data: { line1: '<script>alert(1)</script>', town: 'Leeds', postcode: 'LS6 9ZZ' },
    });
  });

  it('the demo lookup finds by postcode, narrowed by building number or name', async () => {
    expect(await demoAddressLookup.find('ls1 6zz')).toHaveLength(10);
    expect((await demoAddressLookup.find('LS1 6ZZ', '3')).map((address) => address.line1)).toEqual(['3 Sample Street']);
    expect((await demoAddressLookup.find('LS6 9ZZ', 'old mill')).map((address) => address.line1)).toEqual(['The Old Mill']);
    expect(await demoAddressLookup.find('LS1 6ZZ', '99')).toEqual([]);
    expect(await demoAddressLookup.find('SW1A 1AA')).toEqual([]);
  });
});

describe('delivery settings', () => {
  it('backs off exponentially, up to a cap', () => {
    expect([1, 2, 3, 4, 10].map((attempts) => backoffMs(attempts, 1_000, 10_000))).toEqual([1_000, 2_000, 4_000, 8_000, 10_000]);
  });

  it('needs a receiver for every organisation', () => {
    expect(loadContactDetailsConfig({}).receivers).toEqual({ 'care-record': 'http://localhost:3500', council: 'http://localhost:3600' });
    expect(loadContactDetailsConfig({ ADDRESS_RECEIVERS: 'care-record=http://a:1/, council=https://b' }).receivers).toEqual({
      'care-record': 'http://a:1',
      council: 'https://b',
    });
    expect(() => loadContactDetailsConfig({ ADDRESS_RECEIVERS: 'care-record=http://a:1' })).toThrow(/no address for council/);
    expect(() => loadContactDetailsConfig({ ADDRESS_RECEIVERS: 'care-record=ftp://a,council=http://b' })).toThrow(/care-record=ftp/);
    expect(() => loadContactDetailsConfig({ DELIVERY_MAX_ATTEMPTS: '0' })).toThrow();
  });

  it('needs a key to sign changes with for every organisation', () => {
    expect(Object.keys(loadContactDetailsConfig({}).keys)).toEqual(['care-record', 'council']);
    const keys = { PARTNER_KEYS: `care-record=${'c'.repeat(32)},council=${'d'.repeat(32)},leeds-teaching-hospitals=${'e'.repeat(32)}` };
    expect(loadContactDetailsConfig(keys).keys).toEqual({ 'care-record': 'c'.repeat(32), council: 'd'.repeat(32) });
    expect(() => loadContactDetailsConfig({ PARTNER_KEYS: `care-record=${'c'.repeat(32)}` })).toThrow(/PARTNER_KEYS has no key for council/);
  });
});
