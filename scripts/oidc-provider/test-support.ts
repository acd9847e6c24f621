/**
 * A tiny relying party and browser for the provider tests: real HTTP with fetch, redirects
 * followed by hand, cookies carried by name (every cookie here belongs to the one host).
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { importJWK, SignJWT, type JWK } from 'jose';

export const APP_URL = 'http://localhost:3000';

export class Browser {
  private readonly cookies = new Map<string, string>();
  /** Every Set-Cookie header received, for the cookie-name checks. */
  readonly setCookieHeaders: string[] = [];

  async get(url: string | URL): Promise<Response> {
    return this.send(url, { method: 'GET' });
  }

  async post(url: string | URL, form: Record<string, string>): Promise<Response> {
    return this.send(url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(form).toString(),
    });
  }

  /** Follows redirects inside the provider; stops at a page or at a redirect to the app. */
  async follow(response: Response, base: string): Promise<Response> {
    let current = response;
    for (let hops = 0; hops < 10 && isRedirect(current); hops += 1) {
      const location = new URL(current.headers.get('location') ?? '', base);
      if (location.href.startsWith(APP_URL)) return current;
      current = await this.get(location);
    }
    return current;
  }

  private async send(url: string | URL, init: RequestInit): Promise<Response> {
    const cookie = [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
    const response = await fetch(url, { ...init, redirect: 'manual', headers: { ...init.headers, ...(cookie ? { cookie } : {}) } });
    for (const header of response.headers.getSetCookie()) {
      this.setCookieHeaders.push(header);
      const [pair = ''] = header.split(';');
      const index = pair.indexOf('=');
      const name = pair.slice(0, index);
      const value = pair.slice(index + 1);
      if (!value || /expires=Thu, 01 Jan 1970/i.test(header)) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    return response;
  }
}

export function isRedirect(response: Response): boolean {
  return [301, 302, 303, 307, 308].includes(response.status);
}

export function formAction(html: string, base: string): URL {
  const action = /<form[^>]*action="([^"]+)"/.exec(html)?.[1];
  if (!action) throw new Error('No form on the page');
  return new URL(action.replaceAll('&amp;', '&'), base);
}

export function linkHref(html: string, text: string, base: string): URL {
  const match = new RegExp(`<a[^>]*href="([^"]+)"[^>]*>${text}`).exec(html);
  if (!match?.[1]) throw new Error(`No link "${text}" on the page`);
  return new URL(match[1].replaceAll('&amp;', '&'), base);
}

export function pageTitle(html: string): string {
  return /<title>([^<]*)<\/title>/.exec(html)?.[1]?.trim() ?? '';
}

export interface Pkce {
  verifier: string;
  challenge: string;
}

export function pkce(): Pkce {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

export interface Discovery {
  issuer: string;
  authorization_endpoint: string;
  token_endpoint: string;
  userinfo_endpoint: string;
  jwks_uri: string;
  end_session_endpoint: string;
  [key: string]: unknown;
}

export async function discover(issuer: string): Promise<Discovery> {
  const response = await fetch(`${issuer}/.well-known/openid-configuration`);
  if (!response.ok) throw new Error(`discovery ${response.status}`);
  return response.json() as Promise<Discovery>;
}

/** A private_key_jwt client assertion, built as the app builds it (aud = token endpoint). */
export async function clientAssertion(privateJwk: JWK, clientId: string, audience: string): Promise<string> {
  const key = await importJWK(privateJwk, 'ES256');
  return new SignJWT({})
    .setProtectedHeader({ alg: 'ES256', kid: privateJwk.kid })
    .setIssuer(clientId)
    .setSubject(clientId)
    .setAudience(audience)
    .setJti(randomUUID())
    .setIssuedAt()
    .setExpirationTime('2m')
    .sign(key);
}
