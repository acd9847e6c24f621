// Benchmark: the FHIR API's blood pressure search beside the HTML page that shows the same
// readings, both called in-process (the route handlers, no HTTP), 10 clients at once, on one
// throwaway database in the same run: p50/p99 latency and requests a second, and their ratio.
// The app's token comes from a real SMART launch (consent page, PKCE, token endpoint).
//
//   npx tsx scripts/bench/fhir-api.ts                                   (a temporary SQLite file)
//   DATABASE_URL=postgresql://... npx tsx scripts/bench/fhir-api.ts     (an empty PostgreSQL database)
//
// BENCH_READINGS (default 2,000), BENCH_CLIENTS (10) and BENCH_REQUESTS (per client, 100).
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { readingsListPage } from '../../lib/blood-pressure/pages';
import { reloadConfig } from '../../lib/platform/config';
import { disconnectDb, getDb } from '../../lib/platform/db';
import { citizenSessionCookie, makeCitizen } from '../../lib/platform/testing/people';
import { api, connect, PHR, register } from '../../lib/open-platform/test-support';
import { deploy } from '../db/lib/commands';
import { resolveTarget } from '../db/lib/target';

const readingCount = Number(process.env.BENCH_READINGS ?? 2_000);
const clients = Number(process.env.BENCH_CLIENTS ?? 10);
const perClient = Number(process.env.BENCH_REQUESTS ?? 100);

type Result = { name: string; p50: number; p99: number; perSecond: number; bytes: number };

/** `clients` callers at once, each making `perClient` requests one after another. */
async function load(name: string, request: () => Promise<Response>): Promise<Result> {
  for (let i = 0; i < 5; i += 1) await (await request()).arrayBuffer(); // warm up
  const times: number[] = [];
  let bytes = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: clients }, async () => {
      for (let i = 0; i < perClient; i += 1) {
        const begun = performance.now();
        const response = await request();
        const body = await response.arrayBuffer();
        if (response.status !== 200) throw new Error(`${name}: ${response.status}`);
        times.push(performance.now() - begun);
        bytes = body.byteLength;
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  times.sort((a, b) => a - b);
  const at = (q: number) => times[Math.min(times.length - 1, Math.floor(q * times.length))]!;
  return { name, p50: at(0.5), p99: at(0.99), perSecond: times.length / seconds, bytes };
}

async function main() {
  const scratch = process.env.DATABASE_URL ? undefined : mkdtempSync(path.join(os.tmpdir(), 'phr-bench-fhir-'));
  const url = process.env.DATABASE_URL ?? `file:${path.join(scratch!, 'bench.db')}`;
  try {
    await deploy(resolveTarget(url));
    reloadConfig({
      ...process.env,
      // Views compiled once and kept, as in production (development compiles them on every page).
      NODE_ENV: 'test',
      DATABASE_URL: url,
      PUBLIC_URL: PHR,
      LOG_LEVEL: 'silent',
      API_RATE_LIMIT_PER_TOKEN: '1000000',
      API_RATE_LIMIT_PER_APP: '1000000',
    });
    const db = getDb();
    const userId = await makeCitizen({ givenName: 'Bench' });
    const now = Date.now();
    const rows = Array.from({ length: readingCount }, (_, i) => ({
      userId,
      measuredAt: new Date(now - i * 12 * 3_600_000 - 60_000),
      systolic: 115 + ((i * 7) % 40),
      diastolic: 70 + ((i * 3) % 25),
      arm: i % 2 === 0 ? 'left' : 'right',
      sitting: true,
    }));
    for (let start = 0; start < rows.length; start += 500) await db.bloodPressureReading.createMany({ data: rows.slice(start, start + 500) });

    const scope = 'launch/patient openid patient/Observation.rs';
    await register('bench-app', scope.split(' '));
    const { access_token: token } = await connect('bench-app', userId, scope);
    const cookie = await citizenSessionCookie(userId);

    const results = [
      await load('FHIR Observation search (20)', () => api(token, 'Observation?code=http://loinc.org|85354-9&_count=20')),
      await load('HTML readings page (20, 30 days)', () =>
        readingsListPage(new Request(`${PHR}/blood-pressure/readings?range=30-days`, { headers: { cookie } })),
      ),
    ];
    console.log(
      `\n${readingCount} readings, ${clients} clients at once, ${perClient} requests each, in-process (${url.startsWith('file:') ? 'SQLite' : 'PostgreSQL'}); load average ${os.loadavg()[0]!.toFixed(2)}\n`,
    );
    console.log(`${'what'.padEnd(32)} ${'p50 ms'.padStart(8)} ${'p99 ms'.padStart(8)} ${'req/s'.padStart(8)} ${'bytes'.padStart(8)}`);
    for (const r of results) {
      console.log(
        `${r.name.padEnd(32)} ${r.p50.toFixed(1).padStart(8)} ${r.p99.toFixed(1).padStart(8)} ${r.perSecond.toFixed(0).padStart(8)} ${String(r.bytes).padStart(8)}`,
      );
    }
    const [fhir, html] = results as [Result, Result];
    console.log(
      `\nFHIR / HTML: p50 ${(fhir.p50 / html.p50).toFixed(2)}x, p99 ${(fhir.p99 / html.p99).toFixed(2)}x, req/s ${(fhir.perSecond / html.perSecond).toFixed(2)}x`,
    );
    console.log('Target from issue #17: FHIR search p99 under 50 ms at 10 clients.');
  } finally {
    await disconnectDb();
    if (scratch) rmSync(scratch, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
