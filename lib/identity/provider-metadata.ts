/**
 * Small, cached reads of providers' published documents (discovery, the One Login DID
 * document). Cached for a few minutes so a key rotation is picked up soon.
 */

const CACHE_MS = 5 * 60 * 1000;
const cache = new Map<string, { at: number; value: unknown }>();

export async function fetchJson(url: string): Promise<unknown> {
  const cached = cache.get(url);
  if (cached && Date.now() - cached.at < CACHE_MS) return cached.value;
  const response = await fetch(url, { signal: AbortSignal.timeout(5_000), headers: { accept: 'application/json' } });
  if (!response.ok) throw new Error(`Provider document ${url} answered ${response.status}`);
  const value: unknown = await response.json();
  cache.set(url, { at: Date.now(), value });
  return value;
}

export async function endSessionEndpoint(issuer: string): Promise<string | undefined> {
  const metadata = (await fetchJson(`${issuer}/.well-known/openid-configuration`)) as { end_session_endpoint?: unknown };
  return typeof metadata.end_session_endpoint === 'string' ? metadata.end_session_endpoint : undefined;
}
