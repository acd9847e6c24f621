import { expect, type Page } from '@playwright/test';
import { TITLE_SUFFIX } from './site';

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

// "<what this page is> – <service> – <organisation>", or just the suffix on the start page.
const TITLE = new RegExp(`^(?:\\S.* – )?${escapeRegExp(TITLE_SUFFIX)}$`);

/**
 * Checks every page must pass: one h1, a descriptive title, no GOV.UK branding,
 * a working skip link reached first from the keyboard, and no sideways scrolling
 * at 320 CSS pixels (WCAG 1.4.10 reflow). Leaves the page at the main content (`mainId`:
 * GOV.UK Frontend's template calls it main-content, NHS.UK Frontend's maincontent).
 */
export async function expectWellFormedPage(page: Page, { mainId = 'main-content' }: { mainId?: string } = {}): Promise<void> {
  await expect(page.locator('h1')).toHaveCount(1);
  await expect(page.locator('h1')).not.toBeEmpty();
  expect(await page.title()).toMatch(TITLE);

  // This service is not on GOV.UK: no crown or GOV.UK logo.
  await expect(page.locator('.govuk-header__logo')).toHaveCount(0);
  await expect(page.locator('.govuk-footer__crown')).toBeHidden();

  await expectSkipLinkFirst(page, mainId);
  await expectNoHorizontalScrollingAt(page, 320);
}

async function expectSkipLinkFirst(page: Page, mainId: string): Promise<void> {
  // After the load event, so that the page's own scripts have run: govuk-frontend moves focus to
  // an error summary when it starts, and on a busy machine that can come after a check that
  // started as soon as the page's text was there.
  await page.waitForLoadState('load');
  // Start keyboard navigation from the top of the document, as on arrival: a page
  // may have moved focus itself (the error summary takes focus when JS is on).
  await page.evaluate(() => {
    const body = document.body;
    body.tabIndex = -1;
    body.focus();
    body.removeAttribute('tabindex');
  });
  await page.keyboard.press('Tab');
  const skipLink = page.getByRole('link', { name: 'Skip to main content' });
  await expect(skipLink).toBeFocused();
  await expect(skipLink).toHaveAttribute('href', `#${mainId}`);

  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(new RegExp(`#${mainId}$`));
  // With JS, govuk-frontend focuses the main content; without, it becomes the
  // target, where the browser starts the next Tab from.
  await expect(page.locator(`main#${mainId}:is(:focus, :target)`)).toHaveCount(1);
}

async function expectNoHorizontalScrollingAt(page: Page, width: number): Promise<void> {
  const original = page.viewportSize();
  await page.setViewportSize({ width, height: 640 });
  try {
    const scrollWidth = await page.evaluate(() => document.documentElement.scrollWidth);
    expect(scrollWidth, `page is ${scrollWidth}px wide at a ${width}px viewport`).toBeLessThanOrEqual(width);
  } finally {
    if (original) await page.setViewportSize(original);
  }
}
