import type { Bundle, Resource, ResourceType } from '@medplum/fhirtypes';
import { CLIENT_ASSERTION_TYPE, clientAssertion } from '@/lib/identity/public';
import { config, type CareRecordConfig } from '@/lib/platform/config';
import { log, type LogFields } from '@/lib/platform/log';

/**
 * The one way into the city's shared care record (FHIR R4, SMART backend services).
 * It keeps the rest of the service up when the care record is slow or down: every call has a
 * timeout, safe reads are retried a bounded number of times, a circuit breaker stops us waiting
 * on a care record that keeps failing, and a short cache spares it repeated page views.
 */

/** Why the care record could not answer: the pages say "cannot be shown right now" for all of them. */
export type UnavailableReason = 'timeout' | 'network' | 'server-error' | 'rate-limited' | 'refused' | 'circuit-open' | 'bad-response';

export class CareRecordUnavailable extends Error {
  constructor(readonly reason: UnavailableReason) {
    super(`The care record is unavailable (${reason})`);
    this.name = 'CareRecordUnavailable';
  }
}

/**
 * A write the care record did not take. `retry`: worth sending again later (down, slow, 5xx,
 * 429); otherwise the care record refused the resource or our credentials (4xx), and sending
 * the same again cannot help.
 */
export class CareRecordWriteFailed extends Error {
  constructor(
    readonly reason: UnavailableReason,
    readonly retry: boolean,
    readonly status?: number,
  ) {
    super(`The care record did not take the write (${reason}${status ? ` ${status}` : ''})`);
    this.name = 'CareRecordWriteFailed';
  }
}

export type BreakerState = 'closed' | 'open' | 'half-open';

export interface CareRecordClientOptions {
  fetch?: typeof fetch;
  /** Milliseconds since the epoch: moves token expiry, the cache and the breaker's cool-down. */
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
  /** Receives the one line per call; default: the service log. */
  log?: (event: string, fields: LogFields) => void;
}

type Attempt =
  | { kind: 'ok'; status: number; body: unknown }
  | { kind: 'not-found'; status: number }
  | { kind: 'retryable'; reason: UnavailableReason; status?: number; retryAfterMs?: number }
  | { kind: 'failed'; reason: UnavailableReason; status?: number };

type CacheEntry = { expiresAt: number; body: unknown };
type AccessToken = { value: string; refreshAt: number };

const FHIR_JSON = 'application/fhir+json';
const TOKEN_REFRESH_MARGIN_MS = 30_000;
const SUCCESSFUL_OUTCOMES = new Set(['ok', 'not-found']);

/**
 * Calls to the care record at info, failures at warn; answers from our own cache at debug: a
 * view of the care record page reads some 17 resources, nearly all from the cache, and a line
 * each (written synchronously to stdout) was about a twentieth of the page's time and nearly all
 * of the service's log.
 */
export function careRecordLogLevel(outcome: unknown): 'debug' | 'info' | 'warn' {
  if (outcome === 'cache-hit') return 'debug';
  return SUCCESSFUL_OUTCOMES.has(String(outcome ?? 'ok')) ? 'info' : 'warn';
}

export class CareRecordClient {
  readonly now: () => number;
  private readonly fetch: typeof fetch;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly random: () => number;
  private readonly writeLog: (event: string, fields: LogFields) => void;
  private token: Promise<AccessToken> | undefined;
  private readonly cache = new Map<string, CacheEntry>();
  private consecutiveFailures = 0;
  private openedAt: number | undefined;
  private trialInFlight = false;

  constructor(
    readonly settings: CareRecordConfig,
    options: CareRecordClientOptions = {},
  ) {
    this.fetch = options.fetch ?? ((input, init) => fetch(input, init));
    this.now = options.now ?? Date.now;
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
    this.random = options.random ?? Math.random;
    this.writeLog = options.log ?? ((event, fields) => log[careRecordLogLevel(fields.outcome)](event, fields));
  }

  /** One resource by id; undefined when the care record does not know it. Answers may come from the cache: do not change them. */
  async read<T extends Resource>(type: T['resourceType'], id: string): Promise<T | undefined> {
    return (await this.get(type, `${type}/${encodeURIComponent(id)}`, new URLSearchParams())) as T | undefined;
  }

  /** The matching resources of one type (the care record sends every match in one Bundle). */
  async search<T extends Resource>(type: T['resourceType'], params: Record<string, string>): Promise<T[]> {
    const bundle = (await this.get(type, type, new URLSearchParams(params))) as Bundle | undefined;
    if (!bundle || bundle.resourceType !== 'Bundle') throw this.unavailable(type, 'bad-response');
    return (bundle.entry ?? []).map((entry) => entry.resource).filter((resource): resource is T => resource?.resourceType === type);
  }

  /**
   * Writes one resource at the id we chose (PUT, update-as-create): sending the same twice
   * leaves one resource. One attempt (a new token once if ours is refused): whoever writes
   * keeps the work and tries again later (the outbox), so a write never waits here. Writes
   * are background work: they leave the circuit breaker, which protects pages, alone.
   * Returns whether the care record created it (201) rather than updated it.
   */
  async put(resource: Resource & { id: string }): Promise<{ created: boolean }> {
    const path = `${resource.resourceType}/${encodeURIComponent(resource.id)}`;
    const result = await this.exchange(resource.resourceType, 'update', `${this.settings.baseUrl}/${path}`, {
      method: 'PUT',
      body: JSON.stringify(resource),
    });
    if (result.kind === 'not-found') throw new CareRecordWriteFailed('refused', false, 404);
    // Whatever was cached for this type may now be out of date.
    for (const url of this.cache.keys()) if (url.startsWith(`${this.settings.baseUrl}/${resource.resourceType}`)) this.cache.delete(url);
    return { created: result.status === 201 };
  }

  /** One resource as the care record holds it now, never from the cache (to change it); undefined when it has none. */
  async readCurrent<T extends Resource>(type: T['resourceType'], id: string): Promise<T | undefined> {
    const result = await this.exchange(type, 'read-current', `${this.settings.baseUrl}/${type}/${encodeURIComponent(id)}`);
    return result.kind === 'ok' ? (result.body as T) : undefined;
  }

  /** One exchange for a write: token handling and timeout as for reads, no retries, cache or breaker. */
  private async exchange(type: ResourceType, interaction: string, url: string, init?: { method: string; body: string }) {
    const started = this.now();
    let result = await this.attempt(url, false, init);
    if (result.kind === 'failed' && result.status === 401) result = await this.attempt(url, true, init);
    const outcome = result.kind === 'ok' || result.kind === 'not-found' ? result.kind : result.reason;
    this.writeLog('care-record.call', { resourceType: type, interaction, ms: this.now() - started, outcome, status: result.status, attempts: 1 });
    if (result.kind === 'ok' || result.kind === 'not-found') return result;
    // A timeout may mean the care record is overloaded, but the write itself was sound: later.
    throw new CareRecordWriteFailed(result.reason, result.kind === 'retryable' || result.reason === 'timeout', result.status);
  }

  breakerState(): BreakerState {
    if (this.openedAt === undefined) return 'closed';
    return this.now() - this.openedAt >= this.settings.breakerCoolDownMs ? 'half-open' : 'open';
  }

  private async get(type: ResourceType, path: string, params: URLSearchParams): Promise<unknown> {
    const started = this.now();
    params.sort();
    const query = params.toString();
    const url = `${this.settings.baseUrl}/${path}${query ? `?${query}` : ''}`;
    const logCall = (fields: LogFields) =>
      this.writeLog('care-record.call', {
        resourceType: type,
        interaction: path === type ? 'search' : 'read',
        ms: this.now() - started,
        breaker: this.breakerState(),
        ...fields,
      });

    const cached = this.cache.get(url);
    if (cached && cached.expiresAt > this.now()) {
      logCall({ outcome: 'cache-hit', attempts: 0 });
      return cached.body;
    }
    this.cache.delete(url);

    const state = this.breakerState();
    // Half-open lets one trial call through; everyone else keeps failing fast until it answers.
    if (state === 'open' || (state === 'half-open' && this.trialInFlight)) {
      logCall({ outcome: 'circuit-open', attempts: 0 });
      throw new CareRecordUnavailable('circuit-open');
    }
    const isTrial = state === 'half-open';
    if (isTrial) this.trialInFlight = true;

    try {
      let attempts = 0;
      let renewedToken = false;
      for (;;) {
        attempts += 1;
        let result = await this.attempt(url, false);
        if (result.kind === 'failed' && result.status === 401 && !renewedToken) {
          // The care record may have forgotten our token (a restart); a new one once, then give up.
          renewedToken = true;
          result = await this.attempt(url, true);
        }
        if (result.kind === 'ok' || result.kind === 'not-found') {
          this.recordSuccess();
          if (result.kind === 'ok') this.remember(url, result.body);
          logCall({ outcome: result.kind, status: result.status, attempts });
          return result.kind === 'ok' ? result.body : undefined;
        }
        const retryIn = result.kind === 'retryable' ? this.retryDelay(attempts, result.retryAfterMs) : undefined;
        if (retryIn === undefined) {
          // Our own mistakes (400, 403) do not mean the care record is down, so they leave the breaker alone.
          if (result.reason !== 'refused') this.recordFailure();
          logCall({ outcome: result.reason, status: result.status, attempts });
          throw new CareRecordUnavailable(result.reason);
        }
        await this.sleep(retryIn);
      }
    } finally {
      if (isTrial) this.trialInFlight = false;
    }
  }

  /** Exponential backoff with full jitter; undefined when no retry is left or the care record asks us to wait too long. */
  private retryDelay(attempts: number, retryAfterMs: number | undefined): number | undefined {
    if (attempts > this.settings.retries) return undefined;
    if (retryAfterMs !== undefined) return retryAfterMs <= this.settings.maxRetryAfterMs ? retryAfterMs : undefined;
    return Math.round(this.random() * this.settings.backoffMs * 2 ** (attempts - 1));
  }

  private async attempt(url: string, renewToken: boolean, init?: { method: string; body: string }): Promise<Attempt> {
    let token: string;
    try {
      token = await this.accessToken(renewToken);
    } catch (error) {
      // No status here: a refused client assertion is not a stale token, so it is not worth a second try.
      if (error instanceof TokenRefused) return { kind: 'failed', reason: 'refused' };
      return failure(error);
    }
    try {
      return await this.withTimeout(async (signal) => {
        const headers: Record<string, string> = { accept: FHIR_JSON, authorization: `Bearer ${token}` };
        if (init) headers['content-type'] = FHIR_JSON;
        const response = await this.fetch(url, { ...init, headers, signal });
        if (response.ok) return { kind: 'ok', status: response.status, body: await response.json() } as const;
        await response.body?.cancel();
        if (response.status === 401) this.token = undefined;
        if (response.status === 404) return { kind: 'not-found', status: 404 } as const;
        if (response.status === 429) return { kind: 'retryable', reason: 'rate-limited', status: 429, retryAfterMs: retryAfter(response, this.now()) } as const;
        if (response.status >= 500)
          return { kind: 'retryable', reason: 'server-error', status: response.status, retryAfterMs: retryAfter(response, this.now()) } as const;
        return { kind: 'failed', reason: 'refused', status: response.status } as const;
      });
    } catch (error) {
      return failure(error);
    }
  }

  private async accessToken(renew: boolean): Promise<string> {
    const known = this.token;
    if (known && !renew) {
      const current = await known.catch(() => undefined);
      if (current && current.refreshAt > this.now()) return current.value;
    }
    // Callers that found the same stale token share one new request.
    if (this.token === known) this.token = this.requestToken();
    const request = this.token!;
    try {
      return (await request).value;
    } catch (error) {
      if (this.token === request) this.token = undefined;
      throw error;
    }
  }

  private async requestToken(): Promise<AccessToken> {
    const { clientId, tokenUrl, scope } = this.settings;
    const assertion = await clientAssertion({ clientId, tokenEndpoint: tokenUrl, key: this.settings.clientKey(), now: new Date(this.now()) });
    const started = this.now();
    const answer = await this.withTimeout(async (signal) => {
      const response = await this.fetch(tokenUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
        body: new URLSearchParams({ grant_type: 'client_credentials', client_assertion_type: CLIENT_ASSERTION_TYPE, client_assertion: assertion, scope }),
        signal,
      });
      return { status: response.status, body: (await response.json().catch(() => undefined)) as { access_token?: unknown; expires_in?: unknown } | undefined };
    });
    const outcome = answer.status === 200 ? 'ok' : answer.status >= 500 ? 'server-error' : 'refused';
    this.writeLog('care-record.token', { outcome, status: answer.status, ms: this.now() - started });
    if (answer.status >= 500) throw new TokenServerError();
    if (answer.status !== 200) throw new TokenRefused(answer.status);
    const { access_token: value, expires_in: expiresIn } = answer.body ?? {};
    if (typeof value !== 'string' || typeof expiresIn !== 'number') throw new TokenRefused(answer.status);
    // Renew a little early (30 s, or half a short lifetime) so that no token expires in flight.
    return { value, refreshAt: this.now() + expiresIn * 1000 - Math.min(TOKEN_REFRESH_MARGIN_MS, expiresIn * 500) };
  }

  /** The timeout covers the whole exchange, body included: a care record can stall mid-answer. */
  private async withTimeout<T>(exchange: (signal: AbortSignal) => Promise<T>): Promise<T> {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(new CallTimedOut()), this.settings.timeoutMs);
    try {
      return await exchange(controller.signal);
    } finally {
      clearTimeout(timer);
    }
  }

  private remember(url: string, body: unknown) {
    if (this.settings.cacheSeconds <= 0) return;
    // Oldest first: Map keeps insertion order, so the first key is the one to drop.
    while (this.cache.size >= this.settings.cacheEntries) this.cache.delete(this.cache.keys().next().value!);
    this.cache.set(url, { expiresAt: this.now() + this.settings.cacheSeconds * 1000, body });
  }

  private recordSuccess() {
    this.consecutiveFailures = 0;
    this.openedAt = undefined;
  }

  private recordFailure() {
    this.consecutiveFailures += 1;
    // A failed trial reopens at once; otherwise open after enough failures in a row.
    if (this.openedAt !== undefined || this.consecutiveFailures >= this.settings.breakerFailures) this.openedAt = this.now();
  }

  private unavailable(type: ResourceType, reason: UnavailableReason): CareRecordUnavailable {
    this.writeLog('care-record.call', { resourceType: type, outcome: reason, breaker: this.breakerState() });
    return new CareRecordUnavailable(reason);
  }
}

class CallTimedOut extends Error {}
class TokenServerError extends Error {}
class TokenRefused extends Error {
  constructor(status: number) {
    super(`The care record refused our client credentials (${status})`);
  }
}

function failure(error: unknown): Attempt {
  // A timeout is not retried: a care record that is that slow is usually overloaded, and
  // retrying would add to its load and multiply the citizen's wait.
  if (error instanceof CallTimedOut || (error instanceof Error && error.name === 'AbortError')) return { kind: 'failed', reason: 'timeout' };
  if (error instanceof TokenServerError) return { kind: 'retryable', reason: 'server-error' };
  if (error instanceof SyntaxError) return { kind: 'failed', reason: 'bad-response' };
  if (error instanceof TypeError) return { kind: 'retryable', reason: 'network' };
  throw error;
}

/** Retry-After in seconds or as an HTTP date, in ms from now. */
function retryAfter(response: Response, now: number): number | undefined {
  const value = response.headers.get('retry-after');
  if (!value) return undefined;
  const ms = /^\d+$/.test(value) ? Number(value) * 1000 : Date.parse(value) - now;
  return Number.isFinite(ms) ? Math.max(0, ms) : undefined;
}

let shared: CareRecordClient | undefined;

/** The process's client, so the token, cache and breaker are shared by every page. */
export function careRecordClient(): CareRecordClient {
  shared ??= new CareRecordClient(config().careRecord);
  return shared;
}
