import { gzipSync } from 'node:zlib';
import { gzipLevelFor } from '../scripts/server/gzip-levels.cjs';
import type { Request } from '@playwright/test';
import { blockPageScripts } from './support/no-script';
import { SERVICE_NAME } from './support/site';
import { expect, test } from './support/test';

// Our users include people on low-end phones and pay-as-you-go data.
const START_PAGE_BUDGET_GZIP = 25 * 1024;

test('the start page weighs at most 25 KB gzip, everything it loads included', async ({ page }) => {
  const loaded: Promise<{ url: string; type: string; raw: number; gzip: number }>[] = [];
  const measure = (request: Request) => {
    loaded.push(
      (async () => {
        const body = (await (await request.response())?.body()) ?? Buffer.alloc(0);
        return {
          url: request.url(),
          type: request.resourceType(),
          raw: body.length,
          gzip: gzipSync(body, { level: gzipLevelFor(new URL(request.url()).pathname) }).length,
        };
      })(),
    );
  };
  page.on('requestfinished', measure);
  await page.goto('/', { waitUntil: 'networkidle' });
  // Stop measuring before waiting for the bodies: a body read started after this point (the
  // browser's own late request, such as the favicon) would still be running when the test ends.
  page.off('requestfinished', measure);
  const resources = await Promise.all(loaded);

  const total = resources.reduce((sum, resource) => sum + resource.gzip, 0);
  const breakdown = resources.map(({ url, type, raw, gzip }) => `  ${gzip} B gzip (${raw} B)  ${type}  ${new URL(url).pathname}`);
  console.log(`Start page: ${resources.length} responses, ${total} B gzip in all\n${breakdown.join('\n')}`);

  expect(resources.map((resource) => resource.type)).toContain('stylesheet');
  expect(total, breakdown.join('\n')).toBeLessThanOrEqual(START_PAGE_BUDGET_GZIP);
});

test('the start page loads no script, only the template’s inline js-enabled line', async ({ request }) => {
  const html = await (await request.get('/')).text();
  const scripts = html.match(/<script\b[^>]*>/g) ?? [];
  expect(scripts).toEqual(['<script>']);
  expect(html).not.toMatch(/<script\b[^>]*\bsrc=/);
});

test('the start page works with its scripts blocked', async ({ page }) => {
  await blockPageScripts(page);
  await page.goto('/');
  await expect(page.locator('h1')).toHaveText(SERVICE_NAME);
  const startNow = page.getByRole('button', { name: 'Start now' });
  await expect(startNow).toBeVisible();
  await startNow.click();
  await expect(page).toHaveURL(/\/sign-in\??$/);
});
