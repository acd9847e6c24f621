import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { browserCsrf, formPost } from './testing/requests';

/**
 * Every route that takes a POST, found from app/ (a route added later is covered without
 * anyone remembering), is called in-process the way an attacker's page or script would:
 * without a form token, with another browser's token, and from another site. Each must be
 * refused before anything happens (403, never a 5xx, never a redirect into the journey).
 *
 * Not here: next-auth's own endpoints (/api/auth/...), which check their own CSRF token
 * (lib/identity tests and the sign-in journeys cover them).
 */

const APP = path.resolve(__dirname, '../../app');
const NOT_OURS = new Set(['/api/auth/[...nextauth]']);

function postRoutes(): { pattern: string; file: string }[] {
  const found: { pattern: string; file: string }[] = [];
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name === 'route.ts' && /\bPOST\b/.test(fs.readFileSync(full, 'utf8'))) {
        const pattern = `/${path.relative(APP, dir).split(path.sep).join('/')}`;
        if (!NOT_OURS.has(pattern)) found.push({ pattern, file: full });
      }
    }
  };
  walk(APP);
  return found.sort((a, b) => a.pattern.localeCompare(b.pattern));
}

/** An address for the pattern, with made-up ids (refusal comes before any id is looked up). */
const addressOf = (pattern: string) => pattern.replace(/\[\.\.\.[^\]]+\]/g, 'x/y').replace(/\[[^\]]+\]/g, 'abc123');
const params = { params: Promise.resolve({ id: 'abc123', category: 'abc123', path: ['x', 'y'] }) };

type PostHandler = (req: Request, context: typeof params) => Promise<Response>;

const routes = postRoutes();

describe('every POST route refuses forged posts', () => {
  it('finds the form routes', () => {
    expect(routes.length).toBeGreaterThan(30);
    expect(routes.map((route) => route.pattern)).toEqual(expect.arrayContaining(['/feedback', '/blood-pressure/add', '/sharing/[category]', '/staff/citizens/[id]/emergency-access']));
  });

  it.each(routes)('$pattern', async ({ pattern, file }) => {
    const { POST } = (await import(file)) as { POST: PostHandler };
    const address = addressOf(pattern);
    const mine = browserCsrf();
    const someoneElses = browserCsrf();
    const attempts: Record<string, Request> = {
      'no token': formPost(address, { anything: 'x' }, { csrf: null }),
      "another browser's token": formPost(address, {}, { csrf: { cookie: mine.cookie, token: someoneElses.token } }),
      'another site': formPost(address, {}, { headers: { origin: 'https://attacker.example' } }),
    };
    for (const [how, request] of Object.entries(attempts)) {
      const response = await POST(request, params);
      expect(response.status, `${pattern}: ${how}`).toBe(403);
    }
  });
});
