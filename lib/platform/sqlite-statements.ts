import type Database from 'better-sqlite3';
import type { PrismaBetterSqlite3 } from '@prisma/adapter-better-sqlite3';

/**
 * Prisma's SQLite adapter compiles every statement afresh (`prepare`) each time it runs, though
 * a page runs the same few statements on every view: compiling them was about a tenth of a
 * signed-in page's time (issue 18's profile). Here the adapter's connection keeps the statements it
 * compiled, the most recently used `max` of them, and runs them again with each query's values.
 *
 * better-sqlite3 binds values to a statement for good (`bind`), so the adapter is given a
 * statement that passes the values with each run instead. What the adapter uses of a statement
 * (bind, then reader, run, columns, raw().all(); run alone for BEGIN) is all it has; anything else
 * fails loudly in the tests.
 */

type Args = unknown[];

/** A compiled statement, run with these values each time: what the adapter gets from bind(). */
function withValues(statement: Database.Statement, args: Args) {
  return {
    reader: statement.reader,
    run: () => statement.run(...args),
    columns: () => columnsOf(statement),
    all: () => statement.raw(false).all(...args),
    get: () => statement.raw(false).get(...args),
    raw: (on = true) => ({ all: () => statement.raw(on).all(...args) }),
  };
}

/**
 * A reading statement's columns (names and declared types), asked for on every query: made
 * afresh by better-sqlite3 each time, so kept with the statement (its SQL names its columns).
 */
const columns = new WeakMap<Database.Statement, Database.ColumnDefinition[]>();
function columnsOf(statement: Database.Statement): Database.ColumnDefinition[] {
  let known = columns.get(statement);
  if (!known) {
    known = statement.columns();
    columns.set(statement, known);
  }
  return known;
}

/**
 * Prisma ends a query that takes some rows (findFirst, findUnique, findMany with take) with
 * `LIMIT ? OFFSET ?`. SQLite (since 3.47) reads a bound LIMIT as a constant while compiling, and so
 * compiles the statement again whenever its LIMIT is bound, which is every time it runs: keeping it
 * gained nothing (a session's lookup by id took 19 us against 4 us with the number in the SQL).
 * Such a statement's LIMIT is written into its SQL, when it is a whole number, and kept as that
 * statement; the OFFSET stays a value (binding it compiles nothing again). A query takes few
 * different numbers of rows (1, a page, a chart's points), so few statements are kept for each.
 */
const BOUND_LIMIT = ' LIMIT ? OFFSET ?';

/** The SQL and values to run: a bound whole-number LIMIT written into the SQL (above). */
export function withLimitWritten(sql: string, args: Args): { sql: string; args: Args } {
  if (!sql.endsWith(BOUND_LIMIT) || args.length < 2) return { sql, args };
  const limit = args[args.length - 2];
  const whole =
    typeof limit === 'bigint'
      ? Number.isSafeInteger(Number(limit)) && BigInt(Number(limit)) === limit
      : typeof limit === 'number' && Number.isSafeInteger(limit);
  if (!whole) return { sql, args };
  return { sql: `${sql.slice(0, -BOUND_LIMIT.length)} LIMIT ${String(limit)} OFFSET ?`, args: [...args.slice(0, -2), args[args.length - 1]] };
}

/** Keeps the connection's compiled statements, the `max` most recently used, by their SQL. */
export function keepStatements(db: Database.Database, max = 256): void {
  const prepare = db.prepare.bind(db) as (sql: string) => Database.Statement;
  const kept = new Map<string, Database.Statement>();
  const compiled = (sql: string) => {
    let statement = kept.get(sql);
    if (statement) {
      kept.delete(sql);
    } else {
      statement = prepare(sql);
      if (kept.size >= max) kept.delete(kept.keys().next().value as string);
    }
    kept.set(sql, statement);
    return statement;
  };
  const reused = (sql: string) => {
    const bind = (...given: Args) => {
      const run = withLimitWritten(sql, given.length === 1 && Array.isArray(given[0]) ? given[0] : given);
      return withValues(compiled(run.sql), run.args);
    };
    // Without values (the adapter's BEGIN): the statement as written, compiled only then.
    return { bind, run: () => compiled(sql).run() };
  };
  (db as unknown as { prepare: typeof reused }).prepare = reused;
}

/** The adapter factory, with each connection it makes keeping its statements. */
export function reusingStatements(factory: PrismaBetterSqlite3, max?: number): PrismaBetterSqlite3 {
  const connect = factory.connect.bind(factory);
  factory.connect = async () => {
    const adapter = await connect();
    // The adapter's better-sqlite3 connection (not part of its types).
    const client = (adapter as unknown as { client?: Database.Database }).client;
    if (!client || typeof client.prepare !== 'function') throw new Error('the SQLite adapter has no better-sqlite3 client to keep statements on');
    keepStatements(client, max);
    return adapter;
  };
  return factory;
}
