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
  // Read in one go (every page of a sweep is checked, on 2 busy cores): what the frame is made of.
  const frame = await page.evaluate(
    ([organisation, service]) => {
      const header = document.querySelectorAll('header.nhsuk-header');
      const headerText = header[0]?.textContent ?? '';
      const main = document.querySelector('main');
      return {
        headers: header.length,
        namesInHeader: headerText.includes(organisation) && headerText.includes(service),
        // Not entitled to the NHS logo (NHS_LOGO_ENTITLED unset): the service's own mark beside the organisation's name.
        withoutNhsLogo: document.querySelectorAll('header.nhsuk-header.app-header--no-nhs-logo').length,
        footers: document.querySelectorAll('footer.nhsuk-footer').length,
        // Arial (never the licensed Frutiger, nor the browser's default serif).
        font: main ? getComputedStyle(main).fontFamily : '',
        nhsStylesheets: document.querySelectorAll('link[rel="stylesheet"][href="/stylesheets/application-nhs.css"]').length,
        councilStylesheets: document.querySelectorAll('link[rel="stylesheet"][href="/stylesheets/application.css"]').length,
        govukClasses: [...document.querySelectorAll('[class*="govuk-"]')].map((element) => element.className),
        govukScripts: document.querySelectorAll('script[src*="govuk"]').length,
        enhanced: document.querySelector('script[src="/javascripts/application-nhs.mjs"]') !== null,
      };
    },
    [ORGANISATION_NAME, SERVICE_NAME] as const,
  );
  expect(frame, 'the NHS brand’s frame, and nothing of GOV.UK Frontend’s').toEqual({
    headers: 1,
    namesInHeader: true,
    withoutNhsLogo: 1,
    footers: 1,
    font: 'arial, sans-serif',
    nhsStylesheets: 1,
    councilStylesheets: 0,
    govukClasses: [],
    govukScripts: 0,
    enhanced: frame.enhanced,
  });
  // Where the page loads the NHS brand's script (bundled with only the components it uses), it runs.
  if (frame.enhanced && javaScriptEnabled) {
    await expect(page.locator('header.nhsuk-header')).toHaveAttribute('data-nhsuk-header-init', '');
  }
  await expectWellFormedPage(page, { mainId: 'maincontent' });
  await checkAccessibility(page);
}
