import { describe, expect, it } from 'vitest';
import { MAX_PDF_BYTES } from './config';
import { samplePdf } from './sample-pdf';
import { isCalendarDay, isIdempotencyKey, letterHash, looksLikePdf, validateLetter } from './validation';

const pdf = samplePdf(['Dear Amelia', 'Your appointment is on 5 January.']);
const base64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64');

const good = {
  sender: 'leeds-teaching-hospitals',
  nhsNumber: '9990012377',
  kind: 'appointment',
  title: 'Your eye clinic appointment',
  letterDate: '2026-12-01',
  html: '<h1>Eye clinic</h1><p>Dear Amelia,</p><p>Your appointment is on <strong>5 January</strong>.</p>',
  pdf: { contentType: 'application/pdf', data: base64(pdf) },
};

const fieldsOf = (input: unknown) => {
  const result = validateLetter(input);
  return result.ok ? [] : result.errors.map((error) => error.field);
};

describe('a letter a sender delivers', () => {
  it('accepts a whole letter, with its PDF as bytes and its HTML sanitised', () => {
    const result = validateLetter(good);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(Buffer.from(result.letter.pdf).equals(Buffer.from(pdf))).toBe(true);
    expect(result.letter.html).toBe('<h2>Eye clinic</h2><p>Dear Amelia,</p><p>Your appointment is on <strong>5 January</strong>.</p>');
  });

  it('refuses a wrong NHS number: not 10 digits, spaces, or a wrong check digit', () => {
    for (const nhsNumber of ['999001237', '999 001 2377', '9990012378', '', 9990012377]) expect(fieldsOf({ ...good, nhsNumber })).toEqual(['nhsNumber']);
  });

  it('refuses a missing PDF, or one that is not marked as a PDF', () => {
    const { pdf: _pdf, ...withoutPdf } = good;
    expect(fieldsOf(withoutPdf)).toEqual(['pdf']);
    expect(fieldsOf({ ...good, pdf: { contentType: 'application/pdf', data: '' } })).toEqual(['pdf.data']);
    expect(fieldsOf({ ...good, pdf: { contentType: 'image/png', data: base64(pdf) } })).toEqual(['pdf.contentType']);
  });

  it('refuses a file that is not a PDF, however it is labelled, and base64 that is not', () => {
    const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, ...new Array(40).fill(0)]);
    expect(fieldsOf({ ...good, pdf: { contentType: 'application/pdf', data: base64(png) } })).toEqual(['pdf.data']);
    const html = new TextEncoder().encode('<html><script>alert(1)</script></html> %PDF-1.4 %%EOF');
    expect(fieldsOf({ ...good, pdf: { contentType: 'application/pdf', data: base64(html) } })).toEqual(['pdf.data']);
    expect(fieldsOf({ ...good, pdf: { contentType: 'application/pdf', data: 'not base64!' } })).toEqual(['pdf.data']);
    // Cut short: no end-of-file marker.
    expect(fieldsOf({ ...good, pdf: { contentType: 'application/pdf', data: base64(pdf.subarray(0, 200)) } })).toEqual(['pdf.data']);
  });

  it('refuses a PDF over 5 MB', () => {
    const big = new Uint8Array(MAX_PDF_BYTES + 1);
    big.set(pdf);
    big.set(new TextEncoder().encode('%%EOF'), big.length - 6);
    const result = validateLetter({ ...good, pdf: { contentType: 'application/pdf', data: base64(big) } });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.errors).toEqual([{ field: 'pdf.data', message: 'The PDF must be 5 MB or smaller' }]);
  });

  it('refuses an unknown kind, a missing title, a date that is not a real date, with every problem at once', () => {
    expect(fieldsOf({ ...good, kind: 'marketing', title: ' ', letterDate: '2026-02-30' }).sort()).toEqual(['kind', 'letterDate', 'title']);
    expect(fieldsOf({ ...good, title: 'Two\nlines' })).toEqual(['title']);
    expect(fieldsOf({ ...good, title: '<b>bold</b>' })).toEqual(['title']);
    expect(fieldsOf('a string')).toEqual(['body']);
  });

  it('never keeps the sender’s HTML as sent: scripts, handlers, styles and unsafe links are gone', () => {
    const result = validateLetter({
      ...good,
      html: '<p onclick="x()">Hi <img src=x onerror=alert(1)><script>alert(1)</script><a href="javascript:alert(1)">here</a> <a href="https://nhs.uk">NHS</a></p><style>p{}</style><iframe src="https://evil.example"></iframe>',
    });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.letter.html).toBe('<p>Hi <a>here</a> <a href="https://nhs.uk" rel="noopener noreferrer">NHS</a></p>');
    expect(result.letter.html).not.toMatch(/script|onclick|onerror|javascript:|style|iframe|img/i);
  });

  it('refuses HTML with nothing left to read once sanitised', () => {
    expect(fieldsOf({ ...good, html: '<script>alert(1)</script><img src=x>' })).toEqual(['html']);
  });

  it('hashes the letter so the same letter sent again is recognised and another is not', () => {
    const a = validateLetter(good);
    const b = validateLetter({ ...good });
    const c = validateLetter({ ...good, title: 'Another title' });
    if (!a.ok || !b.ok || !c.ok) throw new Error('expected valid letters');
    expect(letterHash(a.letter)).toBe(letterHash(b.letter));
    expect(letterHash(a.letter)).not.toBe(letterHash(c.letter));
  });

  it('names the person once: the NHS number, or (the council only) the council’s reference', () => {
    const { nhsNumber: _nhsNumber, ...withoutNhsNumber } = good;
    const council = { ...withoutNhsNumber, sender: 'council', councilReference: 'LCC-1A2B3C4D' };
    const result = validateLetter(council);
    expect(result.ok && result.letter).toMatchObject({ nhsNumber: null, councilReference: 'LCC-1A2B3C4D' });
    expect(fieldsOf({ ...council, sender: 'leeds-teaching-hospitals' })).toEqual(['councilReference']);
    expect(fieldsOf({ ...council, nhsNumber: '9990012377' })).toEqual(['councilReference']);
    expect(fieldsOf(withoutNhsNumber)).toEqual(['nhsNumber']);
    expect(fieldsOf({ ...withoutNhsNumber, nhsNumber: null, councilReference: null })).toEqual(['nhsNumber']);
    for (const councilReference of ['', 'has space', 'LCC/1', 'x'.repeat(41), 12345])
      expect(fieldsOf({ ...council, councilReference })).toEqual(['councilReference']);
    // With other problems, all are given at once.
    expect(fieldsOf({ ...council, sender: 'leeds-teaching-hospitals', title: '' })).toEqual(['councilReference', 'title']);
  });

  it('hashes who the letter is for: by NHS number as it always did, by reference differently', () => {
    const byNumber = validateLetter({ ...good, sender: 'council' });
    const { nhsNumber: _nhsNumber, ...withoutNhsNumber } = good;
    const byReference = validateLetter({ ...withoutNhsNumber, sender: 'council', councilReference: 'LCC-1A2B3C4D' });
    const otherReference = validateLetter({ ...withoutNhsNumber, sender: 'council', councilReference: 'LCC-1A2B3C4E' });
    if (!byNumber.ok || !byReference.ok || !otherReference.ok) throw new Error('expected valid letters');
    expect(new Set([letterHash(byNumber.letter), letterHash(byReference.letter), letterHash(otherReference.letter)]).size).toBe(3);
  });

  it('checks the small things', () => {
    expect(looksLikePdf(pdf)).toBe(true);
    expect(isCalendarDay('2024-02-29')).toBe(true);
    expect(isCalendarDay('2026-02-29')).toBe(false);
    expect(isIdempotencyKey('letter-123:a.b_c')).toBe(true);
    expect(isIdempotencyKey('')).toBe(false);
    expect(isIdempotencyKey('has space')).toBe(false);
    expect(isIdempotencyKey(null)).toBe(false);
  });
});
