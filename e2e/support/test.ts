import { test as base, type Page } from '@playwright/test';
import { accessibilityChecker } from './accessibility';

export { expect } from '@playwright/test';

type Fixtures = {
  /** axe, WCAG 2.2 AA, zero violations: on the page itself with JS on; on a script-blocked copy with JS off. */
  checkAccessibility: (page: Page) => Promise<void>;
};

export const test = base.extend<Fixtures>({
  checkAccessibility: async ({ browser, javaScriptEnabled }, use) => {
    const checker = accessibilityChecker(browser, javaScriptEnabled);
    await use(checker.check);
    await checker.close();
  },
});
