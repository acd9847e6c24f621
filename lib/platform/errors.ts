/** An error that ends a request with a given 4xx/5xx status and its own page. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly reason: string,
  ) {
    super(reason);
    this.name = 'HttpError';
  }
}

/** Thrown when a service we depend on (the database, for one) cannot be reached. */
export class ServiceUnavailableError extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = 'ServiceUnavailableError';
  }
}

/**
 * Refuses a request as "Page not found": the one way a handler refuses (pageRoute turns every
 * HttpError into its GOV.UK-pattern page and logs it). Used for ids that are not the person's own.
 */
export function notFound(reason = 'not-found'): never {
  throw new HttpError(404, reason);
}
