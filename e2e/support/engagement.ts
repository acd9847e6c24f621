import { randomUUID } from 'node:crypto';
import Database from 'better-sqlite3';
import { DATABASE_FILE } from './site';

/**
 * Open Citizen test data, written straight into the e2e database: activities of other
 * organisations, and earlier answers, that the journey under test then meets.
 */

const today = () => new Date().toISOString().slice(0, 10);
const inDays = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);
const stamp = () => new Date().toISOString().replace('Z', '+00:00');

function withDb<T>(work: (db: Database.Database) => T): T {
  const db = new Database(DATABASE_FILE, { fileMustExist: true, timeout: 5_000 });
  try {
    return db.transaction(() => work(db))();
  } finally {
    db.close();
  }
}

function insertQuestion(db: Database.Database, text: string, kind: string, options: string[] = []): string {
  const id = `e2e-q-${randomUUID()}`;
  db.prepare('INSERT INTO "EngagementQuestion" (id, "createdAt", "organisationCode", text, kind, options) VALUES (?, ?, ?, ?, ?, ?)').run(
    id,
    stamp(),
    'ZZ0002',
    text,
    kind,
    JSON.stringify(options),
  );
  return id;
}

function insertActivity(
  db: Database.Database,
  activity: {
    title: string;
    organisationCode: string;
    organisationName: string;
    topics: string;
    status: string;
    startsOn: string;
    endsOn: string;
    whatWeHeard?: string;
    whatWeChanged?: string;
  },
  questionIds: string[],
): string {
  const id = `e2e-a-${randomUUID()}`;
  db.prepare(
    `INSERT INTO "EngagementActivity" (id, "createdAt", "organisationCode", "organisationName", "createdBy", title, purpose, topics, "audienceKind", "startsOn", "endsOn", method, status, "publishedAt", "whatWeHeard", "whatWeChanged")
     VALUES (?, ?, ?, ?, 'e2e', ?, 'To hear what people think.', ?, 'everyone', ?, ?, 'online-survey', ?, ?, ?, ?)`,
  ).run(
    id,
    stamp(),
    activity.organisationCode,
    activity.organisationName,
    activity.title,
    activity.topics,
    activity.startsOn,
    activity.endsOn,
    activity.status,
    stamp(),
    activity.whatWeHeard ?? null,
    activity.whatWeChanged ?? null,
  );
  questionIds.forEach((questionId, position) =>
    db.prepare('INSERT INTO "EngagementActivityQuestion" ("activityId", "questionId", position) VALUES (?, ?, ?)').run(id, questionId, position),
  );
  return id;
}

function insertSentAnswer(db: Database.Database, activityId: string, userId: string, questionId: string, value: string) {
  const responseId = `e2e-r-${randomUUID()}`;
  db.prepare('INSERT INTO "EngagementResponse" (id, "activityId", "userId", "startedAt", "submittedAt") VALUES (?, ?, ?, ?, ?)').run(
    responseId,
    activityId,
    userId,
    stamp(),
    stamp(),
  );
  db.prepare('INSERT INTO "EngagementAnswer" (id, "responseId", "questionId", "answeredAt", value) VALUES (?, ?, ?, ?, ?)').run(
    `e2e-n-${randomUUID()}`,
    responseId,
    questionId,
    stamp(),
    JSON.stringify(value),
  );
}

function userNamed(db: Database.Database, givenName: string): string {
  // The demo citizen who signs in with NHS login: other specs make registered test citizens with
  // the same name (without identities), so the identity decides.
  const row = db
    .prepare(
      `SELECT u.id FROM "User" u JOIN "UserIdentity" i ON i."userId" = u.id WHERE u."givenName" = ? AND u."registeredAt" IS NOT NULL AND i.provider = 'nhslogin' AND i.subject LIKE 'demo-nhslogin-%'`,
    )
    .get(givenName) as { id: string } | undefined;
  if (!row) throw new Error(`no registered user named ${givenName}`);
  return row.id;
}

function strangerUser(db: Database.Database): string {
  const id = `e2e-u-${randomUUID()}`;
  db.prepare('INSERT INTO "User" (id, "createdAt", "givenName", "familyName", "birthDate", "identityLevel", "registeredAt") VALUES (?, ?, ?, ?, ?, ?, ?)').run(
    id,
    stamp(),
    'Stranger',
    'Example',
    '1970-01-01',
    'P9',
    stamp(),
  );
  return id;
}

/**
 * For a citizen's journey: a closed activity they took part in (with "you said, we did"),
 * an earlier answer to a bank question, and a new open activity asking that question again
 * plus a question in their own words. Someone else has already answered the new one.
 */
export function citizenJourneyData(givenName: string, label: string) {
  return withDb((db) => journeyData(db, userNamed(db, givenName), label));
}

/** The same, for a test citizen of the test's own (e2e/support/sharing.ts createCitizen). */
export function citizenJourneyDataFor(userId: string, label: string) {
  return withDb((db) => journeyData(db, userId, label));
}

function journeyData(db: Database.Database, userId: string, label: string) {
  const travel = insertQuestion(db, `How do you travel? ${label}`, 'choice', ['Bus', 'Car', 'Walk']);
  const better = insertQuestion(db, `What would make it better? ${label}`, 'text');
  const council = { organisationCode: 'ZZ0003', organisationName: 'Demo City Council', topics: 'transport' };
  const closed = insertActivity(
    db,
    {
      ...council,
      title: `Walk-in centre ${label}`,
      status: 'closed',
      startsOn: inDays(-60),
      endsOn: inDays(-30),
      whatWeHeard: 'It is hard to get there in the evening.',
      whatWeChanged: 'The centre now opens until 8pm.',
    },
    [travel],
  );
  insertSentAnswer(db, closed, userId, travel, 'Bus');
  const open = insertActivity(
    db,
    {
      organisationCode: 'ZZ0002',
      organisationName: 'Demo Community Health Trust',
      topics: 'transport',
      title: `Community clinics ${label}`,
      status: 'published',
      startsOn: today(),
      endsOn: inDays(30),
    },
    [travel, better],
  );
  insertSentAnswer(db, open, strangerUser(db), better, `A stranger's private words ${label}`);
  return { closedTitle: `Walk-in centre ${label}`, openTitle: `Community clinics ${label}`, strangerWords: `A stranger's private words ${label}` };
}

/** Another organisation's open activity about transport, for everyone, this month: it overlaps. */
export function otherOrganisationActivity(label: string): string {
  return withDb((db) => {
    const title = `Other trust's travel survey ${label}`;
    insertActivity(
      db,
      {
        organisationCode: 'ZZ0002',
        organisationName: 'Demo Community Health Trust',
        topics: 'transport',
        title,
        status: 'published',
        startsOn: today(),
        endsOn: inDays(20),
      },
      [insertQuestion(db, `Bank question ${label}`, 'scale')],
    );
    return title;
  });
}

/** An open activity of the demo coordinator's own organisation (the council), ready to invite to and close. */
export function councilActivity(label: string): string {
  return withDb((db) => {
    const title = `Council parking survey ${label}`;
    insertActivity(
      db,
      {
        organisationCode: 'ZZ0003',
        organisationName: 'Demo City Council',
        topics: 'transport',
        title,
        status: 'published',
        startsOn: today(),
        endsOn: inDays(20),
      },
      [insertQuestion(db, `Where do you park? ${label}`, 'choice', ['Street', 'Car park'])],
    );
    return title;
  });
}
