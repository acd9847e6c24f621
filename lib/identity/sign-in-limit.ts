import { config } from '@/lib/platform/config';
import { log } from '@/lib/platform/log';
import { clientAddress, TokenBucketLimiter, type LimitResult } from '@/lib/platform/rate-limit';
import { htmlResponse, renderView } from '@/lib/platform/render';

/**
 * Repeated sign-in starts and failed sign-in callbacks, limited per client. One bucket
 * holds both: each start and each failure takes a token.
 */

let limiter: TokenBucketLimiter | undefined;

function signInLimiter(): TokenBucketLimiter {
  const { attempts, windowSeconds } = config().identity.signInRateLimit;
  limiter ??= new TokenBucketLimiter(attempts, windowSeconds);
  return limiter;
}

function clientOf(req: Request): string {
  return clientAddress(req, config().identity.signInRateLimit.clientAddressHeader);
}

/** Counts a sign-in start or a failed callback. */
export function takeSignInAttempt(req: Request): LimitResult {
  return signInLimiter().take(clientOf(req));
}

/** Whether this client has used up its attempts, without counting one. */
export function checkSignInAttempts(req: Request): LimitResult {
  return signInLimiter().check(clientOf(req));
}

/** The "too many attempts" page: 429 with Retry-After. The address is not logged (personal data). */
export function tooManySignInAttempts(retryAfterSeconds: number): Response {
  log.warn('sign-in-rate-limited', { retryAfterSeconds });
  const minutes = Math.max(1, Math.ceil(retryAfterSeconds / 60));
  const html = renderView('identity/too-many-attempts.njk', { minutes });
  return htmlResponse(html, { status: 429, headers: { 'retry-after': String(retryAfterSeconds) } });
}
