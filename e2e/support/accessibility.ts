import AxeBuilder from '@axe-core/playwright';
import type { Browser, BrowserContext, Page } from '@playwright/test';
import { NO_SCRIPTS_POLICY } from './no-script';

type Violation = Awaited<ReturnType<AxeBuilder['analyze']>>['violations'][number];

const WCAG_22_AA = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

function describe(violations: Violation[]): string {
  return violations
    .map((violation) => {
      const nodes = violation.nodes.map((node) => `    - ${node.target.join(' ')}\n      ${node.failureSummary?.replace(/\n/g, '\n      ') ?? ''}`).join('\n');
      return `[${violation.impact ?? 'unknown'}] ${violation.id}: ${violation.help}\n  ${violation.helpUrl}\n${nodes}`;
    })
    .join('\n\n');
}

async function expectNoViolations(page: Page): Promise<void> {
  const { violations } = await new AxeBuilder({ page }).withTags(WCAG_22_AA).analyze();
  if (violations.length > 0) {
    throw new Error(`${violations.length} accessibility violations on ${page.url()}:\n\n${describe(violations)}`);
  }
}

/**
 * Checks a page opened with JavaScript off. axe cannot run there, so the page's
 * exact document (with JS off it is the server's HTML, untouched by scripts, even
 * for a state reached by a form post) is served at the same address to a page
 * with JavaScript on but every script blocked; its CSS and images still load
 * from the server. axe runs on that copy. One copy page per test (`copyPage`, made
 * the first time it is needed) serves every check: a new context or page for each
 * check made a long journey slow on a busy machine.
 */
async function expectNoViolationsWithoutScripts(copyPage: () => Promise<Page>, page: Page): Promise<void> {
  const html = await page.content();
  const address = new URL(page.url());
  address.hash = '';
  const copy = await copyPage();
  await copy.unrouteAll();
  await copy.setViewportSize(page.viewportSize() ?? { width: 1280, height: 720 });
  await copy.route(
    (url) => url.href === address.href,
    (route) =>
      route.fulfill({
        contentType: 'text/html; charset=utf-8',
        headers: { 'content-security-policy': NO_SCRIPTS_POLICY },
        body: html,
      }),
  );
  await copy.goto(address.href);
  await expectNoViolations(copy);
}

/**
 * Runs axe (WCAG 2.2 AA) on the page as its user sees it, with the project's JavaScript setting.
 * `close` ends the context the JS-off copies were checked in, if one was made.
 */
export function accessibilityChecker(browser: Browser, javaScriptEnabled: boolean) {
  let context: BrowserContext | undefined;
  let copy: Promise<Page> | undefined;
  const copyPage = () =>
    (copy ??= browser.newContext({ javaScriptEnabled: true }).then((made) => {
      context = made;
      return made.newPage();
    }));
  return {
    check: (page: Page) => (javaScriptEnabled ? expectNoViolations(page) : expectNoViolationsWithoutScripts(copyPage, page)),
    close: async () => {
      await context?.close();
    },
  };
}
