// The timing half of the scale benchmark, run by run.ts in a child process of its own (the app
// keeps its configuration and client per process). Times every operation (operations.ts) on
// the small and the large database, one run on each in turn, so that whatever else the machine
// is doing slows both alike; then runs each once more recording the SQL it sent. Prints the
// results as one JSON line after RESULT_MARKER.
//
//   npx tsx scripts/bench/scale/measure.ts <runs> <warm-ups> <small database URL> <large database URL>
import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient } from '@/lib/generated/postgres/client';
import { reloadConfig } from '@/lib/platform/config';
import { getDb, TRANSACTION_OPTIONS, type Db } from '@/lib/platform/db';
import { DirectReads } from '@/lib/platform/direct-reads';
import { auditAppendsPerSecond } from './audit-appends';
import { operations, pickSubjects, type Operation } from './operations';
import { RESULT_MARKER, type CapturedQuery, type Measured, type Timing } from './results';

const QUERIES_KEPT = 3;

/** The recorded statements of the run being captured; null while timing. */
let capturing: CapturedQuery[] | null = null;

type Side = { url: string; client: PrismaClient; operations: Operation[]; measured: Measured };

/**
 * The app's PostgreSQL client as lib/platform/db.ts makes it, with Prisma's query events on, and
 * its direct reads (lib/platform/direct-reads.ts) recorded alike.
 */
function recordingClient(url: string): PrismaClient {
  const direct = new DirectReads('postgres', (query) => capturing?.push({ sql: query.sql, params: JSON.stringify(query.args), ms: query.ms }));
  const client = new PrismaClient({
    adapter: direct.keeping(new PrismaPg({ connectionString: url, connectionTimeoutMillis: 5_000 })),
    transactionOptions: TRANSACTION_OPTIONS,
    log: [{ emit: 'event', level: 'query' }],
  });
  client.$on('query', (event) => capturing?.push({ sql: event.query, params: event.params, ms: event.duration }));
  return direct.register(client, client);
}

/**
 * Points the app at one side's database: its configuration, and its client put where getDb()
 * keeps the process's one client (on globalThis, lib/platform/db.ts), so every lib function uses it.
 */
function use(side: Side): void {
  reloadConfig({ ...process.env, NODE_ENV: 'test', DATABASE_URL: side.url, LOG_LEVEL: 'silent' });
  (globalThis as typeof globalThis & { phrDb?: Db }).phrDb = side.client as unknown as Db;
  if (getDb() !== (side.client as unknown as Db)) throw new Error('getDb() did not take the recording client');
}

const errorText = (error: unknown) => (error instanceof Error ? (error.message.split('\n').filter(Boolean).at(-1) ?? '').slice(0, 200) : String(error));

const quantile = (sorted: number[], q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;

/** One run of an operation on one side (its `prepare` untimed); its statements recorded into `into` when given. */
async function once(side: Side, operation: Operation, run: number, into?: CapturedQuery[]): Promise<number> {
  use(side);
  const prepared = await operation.prepare?.(run);
  capturing = into ?? null;
  const started = performance.now();
  try {
    await operation.run(prepared, run);
  } finally {
    capturing = null;
  }
  return performance.now() - started;
}

function timing(operation: Operation, times: number[], captured: CapturedQuery[]): Timing {
  times.sort((a, b) => a - b);
  return {
    name: operation.name,
    kind: operation.kind,
    median: quantile(times, 0.5),
    p95: quantile(times, 0.95),
    runs: times.length,
    queries: captured.filter((query) => !/^\s*(BEGIN|COMMIT|ROLLBACK)\b/i.test(query.sql)).length,
    slowest: captured
      .filter((query) => /^\s*(SELECT|WITH|INSERT|UPDATE|DELETE)\b/i.test(query.sql))
      .sort((a, b) => b.ms - a.ms)
      .slice(0, QUERIES_KEPT),
  };
}

/** Times operation `index` on both sides, alternating; a failure is that side's "error", not the end of the benchmark. */
async function timeBoth(sides: Side[], index: number, runs: number, warmUps: number): Promise<void> {
  const operation = sides[0]!.operations[index]!;
  // Reports and background work are slower: a third as many runs (at least 3).
  const count = operation.kind === 'per-request' ? runs : Math.max(3, Math.ceil(runs / 3));
  const times = sides.map(() => [] as number[]);
  const failed = sides.map(() => undefined as string | undefined);
  for (let run = 0; run < warmUps + count + 1; run += 1) {
    for (const [n, side] of sides.entries()) {
      if (failed[n]) continue;
      const own = side.operations[index]!;
      const last = run === warmUps + count;
      const captured: CapturedQuery[] = [];
      try {
        const ms = await once(side, own, run, last ? captured : undefined);
        if (run >= warmUps && !last) times[n]!.push(ms);
        if (last) side.measured.timings.push(timing(own, times[n]!, captured));
      } catch (error) {
        failed[n] = errorText(error);
        side.measured.timings.push({ name: own.name, kind: own.kind, error: failed[n] });
      }
    }
  }
}

async function main() {
  const [runs, warmUps, smallUrl, largeUrl] = process.argv.slice(2);
  if (!smallUrl || !largeUrl) throw new Error('usage: measure.ts <runs> <warm-ups> <small database URL> <large database URL>');
  const now = new Date();
  const sides: Side[] = [];
  for (const url of [smallUrl, largeUrl]) {
    // The large database's citizen has what the small one's has (pickSubjects).
    const subjects = await pickSubjects(url, sides[0]?.measured.subjects.features);
    sides.push({ url, client: recordingClient(url), operations: operations(subjects, now), measured: { subjects, timings: [] } });
  }
  try {
    for (let index = 0; index < sides[0]!.operations.length; index += 1) {
      await timeBoth(sides, index, Number(runs), Number(warmUps));
      process.stderr.write('.');
    }
    // One after the other: ten writers on each database at once would measure the machine.
    for (const side of sides) {
      use(side);
      try {
        side.measured.auditAppends = await auditAppendsPerSecond(10, 5);
      } catch (error) {
        side.measured.auditAppendsError = errorText(error);
      }
    }
    process.stderr.write('\n');
    process.stdout.write(`${RESULT_MARKER}${JSON.stringify(sides.map((side) => side.measured))}\n`);
  } finally {
    for (const side of sides) await side.client.$disconnect();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
