import type { Page } from '@playwright/test';

/**
 * A policy that blocks every script. Added to a JavaScript-enabled page, it shows
 * what a browser with JavaScript off shows, while test tools (axe) can still run:
 * axe hangs on a page whose context has JavaScript disabled, as its timers never fire.
 */
export const NO_SCRIPTS_POLICY = "script-src 'none'";

/** Blocks the page's own scripts from now on, keeping the server's other headers and its policy. */
export async function blockPageScripts(page: Page): Promise<void> {
  await page.route('**/*', async (route) => {
    if (route.request().resourceType() !== 'document') return route.fallback();
    const response = await route.fetch();
    const serverPolicy = response.headers()['content-security-policy'];
    // Comma-separated policies are all enforced, so the server's own still applies.
    const policy = serverPolicy ? `${serverPolicy}, ${NO_SCRIPTS_POLICY}` : NO_SCRIPTS_POLICY;
    await route.fulfill({ response, headers: { ...response.headers(), 'content-security-policy': policy } });
  });
}
