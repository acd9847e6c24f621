import { paths } from '@/lib/platform/paths';

/**
 * Where to take someone after they sign in. Only a path on this service is kept, so
 * a crafted link can never send a person signing in to another site.
 */

export const DEFAULT_RETURN_TO = paths.account;

// Pages that make no sense to come back to.
const NOT_RETURNABLE = /^\/(?:api\/|sign-in(?:\/|$)|sign-out(?:\/|$)|signed-out(?:\/|$))/;

export function safeReturnTo(value: unknown): string {
  if (typeof value !== 'string' || value.length === 0 || value.length > 500) return DEFAULT_RETURN_TO;
  // Only a plain absolute path: not //host, /\host (browsers read both as another host), nor control characters.
  if (!value.startsWith('/') || value.startsWith('//') || value.startsWith('/\\') || /[\u0000-\u001F\u007F\\]/.test(value)) {
    return DEFAULT_RETURN_TO;
  }
  const base = 'http://return-to.invalid';
  let url: URL;
  try {
    url = new URL(value, base);
  } catch {
    return DEFAULT_RETURN_TO;
  }
  if (url.origin !== base) return DEFAULT_RETURN_TO;
  // The address as it will be sent is the normalised one: "/.//evil.example" becomes
  // "//evil.example", another site. Check what is returned, not only what was given.
  const path = `${url.pathname}${url.search}`;
  if (path.startsWith('//') || path.startsWith('/\\')) return DEFAULT_RETURN_TO;
  return NOT_RETURNABLE.test(url.pathname) ? DEFAULT_RETURN_TO : path;
}
