// Benchmark: blood pressure queries for a citizen with years of twice-daily readings.
// Inserts BENCH_READINGS readings (default 5,000: about 7 years, twice a day) for one new
// citizen in a throwaway database, then times what the history page, the overview, the chart
// and the download do, and prints a plain-text table. No thresholds: numbers, to compare.
//
//   npx tsx scripts/bench/blood-pressure.ts                         (a temporary SQLite file)
//   DATABASE_URL=postgresql://... npx tsx scripts/bench/blood-pressure.ts   (an empty PostgreSQL database)
//
// BENCH_READINGS and BENCH_REPEAT change the size and the number of timed runs.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { bloodPressureChartSvg, type ChartRange } from '../../lib/blood-pressure/chart';
import { bloodPressureForProfessional } from '../../lib/blood-pressure/professional';
import { allReadingsInBatches, chartData, readingsPage, readingsWithChart } from '../../lib/blood-pressure/store';
import { weeksNow } from '../../lib/blood-pressure/weeks';
import { reloadConfig } from '../../lib/platform/config';
import { disconnectDb, getDb } from '../../lib/platform/db';
import { deploy } from '../db/lib/commands';
import { resolveTarget } from '../db/lib/target';

const readingCount = Number(process.env.BENCH_READINGS ?? 5_000);
const repeat = Number(process.env.BENCH_REPEAT ?? 20);

async function timed(name: string, run: () => Promise<unknown>): Promise<string> {
  await run(); // warm up
  const times: number[] = [];
  for (let i = 0; i < repeat; i += 1) {
    const started = performance.now();
    await run();
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  const median = times[Math.floor(times.length / 2)]!;
  const worst = times.at(-1)!;
  return `${name.padEnd(44)} ${median.toFixed(1).padStart(8)} ms ${worst.toFixed(1).padStart(8)} ms`;
}

async function main() {
  const scratch = process.env.DATABASE_URL ? undefined : mkdtempSync(path.join(os.tmpdir(), 'phr-bench-bp-'));
  const url = process.env.DATABASE_URL ?? `file:${path.join(scratch!, 'bench.db')}`;
  try {
    await deploy(resolveTarget(url));
    reloadConfig({ ...process.env, DATABASE_URL: url, LOG_LEVEL: 'silent' });
    const db = getDb();
    const user = await db.user.create({
      data: { givenName: 'Bench', familyName: 'Citizen', birthDate: '1960-01-01', identityLevel: 'P9', nhsNumber: '9990012377', registeredAt: new Date() },
    });
    const now = new Date();
    const rows = Array.from({ length: readingCount }, (_, i) => ({
      userId: user.id,
      // Twice a day, going back from now: 07:30 and 19:30-ish.
      measuredAt: new Date(now.getTime() - i * 12 * 3_600_000 - 60_000),
      systolic: 115 + ((i * 7) % 40),
      diastolic: 70 + ((i * 3) % 25),
      pulse: i % 3 === 0 ? 60 + (i % 30) : null,
      arm: i % 2 === 0 ? 'left' : 'right',
      sitting: true,
    }));
    const insertStarted = performance.now();
    for (let start = 0; start < rows.length; start += 500) await db.bloodPressureReading.createMany({ data: rows.slice(start, start + 500) });
    const insertMs = performance.now() - insertStarted;

    const lines: string[] = [];
    for (const range of ['30-days', '90-days', 'all'] as ChartRange[]) {
      lines.push(await timed(`history page 1 (${range})`, () => readingsPage(db, user.id, { range, page: 1, now })));
      lines.push(await timed(`chart data (${range})`, () => chartData(db, user.id, range, now)));
      lines.push(await timed(`chart data + SVG (${range})`, async () => bloodPressureChartSvg(await chartData(db, user.id, range, now))));
      // What the readings page reads: both of the above in one query while the chart draws every reading.
      lines.push(await timed(`history page 1 and chart data (${range})`, () => readingsWithChart(db, user.id, { range, page: 1, now })));
    }
    lines.push(await timed('history, last page (all)', () => readingsPage(db, user.id, { range: 'all', page: Math.ceil(readingCount / 20), now })));
    lines.push(await timed('home-monitoring weeks', () => weeksNow(db, user.id, now)));
    lines.push(await timed('professional view (page 1, 30 days, FHIR)', () => bloodPressureForProfessional(user.id, { db, now })));
    lines.push(
      await timed('CSV download, all readings', async () => {
        let count = 0;
        for await (const batch of allReadingsInBatches(db, user.id)) count += batch.length;
        return count;
      }),
    );

    console.log(`Blood pressure queries: ${readingCount} readings for one citizen, ${url.startsWith('file:') ? 'SQLite' : 'PostgreSQL'}`);
    console.log(`Inserted in ${insertMs.toFixed(0)} ms. Load average at the end: ${os.loadavg()[0]?.toFixed(2)} (${os.cpus().length} CPUs).`);
    console.log(`${'what'.padEnd(44)} ${'median'.padStart(11)} ${'worst'.padStart(11)}   (${repeat} runs)`);
    for (const line of lines) console.log(line);

    await db.bloodPressureReading.deleteMany({ where: { userId: user.id } });
    await db.user.delete({ where: { id: user.id } });
  } finally {
    await disconnectDb();
    if (scratch) rmSync(scratch, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
