// Benchmark: our own work on the signed-in pages, without a server around it. Each page's route
// handler (app/*/route.ts, as Next.js and the Express baseline call it) is called in this process,
// one request at a time, with a real session for the seeded demo citizen (Amelia: a year of
// readings, about me) on a throwaway SQLite database, in production mode. Prints the CPU and the
// time each request took and the page's size: what our code costs, apart from Next.js, HTTP and
// gzip, and steadier than the loaded servers of `npm run bench` on a busy machine. Then what
// gzipping each page costs, at the level the server sends pages at and at zlib's default.
//
//   npm run bench:pages
//
// BENCH_REQUESTS (default 500) timed requests a page, after BENCH_WARMUP (default 50);
// BENCH_PAGES, a comma-separated list of page paths, times only those (for a profile of one page).
// The care record page is left out: it needs the demo care-record server (`npm run bench` has it).
import { mkdtempSync, rmSync } from 'node:fs';
import v8 from 'node:v8';
import os from 'node:os';
import zlib from 'node:zlib';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { seedDemoCitizenReadings } from '../../lib/blood-pressure/seed';
import { reloadConfig } from '../../lib/platform/config';
import { disconnectDb, getDb } from '../../lib/platform/db';
import { citizenSessionCookie } from '../../lib/platform/testing/people';
import { deploy } from '../db/lib/commands';
import { resolveTarget } from '../db/lib/target';
import { DEMO_CITIZEN_ID, seedDemoCitizen } from '../seed-demo-citizen';
import { PAGE_LEVEL } from '../server/gzip-levels.cjs';
import { productionSettings } from './lib/production-settings';

const requests = Number(process.env.BENCH_REQUESTS ?? 500);
const warmup = Number(process.env.BENCH_WARMUP ?? 50);
const only = process.env.BENCH_PAGES?.split(',')
  .map((p) => p.trim())
  .filter(Boolean);

type RouteModule = { GET: (req: Request) => Promise<Response> };
const pages: Record<string, () => Promise<unknown>> = {
  '/account': () => import('../../app/account/route'),
  '/blood-pressure': () => import('../../app/blood-pressure/route'),
  '/blood-pressure/readings': () => import('../../app/blood-pressure/readings/route'),
  '/about-me': () => import('../../app/about-me/route'),
};

async function main() {
  const unknown = only?.filter((p) => !(p in pages)) ?? [];
  if (unknown.length > 0) throw new Error(`BENCH_PAGES: no such page ${unknown.join(', ')} (pages: ${Object.keys(pages).join(', ')})`);
  const scratch = mkdtempSync(path.join(os.tmpdir(), 'phr-bench-pages-'));
  try {
    const databaseUrl = `file:${path.join(scratch, 'bench.db')}`;
    await deploy(resolveTarget(databaseUrl));
    const publicUrl = 'http://127.0.0.1:3000';
    const settings = productionSettings({
      databaseUrl,
      publicUrl,
      appSecret: `bench-only-${randomBytes(24).toString('hex')}`,
      devKeys: path.join(scratch, 'dev-keys'),
      scratchDir: scratch,
    });
    reloadConfig({ ...process.env, ...settings, LOG_LEVEL: 'silent' });
    // As the demo seeds her (scripts/seed.ts): the citizen, then a year of readings.
    await seedDemoCitizen(getDb());
    await seedDemoCitizenReadings(getDb());
    const cookie = await citizenSessionCookie(DEMO_CITIZEN_ID);

    const gzipLines = [
      `${'page'.padEnd(26)} ${`level ${PAGE_LEVEL} µs`.padStart(11)} ${'bytes'.padStart(7)} ${'level 6 µs'.padStart(11)} ${'bytes'.padStart(7)}`,
    ];
    const lines = [
      `${'page'.padEnd(26)} ${'CPU ms/req'.padStart(10)} ${'ms/req'.padStart(8)} ${'HTML bytes'.padStart(11)} ${'GC ms/req'.padStart(10)} ${'promoted kB/req'.padStart(16)}`,
    ];
    for (const [pagePath, load] of Object.entries(pages).filter(([p]) => !only || only.includes(p))) {
      const { GET } = (await load()) as RouteModule;
      let html = '';
      const call = async () => {
        const response = await GET(new Request(`${publicUrl}${pagePath}`, { headers: { cookie } }));
        html = await response.text();
        if (response.status !== 200) throw new Error(`GET ${pagePath} answered ${response.status}`);
        return html.length;
      };
      for (let i = 0; i < warmup; i += 1) await call();
      const cpuBefore = process.cpuUsage();
      const started = performance.now();
      let bytes = 0;
      const profiler = new v8.GCProfiler();
      profiler.start();
      for (let i = 0; i < requests; i += 1) bytes = await call();
      const gc = garbageCollection(profiler.stop());
      const cpu = process.cpuUsage(cpuBefore);
      const cpuMs = (cpu.user + cpu.system) / 1000 / requests;
      const wallMs = (performance.now() - started) / requests;
      const gcMs = gc.pauseMs / requests;
      const promotedKb = gc.promotedBytes / 1024 / requests;
      lines.push(
        `${pagePath.padEnd(26)} ${cpuMs.toFixed(2).padStart(10)} ${wallMs.toFixed(2).padStart(8)} ${String(bytes).padStart(11)} ${gcMs.toFixed(2).padStart(10)} ${promotedKb.toFixed(0).padStart(16)}`,
      );
      gzipLines.push(await gzipCosts(pagePath, html));
    }
    const load = os.loadavg()[0]!.toFixed(2);
    console.log(
      [
        `Each page gzipped as the server sends it (scripts/server/compression.cjs), at level ${PAGE_LEVEL}, and at zlib's default, 6,`,
        `as Next.js did: ${GZIP_ROUNDS} times at each level after 20 to warm up, in turn, a stream each time (CPU µs a page, the zlib threads' included; bytes).`,
        ...gzipLines,
        `Signed-in pages called in-process: ${requests} requests a page after ${warmup} to warm up, one at a time, SQLite.`,
        `node ${process.version}, ${os.cpus().length} CPUs, load average at the end ${load}.`,
        ...lines,
        "CPU ms/req: this process's user+system CPU (the garbage collector's threads included) per request.",
        "GC ms/req: the garbage collector's time on the main thread (v8.GCProfiler's cost of each collection and marking step).",
        'promoted kB/req: what young-generation collections moved to the old generation, where only a full collection frees it.',
      ].join('\n'),
    );
  } finally {
    await disconnectDb();
    rmSync(scratch, { recursive: true, force: true });
  }
}

const GZIP_ROUNDS = 200;

/** CPU (µs) and bytes of gzipping `html` as one answer's stream, at PAGE_LEVEL and at 6, a round of each at a time. */
async function gzipCosts(pagePath: string, html: string): Promise<string> {
  const body = Buffer.from(html);
  const once = (level: number) =>
    new Promise<number>((resolve, reject) => {
      let size = 0;
      const gzip = zlib.createGzip({ level });
      gzip.on('data', (chunk: Buffer) => (size += chunk.length));
      gzip.on('end', () => resolve(size));
      gzip.on('error', reject);
      gzip.end(body);
    });
  const levels = [PAGE_LEVEL, 6];
  const cpu = levels.map(() => 0);
  const sizes = levels.map(() => 0);
  for (let round = 0; round < 20; round += 1) for (const level of levels) await once(level);
  for (let round = 0; round < GZIP_ROUNDS; round += 1) {
    for (const [i, level] of levels.entries()) {
      const before = process.cpuUsage();
      sizes[i] = await once(level);
      const used = process.cpuUsage(before);
      cpu[i]! += used.user + used.system;
    }
  }
  const cell = (i: number) => `${(cpu[i]! / GZIP_ROUNDS).toFixed(0).padStart(11)} ${String(sizes[i]).padStart(7)}`;
  return `${pagePath.padEnd(26)} ${cell(0)} ${cell(1)}`;
}

type SpaceSizes = v8.GCProfilerResult['statistics'][number]['beforeGC'];

/** The old generation's spaces: all but the young generation's and the read-only one. */
const oldBytes = ({ heapSpaceStatistics }: SpaceSizes) =>
  heapSpaceStatistics
    .filter((space) => !['new_space', 'new_large_object_space', 'read_only_space'].includes(space.spaceName))
    .reduce((sum, space) => sum + space.spaceUsedSize, 0);

/** Time in the collector (cost is in microseconds), and how much the young collections promoted: how much the old generation grew in each. */
function garbageCollection(profile: v8.GCProfilerResult): { pauseMs: number; promotedBytes: number } {
  let pauseMs = 0;
  let promotedBytes = 0;
  for (const collection of profile.statistics) {
    pauseMs += collection.cost / 1000;
    if (collection.gcType === 'Scavenge' || collection.gcType === 'MinorMarkSweep')
      promotedBytes += oldBytes(collection.afterGC) - oldBytes(collection.beforeGC);
  }
  return { pauseMs, promotedBytes };
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
