import type { Page } from '@playwright/test';
import { expectWellFormedPage } from './page-checks';
import { ORGANISATION_NAME, SERVICE_NAME } from './site';
import { expect } from './test';

/**
 * The NHS brand's frame, and nothing of GOV.UK Frontend's, then the checks every page passes
 * (one h1, title, skip link, reflow at 320 px) and axe (`checkAccessibility`, the fixture in
 * ./test.ts, JavaScript on or off as the project says): for e2e/nhs-brand.spec.ts and
 * e2e/nhs-every-page.spec.ts.
 */
export async function expectNhsPage(page: Page, checkAccessibility: (page: Page) => Promise<void>, javaScriptEnabled: boolean) {
  const header = page.locator('header.nhsuk-header');
  await expect(header).toHaveCount(1);
  await expect(header).toContainText(ORGANISATION_NAME);
  await expect(header).toContainText(SERVICE_NAME);
  // Not entitled to the NHS logo (NHS_LOGO_ENTITLED unset): the service's own mark beside the organisation's name.
  await expect(page.locator('header.nhsuk-header.app-header--no-nhs-logo')).toHaveCount(1);
  await expect(page.locator('footer.nhsuk-footer')).toHaveCount(1);
  // Arial (never the licensed Frutiger, nor the browser's default serif).
  expect(await page.locator('main').evaluate((main) => getComputedStyle(main).fontFamily)).toBe('arial, sans-serif');
  await expect(page.locator('link[rel="stylesheet"][href="/stylesheets/application-nhs.css"]')).toHaveCount(1);
  await expect(page.locator('link[rel="stylesheet"][href="/stylesheets/application.css"]')).toHaveCount(0);
  await expect(page.locator('[class*="govuk-"]'), 'a GOV.UK Frontend class in the NHS brand').toHaveCount(0);
  await expect(page.locator('script[src*="govuk"]')).toHaveCount(0);
  // Where the page loads the NHS brand's script (bundled with only the components it uses), it runs.
  const enhanced = (await page.locator('script[src="/javascripts/application-nhs.mjs"]').count()) > 0;
  if (enhanced && javaScriptEnabled) {
    await expect(header).toHaveAttribute('data-nhsuk-header-init', '');
  }
  await expectWellFormedPage(page, { mainId: 'maincontent' });
  await checkAccessibility(page);
}
