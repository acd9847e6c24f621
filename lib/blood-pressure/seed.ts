import type { Db } from '@/lib/platform/db';
import { addDays, fromLondonWallClock, londonDay } from '@/lib/platform/london-time';
import { startWeek } from './weeks';

/**
 * Demo readings for one citizen: a home-monitoring week that ended yesterday (2
 * readings a minute apart, morning and evening, seated), kept as a finished week
 * with its result, and a reading most days for the 10 weeks before it, so the
 * chart and history have something to show. Fixed ids per citizen: running it
 * again adds nothing.
 */

const HISTORY_DAYS = 70;

function at(day: string, hour: number, minute: number): Date {
  const [year, month, date] = day.split('-').map(Number) as [number, number, number];
  return fromLondonWallClock({ year, month, day: date, hour, minute });
}

/** Seeds the demo readings; returns how many were created (0 when they were already there). */
export async function seedDemoReadings(db: Db, userId: string, now = new Date()): Promise<number> {
  const prefix = `seed-bp-${userId}-`;
  if ((await db.bloodPressureReading.count({ where: { userId, id: { startsWith: prefix } } })) > 0) return 0;

  const today = londonDay(now);
  type Row = {
    id: string;
    userId: string;
    measuredAt: Date;
    systolic: number;
    diastolic: number;
    pulse: number | null;
    arm: string;
    sitting: boolean;
    pairId: string | null;
  };
  const rows: Row[] = [];
  // Numbers that wander a little, the same every run.
  const wobble = (n: number, size: number) => ((n * 7919) % (2 * size + 1)) - size;

  for (let back = HISTORY_DAYS + 7; back > 7; back -= 1) {
    if (back % 5 === 0) continue;
    const day = addDays(today, -back);
    rows.push({
      id: `${prefix}h${back}`,
      userId,
      measuredAt: at(day, 8, 15),
      systolic: 141 + wobble(back, 8),
      diastolic: 88 + wobble(back + 3, 5),
      pulse: 70 + wobble(back, 6),
      arm: 'left',
      sitting: true,
      pairId: null,
    });
  }
  for (let back = 7; back >= 1; back -= 1) {
    const day = addDays(today, -back);
    for (const [session, hour] of [
      ['m', 7],
      ['e', 19],
    ] as const) {
      const pairId = `${prefix}w${back}${session}1`;
      for (const second of [0, 1]) {
        const n = back * 4 + (session === 'e' ? 2 : 0) + second;
        rows.push({
          id: `${prefix}w${back}${session}${second + 1}`,
          userId,
          measuredAt: at(day, hour, 30 + second),
          systolic: 137 + wobble(n, 6),
          diastolic: 86 + wobble(n + 1, 4),
          pulse: second === 0 ? 68 + wobble(n, 5) : null,
          arm: 'left',
          sitting: true,
          pairId,
        });
      }
    }
  }
  const past = rows.filter((row) => row.measuredAt <= now);
  await db.bloodPressureReading.createMany({ data: past });
  await db.bloodPressureReadingChange.createMany({
    data: past.map((row) => ({
      readingId: row.id,
      userId,
      at: row.measuredAt,
      action: 'added',
      after: JSON.stringify({
        measuredAt: row.measuredAt.toISOString(),
        systolic: row.systolic,
        diastolic: row.diastolic,
        pulse: row.pulse,
        arm: row.arm,
        sitting: row.sitting,
      }),
    })),
  });
  // The week those readings belong to: started 7 days ago, so it has ended and its result is kept.
  await startWeek(db, userId, addDays(today, -7), now);
  return past.length;
}

/** Amelia, the demo citizen, at each demo identity provider (scripts/oidc-provider/users.ts). */
const DEMO_CITIZEN_IDENTITIES = [
  { provider: 'onelogin', subject: 'urn:fdc:gov.uk:2022:demo-citizen-0001' },
  { provider: 'nhslogin', subject: 'demo-nhslogin-0001' },
];

/**
 * The demo week for Amelia. Her account is made at her first sign-in, so until then there
 * is no one to give readings to: the message says to sign in and run the seed again.
 */
export async function seedDemoCitizenReadings(db: Db, now = new Date()): Promise<string> {
  const identities = await db.userIdentity.findMany({ where: { OR: DEMO_CITIZEN_IDENTITIES }, select: { userId: true } });
  if (identities.length === 0) {
    return 'Blood pressure: no demo readings yet. Sign in as amelia.testwell@example.com, then run the seed again.';
  }
  let created = 0;
  for (const { userId } of identities) created += await seedDemoReadings(db, userId, now);
  return `Blood pressure: ${created} demo readings created for Amelia (${identities.length} account${identities.length === 1 ? '' : 's'}).`;
}
