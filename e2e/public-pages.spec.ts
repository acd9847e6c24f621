import { renderView } from '@/lib/platform/render';
import { expectWellFormedPage } from './support/page-checks';
import { SERVICE_NAME } from './support/site';
import { expect, test } from './support/test';

const pages = [
  { path: '/', status: 200, h1: SERVICE_NAME },
  { path: '/accessibility', status: 200, h1: `Accessibility statement for ${SERVICE_NAME}` },
  { path: '/privacy', status: 200, h1: 'Privacy notice' },
  { path: '/terms-of-use', status: 200, h1: 'Terms of use' },
  { path: '/cookies', status: 200, h1: 'Cookies' },
  { path: '/contact', status: 200, h1: 'Contact us' },
  { path: '/sign-in', status: 200, h1: 'Create an account or sign in' },
  { path: '/feedback', status: 200, h1: 'Give feedback about this service' },
  { path: '/feedback/sent', status: 200, h1: 'Feedback sent' },
  { path: '/no-such-page', status: 404, h1: 'Page not found' },
  { path: '/feedback/sent/no-such-page', status: 404, h1: 'Page not found' },
];

for (const { path, status, h1 } of pages) {
  test(`${path} is a well-formed, accessible page`, async ({ page, checkAccessibility }) => {
    const response = await page.goto(path);
    expect(response?.status()).toBe(status);
    await expect(page.locator('h1')).toHaveText(h1);
    await expectWellFormedPage(page);
    await checkAccessibility(page);
  });
}

test('every page has its own title', async ({ request }) => {
  const titles = new Map<string, string>();
  for (const { path } of pages.filter((page) => page.status === 200)) {
    const html = await (await request.get(path)).text();
    const title = html.match(/<title>([^<]*)<\/title>/)?.[1] ?? '';
    expect(titles.get(title), `${path} has the same title as ${titles.get(title)}: ${title}`).toBeUndefined();
    titles.set(title, path);
  }
});

test('the start page starts the service at sign in, with a click, Enter or Space', async ({ page }) => {
  for (const press of ['click', 'Enter', 'Space'] as const) {
    await page.goto('/');
    const startNow = page.getByRole('button', { name: 'Start now' });
    if (press === 'click') await startNow.click();
    else {
      await startNow.focus();
      await page.keyboard.press(press);
    }
    await expect(page, press).toHaveURL(/\/sign-in\??$/);
    await expect(page.locator('h1')).toHaveText('Create an account or sign in');
  }
});

const footerLinks = [
  { name: 'Accessibility statement', path: '/accessibility' },
  { name: 'Privacy notice', path: '/privacy' },
  { name: 'Cookies', path: '/cookies' },
  { name: 'Contact us', path: '/contact' },
  { name: 'Feedback', path: '/feedback' },
];

test('the footer links reach the support pages', async ({ page }) => {
  for (const { name, path } of footerLinks) {
    await page.goto('/');
    await page.getByRole('contentinfo').getByRole('link', { name, exact: true }).click();
    await expect(page).toHaveURL(path);
    await expect(page.locator('h1')).toHaveText(pages.find((p) => p.path === path)!.h1);
  }
});

test("the phase banner's feedback link reaches the feedback form", async ({ page }) => {
  await page.goto('/privacy');
  await page.locator('.govuk-phase-banner').getByRole('link', { name: 'feedback' }).click();
  await expect(page).toHaveURL('/feedback');
  await expect(page.getByRole('button', { name: 'Send feedback' })).toBeVisible();
});

// No URL of a healthy server shows these pages, so each is rendered here from its
// view and served at an address of the real server: the real CSS still loads.
const errorPages = [
  { view: 'errors/problem.njk', status: 500, h1: 'Sorry, there is a problem with the service' },
  { view: 'errors/unavailable.njk', status: 503, h1: 'Sorry, the service is unavailable' },
];

for (const { view, status, h1 } of errorPages) {
  test(`the ${status} page is well formed and accessible`, async ({ page, checkAccessibility }) => {
    const path = `/e2e-rendered-error-page-${status}`;
    const html = renderView(view, { status });
    await page.route(`**${path}`, (route) => route.fulfill({ status, contentType: 'text/html; charset=utf-8', body: html }));
    const response = await page.goto(path);
    expect(response?.status()).toBe(status);
    await expect(page.locator('h1')).toHaveText(h1);
    await expectWellFormedPage(page);
    await checkAccessibility(page);
  });
}
