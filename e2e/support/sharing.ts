import { randomBytes } from 'node:crypto';
import type { Browser, BrowserContext, Page } from '@playwright/test';
import Database from 'better-sqlite3';
import { encode } from 'next-auth/jwt';
import { BASE_URL, DATABASE_FILE } from './site';

/**
 * For the sharing and access-control specs: citizens, their contributions and signed-in
 * sessions made straight in the e2e database (signing every actor in through the providers
 * would be slow), and the audit entries read back. Sessions are real rows and real cookies,
 * checked by the app exactly as after a sign-in.
 */

// scripts/e2e-server.sh gives the app this secret; the app runs in production mode, so its cookies are __Host- prefixed.
const APP_SECRET = 'e2e-only-secret-never-used-outside-tests-0123456789';
const SESSION_COOKIE = '__Host-phr_auth';

function open(): Database.Database {
  const db = new Database(DATABASE_FILE, { fileMustExist: true });
  db.pragma('busy_timeout = 5000');
  return db;
}

function write<T>(work: (db: Database.Database) => T): T {
  const db = open();
  try {
    return work(db);
  } finally {
    db.close();
  }
}

/** As Prisma keeps DateTime in SQLite. */
const stamp = (at: Date) => at.toISOString().replace('Z', '+00:00');
const newId = (prefix: string) => `${prefix}${randomBytes(12).toString('hex')}`;

export type TestCitizen = { id: string; givenName: string; familyName: string; birthDate: string; nhsNumber: string | null };

/**
 * People in the demo care record (scripts/care-record/generate.ts), so the relationship check finds them:
 * Amelia (GP practice ZZ0001; the community trust ZZ0002 is in her care team) and Farah (GP practice ZZ0001 only).
 */
export const CARE_RECORD_PEOPLE = {
  amelia: { givenName: 'Amelia', familyName: 'Testwell', birthDate: '1984-03-17', nhsNumber: '9990012377' },
  farah: { givenName: 'Farah', familyName: 'Newbury', birthDate: '1968-09-05', nhsNumber: '9990050007' },
} as const;

/**
 * A registered citizen of our own. Tests run in parallel against one database, so each test
 * makes its own account (several accounts may share one care-record person, as the same person
 * signing in with two providers does).
 */
export function createCitizen(
  person: keyof typeof CARE_RECORD_PEOPLE | Omit<TestCitizen, 'id'>,
  { registered = true }: { registered?: boolean } = {},
): TestCitizen {
  const details = typeof person === 'string' ? CARE_RECORD_PEOPLE[person] : person;
  const citizen = { id: newId('e2e'), ...details };
  // Still registering: signed in, with neither terms agreed nor an account created yet.
  const registeredAt = registered ? stamp(new Date()) : null;
  write((db) =>
    db
      .prepare(
        'INSERT INTO "User" (id, "createdAt", "givenName", "familyName", "birthDate", "nhsNumber", "identityLevel", "registeredAt", "consentVersion", "consentedAt") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
      )
      .run(
        citizen.id,
        stamp(new Date()),
        citizen.givenName,
        citizen.familyName,
        citizen.birthDate,
        citizen.nhsNumber,
        'P9',
        registeredAt,
        registered ? '1' : null,
        registeredAt,
      ),
  );
  return citizen;
}

export type Cookie = { name: string; value: string; url: string };

async function sessionCookie(sid: string, sub: string, provider: string): Promise<Cookie> {
  const value = await encode({ token: { sid, sub, provider }, secret: APP_SECRET, maxAge: 3600 });
  return { name: SESSION_COOKIE, value, url: BASE_URL };
}

/**
 * A signed-in citizen's session cookie. `actingForId`: the session is acting for someone else under
 * that access (lib/proxy), as after choosing "Act for" them.
 */
export async function citizenSession(citizen: Pick<TestCitizen, 'id'>, options: { actingForId?: string } = {}): Promise<Cookie> {
  const sid = randomBytes(32).toString('base64url');
  const now = new Date();
  const actingSince = options.actingForId ? stamp(now) : null;
  write((db) =>
    db
      .prepare(
        'INSERT INTO "Session" (id, "userId", provider, "idToken", "sharedDevice", "idleSeconds", "createdAt", "lastSeenAt", "absoluteExpiresAt", "deviceKind", "actingForId", "actingSince") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
      )
      .run(
        sid,
        citizen.id,
        'nhslogin',
        'e2e-id-token',
        0,
        1800,
        stamp(now),
        stamp(now),
        stamp(new Date(now.getTime() + 3_600_000)),
        'computer',
        options.actingForId ?? null,
        actingSince,
      ),
  );
  return sessionCookie(sid, citizen.id, 'nhslogin');
}

/** What a ProxyAccess row says (prisma/schema.prisma); `permissions` as lib/proxy/permissions.ts stores them. */
export type TestProxyAccess = { permissions: readonly string[]; basis?: string; status?: string; endsAt?: Date | null; endedReason?: string | null };

/** An access for `proxy` to act for `person`, as one accepted (or ended) leaves it. Its id. */
export function createProxyAccess(person: TestCitizen, proxy: TestCitizen, access: TestProxyAccess): string {
  const id = newId('pa');
  const now = new Date();
  write((db) =>
    db
      .prepare(
        'INSERT INTO "ProxyAccess" (id, "personId", "proxyId", basis, status, permissions, "createdAt", "acceptedAt", "endsAt", "endedAt", "endedReason") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
      )
      .run(
        id,
        person.id,
        proxy.id,
        access.basis ?? 'invited',
        access.status ?? 'active',
        access.permissions.join(','),
        stamp(now),
        stamp(now),
        access.endsAt ? stamp(access.endsAt) : null,
        access.status === 'ended' ? stamp(now) : null,
        access.endedReason ?? null,
      ),
  );
  return id;
}

/** The proxies' own accounts: proven adults with no care record of their own. */
const PROXY_PERSON = { givenName: 'Carer', familyName: 'Helpwell', birthDate: '1975-06-01', nhsNumber: null };

/**
 * Someone signed in and acting for `person`: a new registered proxy of their own, an access as
 * given (every field a real one would have), and a session acting under it.
 */
export async function actingSession(person: TestCitizen, access: TestProxyAccess): Promise<{ session: Cookie; proxy: TestCitizen; accessId: string }> {
  const proxy = createCitizen(PROXY_PERSON);
  const accessId = createProxyAccess(person, proxy, access);
  return { session: await citizenSession(proxy, { actingForId: accessId }), proxy, accessId };
}

/** The demo staff directory's people (scripts/oidc-provider/users.ts). */
export const STAFF = {
  grace: {
    subject: 'demo-staff-0001',
    givenName: 'Grace',
    familyName: 'Practiceton',
    code: 'ZZ0001',
    name: 'Demo Lane Surgery',
    jobRole: 'General Practitioner',
    roles: 'care-professional',
  },
  omar: {
    subject: 'demo-staff-0002',
    givenName: 'Omar',
    familyName: 'Wardsworth',
    code: 'ZZ0002',
    name: 'Demo Community Health Trust',
    jobRole: 'Community Nurse',
    roles: 'care-professional',
  },
  priya: {
    subject: 'demo-staff-0003',
    givenName: 'Priya',
    familyName: 'Connector',
    code: 'ZZ0003',
    name: 'Demo City Council',
    jobRole: 'Engagement Coordinator',
    roles: 'engagement-coordinator',
  },
  sam: {
    subject: 'demo-staff-0004',
    givenName: 'Sam',
    familyName: 'Adminson',
    code: 'ZZ0003',
    name: 'Demo City Council',
    jobRole: 'Programme Administrator',
    roles: 'programme-admin',
  },
  vera: {
    subject: 'demo-staff-0005',
    givenName: 'Vera',
    familyName: 'Checkley',
    code: 'ZZ0001',
    name: 'Demo Lane Surgery',
    jobRole: 'Practice Manager',
    roles: 'proxy-verifier',
  },
} as const;

export type StaffKey = keyof typeof STAFF;

/** A signed-in member of staff's session cookie. Each call is a new session (and, by default, the person's own subject). */
export async function staffSession(who: StaffKey, subject: string = STAFF[who].subject): Promise<Cookie> {
  const member = STAFF[who];
  const sid = randomBytes(32).toString('base64url');
  const now = new Date();
  write((db) =>
    db
      .prepare(
        'INSERT INTO "StaffSession" (id, subject, "givenName", "familyName", "organisationCode", "organisationName", "jobRole", roles, "idToken", "idleSeconds", "createdAt", "lastSeenAt", "absoluteExpiresAt") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
      )
      .run(
        sid,
        subject,
        member.givenName,
        member.familyName,
        member.code,
        member.name,
        member.jobRole,
        member.roles,
        'e2e-id-token',
        1800,
        stamp(now),
        stamp(now),
        stamp(new Date(now.getTime() + 3_600_000)),
      ),
  );
  return sessionCookie(sid, subject, 'staff');
}

/** Puts a session cookie in a browser context, as the app sets it after a sign-in. */
export async function signedIn(context: BrowserContext, cookie: Cookie): Promise<void> {
  await context.addCookies([{ name: cookie.name, value: cookie.value, domain: 'localhost', path: '/', secure: true, httpOnly: true, sameSite: 'Lax' }]);
}

/** A browser of the member of staff's own, signed in (a test's `page` is usually the citizen's). Close its context after. */
export async function staffBrowser(browser: Browser, who: StaffKey, javaScriptEnabled: boolean): Promise<Page> {
  const context = await browser.newContext({ baseURL: BASE_URL, javaScriptEnabled });
  await signedIn(context, await staffSession(who));
  return context.newPage();
}

/** The cookie header for Playwright's request API. */
export const cookieHeader = (cookie: Cookie) => ({ cookie: `${cookie.name}=${cookie.value}` });

/** What the citizen adds (as the about-me and blood-pressure pages store it); the ids of the rows made, for pages with an id in their address. */
export function addContributions(
  citizen: TestCitizen,
  what: {
    topThree?: { title: string; description: string }[];
    conditions?: string[];
    formats?: string;
    interpreterLanguage?: string;
    readings?: { daysAgo: number; systolic: number; diastolic: number }[];
    finishedWeek?: { startedOn: string; endsOn: string; systolic: number; diastolic: number; result: string };
  },
): { conditions: string[]; readings: string[]; finishedWeek: string | null } {
  const now = new Date();
  const made = { conditions: [] as string[], readings: [] as string[], finishedWeek: null as string | null };
  write((db) => {
    if (what.topThree)
      db.prepare('INSERT INTO "TopThingsVersion" (id, "userId", "createdAt", items) VALUES (?, ?, ?, ?)').run(
        newId('tt'),
        citizen.id,
        stamp(now),
        JSON.stringify(what.topThree),
      );
    for (const name of what.conditions ?? []) {
      const id = newId('ltc');
      db.prepare('INSERT INTO "LongTermCondition" (id, "userId", "addedAt", code, name) VALUES (?, ?, ?, ?, ?)').run(id, citizen.id, stamp(now), null, name);
      made.conditions.push(id);
    }
    if (what.formats) {
      db.prepare('INSERT INTO "CommunicationNeeds" ("userId", "updatedAt", formats, "interpreterLanguage") VALUES (?, ?, ?, ?)').run(
        citizen.id,
        stamp(now),
        what.formats,
        what.interpreterLanguage ?? null,
      );
    }
    for (const reading of what.readings ?? []) {
      const at = new Date(now.getTime() - reading.daysAgo * 86_400_000 - 3_600_000);
      const id = newId('bp');
      db.prepare(
        'INSERT INTO "BloodPressureReading" (id, "userId", "createdAt", "updatedAt", "measuredAt", systolic, diastolic, pulse, arm, sitting) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
      ).run(id, citizen.id, stamp(now), stamp(now), stamp(at), reading.systolic, reading.diastolic, 72, 'left', 1);
      made.readings.push(id);
    }
    // A home-monitoring week as the service keeps one once it has ended (lib/blood-pressure/weeks.ts).
    const week = what.finishedWeek;
    if (week) {
      made.finishedWeek = newId('week');
      db.prepare(
        'INSERT INTO "HomeMonitoringWeek" (id, "userId", "createdAt", "startedOn", "endsOn", "endedEarly", "finishedAt", result, systolic, diastolic, "readingCount", "daysThatCount", readings) VALUES (?, ?, ?, ?, ?, 0, ?, ?, ?, ?, 24, 6, ?)',
      ).run(made.finishedWeek, citizen.id, stamp(now), week.startedOn, week.endsOn, stamp(now), week.result, week.systolic, week.diastolic, '[]');
    }
  });
  return made;
}

export type StoredAuditEntry = { seq: number; action: string; category: string | null; actorId: string; actorName: string | null; reason: string | null };

export function auditEntriesFor(citizenId: string): StoredAuditEntry[] {
  const db = new Database(DATABASE_FILE, { readonly: true, fileMustExist: true });
  try {
    return db
      .prepare('SELECT seq, action, category, "actorId", "actorName", reason FROM "AuditEntry" WHERE "citizenId" = ? ORDER BY seq')
      .all(citizenId) as StoredAuditEntry[];
  } finally {
    db.close();
  }
}

export function sharingRows(citizenId: string): { category: string; shared: number }[] {
  const db = new Database(DATABASE_FILE, { readonly: true, fileMustExist: true });
  try {
    return db.prepare('SELECT category, shared FROM "SharingConsent" WHERE "userId" = ?').all(citizenId) as { category: string; shared: number }[];
  } finally {
    db.close();
  }
}
