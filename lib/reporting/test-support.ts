// For the reporting database tests: citizens with sign-ins, and the report read with the rollup
// in each state it can be in (never run, part way, caught up), which must all agree.
import { expect } from 'vitest';
import { getDb } from '@/lib/platform/db';
import { makeCitizen } from '@/lib/platform/db-test-support';
import { activeUsersReport, type ActiveUsersReport } from './active-users';
import { updateActivityRollup } from './rollup';

export async function citizen(registeredAt: Date | null, signIns: Date[]): Promise<string> {
  const userId = await makeCitizen({ registeredAt });
  for (const at of signIns) await signIn(userId, at);
  return userId;
}

export async function signIn(userId: string, at: Date): Promise<void> {
  await getDb().signInEvent.create({ data: { userId, at, provider: 'nhslogin', deviceKind: 'computer', sharedDevice: false, outcome: 'signed-in' } });
}

/**
 * Forgets the rollup, as on a database the worker has never seen. Tests choose their own "now"
 * (far in the future, away from other tests' rows), so a watermark one test leaves behind would
 * make another's sign-ins look too old to roll up.
 */
export async function resetRollup(): Promise<void> {
  await getDb().rollupState.deleteMany();
  await getDb().userActiveDay.deleteMany();
  await getDb().userActiveMonth.deleteMany();
}

/** A far-future "now" of its own for each test, so rows from other tests (and earlier runs) do not count. */
export function farFuture(monthDayTime: string): Date {
  // Years 3000 to 9998: few enough tests pick one that two rarely meet (the report counts a
  // whole month, so two tests in one month would see each other's rows).
  return new Date(`${3000 + Math.floor(Math.random() * 6999)}-${monthDayTime}`);
}

/**
 * The report at `now` with the rollup never run, then run up to `partWay`, then caught up to
 * `now`: the figures must be the same each time. Returns them.
 */
export async function reportInEveryState(now: Date, partWay: Date): Promise<ActiveUsersReport> {
  await resetRollup();
  const fromSignIns = await activeUsersReport(getDb(), now);
  await updateActivityRollup(getDb(), partWay);
  expect(await activeUsersReport(getDb(), now), 'rollup part way').toEqual(fromSignIns);
  await updateActivityRollup(getDb(), now);
  expect(await activeUsersReport(getDb(), now), 'rollup caught up').toEqual(fromSignIns);
  return fromSignIns;
}
