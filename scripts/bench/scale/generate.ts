// Fills a migrated, empty PostgreSQL database with a city's worth of rows, set-based: every
// table from generate_series and cheap deterministic hashes (hashint8extended), so the same
// scale always gives the same database and nothing is sent row by row from Node.
//
// Per citizen i (1..N) a helper table, bench.citizen, holds what several tables must agree on
// (when they joined, whether registered, how many readings, their care-record link), and
// bench.cid(i) gives their id anywhere without a join. Rows are inserted in the order time
// would have written them (readings week by week, sessions and audit entries by time), so
// the heap is laid out as production's would be: a citizen's readings are spread over the
// table, not side by side.
//
// Speed: while loading, foreign keys are not checked (session_replication_role = replica:
// every reference is made from the same formulas) and the big tables' secondary indexes are
// dropped and built again afterwards, which is several times quicker than keeping them up to
// date row by row. Independent tables load on two connections at once.
import pg from 'pg';
import { LISTED_CONDITIONS } from '@/lib/about-me/public';
import { ACTIVE_DAYS_ROLLUP } from '@/lib/reporting/rollup';
import { ACTIVITIES_PER_ORGANISATION, BANK_QUESTIONS, ORGANISATIONS, OUTBOX_BACKLOG, QUESTIONS_PER_ACTIVITY } from './sizes';

/** Bumped whenever the generated rows change, so that a kept database from an older generator is made again. */
export const GENERATOR_VERSION = 1;

const DAY = 86_400;

/** Tables big enough that building their indexes once, after loading, is worth it. */
const BIG_TABLES = [
  'BloodPressureReading',
  'BloodPressureReadingChange',
  'OutboxMessage',
  'AuditEntry',
  'Session',
  'SignInEvent',
  'UserActiveDay',
  'UserActiveMonth',
  'EngagementInvitation',
  'EngagementResponse',
  'EngagementAnswer',
];

type Step = { name: string; sql: string };
/** Steps run one after another on one connection; chains run side by side. */
type Chain = Step[];

const sqlText = (text: string) => `'${text.replace(/'/g, "''")}'`;
const sqlArray = (items: readonly string[]) => `ARRAY[${items.map(sqlText).join(', ')}]`;

const GIVEN_NAMES = [
  'Olivia',
  'Amelia',
  'Isla',
  'Ava',
  'Mia',
  'Sophia',
  'Grace',
  'Lily',
  'Freya',
  'Emily',
  'Ivy',
  'Ella',
  'Rosie',
  'Evie',
  'Florence',
  'Poppy',
  'Charlotte',
  'Willow',
  'Aisha',
  'Fatima',
  'Margaret',
  'Susan',
  'Patricia',
  'Jean',
  'Maryam',
  'Zainab',
  'Agnieszka',
  'Priya',
  'Oliver',
  'George',
  'Noah',
  'Arthur',
  'Harry',
  'Leo',
  'Muhammad',
  'Jack',
  'Charlie',
  'Oscar',
  'Jacob',
  'Henry',
  'Thomas',
  'Freddie',
  'Alfie',
  'Theo',
  'William',
  'Theodore',
  'Archie',
  'Joshua',
  'Alexander',
  'James',
  'David',
  'John',
  'Michael',
  'Peter',
  'Ibrahim',
  'Yusuf',
  'Tomasz',
  'Kwame',
  'Sanjay',
  'Daniel',
];
const FAMILY_NAMES = [
  'Smith',
  'Jones',
  'Taylor',
  'Brown',
  'Williams',
  'Wilson',
  'Johnson',
  'Davies',
  'Patel',
  'Robinson',
  'Wright',
  'Thompson',
  'Evans',
  'Walker',
  'White',
  'Roberts',
  'Green',
  'Hall',
  'Thomas',
  'Clarke',
  'Jackson',
  'Wood',
  'Harris',
  'Edwards',
  'Turner',
  'Martin',
  'Cooper',
  'Hill',
  'Ward',
  'Hughes',
  'Moore',
  'Clark',
  'King',
  'Harrison',
  'Lewis',
  'Baker',
  'Lee',
  'Allen',
  'Morris',
  'Khan',
  'Scott',
  'Watson',
  'Davis',
  'Parker',
  'James',
  'Bennett',
  'Young',
  'Phillips',
  'Richardson',
  'Mitchell',
  'Bailey',
  'Carter',
  'Cook',
  'Singh',
  'Shaw',
  'Bell',
  'Collins',
  'Morgan',
  'Kelly',
  'Begum',
  'Ahmed',
  'Hussain',
  'Ali',
  'Kowalski',
  'Nowak',
  "O'Brien",
  'Murphy',
  'Mensah',
  'Okafor',
  'Sharma',
  'Atkinson',
  'Barker',
  'Holmes',
  'Lister',
  'Ackroyd',
  'Hepworth',
  'Sutcliffe',
  'Greenwood',
  'Haigh',
  'Firth',
];
const STAFF_ROLES = ['General practitioner', 'Practice nurse', 'Community nurse', 'Consultant', 'Pharmacist', 'Social worker', 'Healthcare assistant'];
const OWN_WORDS_CONDITIONS = ['Long COVID', 'Fibromyalgia', 'Endometriosis', 'Tinnitus', 'Sleep apnoea', 'Hearing loss', 'Coeliac disease'];
const TOPICS = ['gp-services', 'hospital-care', 'mental-health', 'long-term-conditions', 'social-care', 'healthy-living', 'transport', 'digital'];
const METHODS = ['online-survey', 'workshop', 'interview', 'paper'];
const CATEGORIES = ['top-three', 'conditions', 'communication', 'blood-pressure'];
const AUDIENCE_CODES = ['73211009', '195967001', '38341003', '13645005', '35489007', '56265001'];

/** The helper functions every step uses: uniform numbers from hashes, and ids from numbers. */
function functionsSql(): string {
  return `
    CREATE SCHEMA IF NOT EXISTS bench;
    -- A uniform number in [0, 1) from (n, salt): the same every time.
    CREATE OR REPLACE FUNCTION bench.r(n bigint, salt integer) RETURNS double precision
      LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $f$ SELECT (hashint8extended(n, salt) & 9007199254740991)::float8 / 9007199254740992.0 $f$;
    -- A whole number in [0, m).
    CREATE OR REPLACE FUNCTION bench.k(n bigint, salt integer, m integer) RETURNS integer
      LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $f$ SELECT floor(bench.r(n, salt) * m)::integer $f$;
    CREATE OR REPLACE FUNCTION bench.ts(epoch double precision) RETURNS timestamp
      LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $f$ SELECT TIMESTAMP 'epoch' + epoch * interval '1 second' $f$;
    -- Citizen i's id: 25 characters, like Prisma's cuid().
    CREATE OR REPLACE FUNCTION bench.cid(i bigint) RETURNS text
      LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $f$ SELECT 'cu' || lpad(to_hex(i), 8, '0') || substr(md5('u' || i), 1, 15) $f$;
    CREATE OR REPLACE FUNCTION bench.aid(a integer) RETURNS text
      LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $f$ SELECT 'ca' || lpad(a::text, 23, '0') $f$;
    CREATE OR REPLACE FUNCTION bench.qid(q integer) RETURNS text
      LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $f$ SELECT 'cq' || lpad(q::text, 23, '0') $f$;
    CREATE OR REPLACE FUNCTION bench.day(t timestamp) RETURNS text
      LANGUAGE sql STABLE PARALLEL SAFE AS $f$ SELECT to_char((t AT TIME ZONE 'UTC') AT TIME ZONE 'Europe/London', 'YYYY-MM-DD') $f$;
    CREATE OR REPLACE FUNCTION bench.iso(t timestamp) RETURNS text
      LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $f$ SELECT to_char(t, 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') $f$;
    CREATE OR REPLACE FUNCTION bench.given(n bigint) RETURNS text
      LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $f$ SELECT (${sqlArray(GIVEN_NAMES)})[1 + bench.k(n, 101, ${GIVEN_NAMES.length})] $f$;
    CREATE OR REPLACE FUNCTION bench.family(n bigint) RETURNS text
      LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $f$ SELECT (${sqlArray(FAMILY_NAMES)})[1 + bench.k(n, 102, ${FAMILY_NAMES.length})] $f$;
    CREATE OR REPLACE FUNCTION bench.postcode(n bigint) RETURNS text
      LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $f$
        SELECT 'LS' || (1 + bench.k(n, 103, 29)) || ' ' || bench.k(n, 104, 10) || chr(65 + bench.k(n, 105, 26)) || chr(65 + bench.k(n, 106, 26)) $f$;
    CREATE TABLE IF NOT EXISTS bench.meta (key text PRIMARY KEY, value text NOT NULL);
  `;
}

/** bench.citizen: what every table must agree on about citizen i. */
function citizensSql(citizens: number, now: number): string {
  return `
    DROP TABLE IF EXISTS bench.citizen;
    CREATE TABLE bench.citizen AS
    SELECT i, bench.cid(i) AS id, created_at, registered, provider, readings,
      (readings + 1) / 2 AS np,
      bench.r(i, 6) AS off,
      st,
      (${now - 600} - st) / greatest(1, (readings + 1) / 2) AS d,
      112 + bench.k(i, 20, 35) AS base,
      CASE WHEN NOT registered THEN NULL WHEN link < 0.6375 THEN 'matched' WHEN link < 0.7275 THEN 'no-match' WHEN link < 0.75 THEN 'several-matches' END AS link,
      registered AND bench.r(i, 8) < 0.55 AS has_preference,
      registered AND bench.r(i, 8) < 0.55 * 0.85 AS wants_invitations
    FROM (
      SELECT i,
        bench.ts(${now - 730 * DAY} + (i::float8 / ${citizens}) * ${720 * DAY}) AS created_at,
        ${now - 730 * DAY} + (i::float8 / ${citizens}) * ${720 * DAY} AS created_epoch,
        bench.r(i, 2) >= 0.02 AS registered,
        CASE WHEN bench.r(i, 3) < 0.6 THEN 'nhslogin' ELSE 'onelogin' END AS provider,
        bench.r(i, 7) AS link
      FROM generate_series(1, ${citizens}) i
    ) c
    CROSS JOIN LATERAL (SELECT CASE WHEN NOT c.registered OR bench.r(i, 4) < 0.2 THEN 0 ELSE bench.k(i, 5, 256) END AS readings) r
    CROSS JOIN LATERAL (SELECT greatest(c.created_epoch, ${now - 365 * DAY}) + 3600 AS st) s;
    CREATE UNIQUE INDEX ON bench.citizen (id);
    CREATE UNIQUE INDEX ON bench.citizen (i);
    ANALYZE bench.citizen;
  `;
}

function usersSql(): Step[] {
  return [
    {
      name: 'User',
      sql: `
        INSERT INTO "User" (id, "createdAt", "givenName", "familyName", "birthDate", "nhsNumber", "verifiedPostcode", "identityLevel", "registeredAt", "consentVersion", "consentedAt")
        SELECT id, created_at, bench.given(i), bench.family(i), to_char(DATE '1932-01-01' + bench.k(i, 12, 26500), 'YYYY-MM-DD'),
          CASE WHEN provider = 'nhslogin' THEN (9000000000 + i * 13)::text END,
          CASE WHEN provider = 'onelogin' AND bench.r(i, 13) < 0.9 THEN bench.postcode(i) END,
          CASE WHEN provider = 'nhslogin' THEN 'P9' ELSE 'P2' END,
          CASE WHEN registered THEN created_at + interval '4 minutes' END,
          CASE WHEN registered THEN '2026-11' END,
          CASE WHEN registered THEN created_at + interval '4 minutes' END
        FROM bench.citizen ORDER BY i`,
    },
    {
      name: 'UserIdentity',
      sql: `
        INSERT INTO "UserIdentity" (id, "createdAt", provider, subject, "userId")
        SELECT 'ci' || substr(id, 3), created_at, provider, md5('sub-' || i), id FROM bench.citizen
        UNION ALL
        SELECT 'cj' || substr(id, 3), created_at + interval '40 days', CASE WHEN provider = 'nhslogin' THEN 'onelogin' ELSE 'nhslogin' END, md5('sub2-' || i), id
        FROM bench.citizen WHERE registered AND bench.r(i, 14) < 0.08`,
    },
  ];
}

function identityLinksSql(): Step {
  return {
    name: 'IdentityLink',
    sql: `
      INSERT INTO "IdentityLink" (id, "userId", at, provider, kind, "mergedUserId", detail)
      SELECT 'cl' || substr(id, 3), id, created_at + interval '40 days', CASE WHEN provider = 'nhslogin' THEN 'onelogin' ELSE 'nhslogin' END,
        CASE WHEN bench.r(i, 15) < 0.06 THEN 'merged' ELSE 'added' END,
        CASE WHEN bench.r(i, 15) < 0.06 THEN 'cu-closed-' || i END,
        CASE WHEN bench.r(i, 15) < 0.06 THEN '{"moved":{"readings":4,"conditions":1},"choices":{"topThree":"this"}}' ELSE '{}' END
      FROM bench.citizen WHERE registered AND bench.r(i, 14) < 0.08`,
  };
}

/** Blood pressure readings in one week of time [from, to), with each one's history and its message to the care record. */
function readingsSliceSql(from: number, to: number): string {
  return `
    WITH r AS (
      INSERT INTO "BloodPressureReading" (id, "userId", "createdAt", "updatedAt", "measuredAt", systolic, diastolic, pulse, arm, sitting, "pairId", "addedByAppId", "deletedAt")
      SELECT x.id, c.id, x.t + interval '2 minutes', x.t + interval '2 minutes', x.t, x.sys,
        62 + (x.sys - 100) / 3 + bench.k(x.n, 23, 10),
        CASE WHEN bench.r(x.n, 24) < 0.8 THEN 55 + bench.k(x.n, 25, 40) END,
        CASE WHEN bench.r(c.i, 26) < 0.7 THEN 'left' ELSE 'right' END,
        bench.r(x.n, 27) < 0.92,
        CASE WHEN 2 * p + 1 < c.readings THEN 'cr' || lpad(to_hex(c.i * 4096 + 2 * p), 23, '0') END,
        CASE WHEN bench.r(c.i, 28) < 0.05 AND bench.r(x.n, 29) < 0.5 THEN 'bench-app-1' END,
        CASE WHEN bench.r(x.n, 30) < 0.01 THEN x.t + interval '1 hour' END
      FROM bench.citizen c
      CROSS JOIN LATERAL generate_series(greatest(0, ceil((${from} - c.st) / c.d - c.off))::int, least(c.np - 1, ceil((${to} - c.st) / c.d - c.off)::int - 1)) p
      CROSS JOIN LATERAL generate_series(2 * p, least(2 * p + 1, c.readings - 1)) j
      CROSS JOIN LATERAL (
        SELECT c.i * 4096 + j AS n, 'cr' || lpad(to_hex(c.i * 4096 + j), 23, '0') AS id,
          bench.ts(c.st + (p + c.off) * c.d + (j % 2) * 60) AS t,
          c.base + bench.k(c.i * 4096 + j, 21, 26) - 10 + CASE WHEN bench.r(c.i * 4096 + j, 22) < 0.002 THEN 60 ELSE 0 END AS sys
      ) x
      WHERE c.np > 0
      RETURNING id, "userId", "createdAt", "measuredAt", systolic, diastolic, pulse, arm, sitting, "deletedAt"
    ), snapshots AS (
      SELECT r.*, json_build_object('measuredAt', bench.iso("measuredAt"), 'systolic', systolic, 'diastolic', diastolic, 'pulse', pulse, 'arm', arm, 'sitting', sitting)::text AS snapshot
      FROM r
    ), changes AS (
      INSERT INTO "BloodPressureReadingChange" (id, "readingId", "userId", at, action, before, after)
      SELECT 'ch' || substr(id, 3), id, "userId", "createdAt", 'added', NULL, snapshot FROM snapshots
      UNION ALL
      SELECT 'cd' || substr(id, 3), id, "userId", "deletedAt", 'deleted', snapshot, NULL FROM snapshots WHERE "deletedAt" IS NOT NULL
    ), messages AS (
      INSERT INTO "OutboxMessage" (id, "idempotencyKey", "createdAt", destination, topic, "userId", "subjectId", payload, status, attempts, "nextAttemptAt", "deliveredAt")
      SELECT 'co' || substr(r.id, 3), md5('ob' || r.id)::uuid::text, r."createdAt", 'care-record-contributions', 'blood-pressure-reading', r."userId", r.id,
        '{"kind":"blood-pressure-reading","localId":"' || r.id || '"}', 'delivered', 1, r."createdAt", r."createdAt" + interval '3 seconds'
      FROM r JOIN bench.citizen c ON c.id = r."userId" AND c.link = 'matched'
    )
    SELECT count(*) FROM r`;
}

function readingsChains(now: number): Chain[] {
  const chains: Chain[] = [[], []];
  const start = now - 366 * DAY;
  for (let from = start, week = 0; from <= now; from += 7 * DAY, week += 1) {
    chains[week % 2]!.push({ name: `BloodPressureReading week ${week + 1}`, sql: readingsSliceSql(from, Math.min(from + 7 * DAY, now + 1)) });
  }
  return chains;
}

/** Sessions, one sign-in event for each, and the active-days rollup (lib/reporting/rollup.ts) as the worker would have left it. */
function sessionsChain(now: number): Chain {
  const nowTs = `bench.ts(${now})`;
  return [
    {
      name: 'Session and SignInEvent',
      sql: `
        CREATE TEMP TABLE signin AS
        SELECT c.id AS user_id, c.i, g.k, c.provider, x.t, x.shared,
          CASE WHEN x.device < 0.55 THEN 'mobile' WHEN x.device < 0.9 THEN 'computer' ELSE 'tablet' END AS device
        FROM bench.citizen c
        CROSS JOIN LATERAL generate_series(1, CASE WHEN c.registered THEN bench.k(c.i, 31, 14) ELSE 1 END) g(k)
        CROSS JOIN LATERAL (
          SELECT c.created_at + (${nowTs} - c.created_at) * bench.r(c.i * 64 + g.k, 32) AS t,
            bench.r(c.i * 64 + g.k, 33) < 0.1 AS shared, bench.r(c.i * 64 + g.k, 34) AS device
        ) x;
        INSERT INTO "Session" (id, "userId", provider, "idToken", "sharedDevice", "idleSeconds", "createdAt", "lastSeenAt", "absoluteExpiresAt", "revokedAt", "deviceKind")
        SELECT translate(substr(encode(sha256(('session-' || i || '-' || k)::bytea), 'base64'), 1, 43), '+/', '-_'), user_id, provider,
          'eyJhbGciOiJSUzI1NiIsImtpZCI6ImJlbmNoIn0.' || repeat(md5('id-token' || i || '-' || k), 8),
          shared, CASE WHEN shared THEN 600 ELSE 1800 END, t, t + (bench.k(i * 64 + k, 35, 40) || ' minutes')::interval,
          t + CASE WHEN shared THEN interval '2 hours' ELSE interval '12 hours' END,
          CASE WHEN bench.r(i * 64 + k, 36) < 0.45 THEN t + (bench.k(i * 64 + k, 35, 40) || ' minutes')::interval END,
          device
        FROM signin ORDER BY t;
        INSERT INTO "SignInEvent" (id, "userId", at, provider, "deviceKind", "sharedDevice", outcome)
        SELECT 'cs' || lpad(to_hex(i * 64 + k), 23, '0'), user_id, t, provider, device, shared, 'signed-in' FROM signin ORDER BY t;
        DROP TABLE signin`,
    },
    {
      name: 'UserActiveDay, UserActiveMonth and RollupState',
      sql: `
        INSERT INTO "UserActiveDay" (day, "userId")
        SELECT DISTINCT bench.day(at), "userId" FROM "SignInEvent" WHERE outcome = 'signed-in';
        INSERT INTO "UserActiveMonth" (month, "userId")
        SELECT DISTINCT substr(day, 1, 7), "userId" FROM "UserActiveDay";
        INSERT INTO "RollupState" (name, watermark, "updatedAt")
        SELECT ${sqlText(ACTIVE_DAYS_ROLLUP)}, max(at), ${nowTs} FROM "SignInEvent"
        ON CONFLICT (name) DO NOTHING`,
    },
  ];
}

/** The audit log: professionals' views and searches, citizens' consent changes, apps' reads, in time order. */
function auditChain(citizens: number, now: number, lanes: boolean): Chain {
  const entries = citizens * 5;
  // With audit lanes (lib/audit/chain.ts), entries written before them are lane 0 at their own seq, as the migration left them.
  const laneColumns = lanes ? ', lane, "laneSeq"' : '';
  const laneValues = lanes ? ', 0, s' : '';
  const organisations = ORGANISATIONS.slice(0, 10);
  const hash = (seq: string) => `'hmac:bench:' || encode(sha256(('audit-' || ${seq})::bytea), 'hex')`;
  return [
    {
      name: 'AuditEntry',
      sql: `
        INSERT INTO "AuditEntry" (seq, at, "citizenId", "actorKind", "actorId", "actorName", "actorOrganisation", "actorRole", action, category, reason, detail, "prevHash", hash${laneColumns})
        SELECT s, bench.ts(${now - 365 * DAY} + (s::float8 / ${entries}) * ${365 * DAY - 60}),
          CASE WHEN kind = 'search' THEN NULL ELSE bench.cid(1 + bench.k(s, 41, ${citizens})) END,
          CASE WHEN kind IN ('consent-changed', 'sign-in-method-added', 'app-connected') THEN 'citizen' WHEN kind IN ('app-view', 'app-add') THEN 'app' ELSE 'staff' END,
          CASE WHEN kind IN ('consent-changed', 'sign-in-method-added', 'app-connected') THEN bench.cid(1 + bench.k(s, 41, ${citizens}))
               WHEN kind IN ('app-view', 'app-add') THEN 'bench-app-' || (1 + bench.k(s, 42, 4))
               ELSE 'staff-' || staff END,
          CASE WHEN kind IN ('app-view', 'app-add') THEN 'Bench app ' || (1 + bench.k(s, 42, 4))
               WHEN kind IN ('consent-changed', 'sign-in-method-added', 'app-connected') THEN bench.given(1 + bench.k(s, 41, ${citizens})) || ' ' || bench.family(1 + bench.k(s, 41, ${citizens}))
               ELSE bench.given(staff + 500000) || ' ' || bench.family(staff + 500000) END,
          CASE WHEN kind IN ('view', 'search', 'export', 'denied', 'emergency-access', 'emergency-access-ended')
               THEN (${sqlArray(organisations.map((o) => o.name))})[1 + staff % ${organisations.length}] END,
          CASE WHEN kind IN ('view', 'search', 'export', 'denied', 'emergency-access', 'emergency-access-ended')
               THEN (${sqlArray(STAFF_ROLES)})[1 + staff % ${STAFF_ROLES.length}] END,
          CASE kind WHEN 'app-view' THEN 'view' WHEN 'app-add' THEN 'add' ELSE kind END,
          CASE WHEN kind IN ('search', 'sign-in-method-added', 'app-connected') THEN NULL
               WHEN kind IN ('denied', 'emergency-access', 'emergency-access-ended') THEN 'all'
               ELSE (${sqlArray(CATEGORIES)})[1 + bench.k(s, 43, 4)] END,
          CASE WHEN kind = 'emergency-access' THEN (ARRAY['urgent-care', 'new-to-care', 'safeguarding'])[1 + bench.k(s, 44, 3)] END,
          CASE kind
            WHEN 'view' THEN '{"access":"relationship","visit":"' || md5('visit' || s) || '"}'
            WHEN 'search' THEN '{"by":"nhs-number","results":1,"found":"' || bench.cid(1 + bench.k(s, 41, ${citizens})) || '"}'
            WHEN 'export' THEN '{"access":"relationship","format":"csv","readings":' || bench.k(s, 45, 300) || '}'
            WHEN 'denied' THEN '{"relationship":"unrelated","what":"view"}'
            WHEN 'emergency-access' THEN '{"relationship":"unrelated"}'
            WHEN 'consent-changed' THEN '{"shared":' || (bench.r(s, 46) < 0.8)::text || '}'
            WHEN 'app-view' THEN '{"resource":"Observation","count":' || bench.k(s, 45, 100) || '}'
            ELSE NULL END,
          CASE WHEN s = 1 THEN repeat('0', 64) ELSE ${hash('(s - 1)')} END,
          ${hash('s')}${laneValues}
        FROM generate_series(1, ${entries}) s
        CROSS JOIN LATERAL (SELECT bench.r(s, 40) AS roll, bench.k(s, 47, 2000) AS staff) x
        CROSS JOIN LATERAL (SELECT CASE
          WHEN roll < 0.55 THEN 'view' WHEN roll < 0.65 THEN 'search' WHEN roll < 0.68 THEN 'export' WHEN roll < 0.70 THEN 'denied'
          WHEN roll < 0.703 THEN 'emergency-access' WHEN roll < 0.705 THEN 'emergency-access-ended' WHEN roll < 0.80 THEN 'consent-changed'
          WHEN roll < 0.92 THEN 'app-view' WHEN roll < 0.95 THEN 'app-add' WHEN roll < 0.98 THEN 'sign-in-method-added' ELSE 'app-connected' END AS kind) k
        ORDER BY s;
        SELECT setval(pg_get_serial_sequence('"AuditEntry"', 'seq'), ${entries})`,
    },
  ];
}

/** What citizens add about themselves, their care-record link, drafts and home-monitoring weeks. */
function aboutMeChain(now: number): Chain {
  const conditions = LISTED_CONDITIONS.map((c) => `(${sqlText(c.code)}, ${sqlText(c.name)})`).join(', ');
  const nowTs = `bench.ts(${now})`;
  return [
    {
      name: 'LongTermCondition',
      sql: `
        WITH listed(n, code, name) AS (SELECT row_number() OVER () - 1, code, name FROM (VALUES ${conditions}) v(code, name))
        INSERT INTO "LongTermCondition" (id, "userId", "addedAt", code, name)
        SELECT 'cn' || substr(c.id, 3) || j, c.id, c.created_at + (j + 1) * interval '9 days', l.code, l.name
        FROM bench.citizen c
        CROSS JOIN LATERAL generate_series(0, bench.k(c.i, 51, 3)) j
        JOIN listed l ON l.n = (bench.k(c.i, 52, ${LISTED_CONDITIONS.length}) + j * 7) % ${LISTED_CONDITIONS.length}
        WHERE c.registered AND bench.r(c.i, 50) < 0.45
        UNION ALL
        SELECT 'co' || substr(id, 3), id, created_at + interval '3 days', NULL, (${sqlArray(OWN_WORDS_CONDITIONS)})[1 + bench.k(i, 53, ${OWN_WORDS_CONDITIONS.length})]
        FROM bench.citizen WHERE registered AND bench.r(i, 54) < 0.05`,
    },
    {
      name: 'TopThingsVersion',
      sql: `
        INSERT INTO "TopThingsVersion" (id, "userId", "createdAt", items)
        SELECT 'ct' || substr(id, 3) || v, id, created_at + v * interval '30 days',
          json_build_array(
            json_build_object('title', 'I care for my husband', 'description', 'He has dementia. If I am unwell, someone needs to check on him. Version ' || v),
            json_build_object('title', 'I am hard of hearing', 'description', 'Please face me when you speak and do not cover your mouth.')
          )::text
        FROM bench.citizen CROSS JOIN LATERAL generate_series(0, bench.k(i, 55, 3)) v
        WHERE registered AND bench.r(i, 56) < 0.6`,
    },
    {
      name: 'CommunicationNeeds',
      sql: `
        INSERT INTO "CommunicationNeeds" ("userId", "updatedAt", formats, "interpreterLanguage", "carerName", "carerContact", "otherNeeds")
        SELECT id, created_at + interval '5 days',
          (ARRAY['large-print', 'easy-read', 'spoken-language-interpreter', 'bsl-interpreter,large-print', 'contact-carer'])[1 + bench.k(i, 57, 5)],
          CASE WHEN bench.k(i, 57, 5) = 2 THEN (ARRAY['Polish', 'Urdu', 'Punjabi', 'Arabic', 'Romanian'])[1 + bench.k(i, 58, 5)] END,
          CASE WHEN bench.k(i, 57, 5) = 4 THEN bench.given(i + 700000) || ' ' || bench.family(i) END,
          CASE WHEN bench.k(i, 57, 5) = 4 THEN '07700 9' || lpad((i % 100000)::text, 5, '0') END,
          CASE WHEN bench.r(i, 59) < 0.3 THEN 'Please give me a morning appointment.' END
        FROM bench.citizen WHERE registered AND bench.r(i, 60) < 0.08`,
    },
    {
      name: 'SharingConsent',
      sql: `
        INSERT INTO "SharingConsent" ("userId", category, shared, "updatedAt")
        SELECT id, category, bench.r(i, 62) < 0.9, created_at + interval '1 day'
        FROM bench.citizen CROSS JOIN unnest(${sqlArray(CATEGORIES)}) category
        WHERE registered AND bench.r(i, 61) < 0.5`,
    },
    {
      name: 'CareRecordLink',
      sql: `
        INSERT INTO "CareRecordLink" ("userId", outcome, "patientId", method, "checkedAt", "patientVersion", "recentChecks", "windowStartedAt")
        SELECT id, link, CASE WHEN link = 'matched' THEN 'patient-' || i END,
          CASE WHEN provider = 'nhslogin' THEN 'nhs-number' ELSE 'demographics' END,
          greatest(created_at, ${nowTs} - interval '20 hours') - bench.r(i, 63) * interval '4 hours',
          CASE WHEN link = 'matched' THEN (1 + bench.k(i, 64, 3))::text END,
          CASE WHEN link = 'matched' THEN 0 ELSE 1 END,
          CASE WHEN link = 'matched' THEN NULL ELSE created_at END
        FROM bench.citizen WHERE link IS NOT NULL`,
    },
    {
      name: 'Draft',
      sql: `
        INSERT INTO "Draft" ("userId", journey, answers, "updatedAt", "expiresAt")
        SELECT id, (ARRAY['about-me/top-three', 'blood-pressure/new-reading', 'contact-details/address'])[1 + bench.k(i, 66, 3)],
          '{"answers":{"title":"Something I want you to know"}}', t, t + interval '1 day'
        FROM bench.citizen CROSS JOIN LATERAL (SELECT ${nowTs} - bench.r(i, 67) * interval '3 days' AS t) x
        WHERE registered AND bench.r(i, 65) < 0.03`,
    },
    {
      name: 'HomeMonitoringWeek',
      sql: `
        INSERT INTO "HomeMonitoringWeek" (id, "userId", "createdAt", "startedOn", "endsOn", "endedEarly", "finishedAt", result, systolic, diastolic, "readingCount", "daysThatCount", readings)
        SELECT 'cw' || substr(id, 3) || w, id, bench.ts(start), to_char(bench.ts(start), 'YYYY-MM-DD'), to_char(bench.ts(start) + interval '6 days', 'YYYY-MM-DD'), false,
          bench.ts(start) + interval '7 days',
          (ARRAY['below-135-85', 'stage-1-range', 'stage-2-range', 'not-enough-readings'])[1 + bench.k(i * 8 + w, 71, 4)],
          base + 5, 62 + (base - 95) / 3, 24, 6,
          '[' || repeat('{"id":"cr00000000000000000000001","measuredAt":"2026-06-01T07:00:00.000Z","systolic":131,"diastolic":84},', 23)
              || '{"id":"cr00000000000000000000001","measuredAt":"2026-06-01T07:00:00.000Z","systolic":131,"diastolic":84}]'
        FROM bench.citizen
        CROSS JOIN LATERAL generate_series(0, bench.k(i, 69, 4)) w
        CROSS JOIN LATERAL (SELECT st + (w * 80 + bench.k(i, 70, 40)) * ${DAY}::float8 AS start) s
        WHERE readings > 50 AND bench.r(i, 68) < 0.3 AND start < ${now - 14 * DAY}
        UNION ALL
        SELECT 'cx' || substr(id, 3), id, bench.ts(start), to_char(bench.ts(start), 'YYYY-MM-DD'), to_char(bench.ts(start) + interval '6 days', 'YYYY-MM-DD'), false,
          NULL, NULL, NULL, NULL, NULL, NULL, NULL
        FROM bench.citizen CROSS JOIN LATERAL (SELECT ${now} - (1 + bench.k(i, 72, 5)) * ${DAY}::float8 AS start) s
        WHERE readings > 0 AND bench.r(i, 73) < 0.02`,
    },
  ];
}

/** Contact preferences, addresses, the post-to-digital history and their messages to the organisations. */
function contactChain(now: number): Chain {
  const nowTs = `bench.ts(${now})`;
  return [
    {
      name: 'ContactPreference, FewerLettersChoice, PostToDigitalSwitch',
      sql: `
        INSERT INTO "ContactPreference" ("userId", "updatedAt", channel, email, mobile, "changeId")
        SELECT id, created_at + interval '2 days', channel,
          CASE WHEN channel = 'email' THEN lower(bench.given(i)) || '.' || i || '@example.com' END,
          CASE WHEN channel = 'text' THEN '07700 9' || lpad((i % 100000)::text, 5, '0') END,
          md5('change' || i)::uuid::text
        FROM bench.citizen CROSS JOIN LATERAL (SELECT (ARRAY['email', 'email', 'text', 'post', 'service-only'])[1 + bench.k(i, 76, 5)] AS channel) x
        WHERE registered AND bench.r(i, 75) < 0.35;
        INSERT INTO "FewerLettersChoice" ("userId", organisation, "fewerLetters", "updatedAt")
        SELECT p."userId", o, bench.r(c.i, 77) < 0.7, p."updatedAt"
        FROM "ContactPreference" p JOIN bench.citizen c ON c.id = p."userId" CROSS JOIN unnest(ARRAY['care-record', 'council']) o;
        INSERT INTO "PostToDigitalSwitch" (id, "userId", at, "fromChannel", "toChannel")
        SELECT 'cp' || substr(id, 3), id, created_at + (${nowTs} - created_at) * bench.r(i, 79), 'post', (ARRAY['email', 'text', 'service-only'])[1 + bench.k(i, 80, 3)]
        FROM bench.citizen WHERE registered AND bench.r(i, 78) < 0.12`,
    },
    {
      name: 'PostalAddress',
      sql: `
        INSERT INTO "PostalAddress" (id, "userId", "createdAt", line1, line2, town, county, postcode, source, uprn)
        SELECT 'ca' || substr(id, 3) || a, id, created_at + (a * 200 + 3) * interval '1 day', (1 + bench.k(i * 4 + a, 82, 200)) || ' ' || (ARRAY['Otley Road', 'Harehills Lane', 'Town Street', 'Kirkstall Road', 'Roundhay Road', 'Tong Road'])[1 + bench.k(i * 4 + a, 83, 6)],
          NULL, 'Leeds', 'West Yorkshire', bench.postcode(i * 4 + a), CASE WHEN bench.r(i * 4 + a, 84) < 0.8 THEN 'lookup' ELSE 'manual' END,
          CASE WHEN bench.r(i * 4 + a, 84) < 0.8 THEN (72000000000 + i * 4 + a)::text END
        FROM bench.citizen CROSS JOIN LATERAL generate_series(0, bench.k(i, 85, 2)) a
        WHERE registered AND bench.r(i, 81) < 0.2`,
    },
    {
      name: 'OutboxMessage (contact details)',
      sql: `
        INSERT INTO "OutboxMessage" (id, "idempotencyKey", "createdAt", destination, topic, "userId", "subjectId", payload, status, attempts, "nextAttemptAt", "deliveredAt", "lastError")
        SELECT 'cm' || substr(md5(subject || d), 1, 23), md5('key' || subject || d)::uuid::text, at, d, topic, user_id, subject, '{"changed":true}',
          CASE WHEN bench.r(hashtext(subject || d), 86) < 0.0005 THEN 'failed' ELSE 'delivered' END,
          CASE WHEN bench.r(hashtext(subject || d), 86) < 0.0005 THEN 8 ELSE 1 END,
          at, CASE WHEN bench.r(hashtext(subject || d), 86) < 0.0005 THEN NULL ELSE at + interval '2 seconds' END,
          CASE WHEN bench.r(hashtext(subject || d), 86) < 0.0005 THEN 'HTTP 503 from the receiver' END
        FROM (
          SELECT "userId" AS user_id, "changeId" AS subject, "updatedAt" AS at, 'contact-preferences-changed' AS topic FROM "ContactPreference"
          UNION ALL
          SELECT "userId", id, "createdAt", 'address-changed' FROM "PostalAddress"
        ) changes CROSS JOIN unnest(ARRAY['care-record', 'council']) d;
        -- A backlog for one receiver that has been down for a few minutes.
        INSERT INTO "OutboxMessage" (id, "idempotencyKey", "createdAt", destination, topic, "userId", "subjectId", payload, status, attempts, "nextAttemptAt", "lastError")
        SELECT 'cb' || lpad(b::text, 23, '0'), md5('backlog' || b)::uuid::text, ${nowTs} - (b || ' minutes')::interval, 'council', 'contact-preferences-changed',
          bench.cid(b), md5('change' || b)::uuid::text, '{"changed":true}', 'pending', 2, ${nowTs} - interval '1 minute', 'HTTP 503 from the receiver'
        FROM generate_series(1, ${OUTBOX_BACKLOG}) b`,
    },
  ];
}

/** Open Citizen: preferences, a shared question bank, each organisation's activities, invitations, responses and answers. */
function engagementChain(now: number): Chain {
  const activities = ORGANISATIONS.length * ACTIVITIES_PER_ORGANISATION;
  // Not drafts; 37 steps through them without repeating (216 = 2³·3³ shares no factor with 37).
  const invitable = activities - Math.ceil(activities / 10);
  const organisationValues = ORGANISATIONS.map((o, n) => `(${n}, ${sqlText(o.code)}, ${sqlText(o.name)})`).join(', ');
  const nowTs = `bench.ts(${now})`;
  const options = `'["Very easy","Easy","Neither easy nor hard","Hard","Very hard"]'`;
  return [
    {
      name: 'EngagementPreference',
      sql: `
        INSERT INTO "EngagementPreference" ("userId", "updatedAt", "wantsInvitations", topics, methods, "monthlyLimit", "postcodeDistrict")
        SELECT id, created_at + interval '6 days', wants_invitations,
          CASE WHEN bench.r(i, 90) < 0.4 THEN '' ELSE (${sqlArray(TOPICS)})[1 + bench.k(i, 91, 8)] || ',' || (${sqlArray(TOPICS)})[1 + bench.k(i, 92, 8)] END,
          CASE WHEN bench.r(i, 93) < 0.5 THEN '' ELSE (${sqlArray(METHODS)})[1 + bench.k(i, 94, 4)] END,
          (ARRAY[1, 2, 2, 4, 8])[1 + bench.k(i, 95, 5)],
          CASE WHEN bench.r(i, 96) < 0.5 THEN 'LS' || (1 + bench.k(i, 103, 29)) END
        FROM bench.citizen WHERE has_preference`,
    },
    {
      name: 'EngagementQuestion, EngagementActivity, EngagementActivityQuestion',
      sql: `
        DROP TABLE IF EXISTS bench.activity;
        CREATE TABLE bench.activity AS
        SELECT a, bench.aid(a) AS id, o.code, o.name,
          CASE WHEN a % 10 = 0 THEN 'draft' WHEN a % 10 IN (1, 2) THEN 'published' ELSE 'closed' END AS status,
          CASE WHEN a % 10 IN (1, 2) THEN ${nowTs} - bench.r(a, 110) * interval '50 days' ELSE ${nowTs} - interval '730 days' + bench.r(a, 110) * interval '640 days' END AS published_at,
          -- The activities that can have invitations, numbered 0.. (every tenth is a draft, with none).
          CASE WHEN a % 10 <> 0 THEN a - a / 10 - 1 END AS sent_no
        FROM generate_series(0, ${activities - 1}) a JOIN (VALUES ${organisationValues}) o(n, code, name) ON o.n = a % ${ORGANISATIONS.length};
        INSERT INTO "EngagementQuestion" (id, "createdAt", "organisationCode", text, kind, options)
        SELECT bench.qid(q), ${nowTs} - interval '760 days' + q * interval '3 days', (${sqlArray(ORGANISATIONS.map((o) => o.code))})[1 + q % ${ORGANISATIONS.length}],
          'Question ' || q || ': ' || (ARRAY['How easy was it to get an appointment?', 'What would make the service better for you?', 'How did you get to your appointment?', 'How well were you kept informed?'])[1 + q % 4],
          (ARRAY['scale', 'text', 'choice', 'multiple-choice'])[1 + q % 4],
          CASE WHEN q % 4 IN (2, 3) THEN ${options} ELSE '[]' END
        FROM generate_series(0, ${BANK_QUESTIONS - 1}) q;
        INSERT INTO "EngagementActivity" (id, "createdAt", "organisationCode", "organisationName", "createdBy", title, purpose, topics, "audienceKind", "audienceValue", "startsOn", "endsOn", method, status, "publishedAt", "closedAt", "whatWeHeard", "whatWeChanged")
        SELECT id, published_at - interval '10 days', code, name, 'staff-' || (a % 40), 'Activity ' || a || ': ' || (ARRAY['Getting to hospital appointments', 'Your GP surgery online', 'Living with diabetes in Leeds', 'Help at home after hospital', 'Mental health support for young people'])[1 + a % 5],
          'We want to hear what works for you and what does not, so that we can change the service.',
          (${sqlArray(TOPICS)})[1 + bench.k(a, 111, 8)],
          CASE WHEN bench.r(a, 112) < 0.6 THEN 'everyone' WHEN bench.r(a, 112) < 0.85 THEN 'condition' ELSE 'area' END,
          CASE WHEN bench.r(a, 112) < 0.6 THEN NULL WHEN bench.r(a, 112) < 0.85 THEN (${sqlArray(AUDIENCE_CODES)})[1 + bench.k(a, 113, ${AUDIENCE_CODES.length})] ELSE 'LS' || (1 + bench.k(a, 114, 29)) END,
          to_char(published_at, 'YYYY-MM-DD'),
          to_char(CASE WHEN status = 'published' THEN ${nowTs} + (10 + bench.k(a, 115, 50)) * interval '1 day' ELSE published_at + interval '45 days' END, 'YYYY-MM-DD'),
          (${sqlArray(METHODS)})[1 + bench.k(a, 116, 4)],
          status, CASE WHEN status <> 'draft' THEN published_at END, CASE WHEN status = 'closed' THEN published_at + interval '46 days' END,
          CASE WHEN status = 'closed' THEN 'Most people found it hard to get an appointment by phone.' END,
          CASE WHEN status = 'closed' THEN 'We added online booking for routine appointments.' END
        FROM bench.activity ORDER BY a;
        DROP TABLE IF EXISTS bench.activity_question;
        -- Three of each activity's questions come from 60 popular ones, so organisations ask the same questions.
        CREATE TABLE bench.activity_question AS
        SELECT a, position, CASE WHEN position < 3 THEN (bench.k(a, 117, 60) + position * 7) % 60 ELSE 60 + bench.k(a, 118, ${BANK_QUESTIONS - 60}) END AS q
        FROM generate_series(0, ${activities - 1}) a CROSS JOIN generate_series(0, ${QUESTIONS_PER_ACTIVITY - 1}) position;
        INSERT INTO "EngagementActivityQuestion" ("activityId", "questionId", position)
        SELECT bench.aid(a), bench.qid(q), position FROM bench.activity_question`,
    },
    {
      name: 'EngagementInvitation',
      sql: `
        INSERT INTO "EngagementInvitation" (id, "activityId", "userId", "sentAt")
        SELECT 'cv' || lpad(to_hex(c.i * 64 + j), 23, '0'), a.id, c.id, least(a.published_at + bench.r(c.i * 64 + j, 121) * interval '14 days', ${nowTs} - interval '1 hour')
        FROM bench.citizen c
        CROSS JOIN LATERAL generate_series(0, bench.k(c.i, 120, 17) - 1) j
        JOIN bench.activity a ON a.sent_no = (bench.k(c.i, 122, ${invitable}) + j * 37) % ${invitable}
        WHERE c.wants_invitations
        ORDER BY 4`,
    },
    {
      name: 'EngagementResponse and EngagementAnswer',
      sql: `
        INSERT INTO "EngagementResponse" (id, "activityId", "userId", "startedAt", "submittedAt")
        SELECT 'cz' || substr(id, 3), "activityId", "userId", "sentAt" + bench.r(hashtext(id), 124) * interval '3 days',
          CASE WHEN bench.r(hashtext(id), 125) < 0.9 THEN "sentAt" + bench.r(hashtext(id), 124) * interval '3 days' + interval '12 minutes' END
        FROM "EngagementInvitation" WHERE bench.r(hashtext(id), 123) < 0.3
        ORDER BY 4;
        INSERT INTO "EngagementAnswer" (id, "responseId", "questionId", "answeredAt", value)
        SELECT 'cy' || substr(md5(r.id || aq.q), 1, 23), r.id, bench.qid(aq.q), r."startedAt" + aq.position * interval '2 minutes',
          CASE aq.q % 4
            WHEN 0 THEN '"' || (1 + bench.k(hashtext(r.id) + aq.q, 126, 5)) || '"'
            WHEN 1 THEN '"It took three weeks to get an appointment and I had to ring at 8am every day."'
            WHEN 2 THEN (ARRAY['"Very easy"', '"Easy"', '"Neither easy nor hard"', '"Hard"', '"Very hard"'])[1 + bench.k(hashtext(r.id) + aq.q, 127, 5)]
            ELSE '["Easy","Hard"]' END
        FROM "EngagementResponse" r
        JOIN bench.activity a ON a.id = r."activityId"
        JOIN bench.activity_question aq ON aq.a = a.a
        ORDER BY 4`,
    },
    {
      // The running totals the triggers keep (engagement_scale migration) are not kept while
      // loading (session_replication_role = replica): counted here once, as the migration does.
      name: 'EngagementActivityTally and EngagementAnswerTally',
      sql: `
        INSERT INTO "EngagementActivityTally" ("activityId", invitations, responses)
        SELECT a.id, COALESCE(i.n, 0), COALESCE(r.n, 0)
        FROM "EngagementActivity" a
        LEFT JOIN (SELECT "activityId", COUNT(*) AS n FROM "EngagementInvitation" GROUP BY 1) i ON i."activityId" = a.id
        LEFT JOIN (SELECT "activityId", COUNT(*) AS n FROM "EngagementResponse" WHERE "submittedAt" IS NOT NULL GROUP BY 1) r ON r."activityId" = a.id;
        INSERT INTO "EngagementAnswerTally" ("activityId", "questionId", value, "valueKey", answers)
        SELECT r."activityId", a."questionId", a.value, md5(a.value), COUNT(*)
        FROM "EngagementAnswer" a JOIN "EngagementResponse" r ON r.id = a."responseId"
        WHERE r."submittedAt" IS NOT NULL
        GROUP BY r."activityId", a."questionId", a.value`,
    },
  ];
}

/** Apps and their connections, the OAuth server's records, staff sessions, feedback and rate-limit buckets. */
function otherChain(citizens: number, now: number): Chain {
  const nowTs = `bench.ts(${now})`;
  return [
    {
      name: 'App, AppConnection, OAuthRecord',
      sql: `
        INSERT INTO "App" (id, name, publisher, "redirectUris", scopes, "privacyPolicyUrl", "clientType", jwks, "registeredAt", "registeredBy")
        SELECT 'bench-app-' || n, 'Bench app ' || n, 'Bench Health Ltd', '["https://app' || n || '.example.com/callback"]',
          'launch/patient openid fhirUser offline_access patient/Observation.rs patient/Observation.c', 'https://app' || n || '.example.com/privacy',
          'public', NULL, ${nowTs} - interval '400 days', 'staff-1'
        FROM generate_series(1, 4) n;
        INSERT INTO "AppConnection" (id, "userId", "appId", "grantId", scopes, "connectedAt", "lastUsedAt", "disconnectedAt")
        SELECT md5('connection' || i)::uuid::text, id, 'bench-app-' || (1 + bench.k(i, 131, 4)), 'grant-' || md5('grant' || i),
          'launch/patient openid patient/Observation.rs', created_at + interval '20 days', ${nowTs} - bench.r(i, 132) * interval '30 days',
          CASE WHEN bench.r(i, 133) < 0.2 THEN created_at + interval '60 days' END
        FROM bench.citizen WHERE registered AND bench.r(i, 130) < 0.06;
        INSERT INTO "OAuthRecord" (id, model, payload, "grantId", "expiresAt")
        SELECT m || ':' || md5(m || c."grantId"), m, '{"accountId":"' || c."userId" || '","clientId":"' || c."appId" || '"}', c."grantId",
          CASE WHEN m = 'Grant' THEN ${nowTs} + interval '300 days' WHEN m = 'RefreshToken' THEN ${nowTs} + interval '20 days' ELSE ${nowTs} + interval '50 minutes' END
        FROM "AppConnection" c CROSS JOIN unnest(ARRAY['Grant', 'RefreshToken', 'AccessToken']) m
        WHERE c."disconnectedAt" IS NULL`,
    },
    {
      name: 'StaffSession, Feedback, RateLimitBucket',
      sql: `
        INSERT INTO "StaffSession" (id, subject, "givenName", "familyName", "organisationCode", "organisationName", "jobRole", roles, "idToken", "idleSeconds", "createdAt", "lastSeenAt", "absoluteExpiresAt", "revokedAt")
        SELECT translate(substr(encode(sha256(('staff-session-' || n)::bytea), 'base64'), 1, 43), '+/', '-_'), 'staff-' || (n % 2000), bench.given(n % 2000 + 500000), bench.family(n % 2000 + 500000),
          (${sqlArray(ORGANISATIONS.map((o) => o.code))})[1 + n % ${ORGANISATIONS.length}], (${sqlArray(ORGANISATIONS.map((o) => o.name))})[1 + n % ${ORGANISATIONS.length}],
          (${sqlArray(STAFF_ROLES)})[1 + n % ${STAFF_ROLES.length}], CASE WHEN n % 20 = 0 THEN 'engagement-coordinator' ELSE 'clinician' END,
          'eyJhbGciOiJSUzI1NiJ9.' || repeat(md5('staff' || n), 8), 1800, t, t + interval '25 minutes', t + interval '12 hours',
          CASE WHEN bench.r(n, 141) < 0.5 THEN t + interval '25 minutes' END
        FROM generate_series(1, ${Math.ceil(citizens * 0.05)}) n CROSS JOIN LATERAL (SELECT ${nowTs} - bench.r(n, 140) * interval '365 days' AS t) x;
        INSERT INTO "Feedback" (id, "createdAt", rating, comments, email)
        SELECT 'cf' || lpad(n::text, 23, '0'), ${nowTs} - bench.r(n, 142) * interval '365 days',
          (ARRAY['very-satisfied', 'satisfied', 'neither', 'dissatisfied', 'very-dissatisfied'])[1 + bench.k(n, 143, 5)],
          'It was easy to add my readings but I could not find where to change my address.', CASE WHEN n % 3 = 0 THEN 'person' || n || '@example.com' END
        FROM generate_series(1, ${Math.ceil(citizens * 0.02)}) n;
        INSERT INTO "RateLimitBucket" (key, tokens, at)
        SELECT 'sign-in:client:10.' || (n / 65536) % 256 || '.' || (n / 256) % 256 || '.' || n % 256, 40 + bench.k(n, 144, 20), ${nowTs} - bench.r(n, 145) * interval '10 minutes'
        FROM generate_series(1, ${Math.ceil(citizens * 0.005)}) n`,
    },
  ];
}

export type Generated = { seconds: number; phases: { name: string; seconds: number }[]; slowestSteps: { name: string; seconds: number }[] };

async function connect(url: string): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  // Every reference is made from the same formulas, so foreign keys are not checked while loading.
  // JIT would compile every statement (generate_series makes the planner expect huge row counts) for longer than it runs.
  await client.query(`SET session_replication_role = replica; SET TIME ZONE 'UTC'; SET work_mem = '256MB'; SET maintenance_work_mem = '1GB'; SET jit = off`);
  return client;
}

/** Drops the big tables' indexes that nothing else depends on, and gives back the statements that make them again. */
async function dropIndexes(client: pg.Client): Promise<string[]> {
  const again: string[] = [];
  for (const table of BIG_TABLES) {
    const relation = `'public."${table}"'::regclass`;
    // Primary keys and unique constraints no foreign key points at.
    const constraints = await client.query<{ name: string; definition: string }>(
      `SELECT conname AS name, pg_get_constraintdef(oid) AS definition FROM pg_constraint
       WHERE conrelid = ${relation} AND contype IN ('p', 'u') AND NOT EXISTS (SELECT 1 FROM pg_constraint f WHERE f.contype = 'f' AND f.confrelid = ${relation})`,
    );
    const indexes = await client.query<{ name: string; definition: string }>(
      `SELECT indexrelid::regclass::text AS name, pg_get_indexdef(indexrelid) AS definition FROM pg_index i
       WHERE indrelid = ${relation} AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)`,
    );
    for (const c of constraints.rows) {
      await client.query(`ALTER TABLE "${table}" DROP CONSTRAINT "${c.name}"`);
      again.push(`ALTER TABLE "${table}" ADD CONSTRAINT "${c.name}" ${c.definition}`);
    }
    for (const index of indexes.rows) {
      await client.query(`DROP INDEX ${index.name}`);
      again.push(index.definition);
    }
  }
  return again;
}

/** Runs chains side by side on `connections` connections, longest first; each step is timed. */
async function runChains(url: string, chains: Chain[], connections: number, done: (name: string, seconds: number) => void): Promise<void> {
  const queue = [...chains];
  await Promise.all(
    Array.from({ length: Math.min(connections, queue.length) }, async () => {
      const client = await connect(url);
      try {
        for (let chain = queue.shift(); chain; chain = queue.shift()) {
          for (const step of chain) {
            const started = performance.now();
            await client.query(step.sql);
            done(step.name, (performance.now() - started) / 1000);
          }
        }
      } finally {
        await client.end();
      }
    }),
  );
}

/**
 * Fills the database at `url` (migrated, empty) for `citizens` citizens as of `now`, then
 * builds the indexes, vacuums and analyses, as a database that had been running would be.
 */
export async function generate(url: string, citizens: number, now: Date, progress: (line: string) => void = () => {}): Promise<Generated> {
  const started = performance.now();
  const steps: { name: string; seconds: number }[] = [];
  const phases: { name: string; seconds: number }[] = [];
  const done = (name: string, seconds: number) => steps.push({ name, seconds });
  const phase = async (name: string, work: () => Promise<void>) => {
    const begun = performance.now();
    await work();
    const seconds = (performance.now() - begun) / 1000;
    phases.push({ name, seconds });
    progress(`  ${name}: ${seconds.toFixed(1)} s`);
  };
  const nowEpoch = Math.floor(now.getTime() / 60_000) * 60;
  let again: string[] = [];
  let auditLanes = false;
  await phase('citizens and their accounts', async () => {
    const client = await connect(url);
    try {
      const lanes = await client.query(`SELECT 1 FROM information_schema.columns WHERE table_name = 'AuditEntry' AND column_name = 'laneSeq'`);
      auditLanes = lanes.rowCount === 1;
      await client.query(functionsSql());
      await client.query(citizensSql(citizens, nowEpoch));
      again = await dropIndexes(client);
    } finally {
      await client.end();
    }
    await runChains(url, [usersSql()], 1, done);
  });
  const [even, odd] = readingsChains(nowEpoch) as [Chain, Chain];
  await phase('every other table (two connections)', () =>
    runChains(
      url,
      [
        even,
        odd,
        sessionsChain(nowEpoch),
        auditChain(citizens, nowEpoch, auditLanes),
        engagementChain(nowEpoch),
        aboutMeChain(nowEpoch),
        contactChain(nowEpoch),
        [identityLinksSql(), ...otherChain(citizens, nowEpoch)],
      ],
      2,
      done,
    ),
  );
  await phase(`${again.length} indexes built after loading`, () =>
    runChains(
      url,
      again.map((sql) => [{ name: sql, sql }]),
      2,
      () => {},
    ),
  );
  await phase('VACUUM (ANALYZE)', async () => {
    const client = await connect(url);
    try {
      await client.query('VACUUM (ANALYZE)');
      await client.query(
        `INSERT INTO bench.meta (key, value) VALUES ('citizens', $1), ('generator', $2), ('now', $3), ('complete', 'yes')
         ON CONFLICT (key) DO UPDATE SET value = excluded.value`,
        [String(citizens), String(GENERATOR_VERSION), now.toISOString()],
      );
    } finally {
      await client.end();
    }
  });
  const readings = steps.filter((step) => step.name.startsWith('BloodPressureReading week'));
  const grouped = [
    ...steps.filter((step) => !readings.includes(step)),
    {
      name: `BloodPressureReading (${readings.length} weeks, with their history and outbox messages)`,
      seconds: readings.reduce((sum, step) => sum + step.seconds, 0),
    },
  ];
  return { seconds: (performance.now() - started) / 1000, phases, slowestSteps: grouped.sort((a, b) => b.seconds - a.seconds).slice(0, 4) };
}

/** What a database already holds: its generation, if complete, else null. */
export async function generatedIn(url: string): Promise<{ citizens: number; generator: number; now: Date } | null> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const exists = await client.query(`SELECT to_regclass('bench.meta') IS NOT NULL AS exists`);
    if (!exists.rows[0]?.exists) return null;
    const rows = await client.query<{ key: string; value: string }>('SELECT key, value FROM bench.meta');
    const meta = new Map(rows.rows.map((row) => [row.key, row.value]));
    if (meta.get('complete') !== 'yes') return null;
    return { citizens: Number(meta.get('citizens')), generator: Number(meta.get('generator')), now: new Date(meta.get('now')!) };
  } finally {
    await client.end();
  }
}
