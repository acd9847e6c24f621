// Helpers for the database tests: fresh empty databases of the provider under test, and the
// migrate CLI run as production runs it (a separate process, judged by exit code and output).
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { providerOf, ROOT, type Provider } from './lib/target';

let fallbackUrl: string | undefined;

/** The database under test: DATABASE_URL as set by test-both.sh, else one temporary SQLite file. */
export function databaseUnderTest(): { url: string; provider: Provider } {
  fallbackUrl ??= `file:${path.join(tempDir(), 'test.db')}`;
  const url = process.env.DATABASE_URL || fallbackUrl;
  return { url, provider: providerOf(url) };
}

export function tempDir(): string {
  return mkdtempSync(path.join(tmpdir(), 'phr-db-test-'));
}

export interface ScratchDatabase {
  url: string;
  drop(): Promise<void>;
}

/** A new empty database next to the one under test (a file, or a database on the same server). */
export async function scratchDatabase(): Promise<ScratchDatabase> {
  const { url, provider } = databaseUnderTest();
  if (provider === 'sqlite') {
    const dir = tempDir();
    const drop = async () => rmSync(dir, { recursive: true, force: true });
    return { url: `file:${path.join(dir, 'scratch.db')}`, drop };
  }
  const name = `phr_scratch_${Math.random().toString(36).slice(2, 10)}`;
  await query(url, `CREATE DATABASE "${name}"`);
  const scratch = new URL(url);
  scratch.pathname = `/${name}`;
  const drop = async () => {
    await query(url, `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  };
  return { url: scratch.toString(), drop };
}

/** Runs one SQL statement against a database (tests that inspect or tamper with it). */
export async function query(url: string, sql: string): Promise<Record<string, unknown>[]> {
  if (providerOf(url) === 'sqlite') {
    const db = new Database(url.slice('file:'.length));
    try {
      const statement = db.prepare(sql);
      if (statement.reader) return statement.all() as Record<string, unknown>[];
      statement.run();
      return [];
    } finally {
      db.close();
    }
  }
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(sql)).rows;
  } finally {
    await client.end();
  }
}

export interface CliResult {
  code: number;
  output: string;
}

// Asynchronous on purpose: a blocked test worker misses vitest's RPC deadline.
export function runScript(script: string, args: string[], env: Record<string, string>): Promise<CliResult> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', path.join(ROOT, script), ...args],
      { cwd: ROOT, env: { ...process.env, ...env }, encoding: 'utf8', timeout: 120_000 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        resolve({ code, output: `${stdout}${stderr}` });
      },
    );
  });
}

export function migrate(url: string, ...args: string[]): Promise<CliResult> {
  return runScript('scripts/db/migrate.ts', args, { DATABASE_URL: url, NODE_ENV: 'test' });
}
