/**
 * A small in-memory token bucket per client. Each instance of the service keeps its own
 * buckets, so with several instances a client gets the limit at each: production with more
 * than one instance needs a shared store (Redis, or the database) behind the same interface.
 */

export type LimitResult = { ok: true } | { ok: false; retryAfterSeconds: number };

type Bucket = { tokens: number; at: number };

export class TokenBucketLimiter {
  private readonly buckets = new Map<string, Bucket>();

  /** `capacity` attempts at once, refilled evenly over `refillSeconds`. */
  constructor(
    private readonly capacity: number,
    private readonly refillSeconds: number,
    private readonly maxClients = 10_000,
  ) {}

  private current(key: string, now: number): Bucket {
    const bucket = this.buckets.get(key);
    if (!bucket) return { tokens: this.capacity, at: now };
    const refilled = ((now - bucket.at) / 1000) * (this.capacity / this.refillSeconds);
    return { tokens: Math.min(this.capacity, bucket.tokens + refilled), at: now };
  }

  private retryAfter(bucket: Bucket): number {
    return Math.max(1, Math.ceil((1 - bucket.tokens) * (this.refillSeconds / this.capacity)));
  }

  /** Would an attempt now be refused? Takes nothing. */
  check(key: string, now = Date.now()): LimitResult {
    const bucket = this.current(key, now);
    return bucket.tokens >= 1 ? { ok: true } : { ok: false, retryAfterSeconds: this.retryAfter(bucket) };
  }

  /** Counts an attempt, if there is a token for it. */
  take(key: string, now = Date.now()): LimitResult {
    const bucket = this.current(key, now);
    if (bucket.tokens < 1) return { ok: false, retryAfterSeconds: this.retryAfter(bucket) };
    bucket.tokens -= 1;
    this.buckets.delete(key);
    this.buckets.set(key, bucket);
    // Memory stays bounded whatever arrives: the least recently used client goes first
    // (a Map keeps insertion order, and every take re-inserts).
    if (this.buckets.size > this.maxClients) this.buckets.delete(this.buckets.keys().next().value!);
    return { ok: true };
  }
}

/**
 * The client's address, as far as a route handler can know it (route handlers do not see the
 * socket), or null when it cannot be trusted. Each proxy in front of the service appends the
 * address it saw to `header` (x-forwarded-for); only the last `trustedProxies` entries were
 * written by our own proxies, and the first of those is the client's. Anything before it was
 * sent by the client and may be made up. With no trusted proxy (the default) nothing in the
 * header can be trusted: a client could send a new address with every request.
 */
export function clientAddress(req: Request, header: string, trustedProxies: number): string | null {
  if (trustedProxies < 1) return null;
  const entries = (req.headers.get(header) ?? '')
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean);
  // Fewer entries than proxies: the request did not come through them all.
  if (entries.length < trustedProxies) return null;
  return entries[entries.length - trustedProxies]!;
}
