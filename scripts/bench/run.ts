// Benchmark: the Next.js production server (route handlers rendering Nunjucks) against the usual
// GOV.UK stack (Express + Nunjucks, scripts/bench/express-baseline.ts) on the same pages, in one
// run on one machine. Both servers run, one loaded at a time (the machine may have 2 cores), page
// by page (Next, then Express), from this process over loopback only. Prints a plain-text table
// to paste into the README.
//
//   npx tsx scripts/bench/run.ts   (after `next build`; `npm run bench` builds first)
//
// BENCH_DURATION, BENCH_WARMUP (seconds) and BENCH_CONNECTIONS change the load. BENCH_INSTANCES
// (default 1) runs that many processes of each server at once, as the service is deployed (several
// instances behind a proxy, README "Deployment"): the connections are shared out among them, as a
// proxy spreads them, and each page's timings, requests and CPU are those of all of them together.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import autocannon from 'autocannon';
import { freePort } from '../lib/free-port';
import { productionSettings } from './lib/production-settings';
import { serverNode, type ServerNode } from './lib/server-node';

const root = path.resolve(__dirname, '../..');
const standalone = path.join(root, '.next/standalone');
const workDir = path.join(root, '.tmp/bench');
const HOST = '127.0.0.1';

const duration = Number(process.env.BENCH_DURATION ?? 10);
const warmup = Number(process.env.BENCH_WARMUP ?? 3);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 10);
const instances = Number(process.env.BENCH_INSTANCES ?? 1);
if (!Number.isInteger(instances) || instances < 1 || instances > connections) {
  throw new Error(`BENCH_INSTANCES=${process.env.BENCH_INSTANCES}: a whole number from 1 to the connections (${connections})`);
}
// Then as people use a service: BENCH_PACED_RATE requests a second in all (20: each of 10 people
// a page every half second, faster than anyone reads one), arriving at random times (a Poisson
// process) rather than each as soon as the last was answered, at most `connections` at once.
// 0 leaves it out.
const pacedRate = Number(process.env.BENCH_PACED_RATE ?? 20);
// gzip, as a browser gets it from the server (scripts/server/compression.cjs: gzip or deflate only).
// BENCH_ACCEPT_ENCODING=identity measures the same pages sent as they are, to see what
// compressing them costs.
const acceptEncoding = process.env.BENCH_ACCEPT_ENCODING ?? 'gzip';

// The start page (content only) and the feedback form (more macros, a CSRF token in the form),
// then the signed-in pages citizens use most, as the seeded demo citizen (Amelia: a year of
// readings, about me, and a care record from the demo care-record server) with a real session.
// BENCH_PAGES=anonymous or signed-in runs only those; or a comma-separated list of these paths
// (then /care-record, if left out, is not viewed first, so the pages show no "not received yet").
type BenchPage = { path: string; signedIn?: boolean };
const allPages: BenchPage[] = [
  { path: '/' },
  { path: '/feedback' },
  // The care record first: its first view links the record and queues everything to send to it,
  // which the other pages then show as "not received yet" (no worker runs here). So each server
  // sees the same state on every page.
  { path: '/care-record', signedIn: true },
  { path: '/account', signedIn: true },
  { path: '/blood-pressure', signedIn: true },
  { path: '/blood-pressure/readings', signedIn: true },
  { path: '/about-me', signedIn: true },
];
const only = process.env.BENCH_PAGES;
const pages = allPages.filter((page) => {
  if (!only) return true;
  if (only === 'anonymous' || only === 'signed-in') return (only === 'signed-in') === Boolean(page.signedIn);
  return only.split(',').includes(page.path);
});
if (pages.length === 0)
  throw new Error(`BENCH_PAGES=${only}: no such pages (anonymous, signed-in or paths from ${allPages.map((page) => page.path).join(', ')})`);
// The demo citizen's cookies as a sign-in leaves them, session and CSRF secret (made in
// prepare()): sent with the signed-in pages only.
let sessionCookie = '';
const headersFor = (page: BenchPage): Record<string, string> => (page.signedIn ? { cookie: sessionCookie } : {});

type Probe = { status: number; headers: http.IncomingHttpHeaders; encoding: string; html: string };
type Load = {
  reqPerSec: number;
  p50: number;
  p90: number;
  p99: number;
  bytesPerResponse: number;
  cpuMsPerRequest: number | undefined;
  paced?: { p50: number; p99: number };
};
type ServerRun = { name: string; probes: Probe[]; loads: Load[] };
/** One server process and the port it listens on. */
type Instance = { child: ChildProcess; port: number };

// Other work on the machine skews req/s and latency (less so CPU per request): the report says how busy it was.
const loadAverageAtStart = os.loadavg()[0] ?? 0;

const children = new Set<ChildProcess>();
const loadsRunning = new Set<autocannon.Instance>();
let databaseDir: string | undefined;
// One secret for both servers, fresh each run: they live for a minute and serve nobody.
const appSecret = `bench-only-${randomBytes(24).toString('hex')}`;
const devKeys = path.join(workDir, 'dev-keys');
let careRecordUrl = 'http://127.0.0.1:9';

/** One GET with the load's accept-encoding, as a browser would; the HTML is unzipped for comparison. */
function probe(port: number, urlPath: string, headers: Record<string, string> = {}): Promise<Probe> {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: HOST, port, path: urlPath, agent: false, headers: { 'accept-encoding': acceptEncoding, ...headers } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        const body = Buffer.concat(chunks);
        const encoding = res.headers['content-encoding'] ?? 'none';
        const html = (encoding === 'gzip' ? zlib.gunzipSync(body) : body).toString('utf8');
        resolve({ status: res.statusCode ?? 0, headers: res.headers, encoding, html });
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    req.setTimeout(10_000, () => req.destroy(new Error(`GET ${urlPath} timed out`)));
  });
}

function start(name: string, command: string, args: string[], cwd: string, env: Record<string, string | undefined>): ChildProcess {
  const log = fs.openSync(path.join(workDir, `${name}.log`), 'w');
  const child = spawn(command, args, { cwd, env: env as NodeJS.ProcessEnv, stdio: ['ignore', log, log] });
  fs.closeSync(log);
  children.add(child);
  child.once('exit', () => children.delete(child));
  return child;
}

function exited(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolve) => child.once('exit', (code) => resolve(code)));
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  const killer = setTimeout(() => child.kill('SIGKILL'), 5000);
  await exited(child);
  clearTimeout(killer);
}

async function waitUntilServing(name: string, child: ChildProcess, port: number): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${name} exited with ${child.exitCode}: see ${path.join(workDir, `${name}.log`)}`);
    const ok = await probe(port, '/').then(
      (p) => p.status === 200,
      () => false,
    );
    if (ok) return;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`${name} did not answer on port ${port} within 60 s: see ${path.join(workDir, `${name}.log`)}`);
}

/** The server process's CPU time (user + system) so far, in ms; Linux only. */
function cpuMs(pid: number | undefined): number | undefined {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may hold spaces): utime and stime are the 12th and 13th.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100; // USER_HZ is 100 on Linux
  } catch {
    return undefined;
  }
}

/** The connections instance `i` of `count` takes: shared out as evenly as they go. */
const connectionsOf = (i: number, count: number) => Math.floor(connections / count) + (i < connections % count ? 1 : 0);

/** Percentile q (0 to 1) of times sorted ascending. */
const percentile = (sorted: number[], q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;

/** One autocannon load on one port, each response's time (ms) added to `times`. */
function loadOne(port: number, urlPath: string, seconds: number, connectionsHere: number, headers: Record<string, string>, times: number[]) {
  return new Promise<autocannon.Result>((resolve, reject) => {
    const running = autocannon(
      { url: `http://${HOST}:${port}${urlPath}`, connections: connectionsHere, duration: seconds, headers: { 'accept-encoding': acceptEncoding, ...headers } },
      (error, result) => {
        loadsRunning.delete(running);
        if (error) return reject(error);
        if (result.errors || result.timeouts || result.non2xx) {
          return reject(new Error(`GET ${urlPath}: ${result.errors} errors, ${result.timeouts} timeouts, ${result.non2xx} non-2xx answers`));
        }
        resolve(result);
      },
    );
    running.on('response', (_client: unknown, _status: number, _bytes: number, responseTime: number) => times.push(responseTime));
    loadsRunning.add(running);
  });
}

/**
 * `connections` connections asking again as soon as answered, shared out among the instances, for `seconds`: requests a second and bytes in all, p50, p90 and p99 over every
 * response.
 */
async function load(ports: number[], urlPath: string, seconds: number, headers: Record<string, string> = {}) {
  const times: number[] = [];
  const results = await Promise.all(ports.map((port, i) => loadOne(port, urlPath, seconds, connectionsOf(i, ports.length), headers, times)));
  times.sort((a, b) => a - b);
  const total = results.reduce((sum, r) => sum + r.requests.total, 0);
  return {
    total,
    reqPerSec: results.reduce((sum, r) => sum + r.requests.average, 0),
    bytes: results.reduce((sum, r) => sum + r.throughput.total, 0),
    p50: percentile(times, 0.5),
    p90: percentile(times, 0.9),
    p99: percentile(times, 0.99),
  };
}

/**
 * `pacedRate` requests a second at random times (exponential gaps), each on one of `connections`
 * kept-alive connections (or waiting for one), timed from when it was due to when its whole
 * answer arrived: p50 and p99 in ms.
 */
async function pacedLoad(ports: number[], urlPath: string, seconds: number, headers: Record<string, string>): Promise<{ p50: number; p99: number }> {
  // With several instances, each takes the next request in turn (round robin, as a proxy may), on
  // its share of the connections.
  const agents = ports.map((_, i) => new http.Agent({ keepAlive: true, maxSockets: connectionsOf(i, ports.length) }));
  const times: number[] = [];
  const requests: Promise<void>[] = [];
  let turn = 0;
  const get = (due: number) =>
    new Promise<void>((resolve, reject) => {
      const i = turn++ % ports.length;
      const req = http.get(
        { host: HOST, port: ports[i], path: urlPath, agent: agents[i], headers: { 'accept-encoding': acceptEncoding, ...headers } },
        (res) => {
          res.resume();
          res.on('end', () => {
            if (res.statusCode !== 200) return reject(new Error(`GET ${urlPath}: ${res.statusCode}`));
            times.push(performance.now() - due);
            resolve();
          });
        },
      );
      req.on('error', reject);
    });
  const started = performance.now();
  let due = started;
  while (due - started < seconds * 1000) {
    const wait = due - performance.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    requests.push(get(due));
    due += (-Math.log(1 - Math.random()) * 1000) / pacedRate;
  }
  await Promise.all(requests);
  for (const agent of agents) agent.destroy();
  times.sort((a, b) => a - b);
  return { p50: percentile(times, 0.5), p99: percentile(times, 0.99) };
}

/** The CPU time (ms) of all the instances so far, or undefined if any cannot be read. */
function cpuMsOfAll(servers: Instance[]): number | undefined {
  const each = servers.map((server) => cpuMs(server.child.pid));
  return each.some((ms) => ms === undefined) ? undefined : each.reduce((sum: number, ms) => sum + ms!, 0);
}

async function serving(name: string, servers: Instance[]): Promise<void> {
  for (const [i, server] of servers.entries()) await waitUntilServing(servers.length > 1 ? `${name}-${i + 1}` : name, server.child, server.port);
}

/** One page on one server: its warm-up, the timed load (with the servers' CPU), then the paced load. */
async function loadPage(name: string, servers: Instance[], page: BenchPage): Promise<Load> {
  const ports = servers.map((server) => server.port);
  process.stderr.write(`${name} ${page.path}: ${warmup} s warm-up, ${duration} s load... `);
  await load(ports, page.path, warmup, headersFor(page));
  const cpuBefore = cpuMsOfAll(servers);
  const result = await load(ports, page.path, duration, headersFor(page));
  const cpuAfter = cpuMsOfAll(servers);
  const paced = pacedRate > 0 ? await pacedLoad(ports, page.path, duration, headersFor(page)) : undefined;
  process.stderr.write(`${Math.round(result.reqPerSec)} req/s\n`);
  return {
    paced,
    reqPerSec: result.reqPerSec,
    p50: result.p50,
    p90: result.p90,
    p99: result.p99,
    bytesPerResponse: result.bytes / result.total,
    cpuMsPerRequest: cpuBefore === undefined || cpuAfter === undefined ? undefined : (cpuAfter - cpuBefore) / result.total,
  };
}

async function probeOk(name: string, servers: Instance[], page: BenchPage): Promise<Probe> {
  const probed = await probe(servers[0]!.port, page.path, headersFor(page));
  if (probed.status !== 200) throw new Error(`${name} answered GET ${page.path} with ${probed.status}`);
  return probed;
}

function databaseUrl(): string {
  if (!databaseDir) throw new Error('database not prepared');
  return `file:${path.join(databaseDir, 'phr.db')}`;
}

/** A server's settings: each instance its own port, all of them the first one's address (as behind one proxy). */
function serverEnv(port: number, publicPort: number, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    NEXT_TELEMETRY_DISABLED: '1',
    HOSTNAME: HOST,
    PORT: String(port),
    ...productionSettings({
      databaseUrl: databaseUrl(),
      publicUrl: `http://${HOST}:${publicPort}`,
      appSecret,
      devKeys,
      scratchDir: databaseDir!,
      // The demo care-record server started by prepare(), which registered this key's public half.
      careRecordUrl,
    }),
    ...extra,
  };
}

async function prepare(): Promise<void> {
  if (!fs.existsSync(path.join(standalone, 'server.js'))) {
    throw new Error('No .next/standalone/server.js: run `NEXT_TELEMETRY_DISABLED=1 npx next build` first (npm run bench does).');
  }
  // The standalone output leaves static files out; the server serves them from beside itself.
  fs.cpSync(path.join(root, 'public'), path.join(standalone, 'public'), { recursive: true, force: true });
  fs.cpSync(path.join(root, '.next/static'), path.join(standalone, '.next/static'), { recursive: true, force: true });
  fs.copyFileSync(path.join(root, 'scripts/server/method-guard.cjs'), path.join(standalone, 'method-guard.cjs'));
  for (const file of ['compression.cjs', 'gzip-levels.cjs']) fs.copyFileSync(path.join(root, 'scripts/server', file), path.join(standalone, file));

  fs.mkdirSync(workDir, { recursive: true });
  databaseDir = fs.mkdtempSync(path.join(workDir, 'db-'));
  const migrate = start('migrate', path.join(root, 'node_modules/.bin/tsx'), ['scripts/db/migrate.ts', 'deploy'], root, {
    PATH: process.env.PATH,
    NODE_ENV: 'production',
    DATABASE_URL: databaseUrl(),
  });
  const code = await exited(migrate);
  if (code !== 0) throw new Error(`migrating the bench database failed: see ${path.join(workDir, 'migrate.log')}`);
  if (!pages.some((page) => page.signedIn)) return;

  // The demo data (Amelia and her readings), and a session for her as a sign-in would leave it.
  const tsx = path.join(root, 'node_modules/.bin/tsx');
  const databaseEnv = { PATH: process.env.PATH, DATABASE_URL: databaseUrl(), APP_SECRET: appSecret, LOG_LEVEL: 'silent' };
  if ((await exited(start('seed', tsx, ['scripts/seed.ts'], root, databaseEnv))) !== 0) {
    throw new Error(`seeding the bench database failed: see ${path.join(workDir, 'seed.log')}`);
  }
  const cookieFile = path.join(databaseDir, 'session-cookie');
  // The servers run in production, so their cookies are the __Host- ones an https address gets.
  const session = start('session', tsx, ['scripts/bench/demo-session.ts', cookieFile], root, { ...databaseEnv, PUBLIC_URL: 'https://bench.example' });
  if ((await exited(session)) !== 0) throw new Error(`making a session failed: see ${path.join(workDir, 'session.log')}`);
  sessionCookie = fs.readFileSync(cookieFile, 'utf8').trim();

  // The demo care-record server: the care record page fetches from it, as in the demo.
  const port = await freePort();
  careRecordUrl = `http://${HOST}:${port}`;
  const careRecord = start('care-record', tsx, ['scripts/care-record/server.ts'], root, {
    PATH: process.env.PATH,
    CARE_RECORD_PORT: String(port),
    CARE_RECORD_PUBLIC_URL: careRecordUrl,
    DEV_KEYS_DIR: devKeys,
    LOG_LEVEL: 'silent',
  });
  const deadline = Date.now() + 30_000;
  while (
    !(await probe(port, '/metadata').then(
      (p) => p.status === 200,
      () => false,
    ))
  ) {
    if (careRecord.exitCode !== null || Date.now() > deadline)
      throw new Error(`the care-record server did not start: see ${path.join(workDir, 'care-record.log')}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

// The CSRF token, the seconds a signed-in page says are left, the minute a page says it was printed,
// and the positions in a chart drawn against the clock (the last 30 days end now) differ from
// request to request.
const normalised = (html: string) =>
  html
    .replace(/(name="_csrf" value=")[^"]*"/g, '$1…"')
    .replace(/(data-seconds-left=")\d+"/g, '$1…"')
    .replace(/(, printed )[^<]*(<\/p>)/g, '$1…$2')
    .replace(/<svg\b[\s\S]*?<\/svg>/g, (chart) => chart.replace(/\d+(\.\d+)?/g, '#'));

/** Headers whose presence or value differs between the two servers (date and the random cookie aside). */
function headerDifferences(next: Probe, express: Probe): string[] {
  const ignored = new Set(['date', 'set-cookie']);
  const names = new Set([...Object.keys(next.headers), ...Object.keys(express.headers)]);
  const differences: string[] = [];
  for (const name of [...names].sort()) {
    if (ignored.has(name)) continue;
    const a = next.headers[name];
    const b = express.headers[name];
    if (String(a) === String(b)) continue;
    if (b === undefined) differences.push(`only Next: ${name}: ${String(a)}`);
    else if (a === undefined) differences.push(`only Express: ${name}: ${String(b)}`);
    else differences.push(`${name}: Next "${String(a)}", Express "${String(b)}"`);
  }
  const cookie = (p: Probe) => (p.headers['set-cookie'] ?? []).map((c) => c.replace(/=[^;]*/, '=…')).join(', ');
  if (cookie(next) !== cookie(express)) differences.push(`set-cookie: Next "${cookie(next)}", Express "${cookie(express)}"`);
  return differences;
}

function version(name: string): string {
  return (JSON.parse(fs.readFileSync(path.join(root, 'node_modules', name, 'package.json'), 'utf8')) as { version: string }).version;
}

function report(next: ServerRun, express: ServerRun): string {
  const cpus = os.cpus();
  const pad = (cells: string[], widths: number[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  const round = (n: number, digits = 0) => n.toFixed(digits);

  const lines = [
    'Person Held Record: Next.js route handlers vs Express baseline, same Nunjucks views',
    `date      ${new Date().toISOString()}`,
    `machine   ${cpus[0]?.model.trim() ?? 'unknown cpu'}, ${cpus.length} cores, ${round(os.totalmem() / 2 ** 30, 1)} GB RAM, ${os.type()} ${os.release()}`,
    `software  servers on node ${runtime?.version ?? process.version}${runtime && runtime.version !== process.version ? ` (BENCH_NODE; the load on ${process.version})` : ''}, next ${version('next')}, express ${version('express')}, nunjucks ${version('nunjucks')}, govuk-frontend ${version('govuk-frontend')}, autocannon ${version('autocannon')}`,
    `busy      load average ${round(loadAverageAtStart, 2)} at start, ${round(os.loadavg()[0] ?? 0, 2)} at end (1-minute; ${cpus.length} cores)`,
    `load      autocannon in the bench process, ${HOST}, ${connections} connections, ${warmup} s warm-up then ${duration} s per page, one server at a time (Next first), accept-encoding: ${acceptEncoding}`,
    `instances ${instances} process${instances > 1 ? 'es' : ''} of each server${instances > 1 ? ', the connections shared out among them; CPU is theirs together' : ''}`,
    '',
  ];

  const widths = [20, 7, 7, 7, 7, 11, 11, 11, 11];
  lines.push(pad(['page / server', 'req/s', 'p50 ms', 'p90 ms', 'p99 ms', 'bytes/resp', 'HTML bytes', 'CPU ms/req', 'paced p99'], widths));
  pages.forEach((page, i) => {
    for (const run of [next, express]) {
      const l = run.loads[i]!;
      const p = run.probes[i]!;
      lines.push(
        pad(
          [
            `${page.path} ${run.name}`,
            round(l.reqPerSec),
            round(l.p50),
            round(l.p90),
            round(l.p99),
            `${round(l.bytesPerResponse)} B`,
            `${Buffer.byteLength(p.html)} B`,
            l.cpuMsPerRequest === undefined ? 'n/a' : round(l.cpuMsPerRequest, 2),
            l.paced ? round(l.paced.p99) : 'n/a',
          ],
          widths,
        ),
      );
    }
  });
  lines.push('', pad(['Next / Express', 'req/s', 'p50', 'p99', 'CPU/req'], [20, 7, 7, 7, 11]));
  pages.forEach((page, i) => {
    const n = next.loads[i]!;
    const e = express.loads[i]!;
    const cpu = n.cpuMsPerRequest !== undefined && e.cpuMsPerRequest ? `${round(n.cpuMsPerRequest / e.cpuMsPerRequest, 2)}x` : 'n/a';
    lines.push(
      pad([page.path, `${round(n.reqPerSec / e.reqPerSec, 2)}x`, `${round(n.p50 / e.p50, 2)}x`, `${round(n.p99 / e.p99, 2)}x`, cpu], [20, 7, 7, 7, 11]),
    );
  });

  lines.push(
    '',
    `bytes/resp: bytes read per response, headers included, as sent (${acceptEncoding}). HTML: the page unzipped.`,
    `CPU ms/req: the server ${instances > 1 ? "processes' " : "process's "}user+system CPU during the timed load, per request.`,
    `req/s, p50, p90, p99: ${connections} connections asking again as soon as answered (the server saturated: each request waits behind the others).`,
    pacedRate > 0
      ? `paced p99: ${pacedRate} requests a second in all at random times (Poisson), at most ${connections} at once, ${duration} s; each timed from when it was due, waiting for a connection included.`
      : 'paced p99: not measured (BENCH_PACED_RATE=0).',
    "p50, p90 and p99 are over every response's time as autocannon took it; the load generator shares the machine's cores with the server.",
    '',
    'The same in both:',
  );
  pages.forEach((page, i) => {
    const same = normalised(next.probes[i]!.html) === normalised(express.probes[i]!.html);
    let where = '';
    if (!same) {
      // Both kept, to see what differs: diff .tmp/bench/<page>.next.html .tmp/bench/<page>.express.html
      const slug = page.path.replace(/\W+/g, '-').replace(/^-|-$/g, '') || 'start';
      for (const [server, result] of [
        ['next', next],
        ['express', express],
      ] as const) {
        fs.writeFileSync(path.join(workDir, `${slug}.${server}.html`), normalised(result.probes[i]!.html));
      }
      where = ` (both in .tmp/bench/${slug}.*.html)`;
    }
    lines.push(`- ${page.path} HTML ${same ? 'identical' : 'DIFFERENT'} byte for byte (CSRF token aside)${where}`);
  });
  lines.push(
    '- views, Nunjucks loaders and options, context (service config, CSRF token)',
    '- security headers (lib/platform/security-headers.ts), cache-control: no-store',
    '- cookies: signed-in pages are sent those a sign-in leaves (session, CSRF secret); anonymous pages none',
    '  (every request a first visit, given a CSRF cookie)',
    `- compression: Next ${next.probes.map((p) => p.encoding).join('/')}, Express ${express.probes.map((p) => p.encoding).join('/')} (both scripts/server/compression.cjs: pages at gzip level 3)`,
    `- ${instances === 1 ? 'one Node process each' : `${instances} Node processes each`}, NODE_ENV=production, same machine, same run, loopback`,
    "Not the same, and measured on purpose: Next's server, router, header rules and Web Request/Response",
    "conversion around the route handler, against Express's router and res.render.",
  );
  const differences = pages.flatMap((page, i) => headerDifferences(next.probes[i]!, express.probes[i]!).map((d) => `- ${page.path} ${d}`));
  lines.push(differences.length ? 'Headers that differ:' : 'Headers: the same (date and cookie value aside).', ...[...new Set(differences)]);
  return lines.join('\n');
}

// To see where a server's time goes: BENCH_SERVER_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof"
// (Node refuses --cpu-prof in NODE_OPTIONS), a profile per server when it stops.
const nodeArgs = (process.env.BENCH_SERVER_NODE_ARGS ?? '').split(/\s+/).filter(Boolean);
// BENCH_NODE=24: both servers on Node 24, the production target, rather than this machine's Node
// (lib/server-node.ts). The load and the demo care-record server stay on this process's Node.
let runtime: ServerNode | undefined;

/** `instances` processes of one server, each on its own port, all with the first one's address. */
async function startInstances(name: string, startOne: (port: number, publicPort: number, label: string) => ChildProcess): Promise<Instance[]> {
  const ports: number[] = [];
  while (ports.length < instances) {
    const port = await freePort();
    if (!ports.includes(port)) ports.push(port);
  }
  return ports.map((port, i) => ({ port, child: startOne(port, ports[0]!, instances > 1 ? `${name}-${i + 1}` : name) }));
}

async function main(): Promise<void> {
  runtime = serverNode(root);
  await prepare();

  const nextServers = await startInstances('next', (port, publicPort, label) =>
    start(
      label,
      runtime!.execPath,
      [...runtime!.args, ...nodeArgs, '--require', './method-guard.cjs', '--require', './compression.cjs', 'server.js'],
      standalone,
      serverEnv(port, publicPort),
    ),
  );
  await serving('next', nextServers);
  // Each page once from Next first (the care record's first view links the record, as above):
  // how Next compresses them decides how the baseline does.
  const next: ServerRun = { name: 'next', probes: [], loads: [] };
  for (const page of pages) next.probes.push(await probeOk('next', nextServers, page));
  const encodings = new Set(next.probes.map((p) => p.encoding));
  if (encodings.size !== 1) throw new Error(`Next compresses some pages and not others (${[...encodings].join(', ')}): cannot match`);
  const gzip = encodings.has('gzip');

  const expressServers = await startInstances('express', (port, publicPort, label) =>
    start(
      label,
      runtime!.execPath,
      [...runtime!.args, ...nodeArgs, '--import', 'tsx', 'scripts/bench/express-baseline.ts'],
      root,
      serverEnv(port, publicPort, { BASELINE_GZIP: gzip ? '1' : '0' }),
    ),
  );
  await serving('express', expressServers);
  const express: ServerRun = { name: 'express', probes: [], loads: [] };
  for (const page of pages) express.probes.push(await probeOk('express', expressServers, page));

  // Page by page, Next and then Express on the same page, so that the two of a pair are a minute
  // apart: this machine's speed drifts within the hour, and a pair taken minutes apart measured
  // the drift as much as the servers. Only one server is loaded at a time; the other waits idle.
  for (const page of pages) {
    next.loads.push(await loadPage('next', nextServers, page));
    express.loads.push(await loadPage('express', expressServers, page));
  }
  await Promise.all([...nextServers, ...expressServers].map((server) => stop(server.child)));

  console.log(report(next, express));
}

let shuttingDown = false;
async function shutdown(code: number): Promise<void> {
  if (shuttingDown) return;
  shuttingDown = true;
  for (const running of loadsRunning) running.stop();
  await Promise.all([...children].map(stop));
  if (databaseDir) fs.rmSync(databaseDir, { recursive: true, force: true });
  process.exit(code);
}

process.on('SIGINT', () => {
  console.error('\ninterrupted: stopping the servers');
  void shutdown(130);
});
process.on('SIGTERM', () => void shutdown(143));

main().then(
  () => shutdown(0),
  (error: unknown) => {
    // After Ctrl-C the stopped load fails too: that is not worth reporting.
    if (!shuttingDown) console.error(`bench failed: ${error instanceof Error ? error.message : String(error)}`);
    return shutdown(1);
  },
);
