import { config } from '@/lib/platform/config';
import { log } from '@/lib/platform/log';
import { clientAddress, TokenBucketLimiter, type LimitResult } from '@/lib/platform/rate-limit';
import { htmlResponse, renderView } from '@/lib/platform/render';

/**
 * Repeated sign-in starts and failed sign-in callbacks. Each takes a token from the client's
 * bucket, when the client's address can be trusted (TRUSTED_PROXIES), and from one bucket
 * shared by everyone, always: a client that makes up a new address for every request still
 * meets the shared limit.
 */

type Limiters = { client: TokenBucketLimiter; all: TokenBucketLimiter };
let limiters: Limiters | undefined;

function signInLimiters(): Limiters {
  const { attempts, globalAttempts, windowSeconds } = config().identity.signInRateLimit;
  limiters ??= { client: new TokenBucketLimiter(attempts, windowSeconds), all: new TokenBucketLimiter(globalAttempts, windowSeconds, 1) };
  return limiters;
}

/** Forgets every bucket (tests, and a configuration reload). */
export function resetSignInLimits(): void {
  limiters = undefined;
}

const EVERYONE = 'everyone';

function clientOf(req: Request): string | null {
  const { clientAddressHeader, trustedProxies } = config().identity.signInRateLimit;
  return clientAddress(req, clientAddressHeader, trustedProxies);
}

/** Counts a sign-in start or a failed callback, unless a limit has been reached. */
export function takeSignInAttempt(req: Request): LimitResult {
  const refused = checkSignInAttempts(req);
  if (!refused.ok) return refused;
  const { client, all } = signInLimiters();
  const address = clientOf(req);
  if (address) client.take(address);
  return all.take(EVERYONE);
}

/** Whether this client, or everyone together, has used up the attempts, without counting one. */
export function checkSignInAttempts(req: Request): LimitResult {
  const { client, all } = signInLimiters();
  const address = clientOf(req);
  const mine = address ? client.check(address) : ({ ok: true } as const);
  return mine.ok ? all.check(EVERYONE) : mine;
}

/** The "too many attempts" page: 429 with Retry-After. The address is not logged (personal data). */
export function tooManySignInAttempts(retryAfterSeconds: number): Response {
  log.warn('sign-in-rate-limited', { retryAfterSeconds });
  const minutes = Math.max(1, Math.ceil(retryAfterSeconds / 60));
  const html = renderView('identity/too-many-attempts.njk', { minutes });
  return htmlResponse(html, { status: 429, headers: { 'retry-after': String(retryAfterSeconds) } });
}
