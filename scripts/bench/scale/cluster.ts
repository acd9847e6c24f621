// The benchmark's own throwaway PostgreSQL cluster, beside the tests' one (port 55432, never
// touched here): started with scripts/db/pg-test-cluster.sh on another port and directory, with
// the memory and write settings a bulk load wants.
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import pg from 'pg';
import { ROOT } from '@/scripts/db/lib/target';

const PORT = 55433;
const DIR = path.join(ROOT, '.tmp/pg-scale-cluster');

const SETTINGS = [
  'shared_buffers=1GB',
  'max_wal_size=4GB',
  'checkpoint_timeout=30min',
  // Loading skips the WAL where it can; the cluster is thrown away, never replicated.
  'wal_level=minimal',
  'max_wal_senders=0',
  'synchronous_commit=off',
  'maintenance_work_mem=512MB',
  'max_parallel_maintenance_workers=2',
  'effective_cache_size=4GB',
];

function script(command: 'start' | 'stop' | 'url'): string {
  return execFileSync('bash', [path.join(ROOT, 'scripts/db/pg-test-cluster.sh'), command], {
    env: { ...process.env, PG_TEST_PORT: String(PORT), PG_TEST_DIR: DIR, PG_TEST_OPTIONS: SETTINGS.map((s) => `-c ${s}`).join(' ') },
    encoding: 'utf8',
  }).trim();
}

export function startCluster(): void {
  script('start');
}

/** Stops the cluster and deletes its data directory. */
export function stopCluster(): void {
  script('stop');
}

export function databaseUrl(name: string): string {
  return script('url').replace(/\/[^/]+$/, `/${name}`);
}

export const serverLog = path.join(DIR, 'server.log');

async function admin<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: databaseUrl('postgres') });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

export function databaseExists(name: string): Promise<boolean> {
  return admin(async (client) => (await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name])).rowCount === 1);
}

export function createEmptyDatabase(name: string): Promise<void> {
  return admin(async (client) => {
    await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await client.query(`CREATE DATABASE "${name}"`);
  });
}

/** The database's size on disk, for instance "3.1 GB". */
export function databaseSize(name: string): Promise<string> {
  return admin(async (client) => (await client.query<{ size: string }>('SELECT pg_size_pretty(pg_database_size($1)) AS size', [name])).rows[0]!.size);
}
