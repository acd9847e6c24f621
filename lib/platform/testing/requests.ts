import { csrfState } from '../csrf';

/** A browser's CSRF cookie and the token our forms would carry for it. */
export function browserCsrf(): { cookie: string; token: string } {
  const state = csrfState(new Request('http://localhost:3000/'));
  return { cookie: state.setCookie!.split(';')[0]!, token: state.token };
}

/** A form post as a browser on one of our pages would send it. */
export function formPost(
  path: string,
  fields: Record<string, string | string[]>,
  options: { csrf?: { cookie: string; token: string } | null; headers?: Record<string, string>; body?: BodyInit } = {},
): Request {
  const csrf = options.csrf === undefined ? browserCsrf() : options.csrf;
  const params = new URLSearchParams();
  if (csrf) params.append('_csrf', csrf.token);
  for (const [name, value] of Object.entries(fields)) {
    for (const one of Array.isArray(value) ? value : [value]) params.append(name, one);
  }
  return new Request(`http://localhost:3000${path}`, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      origin: 'http://localhost:3000',
      ...(csrf ? { cookie: csrf.cookie } : {}),
      ...options.headers,
    },
    body: options.body ?? params.toString(),
  });
}
