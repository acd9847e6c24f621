import { request as httpRequest } from 'node:http';
import type { APIRequestContext, APIResponse } from '@playwright/test';
import { storedFeedback, uniqueText } from './support/database';
import { expect, test } from './support/test';

const FORM = 'application/x-www-form-urlencoded';

/** Opens the form as a browser would: the request context keeps the CSRF cookie; returns the form's token. */
async function openForm(request: APIRequestContext): Promise<string> {
  const html = await (await request.get('/feedback')).text();
  const token = html.match(/name="_csrf" value="([^"]+)"/)?.[1];
  expect(token, 'the form has a CSRF token').toBeTruthy();
  return token!;
}

function post(request: APIRequestContext, body: string | Buffer, headers: Record<string, string> = {}, path = '/feedback') {
  return request.post(path, { data: body, headers: { 'content-type': FORM, ...headers }, maxRedirects: 0 });
}

const encode = (fields: [string, string][]) => new URLSearchParams(fields).toString();

/** Answers that would be stored if the request were accepted, told apart by their comments. */
function validAnswers(label: string): [string, string][] {
  return [
    ['rating', 'satisfied'],
    ['comments', uniqueText(label)],
    ['email', 'someone@example.com'],
  ];
}

const commentsOf = (fields: [string, string][]) => fields.find(([name]) => name === 'comments')![1];

async function expectRefusedPage(response: APIResponse, status: number, heading: string) {
  expect(response.status()).toBe(status);
  expect(response.headers()['content-type']).toBe('text/html; charset=utf-8');
  const html = await response.text();
  expect(html).toContain(`<h1 class="govuk-heading-xl">${heading}</h1>`);
}

test.describe('form posts that are refused', () => {
  test('without a CSRF token, or with a wrong one: 403, nothing stored', async ({ request }) => {
    const token = await openForm(request);
    const missing = validAnswers('No token.');
    await expectRefusedPage(await post(request, encode(missing)), 403, 'Sorry, we could not send your answers');

    const wrong = validAnswers('Wrong token.');
    const forged = `${token.slice(0, -2)}${token.endsWith('AA') ? 'BB' : 'AA'}`;
    await expectRefusedPage(await post(request, encode([...wrong, ['_csrf', forged]])), 403, 'Sorry, we could not send your answers');

    expect(storedFeedback(commentsOf(missing))).toHaveLength(0);
    expect(storedFeedback(commentsOf(wrong))).toHaveLength(0);
  });

  test('a token without its cookie: 403, nothing stored', async ({ request, playwright, baseURL }) => {
    const token = await openForm(request);
    const answers = validAnswers('Token from another browser.');
    const otherBrowser = await playwright.request.newContext({ baseURL });
    try {
      await expectRefusedPage(await post(otherBrowser, encode([...answers, ['_csrf', token]])), 403, 'Sorry, we could not send your answers');
    } finally {
      await otherBrowser.dispose();
    }
    expect(storedFeedback(commentsOf(answers))).toHaveLength(0);
  });

  test('from another site (Origin or Referer): 403, nothing stored, even with a valid token', async ({ request }) => {
    const token = await openForm(request);
    const byOrigin = validAnswers('Foreign origin.');
    const byReferer = validAnswers('Foreign referer.');
    await expectRefusedPage(
      await post(request, encode([...byOrigin, ['_csrf', token]]), { origin: 'https://attacker.example' }),
      403,
      'Sorry, we could not send your answers',
    );
    await expectRefusedPage(
      await post(request, encode([...byReferer, ['_csrf', token]]), { referer: 'https://attacker.example/form' }),
      403,
      'Sorry, we could not send your answers',
    );
    expect(storedFeedback(commentsOf(byOrigin))).toHaveLength(0);
    expect(storedFeedback(commentsOf(byReferer))).toHaveLength(0);
  });

  test('a body over 32 KB: 413', async ({ request }) => {
    const token = await openForm(request);
    const answers = validAnswers('Huge.');
    const body = encode([...answers, ['_csrf', token], ['padding', 'x'.repeat(100 * 1024)]]);
    await expectRefusedPage(await post(request, body), 413, 'Sorry, what you sent is too long');
    expect(storedFeedback(commentsOf(answers))).toHaveLength(0);
  });

  test('a body over 32 KB that does not declare its length: 413', async ({ request, baseURL }) => {
    const token = await openForm(request);
    const cookie = (await request.storageState()).cookies.map(({ name, value }) => `${name}=${value}`).join('; ');
    // Sent in chunks, so the server can only find out by counting as it reads.
    const status = await new Promise<number>((resolve, reject) => {
      const req = httpRequest(new URL('/feedback', baseURL), {
        method: 'POST',
        headers: { 'content-type': FORM, 'transfer-encoding': 'chunked', cookie },
      });
      req.on('response', (response) => {
        response.resume();
        resolve(response.statusCode ?? 0);
      });
      req.on('error', reject);
      req.write(`_csrf=${token}&rating=satisfied&comments=`);
      for (let chunk = 0; chunk < 100; chunk++) req.write('x'.repeat(1024));
      req.end();
    });
    expect(status).toBe(413);
  });

  test('anything but a urlencoded form: 415', async ({ request }) => {
    const token = await openForm(request);
    const answers = Object.fromEntries([...validAnswers('Wrong encoding.'), ['_csrf', token]]);
    const refused = 'Sorry, we could not understand what you sent';
    await expectRefusedPage(await post(request, JSON.stringify(answers), { 'content-type': 'application/json' }), 415, refused);
    await expectRefusedPage(await post(request, encode(Object.entries(answers)), { 'content-type': 'text/plain' }), 415, refused);
    const multipart = await request.post('/feedback', { multipart: answers, maxRedirects: 0 });
    await expectRefusedPage(multipart, 415, refused);
    expect(storedFeedback(answers.comments!)).toHaveLength(0);
  });

  test('text that is not UTF-8: 400', async ({ request }) => {
    const token = await openForm(request);
    const refused = 'Sorry, we could not understand what you sent';
    // A percent-escape that decodes to invalid UTF-8 (C3 must be followed by a continuation byte).
    await expectRefusedPage(await post(request, `rating=satisfied&comments=%C3%28&_csrf=${token}`), 400, refused);
    // A raw byte that is never valid UTF-8.
    const rawBytes = Buffer.concat([Buffer.from('rating=satisfied&comments='), Buffer.from([0xff]), Buffer.from(`&_csrf=${token}`)]);
    await expectRefusedPage(await post(request, rawBytes), 400, refused);
  });
});

test.describe('unusual but harmless form posts', () => {
  test('a field sent twice is answered with the form again, never a server error', async ({ request }) => {
    const token = await openForm(request);
    for (const duplicated of ['rating', 'comments', 'email']) {
      const answers = validAnswers(`Twice: ${duplicated}.`);
      const value = answers.find(([name]) => name === duplicated)![1];
      const response = await post(request, encode([...answers, [duplicated, value], ['_csrf', token]]));
      expect([303, 422], `${duplicated} sent twice`).toContain(response.status());
    }
  });

  test('fields the form does not have are ignored, never stored', async ({ request }) => {
    const token = await openForm(request);
    const answers = validAnswers('Extra fields.');
    const extras: [string, string][] = [
      ['id', 'chosen-by-the-sender'],
      ['createdAt', '2000-01-01T00:00:00.000Z'],
      ['isAdmin', 'true'],
      ['__proto__', 'polluted'],
    ];
    const response = await post(request, encode([...answers, ...extras, ['_csrf', token]]));
    expect(response.status()).toBe(303);
    expect(response.headers()['location']).toBe('/feedback/sent');
    const [stored, ...more] = storedFeedback(commentsOf(answers));
    expect(more).toHaveLength(0);
    expect(stored?.id).not.toBe('chosen-by-the-sender');
  });

  test('posts to addresses that take none: 404 or 405, never a server error', async ({ request }) => {
    for (const path of ['/no-such-page', '/feedback/sent/no-such-page', '/api/anything']) {
      const response = await post(request, 'a=b', {}, path);
      expect(response.status(), `POST ${path}`).toBe(404);
      expect(await response.text()).toContain('Page not found');
    }
    for (const path of ['/', '/feedback/sent', '/accessibility']) {
      const response = await post(request, 'a=b', {}, path);
      expect(response.status(), `POST ${path}`).toBe(405);
    }
  });

  test('methods other than GET, HEAD and POST: our 405 page, TRACE included, never a server error', async ({ request }) => {
    for (const method of ['TRACE', 'PUT', 'DELETE', 'PATCH', 'OPTIONS']) {
      for (const path of ['/', '/feedback', '/account', '/no-such-page']) {
        const response = await request.fetch(path, { method, maxRedirects: 0 });
        expect(response.status(), `${method} ${path}`).toBe(405);
        expect(response.headers()['allow']).toBe('GET, HEAD, POST');
        expect(response.headers()['content-security-policy']).toBeTruthy();
        expect(await response.text()).toContain('Sorry, you cannot do that here');
      }
    }
  });
});

test('every response carries the security headers', async ({ request }) => {
  const token = await openForm(request);
  const responses: [string, APIResponse, { html: boolean }][] = [
    ['GET /', await request.get('/'), { html: true }],
    ['GET /feedback', await request.get('/feedback'), { html: true }],
    ['GET /no-such-page', await request.get('/no-such-page'), { html: true }],
    ['GET /health', await request.get('/health'), { html: false }],
    ['GET /stylesheets/application.css', await request.get('/stylesheets/application.css'), { html: false }],
    ['GET /javascripts/application.mjs', await request.get('/javascripts/application.mjs'), { html: false }],
    ['POST /feedback (errors)', await post(request, `_csrf=${token}`), { html: true }],
    ['POST /feedback (sent)', await post(request, encode([...validAnswers('Headers.'), ['_csrf', token]])), { html: false }],
    ['POST /feedback (no token)', await post(request, 'rating=satisfied'), { html: true }],
    ['POST /feedback (too large)', await post(request, 'x'.repeat(40 * 1024)), { html: true }],
    ['POST /no-such-page', await post(request, 'a=b', {}, '/no-such-page'), { html: true }],
  ];

  for (const [name, response, { html }] of responses) {
    expect(response.status(), name).toBeLessThan(500);
    const headers = response.headers();
    const csp = new Map(
      (headers['content-security-policy'] ?? '').split(';').map((directive) => {
        const [key = '', ...values] = directive.trim().split(/\s+/);
        return [key, values] as const;
      }),
    );
    const scriptSources = csp.get('script-src') ?? csp.get('default-src');
    expect(scriptSources, `${name}: CSP script-src`).toBeDefined();
    expect(scriptSources, `${name}: CSP script-src`).not.toContain("'unsafe-inline'");
    expect(scriptSources, `${name}: CSP script-src`).not.toContain("'unsafe-eval'");
    expect(csp.get('frame-ancestors'), `${name}: CSP frame-ancestors`).toEqual(["'none'"]);
    expect(headers['x-content-type-options'], name).toBe('nosniff');
    expect(['no-referrer', 'same-origin', 'strict-origin', 'strict-origin-when-cross-origin'], `${name}: Referrer-Policy`).toContain(
      headers['referrer-policy'],
    );
    expect(headers['permissions-policy'], `${name}: Permissions-Policy`).toMatch(/camera=\(\)/);
    if (html) {
      expect(headers['content-type'], name).toBe('text/html; charset=utf-8');
      expect(headers['cache-control'], `${name}: Cache-Control`).toContain('no-store');
    }
  }
});
