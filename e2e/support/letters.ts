import { randomBytes } from 'node:crypto';
import type { APIRequestContext } from '@playwright/test';
import Database from 'better-sqlite3';
import { DEVELOPMENT_PARTNER_KEYS } from '../../lib/platform/config';
import { samplePdf } from '../../lib/letters/sample-pdf';
import { signRequest } from '../../lib/platform/signed-requests';
import { BASE_URL, DATABASE_FILE } from './site';

/**
 * The letters API as a partner organisation's system calls it: requests signed with the
 * development-only key of the demo sender "leeds-teaching-hospitals" (the e2e server is given
 * the development keys, scripts/e2e-server.sh).
 */

export const LETTERS_API = '/api/letters/v1/letters';
const SENDER = 'leeds-teaching-hospitals';

/** A made-up, valid NHS number of its own (Modulus 11), so each project's citizen gets only their letters. */
export function newNhsNumber(): string {
  for (;;) {
    const digits = `9${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}`;
    const total = [...digits].reduce((sum, digit, index) => sum + Number(digit) * (10 - index), 0);
    const check = 11 - (total % 11);
    if (check !== 10) return `${digits}${check === 11 ? 0 : check}`;
  }
}

export function letterJson(nhsNumber: string, title: string, overrides: Record<string, unknown> = {}): string {
  return JSON.stringify({
    sender: SENDER,
    nhsNumber,
    kind: 'appointment',
    title,
    letterDate: '2026-12-01',
    html: '<h1>Eye clinic</h1><p>Dear patient,</p><p>Your appointment is on <strong>5 January 2027 at 10:30am</strong>.</p><script>alert("not shown")</script>',
    pdf: { contentType: 'application/pdf', data: Buffer.from(samplePdf([title, 'Your appointment is on 5 January 2027 at 10:30am.'])).toString('base64') },
    ...overrides,
  });
}

/** POSTs a signed body to the letters API. */
export async function postLetter(request: APIRequestContext, body: string, idempotencyKey = `e2e-${Date.now()}-${Math.random().toString(36).slice(2)}`) {
  const headers = signRequest({ organisationId: SENDER, secret: DEVELOPMENT_PARTNER_KEYS[SENDER]!, method: 'POST', url: LETTERS_API, body });
  return request.post(`${BASE_URL}${LETTERS_API}`, {
    data: body,
    headers: { ...headers, 'content-type': 'application/json', 'idempotency-key': idempotencyKey },
  });
}

/** The sender's view of one of its letters (a signed GET). */
export async function letterStatus(request: APIRequestContext, id: string): Promise<{ status: string; readAt: string | null }> {
  const path = `${LETTERS_API}/${id}`;
  const headers = signRequest({ organisationId: SENDER, secret: DEVELOPMENT_PARTNER_KEYS[SENDER]!, method: 'GET', url: path, body: '' });
  const response = await request.get(`${BASE_URL}${path}`, { headers });
  return (await response.json()) as { status: string; readAt: string | null };
}

/** A letter in a test citizen's inbox, as the letters API stores one (without the API: for pages that only show it). Its id. */
export function letterFor(userId: string, title: string): string {
  const db = new Database(DATABASE_FILE, { fileMustExist: true, timeout: 5_000 });
  try {
    // Letter ids are lower-case letters and digits (lib/letters/pages.ts).
    const id = `e2eletter${randomBytes(12).toString('hex')}`;
    const pdf = Buffer.from(samplePdf([title]));
    db.prepare(
      'INSERT INTO "Letter" (id, "userId", "senderId", "idempotencyKey", "requestHash", kind, title, "letterDate", "receivedAt", html, pdf, "pdfBytes") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
    ).run(
      id,
      userId,
      SENDER,
      id,
      'e2e',
      'appointment',
      title,
      '2026-12-01',
      new Date().toISOString().replace('Z', '+00:00'),
      '<h2>Clinic</h2><p>Your appointment is on <strong>5 January 2027</strong>.</p>',
      pdf,
      pdf.length,
    );
    return id;
  } finally {
    db.close();
  }
}
