import { ServiceUnavailableError } from './errors';

/**
 * Reads that go straight to the driver adapter the Prisma client itself queries through (the
 * same connection or pool), for the few queries a signed-in page makes on every view. Through the
 * client a query cost about 60 us before its rows and 4 us a row: it interprets a plan, and
 * builds each row three times over with a Date for every date. The same SQL through the adapter
 * costs about 15 us and 1.5 us a row (issue 18: a session with its account 118 -> 15 us, a month of
 * readings 260 -> 90 us).
 *
 * Reads only; everything that writes stays with Prisma. The SQL is written once for SQLite and
 * PostgreSQL: names in double quotes, values as `?` (numbered $1, $2, ... for PostgreSQL; so `?`
 * appears nowhere else in it). What a row holds is listed once per model (`Columns<Row>`), typed
 * against Prisma's own row type: a column added to the schema does not compile until it is listed.
 * The tests read each row both ways, on both databases, and expect the same objects.
 */

/** How a column's values come back: as Prisma's client gives them. */
type KindOf<T> = [T] extends [string] ? 'text' : [T] extends [number] ? 'int' : [T] extends [boolean] ? 'bool' : [T] extends [Date] ? 'date' : never;

/** Every column of `Row` with its kind, ending in `?` where the column may be null. */
export type Columns<Row> = { readonly [K in keyof Row]-?: null extends Row[K] ? `${KindOf<NonNullable<Row[K]>>}?` : KindOf<Row[K]> };

type Value = string | number | boolean | Date | null;

type ArgType = { scalarType: 'datetime' | 'string' | 'boolean' | 'int' | 'float' | 'unknown'; arity: 'scalar' };
type SqlQuery = { sql: string; args: unknown[]; argTypes: ArgType[] };

/** What this module uses of a Prisma driver adapter (a SqlDriverAdapter). */
export type Adapter = { queryRaw(query: SqlQuery): Promise<{ rows: unknown[][] }>; dispose(): Promise<void> };
type AdapterFactory = { connect(): Promise<Adapter> };

export type Dialect = 'sqlite' | 'postgres';

/** A direct read as it was sent (the SQL in the database's dialect) and how long it took: for a benchmark that records queries. */
export type DirectQuery = { sql: string; args: readonly Value[]; ms: number };

/** The adapter a client connected with, kept for reading directly, and how to connect the client when it has none. */
export class DirectReads {
  #adapter: Adapter | undefined;
  #connect: (() => Promise<void>) | undefined;
  readonly #numbered = new Map<string, string>();

  constructor(
    readonly dialect: Dialect,
    private readonly observe?: (query: DirectQuery) => void,
  ) {}

  /** `factory`, keeping each adapter it connects (until the client disposes of it): give this to the client. */
  keeping<F extends AdapterFactory>(factory: F): F {
    const connect = factory.connect.bind(factory);
    factory.connect = async () => {
      const adapter = await connect();
      const dispose = adapter.dispose.bind(adapter);
      adapter.dispose = () => {
        if (this.#adapter === adapter) this.#adapter = undefined;
        return dispose();
      };
      this.#adapter = adapter;
      return adapter;
    };
    return factory;
  }

  /** Registers `db` (the client made with the kept factory, as the app holds it) for direct reads. */
  register<D extends object>(db: D, client: { $connect(): Promise<void> }): D {
    this.#connect = () => client.$connect();
    registered.set(db, this);
    return db;
  }

  /** The rows `sql` selects with `args` bound to its `?`s, each row its columns' values as the adapter gives them. */
  async rows(sql: string, args: readonly Value[]): Promise<unknown[][]> {
    try {
      if (!this.#adapter) await this.#connect?.();
      const adapter = this.#adapter;
      if (!adapter) throw new Error('direct reads: the client connected without the kept adapter factory');
      const query = { sql: this.#inDialect(sql), args: [...args], argTypes: args.map(argType) };
      const started = this.observe ? performance.now() : 0;
      const { rows } = await adapter.queryRaw(query);
      this.observe?.({ sql: query.sql, args, ms: performance.now() - started });
      return rows;
    } catch (error) {
      if (isUnreachable(error)) throw new ServiceUnavailableError(`database: ${(error as Error).message}`);
      throw error;
    }
  }

  #inDialect(sql: string): string {
    if (this.dialect === 'sqlite') return sql;
    let numbered = this.#numbered.get(sql);
    if (numbered === undefined) {
      let n = 0;
      numbered = sql.replace(/\?/g, () => `$${++n}`);
      if (this.#numbered.size >= 256) this.#numbered.clear();
      this.#numbered.set(sql, numbered);
    }
    return numbered;
  }
}

const registered = new WeakMap<object, DirectReads>();

/** The direct reads of `db`: every client createDb makes has them (anything else is a mistake in our code). */
export function directReads(db: object): DirectReads {
  const reads = registered.get(db);
  if (!reads) throw new Error('direct reads: this client was not made by createDb');
  return reads;
}

function argType(value: Value): ArgType {
  const scalarType =
    value instanceof Date
      ? 'datetime'
      : typeof value === 'string'
        ? 'string'
        : typeof value === 'boolean'
          ? 'boolean'
          : typeof value === 'number'
            ? Number.isInteger(value)
              ? 'int'
              : 'float'
            : 'unknown';
  return { scalarType, arity: 'scalar' };
}

// The adapters' kinds of error for a database that cannot be reached, timed out or went away
// (Prisma's client turns them into P1001, P1008, P1017 and P2037), and node-postgres' own words
// for a pool that could not connect in time.
const UNREACHABLE_KINDS = new Set(['DatabaseNotReachable', 'SocketTimeout', 'ConnectionClosed', 'TooManyConnections']);
const UNREACHABLE_MESSAGE = /timeout exceeded when trying to connect|Connection terminated/i;

function isUnreachable(error: unknown): boolean {
  const { name, cause, message } = (error ?? {}) as { name?: unknown; cause?: { kind?: unknown }; message?: unknown };
  if (name === 'DriverAdapterError' && typeof cause?.kind === 'string') return UNREACHABLE_KINDS.has(cause.kind);
  return typeof message === 'string' && UNREACHABLE_MESSAGE.test(message);
}

/** `alias."column", ...` for every column of `columns`, in their order. */
export function selectList(alias: string, columns: Columns<object>): string {
  return Object.keys(columns)
    .map((name) => `${alias}."${name}"`)
    .join(', ');
}

/** The row `columns` describes, from `values` starting at `from`: its values as Prisma's client gives them. */
export function rowOf<Row>(columns: Columns<Row>, values: readonly unknown[], from = 0): Row {
  const row: Record<string, unknown> = {};
  let i = from;
  for (const name in columns) {
    const kind = columns[name] as string;
    row[name] = valueOf(kind, values[i]);
    i += 1;
  }
  return row as Row;
}

function valueOf(kind: string, value: unknown): unknown {
  if (value === null || value === undefined) {
    if (kind.endsWith('?')) return null;
    throw new Error(`direct reads: a ${kind} column was null`);
  }
  switch (kind) {
    case 'date':
    case 'date?':
      return dateOf(value);
    case 'bool':
    case 'bool?':
      // SQLite keeps booleans as 0 and 1.
      return value === true || value === 1 || value === 1n;
    case 'int':
    case 'int?':
      return typeof value === 'number' ? value : Number(value);
    default:
      return value;
  }
}

const ZONED = /(Z|[+-]\d{2}(:?\d{2})?)$/;

/**
 * A date column's value as a Date. The adapters give ISO text with its offset
 * (2026-12-04T09:30:00.000+00:00); SQLite may also hold text written by SQL (CURRENT_TIMESTAMP:
 * 2026-12-04 09:30:00) or milliseconds, and times without an offset are UTC, as Prisma reads them.
 */
export function dateOf(value: unknown): Date {
  if (typeof value === 'number' || typeof value === 'bigint') return new Date(Number(value));
  if (typeof value !== 'string') throw new Error(`direct reads: not a date: ${typeof value}`);
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) return new Date(`${value}T00:00:00Z`);
  const iso = value.charAt(10) === ' ' ? `${value.slice(0, 10)}T${value.slice(11)}` : value;
  return new Date(ZONED.test(iso) ? iso : `${iso}Z`);
}
