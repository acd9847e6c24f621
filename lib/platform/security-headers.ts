import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';

/**
 * Security headers for every response. Kept free of other app imports so
 * next.config.ts and the benchmark's Express baseline can use it too.
 *
 * The govuk-frontend page template has one inline script (it adds the
 * `js-enabled` class), and so has the nhsuk-frontend one (the NHS brand, BRAND=nhs). Rather
 * than allowing inline scripts, the CSP names each script by its hash, read from the installed
 * template so an upgrade that changes the snippet keeps working.
 */
export function templateScriptHash(projectRoot = process.cwd(), template = 'govuk-frontend/dist/govuk/template.njk'): string {
  const templatePath = path.join(projectRoot, 'node_modules', template);
  const source = readFileSync(templatePath, 'utf8');
  const match = source.match(/<script[^>]*>([^<]+)<\/script>/);
  if (!match?.[1]) throw new Error(`Could not find the inline script in ${template}`);
  return `'sha256-${createHash('sha256').update(match[1]).digest('base64')}'`;
}

/** Both brands' template scripts: the CSP is made once, at build, whichever brand runs. */
const TEMPLATES = ['govuk-frontend/dist/govuk/template.njk', 'nhsuk-frontend/dist/nhsuk/template.njk'];

/**
 * `formActionOrigins`: where our form posts may end up. Chrome applies form-action to the
 * redirects after a post too, and signing in and out are posts that end at an identity provider.
 */
export function securityHeaders(options: { production: boolean; projectRoot?: string; formActionOrigins?: string[] }): Record<string, string> {
  const csp = [
    "default-src 'self'",
    `script-src 'self' ${TEMPLATES.map((template) => templateScriptHash(options.projectRoot, template)).join(' ')}`,
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    ["form-action 'self'", ...(options.formActionOrigins ?? [])].join(' '),
    "frame-ancestors 'none'",
    "base-uri 'none'",
    "object-src 'none'",
  ].join('; ');

  const headers: Record<string, string> = {
    'Content-Security-Policy': csp,
    'X-Content-Type-Options': 'nosniff',
    'X-Frame-Options': 'DENY',
    // Not no-referrer: with it browsers send "Origin: null" on our own form posts.
    'Referrer-Policy': 'same-origin',
    'Permissions-Policy': 'camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Cross-Origin-Resource-Policy': 'same-origin',
  };
  if (options.production) {
    headers['Strict-Transport-Security'] = 'max-age=31536000; includeSubDomains';
  }
  return headers;
}
