import { config } from '@/lib/platform/config';
import { errorFields, log } from '@/lib/platform/log';
import { clientAddress, privateKey, SharedTokenBucket, type LimitResult } from '@/lib/platform/rate-limit';
import { htmlResponse, renderView } from '@/lib/platform/render';

/**
 * Repeated sign-in starts and failed sign-in callbacks. Each takes a token from the client's
 * bucket, when the client's address can be trusted (TRUSTED_PROXIES), and from one bucket
 * shared by everyone, always: a client that makes up a new address for every request still
 * meets the shared limit. The buckets are in the database, so every instance counts together.
 *
 * Fail open: when the database cannot count, the attempt is let through (and logged). The limit
 * slows down abuse; a fault of ours must not lock every citizen out of signing in, and the
 * provider still checks every sign-in. A sign-in that then needs the database fails on its own.
 */

function signInBuckets(): { client: SharedTokenBucket; all: SharedTokenBucket } {
  const { attempts, globalAttempts, windowSeconds } = config().identity.signInRateLimit;
  return {
    client: new SharedTokenBucket('sign-in:client', { capacity: attempts, refillSeconds: windowSeconds }),
    all: new SharedTokenBucket('sign-in', { capacity: globalAttempts, refillSeconds: windowSeconds }),
  };
}

const EVERYONE = 'all';

/** Forgets every bucket (tests, and a change of limits). */
export async function resetSignInLimits(): Promise<void> {
  const { client, all } = signInBuckets();
  await client.forgetAll();
  await all.forgetAll();
}

/** The client's bucket, keyed by a keyed hash of its address (personal data), or null when it is not known. */
function clientKey(req: Request): string | null {
  const { clientAddressHeader, trustedProxies } = config().identity.signInRateLimit;
  const address = clientAddress(req, clientAddressHeader, trustedProxies);
  return address && privateKey(address);
}

async function failingOpen(what: 'take' | 'check', count: () => Promise<LimitResult>): Promise<LimitResult> {
  try {
    return await count();
  } catch (error) {
    log.warn('sign-in-rate-limit-unavailable', { what, ...errorFields(error) });
    return { ok: true };
  }
}

/** Counts a sign-in start or a failed callback, unless a limit has been reached. */
export async function takeSignInAttempt(req: Request): Promise<LimitResult> {
  return failingOpen('take', async () => {
    const refused = await checkBoth(req);
    if (!refused.ok) return refused;
    const { client, all } = signInBuckets();
    const key = clientKey(req);
    const mine = key ? await client.take(key) : ({ ok: true } as const);
    return mine.ok ? all.take(EVERYONE) : mine;
  });
}

/** Whether this client, or everyone together, has used up the attempts, without counting one. */
export async function checkSignInAttempts(req: Request): Promise<LimitResult> {
  return failingOpen('check', () => checkBoth(req));
}

async function checkBoth(req: Request): Promise<LimitResult> {
  const { client, all } = signInBuckets();
  const key = clientKey(req);
  const mine = key ? await client.check(key) : ({ ok: true } as const);
  return mine.ok ? all.check(EVERYONE) : mine;
}

/** The "too many attempts" page: 429 with Retry-After. The address is not logged (personal data). */
export function tooManySignInAttempts(retryAfterSeconds: number): Response {
  log.warn('sign-in-rate-limited', { retryAfterSeconds });
  const minutes = Math.max(1, Math.ceil(retryAfterSeconds / 60));
  const html = renderView('identity/too-many-attempts.njk', { minutes });
  return htmlResponse(html, { status: 429, headers: { 'retry-after': String(retryAfterSeconds) } });
}
