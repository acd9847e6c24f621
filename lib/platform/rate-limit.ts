import { getDb, isPostgres, type Db } from './db';
import { appSecretMac } from '@/lib/platform/app-secret-mac';

/**
 * Token buckets kept in the database (RateLimitBucket), so that every instance of the service
 * counts against the same limit: with several instances on one PostgreSQL a client gets the
 * limit once, not once per instance. A bucket holds `capacity` tokens and refills evenly over
 * `refillSeconds`; each attempt takes one. A row holds a bucket's tokens as they were at `at`;
 * a bucket with no row is full.
 */

export type LimitResult = { ok: true } | { ok: false; retryAfterSeconds: number };

export type BucketSize = { capacity: number; refillSeconds: number };

/**
 * Every bucket refills within this time, so a row untouched for longer is a full bucket and
 * can be deleted (pruneRateLimitBuckets) without changing any limit.
 */
export const LONGEST_REFILL_SECONDS = 3600;

/** The tokens in a bucket at `now` (ms): what it held at `at` (ms), plus what has dripped in since. */
export function tokensAt(stored: { tokens: number; at: number } | null, now: number, { capacity, refillSeconds }: BucketSize): number {
  if (!stored) return capacity;
  // An instance whose clock is behind another's gets nothing back, and takes nothing away.
  const elapsedSeconds = Math.max(0, now - stored.at) / 1000;
  return Math.min(capacity, stored.tokens + elapsedSeconds * (capacity / refillSeconds));
}

/** Whole seconds until a bucket holding `tokens` has a whole token again (at least 1). */
export function secondsUntilToken(tokens: number, { capacity, refillSeconds }: BucketSize): number {
  return Math.max(1, Math.ceil((1 - tokens) * (refillSeconds / capacity)));
}

/**
 * Names a client in a key without storing who it is: an address is personal data and an access
 * token a secret. Keyed with the app's secret (the same on every instance), so a leaked table
 * cannot be matched against a list of addresses.
 */
export function privateKey(value: string): string {
  return appSecretMac('rate-limit', value);
}

/**
 * Takes a token in one statement, or none when there is not a whole one: the database locks the
 * row for the statement, so two instances taking at once can never both have the last token.
 * The stored tokens are refilled to `now` exactly as tokensAt does (same operations in the same
 * order, in doubles), and `at` never goes back. Returns whether a token was taken.
 */
async function takeToken(db: Db, key: string, now: Date, size: BucketSize): Promise<boolean> {
  const nowMs = now.getTime();
  const perSecond = size.capacity / size.refillSeconds;
  const full = size.capacity;
  const rows = isPostgres()
    ? await db.$queryRaw<unknown[]>`
        INSERT INTO "RateLimitBucket" AS b ("key", "tokens", "at") VALUES (${key}, ${full - 1}::float8, ${now}::timestamp(3))
        ON CONFLICT ("key") DO UPDATE SET
          "tokens" = LEAST(${full}::float8, b."tokens" + GREATEST(0, ${nowMs}::float8 - (EXTRACT(EPOCH FROM b."at") * 1000)::float8) / 1000 * ${perSecond}::float8) - 1,
          "at" = GREATEST(b."at", excluded."at")
        WHERE LEAST(${full}::float8, b."tokens" + GREATEST(0, ${nowMs}::float8 - (EXTRACT(EPOCH FROM b."at") * 1000)::float8) / 1000 * ${perSecond}::float8) >= 1
        RETURNING "tokens"`
    : // SQLite: Prisma stores a DateTime as ISO 8601 text ('2026-12-01T10:00:00.000+00:00'), which
      // unixepoch(..., 'subsec') reads back to the millisecond; round() removes the float's dust.
      // (Upsert with RETURNING and 'subsec' need SQLite 3.42; better-sqlite3 brings its own, newer.)
      await db.$queryRaw<unknown[]>`
        INSERT INTO "RateLimitBucket" ("key", "tokens", "at") VALUES (${key}, ${full - 1}, ${now})
        ON CONFLICT ("key") DO UPDATE SET
          "tokens" = MIN(${full}, "tokens" + MAX(0, ${nowMs} - round(unixepoch("at", 'subsec') * 1000)) / 1000.0 * ${perSecond}) - 1,
          "at" = CASE WHEN round(unixepoch("at", 'subsec') * 1000) < ${nowMs} THEN excluded."at" ELSE "at" END
        WHERE MIN(${full}, "tokens" + MAX(0, ${nowMs} - round(unixepoch("at", 'subsec') * 1000)) / 1000.0 * ${perSecond}) >= 1
        RETURNING "tokens"`;
  return rows.length === 1;
}

/** One kind of limit (sign-in attempts per client, API requests per app), in its own key space. */
export class SharedTokenBucket {
  /** Rows are keyed `<name>:<key>`. `db` is for tests: two clients are two instances. */
  constructor(
    private readonly name: string,
    private readonly size: BucketSize,
    private readonly db: () => Db = getDb,
  ) {
    if (size.capacity < 1 || size.refillSeconds <= 0 || size.refillSeconds > LONGEST_REFILL_SECONDS) {
      throw new Error(`rate limit ${name}: capacity at least 1, refill within ${LONGEST_REFILL_SECONDS} seconds`);
    }
  }

  private rowKey(key: string): string {
    return `${this.name}:${key}`;
  }

  /** Would an attempt now be refused? Takes nothing. */
  async check(key: string, now = new Date()): Promise<LimitResult> {
    const row = await this.db().rateLimitBucket.findUnique({ where: { key: this.rowKey(key) } });
    const tokens = tokensAt(row && { tokens: row.tokens, at: row.at.getTime() }, now.getTime(), this.size);
    return tokens >= 1 ? { ok: true } : { ok: false, retryAfterSeconds: secondsUntilToken(tokens, this.size) };
  }

  /** Counts an attempt, if there is a token for it. */
  async take(key: string, now = new Date()): Promise<LimitResult> {
    if (await takeToken(this.db(), this.rowKey(key), now, this.size)) return { ok: true };
    // Refused: how long to wait is read afterwards. Should a token have dripped in meanwhile,
    // the attempt was still refused, so the client is told to come back in a second.
    const after = await this.check(key, now);
    return after.ok ? { ok: false, retryAfterSeconds: 1 } : after;
  }

  /** Forgets every bucket of this kind (tests, and a change of limits). */
  async forgetAll(): Promise<void> {
    await this.db().rateLimitBucket.deleteMany({ where: { key: { startsWith: `${this.name}:` } } });
  }
}

/**
 * Deletes the rows of buckets that are full again (untouched for LONGEST_REFILL_SECONDS): the
 * table then holds only clients seen within the last hour. Run by the worker.
 */
export async function pruneRateLimitBuckets(db: Db, now = new Date()): Promise<number> {
  const { count } = await db.rateLimitBucket.deleteMany({ where: { at: { lt: new Date(now.getTime() - LONGEST_REFILL_SECONDS * 1000) } } });
  return count;
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
