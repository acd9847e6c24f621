// The retention job (lib/platform/retention.ts) on the database under test (SQLite and
// PostgreSQL), with the clock in the test's hands: each rule keeps a row just inside its period
// and removes one just past it. Times are far in the future (2950), away from other tests' rows.
import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { GET as privacyPage } from '@/app/privacy/route';
import { recordAudit } from '@/lib/audit/public';
import { readingForCareRecord } from '@/lib/blood-pressure/public';
import { sessionState } from '@/lib/identity/session-rules';
import { activeUsersReport } from '@/lib/reporting/active-users';
import { ACTIVE_DAYS_ROLLUP, updateActivityRollup } from '@/lib/reporting/rollup';
import { resetRollup, signIn } from '@/lib/reporting/test-support';
import { loadConfig, reloadConfig, type RetentionPeriods } from './config';
import { getDb } from './db';
import { makeCitizen, useDatabaseUnderTest } from './db-test-support';
import { applyRetention, RETENTION_RULES, type RetentionRule } from './retention';

const { url, provider } = useDatabaseUnderTest();

const DAY = 86_400_000;
const MS = 1;
const now = new Date('2950-06-15T12:00:00.000Z');
const daysAgo = (days: number, plusMs = 0) => new Date(now.getTime() - days * DAY + plusMs);
const DEFAULTS: RetentionPeriods = loadConfig({}).retention;
const only = (...names: string[]): RetentionRule[] => RETENTION_RULES.filter((rule) => names.includes(rule.name));
const apply = (names: string[], periods: Partial<RetentionPeriods> = {}, batchSize?: number) =>
  applyRetention(getDb(), now, { ...DEFAULTS, ...periods }, { rules: only(...names), batchSize });

afterEach(() => {
  reloadConfig({ ...process.env, DATABASE_URL: url });
});

describe(`retention on ${provider}`, () => {
  it('removes a draft once its time has passed, and keeps one still in time', async () => {
    const db = getDb();
    const userId = await makeCitizen();
    const draft = (journey: string, writtenAt: Date, keepMs: number) =>
      db.draft.create({ data: { userId, journey, answers: '{}', updatedAt: writtenAt, expiresAt: new Date(writtenAt.getTime() + keepMs) } });
    // A day for about-me journeys, 30 minutes for a blood pressure reading (lib/platform/drafts.ts).
    await draft('about-me/top-three', daysAgo(1, -MS), DAY); // ended a moment ago
    await draft('about-me/condition', daysAgo(1, MS), DAY); // ends in a moment
    await draft('blood-pressure/new-reading', new Date(now.getTime() - 30 * 60_000 - MS), 30 * 60_000);
    // Kept by a request whose clock (TEST_CLOCK) was a month behind: past its expiresAt, but written just now.
    await db.draft.create({ data: { userId, journey: 'contact-details/address', answers: '{}', updatedAt: now, expiresAt: daysAgo(30) } });

    const { removed } = await apply(['drafts']);
    expect(removed.drafts).toBeGreaterThanOrEqual(2);
    const left = (await db.draft.findMany({ where: { userId }, select: { journey: true } })).map((row) => row.journey).sort();
    expect(left).toEqual(['about-me/condition', 'contact-details/address']);
  });

  it('keeps drafts past their time for RETENTION_DRAFTS_DAYS more, when set', async () => {
    const db = getDb();
    const userId = await makeCitizen();
    await db.draft.create({ data: { userId, journey: 'about-me/top-three', answers: '{}', updatedAt: daysAgo(3, MS), expiresAt: daysAgo(2, MS) } });
    await db.draft.create({ data: { userId, journey: 'about-me/condition', answers: '{}', updatedAt: daysAgo(3, -MS), expiresAt: daysAgo(2, -MS) } });
    await apply(['drafts'], { draftsDays: 2 });
    expect((await db.draft.findMany({ where: { userId } })).map((row) => row.journey)).toEqual(['about-me/top-three']);
  });

  it('removes sessions a while after they ended (signed out, timed out or at their limit), never live ones', async () => {
    const db = getDb();
    const userId = await makeCitizen();
    const cutoff = daysAgo(30);
    const session = (times: { revokedAt?: Date; lastSeenAt: Date; idleSeconds: number; absoluteExpiresAt: Date }) =>
      db.session.create({
        data: { id: randomUUID(), userId, provider: 'nhslogin', idToken: 't', sharedDevice: false, deviceKind: 'computer', createdAt: daysAgo(400), ...times },
      });
    const hour = 3_600_000;
    const made = [
      // Signed out just over, and just under, 30 days ago (a minute after they last used it).
      await session({
        revokedAt: new Date(cutoff.getTime() - MS),
        lastSeenAt: new Date(cutoff.getTime() - 60_000),
        idleSeconds: 1800,
        absoluteExpiresAt: daysAgo(29),
      }),
      await session({
        revokedAt: new Date(cutoff.getTime() + MS),
        lastSeenAt: new Date(cutoff.getTime() - 60_000),
        idleSeconds: 1800,
        absoluteExpiresAt: daysAgo(29),
      }),
      // Timed out (idle), with two different idle times (a shared computer's is shorter).
      await session({ lastSeenAt: new Date(cutoff.getTime() - 1800_000 - MS), idleSeconds: 1800, absoluteExpiresAt: daysAgo(29) }),
      await session({ lastSeenAt: new Date(cutoff.getTime() - 1800_000 + MS), idleSeconds: 1800, absoluteExpiresAt: daysAgo(29) }),
      await session({ lastSeenAt: new Date(cutoff.getTime() - 600_000 - MS), idleSeconds: 600, absoluteExpiresAt: daysAgo(29) }),
      await session({ lastSeenAt: new Date(cutoff.getTime() - 600_000 + MS), idleSeconds: 600, absoluteExpiresAt: daysAgo(29) }),
      // At its absolute limit while still in use.
      await session({ lastSeenAt: new Date(cutoff.getTime() - 60_000), idleSeconds: 1800, absoluteExpiresAt: new Date(cutoff.getTime() - MS) }),
      await session({ lastSeenAt: new Date(cutoff.getTime() - 60_000), idleSeconds: 1800, absoluteExpiresAt: new Date(cutoff.getTime() + MS) }),
      // Live now.
      await session({ lastSeenAt: new Date(now.getTime() - 60_000), idleSeconds: 1800, absoluteExpiresAt: new Date(now.getTime() + 11 * hour) }),
    ];

    await apply(['sessions']);
    const left = new Set((await db.session.findMany({ where: { userId }, select: { id: true } })).map((row) => row.id));
    expect(made.map((row) => left.has(row.id))).toEqual([false, true, false, true, false, true, false, true, true]);
    // The same as lib/identity decides: removed exactly when the session had ended before the
    // cut-off (as it was then: one revoked later was not revoked yet).
    const then = new Date(cutoff.getTime() - MS);
    for (const row of made) {
      const asThen = { ...row, revokedAt: row.revokedAt && row.revokedAt <= then ? row.revokedAt : null };
      expect(left.has(row.id)).toBe(sessionState(asThen, then) === 'active');
    }
  });

  it('removes staff sessions the same way', async () => {
    const db = getDb();
    const cutoff = daysAgo(7);
    const staff = (times: { revokedAt?: Date; lastSeenAt: Date; absoluteExpiresAt: Date }) =>
      db.staffSession.create({
        data: {
          id: randomUUID(),
          subject: `retention-${randomUUID()}`,
          givenName: 'Grace',
          familyName: 'Practiceton',
          organisationCode: 'ZZ0001',
          organisationName: 'Demo Lane Surgery',
          jobRole: 'General Practitioner',
          roles: 'care-professional',
          idToken: 't',
          idleSeconds: 1800,
          createdAt: daysAgo(60),
          ...times,
        },
      });
    const gone = await staff({ lastSeenAt: new Date(cutoff.getTime() - 1800_000 - MS), absoluteExpiresAt: daysAgo(6) });
    const kept = await staff({ lastSeenAt: new Date(cutoff.getTime() - 1800_000 + MS), absoluteExpiresAt: daysAgo(6) });
    const signedOut = await staff({ revokedAt: new Date(cutoff.getTime() - MS), lastSeenAt: daysAgo(8), absoluteExpiresAt: daysAgo(6) });
    const live = await staff({ lastSeenAt: now, absoluteExpiresAt: new Date(now.getTime() + DAY) });
    await apply(['staff-sessions'], { sessionsDays: 7 });
    const left = new Set((await db.staffSession.findMany({ where: { id: { in: [gone.id, kept.id, signedOut.id, live.id] } } })).map((row) => row.id));
    expect(left).toEqual(new Set([kept.id, live.id]));
  });

  it('removes sign-ins after their period, never one the reports still read, and none before the rollup has run', async () => {
    const db = getDb();
    await resetRollup();
    const userId = await makeCitizen();
    await signIn(userId, daysAgo(730, -MS));
    await signIn(userId, daysAgo(730, MS));
    await signIn(userId, daysAgo(5));
    const at = async () => (await db.signInEvent.findMany({ where: { userId }, select: { at: true }, orderBy: { at: 'asc' } })).map((row) => row.at);

    // The rollup has never run: every sign-in is still to be counted.
    expect((await apply(['sign-in-events'])).removed['sign-in-events']).toBe(0);
    expect(await at()).toHaveLength(3);

    // The rollup is far behind (stopped two and a half years ago): what it has not counted stays.
    await db.rollupState.create({ data: { name: ACTIVE_DAYS_ROLLUP, watermark: daysAgo(900) } });
    await apply(['sign-in-events']);
    expect(await at()).toHaveLength(3);

    // Caught up: only the one just past 2 years goes.
    await updateActivityRollup(db, now);
    await apply(['sign-in-events']);
    expect(await at()).toEqual([daysAgo(730, MS), daysAgo(5)]);
  });

  it('changes no report, even at the shortest period allowed', async () => {
    const db = getDb();
    await resetRollup();
    const userId = await makeCitizen({ registeredAt: daysAgo(400) });
    const other = await makeCitizen({ registeredAt: daysAgo(400) });
    for (const days of [1, 20, 29.9, 30.1, 31.5, 45, 100, 200, 330]) await signIn(userId, daysAgo(days));
    for (const days of [2, 33, 64, 364]) await signIn(other, daysAgo(days));
    await updateActivityRollup(db, now);
    const before = await activeUsersReport(db, now);
    const { removed } = await apply(['sign-in-events'], { signInEventsDays: 31 });
    expect(removed['sign-in-events']).toBeGreaterThanOrEqual(8);
    expect(await activeUsersReport(db, now)).toEqual(before);
  });

  it('removes delivered outbox messages after their period, and keeps failed, waiting and still-needed ones', async () => {
    const db = getDb();
    const cutoff = daysAgo(90);
    const [amelia, ben] = [randomUUID(), randomUUID()];
    const message = (userId: string, subjectId: string, status: string, createdAt: Date, deliveredAt: Date | null = null) =>
      db.outboxMessage.create({
        data: { idempotencyKey: randomUUID(), destination: 'retention-test', topic: 'test', userId, subjectId, payload: '{}', status, createdAt, deliveredAt },
      });
    const pastPeriod = await message(amelia, 'a', 'delivered', daysAgo(95), new Date(cutoff.getTime() - MS));
    const inPeriod = await message(amelia, 'b', 'delivered', daysAgo(95), new Date(cutoff.getTime() + MS));
    const failed = await message(amelia, 'c', 'failed', daysAgo(200));
    const pending = await message(amelia, 'd', 'pending', daysAgo(200));
    // A failed message followed by a delivered one for the same change: the delivered one stays,
    // as it shows the change did arrive (lib/care-record notYetInCareRecord).
    const overtaken = await message(amelia, 'e', 'failed', daysAgo(150));
    const overtaking = await message(amelia, 'e', 'delivered', daysAgo(140), daysAgo(140));
    // The newest of a topic to a destination stays: the citizen's current change shows "Received".
    const newest = await message(amelia, 'f', 'delivered', daysAgo(91), daysAgo(91));
    const onlyOne = await message(ben, 'a', 'delivered', daysAgo(300), daysAgo(300));

    await apply(['delivered-messages']);
    const left = new Set((await db.outboxMessage.findMany({ where: { destination: 'retention-test', userId: { in: [amelia, ben] } } })).map((row) => row.id));
    expect(left.has(pastPeriod.id)).toBe(false);
    for (const kept of [inPeriod, failed, pending, overtaken, overtaking, newest, onlyOne]) expect(left.has(kept.id)).toBe(true);

    // Once a newer message comes, the one that was newest goes too.
    await message(ben, 'b', 'delivered', daysAgo(10), daysAgo(10));
    await apply(['delivered-messages']);
    expect(await db.outboxMessage.count({ where: { id: onlyOne.id } })).toBe(0);
  });

  it('removes deleted readings and their history after their period, keeps the rest, and the care record is still sent the withdrawal', async () => {
    const db = getDb();
    const userId = await makeCitizen();
    const reading = async (deletedAt: Date | null) => {
      const row = await db.bloodPressureReading.create({
        data: { userId, measuredAt: daysAgo(400), systolic: 120, diastolic: 80, arm: 'left', sitting: true, deletedAt },
      });
      await db.bloodPressureReadingChange.create({ data: { readingId: row.id, userId, at: daysAgo(400), action: 'added', after: '{}' } });
      if (deletedAt) await db.bloodPressureReadingChange.create({ data: { readingId: row.id, userId, at: deletedAt, action: 'deleted', before: '{}' } });
      return row.id;
    };
    const gone = await reading(daysAgo(30, -MS));
    const kept = await reading(daysAgo(30, MS));
    const live = await reading(null);
    const withdrawal = await readingForCareRecord(db, userId, gone, 'patient-1');

    const { removed } = await apply(['deleted-readings']);
    expect(removed['deleted-readings']).toBeGreaterThanOrEqual(1);
    expect((await db.bloodPressureReading.findMany({ where: { userId }, select: { id: true } })).map((row) => row.id).sort()).toEqual([kept, live].sort());
    expect(await db.bloodPressureReadingChange.count({ where: { readingId: gone } })).toBe(0);
    expect(await db.bloodPressureReadingChange.count({ where: { readingId: kept } })).toBe(2);
    expect(await db.bloodPressureReadingChange.count({ where: { readingId: live } })).toBe(1);
    // A message still waiting to withdraw it from the care record withdraws it the same.
    expect(await readingForCareRecord(db, userId, gone, 'patient-1')).toEqual(withdrawal);
  });

  it('removes feedback after its period', async () => {
    const db = getDb();
    const old = await db.feedback.create({ data: { rating: 'satisfied', comments: 'old', createdAt: daysAgo(730, -MS) } });
    const recent = await db.feedback.create({ data: { rating: 'satisfied', comments: 'recent', createdAt: daysAgo(730, MS) } });
    await apply(['feedback']);
    expect(await db.feedback.count({ where: { id: old.id } })).toBe(0);
    expect(await db.feedback.count({ where: { id: recent.id } })).toBe(1);
  });

  it('works in batches until nothing is left: more rows than one batch', async () => {
    const db = getDb();
    const marker = `batch-${randomUUID()}`;
    await db.feedback.createMany({ data: Array.from({ length: 2_345 }, () => ({ rating: 'neither', comments: marker, createdAt: daysAgo(800) })) });
    const { removed } = await apply(['feedback']);
    expect(removed.feedback).toBeGreaterThanOrEqual(2_345);
    expect(await db.feedback.count({ where: { comments: marker } })).toBe(0);

    // And readings with their history, in small batches.
    const userId = await makeCitizen();
    for (let i = 0; i < 23; i += 1) {
      const row = await db.bloodPressureReading.create({
        data: { userId, measuredAt: daysAgo(400), systolic: 120, diastolic: 80, arm: 'left', sitting: true, deletedAt: daysAgo(60) },
      });
      await db.bloodPressureReadingChange.create({ data: { readingId: row.id, userId, at: daysAgo(60), action: 'deleted' } });
    }
    const batches: number[] = [];
    const counting: RetentionRule = {
      name: 'deleted-readings',
      removeBatch: async (...args) => {
        const count = await only('deleted-readings')[0]!.removeBatch(...args);
        batches.push(count);
        return count;
      },
    };
    await applyRetention(db, now, DEFAULTS, { rules: [counting], batchSize: 5 });
    expect(batches.slice(0, 4)).toEqual([5, 5, 5, 5]);
    expect(batches[batches.length - 1]).toBeLessThan(5);
    expect(await db.bloodPressureReading.count({ where: { userId } })).toBe(0);
    expect(await db.bloodPressureReadingChange.count({ where: { userId } })).toBe(0);
  });

  it('never touches the audit log, and carries on past a rule that fails', async () => {
    const db = getDb();
    const citizenId = await makeCitizen();
    await recordAudit(db, {
      actorKind: 'system',
      actorId: 'retention-test',
      actorName: null,
      actorOrganisation: null,
      actorRole: null,
      citizenId,
      action: 'view',
    });
    const audit = async () => ({ count: await db.auditEntry.count(), last: await db.auditEntry.findFirst({ orderBy: { seq: 'desc' } }) });
    const before = await audit();
    const failing: RetentionRule = { name: 'broken', removeBatch: () => Promise.reject(new Error('no such table')) };
    const result = await applyRetention(db, new Date('9999-01-01T00:00:00Z'), DEFAULTS, { rules: [failing, ...RETENTION_RULES] });
    expect(result.failed).toEqual(['broken']);
    expect(Object.keys(result.removed)).toEqual(['broken', ...RETENTION_RULES.map((rule) => rule.name)]);
    expect(await audit()).toEqual(before);
  });

  it('the privacy notice says how long things are kept, as configured', async () => {
    reloadConfig({ ...process.env, DATABASE_URL: url, RETENTION_SESSIONS_DAYS: '14', RETENTION_FEEDBACK_DAYS: '365', RETENTION_DELETED_READINGS_DAYS: '7' });
    const response = await privacyPage(new Request('http://localhost:3000/privacy'));
    const html = await response.text();
    expect(response.status).toBe(200);
    const section = html.slice(html.indexOf('How long we keep it'), html.indexOf('Your rights'));
    expect(section).toContain('keep it for 7 days before we delete it for good');
    expect(section).toContain('we keep them for 14 days after you sign out');
    expect(section).toContain('feedback you send us: we keep it for 1 year');
    expect(section).toContain('we keep each one for 2 years');
    expect(section).toContain('we keep them for 90 days after they arrive');
    expect(section).toContain('30 minutes (a blood pressure reading) or up to 1 day');
  });
});
