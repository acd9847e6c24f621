import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { HttpError } from './errors';
import { choice, optionalEmail, optionalText, requiredText } from './form-fields';
import { MAX_FORM_BYTES, readForm, validateForm } from './forms';
import { browserCsrf, formPost } from './testing/requests';

async function refusal(request: Request): Promise<number> {
  try {
    await readForm(request);
  } catch (error) {
    if (error instanceof HttpError) return error.status;
    throw error;
  }
  return 200;
}

describe('readForm', () => {
  it('reads a urlencoded form and drops the CSRF field', async () => {
    const values = await readForm(formPost('/f', { name: 'Ada Lovelace', colour: ['red', 'blue'] }));
    expect(values).toEqual({ name: 'Ada Lovelace', colour: ['red', 'blue'] });
  });

  it('decodes plus signs and UTF-8 text', async () => {
    const csrf = browserCsrf();
    const body = `_csrf=${csrf.token}&name=Si%C3%A2n+Jones`;
    expect(await readForm(formPost('/f', {}, { csrf, body }))).toEqual({ name: 'Siân Jones' });
  });

  it('refuses a missing or wrong CSRF token', async () => {
    expect(await refusal(formPost('/f', { a: 'b' }, { csrf: null }))).toBe(403);
    const csrf = browserCsrf();
    expect(await refusal(formPost('/f', { a: 'b' }, { csrf: { cookie: csrf.cookie, token: 'forged' } }))).toBe(403);
    const other = browserCsrf();
    expect(await refusal(formPost('/f', { a: 'b' }, { csrf: { cookie: csrf.cookie, token: other.token } }))).toBe(403);
  });

  it('refuses a post from another site', async () => {
    expect(await refusal(formPost('/f', { a: 'b' }, { headers: { origin: 'https://evil.example' } }))).toBe(403);
    expect(await refusal(formPost('/f', { a: 'b' }, { headers: { origin: 'null' } }))).toBe(403);
  });

  it('refuses anything but a urlencoded form', async () => {
    expect(await refusal(formPost('/f', { a: 'b' }, { headers: { 'content-type': 'application/json' } }))).toBe(415);
    expect(await refusal(formPost('/f', { a: 'b' }, { headers: { 'content-type': 'multipart/form-data; boundary=x' } }))).toBe(415);
  });

  it('refuses a body that is too large, whether or not it says so', async () => {
    const big = 'a='.concat('x'.repeat(MAX_FORM_BYTES + 1));
    expect(await refusal(formPost('/f', {}, { body: big }))).toBe(413);
    const stream = new ReadableStream({
      start(controller) {
        for (let i = 0; i < 40; i++) controller.enqueue(new TextEncoder().encode('x'.repeat(1024)));
        controller.close();
      },
    });
    const request = new Request('http://localhost:3000/f', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'http://localhost:3000' },
      body: stream,
      // @ts-expect-error Node's fetch needs this for a streamed body
      duplex: 'half',
    });
    expect(await refusal(request)).toBe(413);
  });

  it('refuses text that is not UTF-8', async () => {
    const csrf = browserCsrf();
    expect(await refusal(formPost('/f', {}, { csrf, body: `_csrf=${csrf.token}&name=%C3%28` }))).toBe(400);
    expect(await refusal(formPost('/f', {}, { csrf, body: `_csrf=${csrf.token}&name=%E0%A4%A` }))).toBe(400);
    const raw = Buffer.concat([Buffer.from(`_csrf=${csrf.token}&name=`), Buffer.from([0xff, 0xfe])]);
    expect(await refusal(formPost('/f', {}, { csrf, body: raw }))).toBe(400);
  });
});

describe('validateForm', () => {
  const schema = z.object({
    colour: choice(['red', 'blue'] as const, { required: 'Select a colour' }),
    name: requiredText({ required: 'Enter your name', tooLong: 'Name must be 10 characters or less' }, 10),
    nickname: optionalText({ tooLong: 'Nickname must be 5 characters or less' }, 5),
    email: optionalEmail({ invalid: 'Enter an email address in the correct format', tooLong: 'Email too long' }),
  });

  it('returns the cleaned data when valid, dropping unknown fields', () => {
    const result = validateForm(schema, { colour: 'red', name: '  Ada\u0000 ', nickname: '', email: '', admin: 'true' });
    expect(result).toMatchObject({ ok: true, data: { colour: 'red', name: 'Ada' } });
    if (result.ok) {
      expect(result.data).not.toHaveProperty('admin');
      expect(result.data.nickname).toBeUndefined();
      expect(result.data.email).toBeUndefined();
    }
  });

  it('lists one GOV.UK message per field, in page order, linking to the field', () => {
    const result = validateForm(schema, { name: ' ', nickname: 'toolong', email: 'not-an-email' });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors.summary).toEqual([
      { text: 'Select a colour', href: '#colour' },
      { text: 'Enter your name', href: '#name' },
      { text: 'Nickname must be 5 characters or less', href: '#nickname' },
      { text: 'Enter an email address in the correct format', href: '#email' },
    ]);
    expect(result.errors.fields.name).toEqual({ text: 'Enter your name' });
  });

  it('treats a field sent twice or a value not offered as invalid, with the field’s own message', () => {
    const result = validateForm(schema, { colour: ['red', 'blue'], name: ['a', 'b'] });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors.fields.colour?.text).toBe('Select a colour');
    expect(result.errors.fields.name?.text).toBe('Enter your name');
    expect(validateForm(schema, { colour: 'green', name: 'Ada' }).ok).toBe(false);
  });

  it('counts characters after trimming, and refuses one over the limit', () => {
    expect(validateForm(schema, { colour: 'red', name: 'a'.repeat(10) }).ok).toBe(true);
    const result = validateForm(schema, { colour: 'red', name: 'a'.repeat(11) });
    expect(result.ok).toBe(false);
  });
});

describe('readForm with hostile field names', () => {
  it('keeps __proto__ and constructor as plain fields', async () => {
    const csrf = browserCsrf();
    const body = `_csrf=${csrf.token}&__proto__=x&constructor=y&name=Ada`;
    const values = await readForm(formPost('/f', {}, { csrf, body }));
    expect(Object.getPrototypeOf(values)).toBeNull();
    expect(Object.entries(values)).toEqual([
      ['__proto__', 'x'],
      ['constructor', 'y'],
      ['name', 'Ada'],
    ]);
  });
});
