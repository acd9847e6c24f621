// The scale benchmark (issue #18): generates a small and a large database on a throwaway
// PostgreSQL cluster of its own, times every page's and report's database work on both in one
// run (through the project's lib functions, in a child process per database), prints each
// operation's median on both with the ratio and whether it meets the targets, and EXPLAIN for the
// slowest operations on the large database.
//
//   npm run bench:scale                      100,000 citizens, 10 million readings (a few minutes to generate)
//   npm run bench:scale -- --scale 0.1       10,000 citizens, 1 million readings
//   npm run bench:scale -- --keep            leave the cluster running: the next run reuses its databases
//   npm run bench:scale -- --fresh           generate again even when a kept database is there
//   npm run bench:scale -- --runs 30         timed runs per operation (default 25; reports and background work a third)
//
// The small database always has 1,000 citizens, with the same proportions as the large one.
import { spawn } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { deploy } from '@/scripts/db/lib/commands';
import { resolveTarget } from '@/scripts/db/lib/target';
import { createEmptyDatabase, databaseExists, databaseSize, databaseUrl, startCluster, stopCluster } from './cluster';
import { explain } from './explain';
import { generate, generatedIn, GENERATOR_VERSION } from './generate';
import type { Kind } from './operations';
import { RESULT_MARKER, type Measured, type Timing } from './results';
import { citizensAt, SMALL_CITIZENS } from './sizes';

const TARGETS = {
  /** Per-request: at most this many times its small-database time, and under PER_REQUEST_MS. */
  ratio: 1.5,
  perRequestMs: 50,
  reportMs: 500,
  /** Differences this small are timing noise on a shared machine, not growth. */
  noiseMs: 0.5,
};

const EXPLAINED_OPERATIONS = 3;
const EXPLAINED_QUERIES = 2;
/** Characters of a statement printed above its plan (a report's can be pages long). */
const SQL_SHOWN = 1_500;

type Database = { name: string; url: string; citizens: number; size: string; generatedSeconds?: number };

/** The database for `citizens`: kept from an earlier run when complete and made by this generator, otherwise made now. */
async function prepare(citizens: number, fresh: boolean): Promise<Database> {
  const name = `phr_scale_${citizens}`;
  const url = databaseUrl(name);
  const kept = !fresh && (await databaseExists(name)) ? await generatedIn(url) : null;
  if (kept && kept.citizens === citizens && kept.generator === GENERATOR_VERSION) {
    console.log(`${name}: kept from ${kept.now.toISOString()}`);
    // Migrations added since it was made (columns, indexes) are applied to it too.
    await quietly(() => deploy(resolveTarget(url)));
    return { name, url, citizens, size: await databaseSize(name) };
  }
  console.log(`${name}: generating ${citizens.toLocaleString('en-GB')} citizens`);
  await createEmptyDatabase(name);
  await quietly(() => deploy(resolveTarget(url)));
  const generated = await generate(url, citizens, new Date(), (line) => console.log(line));
  for (const step of generated.slowestSteps) console.log(`    slowest: ${step.name} ${step.seconds.toFixed(1)} s`);
  const size = await databaseSize(name);
  console.log(`  generated in ${generated.seconds.toFixed(0)} s: ${size}`);
  return { name, url, citizens, size, generatedSeconds: generated.seconds };
}

/** The migrator prints every migration it applies: not wanted between the benchmark's lines. */
async function quietly<T>(work: () => Promise<T>): Promise<T> {
  const log = console.log;
  console.log = () => {};
  try {
    return await work();
  } finally {
    console.log = log;
  }
}

/** Runs measure.ts on both databases in a process of its own (the app keeps its configuration and client per process). */
function measure(small: Database, large: Database, runs: number, warmUps: number): Promise<[Measured, Measured]> {
  return new Promise((resolve, reject) => {
    process.stderr.write('timing, one run on each database in turn ');
    const child = spawn('npx', ['tsx', path.join(import.meta.dirname, 'measure.ts'), String(runs), String(warmUps), small.url, large.url], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      const line = output.split('\n').find((l) => l.startsWith(RESULT_MARKER));
      if (!line) return reject(new Error(`timing failed (exit ${code}):\n${output.slice(-2000)}`));
      resolve(JSON.parse(line.slice(RESULT_MARKER.length)) as [Measured, Measured]);
    });
  });
}

function targetText(kind: Kind): string {
  if (kind === 'background') return 'none (worker)';
  return kind === 'per-request' ? `<=${TARGETS.ratio}x, <${TARGETS.perRequestMs} ms` : `<${TARGETS.reportMs} ms`;
}

/** Whether it meets its target: 'yes', 'NO', or '-' for the worker's work, which no one waits for. */
function metText(kind: Kind, small: Timing, large: Timing): string {
  if (kind === 'background') return '-';
  return meetsTarget(kind, small, large) ? 'yes' : 'NO';
}

function meetsTarget(kind: Kind, small: Timing, large: Timing): boolean {
  if (kind !== 'per-request') return large.median! < TARGETS.reportMs;
  const flat = large.median! / small.median! <= TARGETS.ratio || large.median! - small.median! < TARGETS.noiseMs;
  return flat && large.median! < TARGETS.perRequestMs;
}

function printTable(small: Measured, large: Measured, largeCitizens: number) {
  const ms = (value: number) => (value < 10 ? value.toFixed(2) : value.toFixed(0));
  const columns = [
    ['operation', 38],
    ['kind', 11],
    ['small ms', 9],
    ['large ms', 9],
    ['large p95', 9],
    ['ratio', 7],
    ['queries', 8],
    ['target', 18],
    ['met', 4],
  ] as const;
  const row = (cells: string[]) => cells.map((cell, i) => (i < 2 || i === 7 ? cell.padEnd(columns[i]![1]) : cell.padStart(columns[i]![1]))).join(' ');
  console.log(`\nMedians, ${SMALL_CITIZENS.toLocaleString('en-GB')} citizens (small) and ${largeCitizens.toLocaleString('en-GB')} (large):\n`);
  console.log(row(columns.map(([title]) => title)));
  for (const l of large.timings) {
    const s = small.timings.find((t) => t.name === l.name);
    if (!s || s.error || l.error || s.median === undefined || l.median === undefined) {
      console.log(row([l.name, l.kind, s?.error ? 'error' : ms(s?.median ?? NaN), l.error ? 'error' : ms(l.median!), '', '', '', targetText(l.kind), 'no']));
      for (const error of [s?.error && `small: ${s.error}`, l.error && `large: ${l.error}`].filter(Boolean)) console.log(`    ${error}`);
      continue;
    }
    console.log(
      row([
        l.name,
        l.kind,
        ms(s.median),
        ms(l.median),
        ms(l.p95!),
        `${(l.median / s.median).toFixed(1)}x`,
        `${s.queries}→${l.queries}`,
        targetText(l.kind),
        metText(l.kind, s, l),
      ]),
    );
  }
  console.log(
    `\nPer-request: large median under ${TARGETS.perRequestMs} ms and at most ${TARGETS.ratio} times the small one (a difference under ${TARGETS.noiseMs} ms counts as flat).` +
      ` Reports: large median under ${TARGETS.reportMs} ms. Background: the worker's work, timed with no target (no request waits for it).` +
      ' Queries: statements one run sent, small → large.',
  );
}

async function printExplains(large: Measured, url: string) {
  const slowest = large.timings
    .filter((t) => t.median !== undefined)
    .sort((a, b) => b.median! - a.median!)
    .slice(0, EXPLAINED_OPERATIONS);
  for (const timing of slowest) {
    console.log(`\n=== ${timing.name}: ${timing.median!.toFixed(1)} ms median, ${timing.queries} statements; the slowest:`);
    // EXPLAIN ANALYZE runs the statement again, after the benchmark's runs: a write finds its rows already written.
    if (timing.kind === 'background') console.log('(explained after it ran: the rows it wrote are there, so the plan may do less)');
    for (const query of (timing.slowest ?? []).slice(0, EXPLAINED_QUERIES)) {
      const sql = query.sql.length > SQL_SHOWN ? `${query.sql.slice(0, SQL_SHOWN)} … (${query.sql.length - SQL_SHOWN} more characters)` : query.sql;
      console.log(`\n--- ${query.ms.toFixed(1)} ms when recorded\n${sql}\n`);
      console.log(await explain(url, query));
    }
  }
}

function printSubjects(label: string, measured: Measured) {
  const shape = Object.entries(measured.subjects.shape)
    .map(([what, count]) => `${count} ${what}`)
    .join(', ');
  const has = Object.entries(measured.subjects.features)
    .filter(([, present]) => present)
    .map(([feature]) => feature)
    .join(', ');
  console.log(`${label} citizen ${measured.subjects.userId}: ${shape}; has ${has || 'nothing else'}`);
}

async function main() {
  const { values } = parseArgs({
    options: {
      scale: { type: 'string', default: '1' },
      keep: { type: 'boolean', default: false },
      fresh: { type: 'boolean', default: false },
      runs: { type: 'string', default: '25' },
      'warm-ups': { type: 'string', default: '3' },
    },
  });
  const scale = Number(values.scale);
  const runs = Number(values.runs);
  const warmUps = Number(values['warm-ups']);
  if (!(scale > 0) || !(runs > 0) || !(warmUps >= 0)) throw new Error('--scale and --runs must be positive numbers, --warm-ups a number');
  const started = performance.now();
  startCluster();
  console.log(
    `Scale benchmark on its own PostgreSQL cluster (${databaseUrl('').replace(/\/$/, '')}); ${os.cpus().length} cores, load ${os.loadavg()[0]!.toFixed(2)}`,
  );
  try {
    const smallDatabase = await prepare(SMALL_CITIZENS, values.fresh);
    const largeDatabase = await prepare(citizensAt(scale), values.fresh);
    const [small, large] = await measure(smallDatabase, largeDatabase, runs, warmUps);
    console.log(`\nDatabases: small ${smallDatabase.size}, large ${largeDatabase.size}.`);
    printSubjects('Small', small);
    printSubjects('Large', large);
    printTable(small, large, largeDatabase.citizens);
    for (const [label, measured] of [
      ['small', small],
      ['large', large],
    ] as const) {
      console.log(
        measured.auditAppends
          ? `Audit appends, 10 writers at once (${label}): ${measured.auditAppends.perSecond} a second (${measured.auditAppends.appends} in 5 s)`
          : `Audit appends, 10 writers at once (${label}): error: ${measured.auditAppendsError}`,
      );
    }
    await printExplains(large, largeDatabase.url);
    console.log(`\nLoad average now ${os.loadavg()[0]!.toFixed(2)}; the whole run took ${((performance.now() - started) / 1000).toFixed(0)} s.`);
  } finally {
    if (values.keep)
      console.log(
        'Cluster kept (--keep): the next run reuses its databases. Stop it with PG_TEST_PORT=55433 PG_TEST_DIR=.tmp/pg-scale-cluster bash scripts/db/pg-test-cluster.sh stop',
      );
    else stopCluster();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
