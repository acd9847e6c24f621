import { config } from './config';

export function readCookies(req: Request): Map<string, string> {
  const cookies = new Map<string, string>();
  for (const part of (req.headers.get('cookie') ?? '').split(';')) {
    const index = part.indexOf('=');
    if (index < 1) continue;
    const name = part.slice(0, index).trim();
    if (!cookies.has(name)) cookies.set(name, part.slice(index + 1).trim());
  }
  return cookies;
}

/**
 * Our cookie names: `__Host-` prefixed when secure, so the browser only accepts
 * them from this host over HTTPS with Path=/ (no subdomain can plant one).
 */
export function cookieName(base: string): string {
  return config().secureCookies ? `__Host-${base}` : base;
}

export function serialiseCookie(name: string, value: string, options: { maxAgeSeconds?: number } = {}): string {
  const parts = [`${name}=${value}`, 'Path=/', 'HttpOnly', 'SameSite=Lax'];
  if (config().secureCookies) parts.push('Secure');
  if (options.maxAgeSeconds !== undefined) parts.push(`Max-Age=${options.maxAgeSeconds}`);
  return parts.join('; ');
}

/** Tells the browser to drop a cookie of ours (same attributes, no value, no lifetime). */
export function expiredCookie(name: string): string {
  return serialiseCookie(name, '', { maxAgeSeconds: 0 });
}
