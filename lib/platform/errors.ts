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
