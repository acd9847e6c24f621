import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * The method guard loaded before the Next.js server: what reaches the server's handler for
 * each method. (e2e/security.spec.ts checks the page the built app answers with.)
 */

let server: http.Server;
let base: string;

beforeAll(async () => {
  // Loading it patches node:http for every server in this process, as `node --require` does.
  await import('./method-guard.cjs');
  server = http.createServer((req, res) => {
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ method: req.method, url: req.url }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

/** What the server's handler saw (node:http, which, unlike fetch, can send TRACE). */
function seen(method: string, path = '/about-me?x=1'): Promise<{ method: string; url: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(`${base}${path}`, { method }, (res) => {
      let body = '';
      res.on('data', (chunk) => (body += chunk));
      res.on('end', () => resolve(method === 'HEAD' ? { method, url: path } : JSON.parse(body)));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('method guard', () => {
  it('sends the FHIR API its own 405 (an OperationOutcome, not a page)', async () => {
    expect(await seen('DELETE', '/fhir/r4/Observation/abc')).toEqual({ method: 'GET', url: '/fhir/r4/method-not-allowed' });
    expect(await seen('PUT', '/fhir/r4/Patient/abc')).toEqual({ method: 'GET', url: '/fhir/r4/method-not-allowed' });
  });

  it('lets GET and POST through untouched', async () => {
    expect(await seen('GET')).toEqual({ method: 'GET', url: '/about-me?x=1' });
    expect(await seen('POST')).toEqual({ method: 'POST', url: '/about-me?x=1' });
  });

  it('sends every other method to the 405 page as a GET', async () => {
    for (const method of ['TRACE', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'PROPFIND']) {
      expect(await seen(method), method).toEqual({ method: 'GET', url: '/method-not-allowed' });
    }
  });
});
