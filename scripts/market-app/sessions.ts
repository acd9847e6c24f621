/**
 * The diary's sessions, in memory: a random id in an HttpOnly, SameSite=Lax cookie, and on the
 * server the person's CSRF token, a message for their next page, and fhirclient's storage (the
 * launch state, then the access and refresh tokens and the patient id). Nothing survives a
 * restart: after one, people connect again.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';

const COOKIE = 'bp_diary_session';

export type Session = {
  id: string;
  csrfToken: string;
  /** fhirclient's keys and values (see `fhirclientStorage`). */
  smart: Map<string, unknown>;
  /** True once the PHR has given the app a token for a patient. */
  connected: boolean;
  /** The person's name, as their record has it, to show whose readings these are. */
  name?: string;
  /** Shown once, on the next page. */
  message?: string;
  /** A very high reading just added: its advice is shown once, on the next page. */
  veryHigh?: { systolic: number; diastolic: number };
  lastUsed: number;
  /** The session's work with the PHR, one task at a time (see `oneAtATime`). */
  queue: Promise<unknown>;
};

export type SessionStore = ReturnType<typeof createSessionStore>;

export function createSessionStore(options: {
  idleMinutes?: number;
  secureCookies: boolean;
  now?: () => number;
  /** Called with each session that timed out, before it is forgotten. */
  onTimeout?: (session: Session) => void;
}) {
  const idleMs = (options.idleMinutes ?? 30) * 60_000;
  const now = options.now ?? Date.now;
  const sessions = new Map<string, Session>();
  const sweeper = setInterval(sweep, 60_000);
  sweeper.unref();

  const setCookie = (res: ServerResponse, value: string, maxAgeSeconds?: number) =>
    res.appendHeader(
      'set-cookie',
      `${COOKIE}=${value}; Path=/; HttpOnly; SameSite=Lax${options.secureCookies ? '; Secure' : ''}${maxAgeSeconds === undefined ? '' : `; Max-Age=${maxAgeSeconds}`}`,
    );
  const newId = () => randomBytes(32).toString('base64url');

  function sweep() {
    for (const [id, session] of sessions) {
      if (now() - session.lastUsed <= idleMs) continue;
      sessions.delete(id);
      options.onTimeout?.(session);
    }
  }

  return {
    /** The request's session, if it has one that has not timed out. */
    find(req: IncomingMessage): Session | undefined {
      sweep();
      const id = cookieValue(req.headers.cookie, COOKIE);
      const session = id ? sessions.get(id) : undefined;
      if (session) session.lastUsed = now();
      return session;
    },
    start(res: ServerResponse, message?: string): Session {
      const session: Session = {
        id: newId(),
        csrfToken: randomBytes(32).toString('base64url'),
        smart: new Map(),
        connected: false,
        message,
        lastUsed: now(),
        queue: Promise.resolve(),
      };
      sessions.set(session.id, session);
      setCookie(res, session.id);
      return session;
    },
    /** A new id for the same session, when the person connects: an id known before then is no use to anyone. */
    renew(session: Session, res: ServerResponse) {
      sessions.delete(session.id);
      session.id = newId();
      session.csrfToken = randomBytes(32).toString('base64url');
      sessions.set(session.id, session);
      setCookie(res, session.id);
    },
    end(session: Session, res: ServerResponse) {
      sessions.delete(session.id);
      session.smart.clear();
      session.connected = false;
      session.name = undefined;
      setCookie(res, '', 0);
    },
    size: () => sessions.size,
    sweep,
    stop: () => clearInterval(sweeper),
  };
}

/** The message for this page, once. */
export function takeMessage(session: Session): string | undefined {
  const { message } = session;
  session.message = undefined;
  return message;
}

export function takeVeryHigh(session: Session): Session['veryHigh'] {
  const { veryHigh } = session;
  session.veryHigh = undefined;
  return veryHigh;
}

export function csrfMatches(session: Session, submitted: string | null): boolean {
  const expected = Buffer.from(session.csrfToken);
  const given = Buffer.from(submitted ?? '');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/** The storage fhirclient keeps its state in (its default expects an Express-style req.session). */
export function fhirclientStorage(session: Session) {
  return {
    get: async (key: string) => session.smart.get(key),
    set: async (key: string, value: unknown) => {
      session.smart.set(key, value);
      return value;
    },
    unset: async (key: string) => session.smart.delete(key),
  };
}

/**
 * Runs a session's work with the PHR one task at a time. Refresh tokens rotate: two pages loaded
 * at once would both spend the same refresh token, and an authorisation server may treat a
 * spent one coming back as stolen and end the connection (as RFC 9700 advises).
 */
export function oneAtATime<T>(session: Session, task: () => Promise<T>): Promise<T> {
  const run = session.queue.then(task, task);
  session.queue = run.catch(() => undefined);
  return run;
}

function cookieValue(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const [key, ...value] = part.trim().split('=');
    if (key === name) return value.join('=');
  }
  return undefined;
}
