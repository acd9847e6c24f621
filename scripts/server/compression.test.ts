import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BUILT_FILE_LEVEL, PAGE_LEVEL, gzipLevelFor } from './gzip-levels.cjs';

/**
 * The compression loaded before the Next.js server in place of Next's own: what a client gets
 * for a page, a built file, a HEAD, a small answer and a client that takes no gzip.
 * (Every e2e journey runs through it on the built app: scripts/start.sh.)
 */

let server: http.Server;
let base: string;
// Long enough for the levels to differ, repeated enough to compress well, as a page is.
const page = Array.from(
  { length: 400 },
  (_, i) => `<tr class="govuk-table__row"><td class="govuk-table__cell">${(i * 7919) % 1000}/${i % 97}</td></tr>\n`,
).join('');

beforeAll(async () => {
  // Loading it patches node:http for every server in this process, as `node --require` does.
  await import('./compression.cjs');
  server = http.createServer((req, res) => {
    const url = req.url ?? '/';
    res.setHeader('content-type', url.endsWith('.css') ? 'text/css' : 'text/html; charset=utf-8');
    res.end(url.startsWith('/small') ? '<p>Hello</p>' : page);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

function get(path: string, options: { method?: string; acceptEncoding?: string } = {}): Promise<{ encoding?: string; vary?: string; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const headers = { 'accept-encoding': options.acceptEncoding ?? 'gzip, deflate' };
    const req = http.request(`${base}${path}`, { method: options.method ?? 'GET', headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ encoding: res.headers['content-encoding'], vary: res.headers.vary, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('compression', () => {
  it('gzips pages at the page level, cheaper than zlib’s default', async () => {
    const answer = await get('/blood-pressure/readings?range=all');
    expect(answer.encoding).toBe('gzip');
    expect(answer.vary).toMatch(/Accept-Encoding/i);
    expect(gunzipSync(answer.body).toString()).toBe(page);
    expect(answer.body.length).toBe(gzipSync(page, { level: PAGE_LEVEL }).length);
    expect(answer.body.length).not.toBe(gzipSync(page, { level: BUILT_FILE_LEVEL }).length);
  });

  it('gzips built files at zlib’s default level', async () => {
    for (const path of ['/stylesheets/application.css', '/_next/static/chunks/a.css']) {
      const answer = await get(path);
      expect(answer.encoding, path).toBe('gzip');
      expect(answer.body.length, path).toBe(gzipSync(page, { level: BUILT_FILE_LEVEL }).length);
    }
    expect(gzipLevelFor('/stylesheets-not/x.css')).toBe(PAGE_LEVEL);
  });

  it('sends as they are a HEAD, a small answer and an answer to a client that takes no gzip', async () => {
    expect((await get('/about-me', { method: 'HEAD' })).encoding).toBeUndefined();
    const small = await get('/small');
    expect(small.encoding).toBeUndefined();
    expect(small.body.toString()).toBe('<p>Hello</p>');
    const plain = await get('/about-me', { acceptEncoding: 'identity' });
    expect(plain.encoding).toBeUndefined();
    expect(plain.body.toString()).toBe(page);
  });
});
