// The database client. DATABASE_URL chooses the database: file:... is SQLite (the embedded
// default), postgres(ql)://... is PostgreSQL. Each has its own generated client (a client refuses
// another provider's adapter); both come from the same schema, so the app sees one API.
import Database from 'better-sqlite3';
import { PrismaBetterSqlite3 } from '@prisma/adapter-better-sqlite3';
import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient as SqliteClient, type Prisma } from '../generated/sqlite/client';
import { PrismaClient as PostgresClient } from '../generated/postgres/client';
import { config } from './config';
import { DirectReads } from './direct-reads';
import { ServiceUnavailableError } from './errors';
import { reusingStatements } from './sqlite-statements';

/** The client type the app codes against. */
export type Db = SqliteClient;

/** The client inside a transaction. */
export type Tx = Prisma.TransactionClient;

/** PostgreSQL (the scale option), where races that SQLite's one writer hides must be locked out. */
export function isPostgres(url = config().databaseUrl): boolean {
  return /^postgres(ql)?:\/\//.test(url);
}

/**
 * Interactive transactions ($transaction(async tx => ...)): how long one may wait to start and
 * how long it may run. Prisma's defaults (2 and 5 seconds) are tight for SQLite, where a
 * transaction waits for the one before it: on a busy machine a sign-in's transaction failed
 * waiting its turn, and the person had to start again.
 */
export const TRANSACTION_OPTIONS = { maxWait: 10_000, timeout: 15_000 } as const;

/**
 * Prisma's errors without the line of our code that made the query. To find that line, Prisma
 * makes an Error, and so a stack trace, for every query, failed or not: about 13 us of a 64 us
 * lookup by id. An error still has its code (P2002 and the rest) and message, and is logged
 * with its own stack.
 */
const ERROR_FORMAT = 'minimal';

function sqliteClient(url: string): Db {
  const file = url.slice('file:'.length);
  // WAL lets requests read while another writes; it is stored in the file, so set it once here.
  // (better-sqlite3 is built with foreign keys on, and waits up to `timeout` ms on a locked file.)
  let setup: Database.Database;
  try {
    setup = new Database(file);
  } catch (error) {
    // A missing directory or an unreadable file: the database is unavailable, not a bug in a page.
    throw new ServiceUnavailableError(`database: ${error instanceof Error ? error.message : 'cannot open'}`);
  }
  try {
    setup.pragma('journal_mode = WAL');
  } finally {
    setup.close();
  }
  const direct = new DirectReads('sqlite');
  const client = new SqliteClient({
    adapter: direct.keeping(reusingStatements(new PrismaBetterSqlite3({ url, timeout: 5_000 }))),
    transactionOptions: TRANSACTION_OPTIONS,
    errorFormat: ERROR_FORMAT,
  });
  return direct.register(retryingBusyTransactions(client), client);
}

const BUSY_ATTEMPTS = 5;

/** SQLite's "busy" (Prisma's P1008, "Operation has timed out"): another connection wrote first. */
export function isSqliteBusy(error: unknown): boolean {
  const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
  return code === 'P1008' || (typeof message === 'string' && /SQLITE_BUSY|database is locked/.test(message));
}

/**
 * SQLite interactive transactions begin DEFERRED (the adapter's plain BEGIN): one that reads and
 * then writes fails at once with SQLITE_BUSY, without waiting, when another connection (another
 * process: a script, a test, a second instance) committed after its first read. Nothing of it
 * was kept, so the whole transaction is run again, a few times, after a short random pause.
 * A sign-in or a registration then goes through instead of ending on an error page.
 */
function retryingBusyTransactions(client: SqliteClient): SqliteClient {
  const transaction = client.$transaction.bind(client) as (...args: unknown[]) => Promise<unknown>;
  const retrying = async (...args: unknown[]): Promise<unknown> => {
    if (typeof args[0] !== 'function') return transaction(...args);
    for (let attempt = 1; ; attempt += 1) {
      try {
        return await transaction(...args);
      } catch (error) {
        if (attempt >= BUSY_ATTEMPTS || !isSqliteBusy(error)) throw error;
        await new Promise((resolve) => setTimeout(resolve, 10 * attempt + Math.random() * 40));
      }
    }
  };
  return new Proxy(client, { get: (target, property, receiver) => (property === '$transaction' ? retrying : Reflect.get(target, property, receiver)) });
}

function postgresClient(url: string): Db {
  const direct = new DirectReads('postgres');
  const adapter = direct.keeping(new PrismaPg({ connectionString: url, connectionTimeoutMillis: 5_000 }));
  const client = new PostgresClient({ adapter, transactionOptions: TRANSACTION_OPTIONS, errorFormat: ERROR_FORMAT });
  // Generated from the same schema (the derive --check test keeps it so), so the same API, where
  // PostgreSQL only accepts more (e.g. isolation levels): code typed for SQLite runs on both.
  return direct.register(client as unknown as Db, client);
}

export function createDb(url: string): Db {
  if (url.startsWith('file:')) return sqliteClient(url);
  if (url.startsWith('postgres://') || url.startsWith('postgresql://')) return postgresClient(url);
  throw new Error('DATABASE_URL must start with file: (SQLite) or postgres:// / postgresql:// (PostgreSQL)');
}

// Kept on globalThis so that development reloads reuse the connection pool instead of adding one.
const holder = globalThis as typeof globalThis & { phrDb?: Db };

export function getDb(): Db {
  holder.phrDb ??= createDb(config().databaseUrl);
  return holder.phrDb;
}

export async function disconnectDb(): Promise<void> {
  const db = holder.phrDb;
  holder.phrDb = undefined;
  await db?.$disconnect();
}

/** For the health endpoint: can the database answer a trivial query within `timeoutMs`? */
export async function checkDatabase(db?: Db, timeoutMs = 2_000): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), timeoutMs);
  });
  try {
    // Inside the try: opening an unusable SQLite path throws here, and that is a "no" too.
    const query = (db ?? getDb()).$queryRaw`SELECT 1`.then(() => true);
    return await Promise.race([query, timedOut]);
  } catch {
    return false;
  } finally {
    clearTimeout(timer);
  }
}

// Prisma's codes for "cannot reach / lost / timed out waiting for" the database server.
const UNREACHABLE_CODES = new Set(['P1001', 'P1002', 'P1008', 'P1017', 'P2024']);

/** Whether an error means the database cannot be reached (503), rather than a fault in our code (500). */
export function isDatabaseUnavailable(error: unknown): boolean {
  if (error instanceof ServiceUnavailableError) return true;
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && UNREACHABLE_CODES.has(code);
}
