// Engine-free database work for the migrate tool: read _prisma_migrations, apply migration.sql
// files (each in its own transaction with its row), and empty the database for `reset`. This is
// all `deploy` needs, so production never loads the schema engine.
import { randomUUID } from 'node:crypto';
import Database from 'better-sqlite3';
import pg from 'pg';
import type { LocalMigration } from './migrations-dir';
import { sqliteFile, type Target } from './target';

export interface AppliedMigration {
  name: string;
  checksum: string;
  finishedAt: Date | null;
  rolledBackAt: Date | null;
}

export interface MigrationDb {
  /** Keeps other deploys out until close(). */
  lock(): Promise<void>;
  /** null when the database has no _prisma_migrations table yet. */
  appliedMigrations(): Promise<AppliedMigration[] | null>;
  /** Tables other than _prisma_migrations: a database without history must have none. */
  otherTables(): Promise<string[]>;
  createHistoryTable(): Promise<void>;
  /** false when another process applied it meanwhile. */
  apply(migration: LocalMigration): Promise<boolean>;
  /** Drops every table, view and sequence (and PostgreSQL enum/domain) in the schema. */
  dropEverything(): Promise<void>;
  close(): Promise<void>;
}

// The official CLI's table, column for column, so it can take the history over.
const SQLITE_TABLE = `CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
    "id"                    TEXT PRIMARY KEY NOT NULL,
    "checksum"              TEXT NOT NULL,
    "finished_at"           DATETIME,
    "migration_name"        TEXT NOT NULL,
    "logs"                  TEXT,
    "rolled_back_at"        DATETIME,
    "started_at"            DATETIME NOT NULL DEFAULT current_timestamp,
    "applied_steps_count"   INTEGER UNSIGNED NOT NULL DEFAULT 0
)`;

const POSTGRES_TABLE = `CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
    "id"                    VARCHAR(36) PRIMARY KEY NOT NULL,
    "checksum"              VARCHAR(64) NOT NULL,
    "finished_at"           TIMESTAMPTZ,
    "migration_name"        VARCHAR(255) NOT NULL,
    "logs"                  TEXT,
    "rolled_back_at"        TIMESTAMPTZ,
    "started_at"            TIMESTAMPTZ NOT NULL DEFAULT now(),
    "applied_steps_count"   INTEGER NOT NULL DEFAULT 0
)`;

// The advisory lock key the official CLI takes, so our deploy and theirs never run at once.
const PRISMA_MIGRATE_LOCK = 72707369;

type Row = {
  name: string;
  checksum: string;
  finished_at: string | Date | null;
  rolled_back_at: string | Date | null;
};
const SELECT_HISTORY = `SELECT migration_name AS name, checksum, finished_at, rolled_back_at
  FROM "_prisma_migrations" ORDER BY started_at, migration_name`;

function toApplied(row: Row): AppliedMigration {
  const date = (v: string | Date | null) => (v === null ? null : new Date(v));
  return {
    name: row.name,
    checksum: row.checksum,
    finishedAt: date(row.finished_at),
    rolledBackAt: date(row.rolled_back_at),
  };
}

// The schema engine's own SQLite format for these columns (ISO 8601 with an explicit offset).
const sqliteNow = () => new Date().toISOString().replace('Z', '+00:00');

class SqliteMigrationDb implements MigrationDb {
  private db: Database.Database;

  constructor(url: string) {
    this.db = new Database(sqliteFile(url));
    // Persistent in the file: the app then reads while a writer commits.
    this.db.pragma('journal_mode = WAL');
  }

  // SQLite has no session lock: apply() re-checks the history inside its write transaction instead.
  async lock() {}

  async appliedMigrations() {
    const exists = this.db.prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = '_prisma_migrations'`).get();
    return exists ? (this.db.prepare(SELECT_HISTORY).all() as Row[]).map(toApplied) : null;
  }

  async otherTables() {
    const rows = this.db
      .prepare(
        `SELECT name FROM sqlite_master
         WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name <> '_prisma_migrations'`,
      )
      .all() as { name: string }[];
    return rows.map((r) => r.name);
  }

  async createHistoryTable() {
    this.db.exec(SQLITE_TABLE);
  }

  async apply(migration: LocalMigration) {
    await this.createHistoryTable();
    const startedAt = sqliteNow();
    // Prisma's table redefinitions DROP a table; with foreign keys on, that deletes (and cascades)
    // rows of other tables. The pragma is ignored inside a transaction, so switch it off around it
    // and check the keys ourselves before committing.
    this.db.pragma('foreign_keys = OFF');
    try {
      return this.db
        .transaction(() => {
          const done = this.db.prepare(`SELECT 1 FROM "_prisma_migrations" WHERE migration_name = ? AND rolled_back_at IS NULL`).get(migration.name);
          if (done) return false;
          this.db.exec(migration.sql);
          const broken = this.db.pragma('foreign_key_check') as unknown[];
          if (broken.length > 0) throw new Error(`leaves ${broken.length} foreign key violation(s)`);
          this.db
            .prepare(
              `INSERT INTO "_prisma_migrations" (id, checksum, finished_at, migration_name, started_at, applied_steps_count)
             VALUES (?, ?, ?, ?, ?, 1)`,
            )
            .run(randomUUID(), migration.checksum, sqliteNow(), migration.name, startedAt);
          return true;
        })
        .immediate();
    } finally {
      this.db.pragma('foreign_keys = ON');
    }
  }

  async dropEverything() {
    const objects = this.db.prepare(`SELECT type, name FROM sqlite_master WHERE type IN ('table', 'view', 'trigger') AND name NOT LIKE 'sqlite_%'`).all() as {
      type: string;
      name: string;
    }[];
    this.db.pragma('foreign_keys = OFF');
    try {
      this.db.transaction(() => {
        for (const { type, name } of objects) {
          this.db.exec(`DROP ${type.toUpperCase()} IF EXISTS "${name.replaceAll('"', '""')}"`);
        }
      })();
    } finally {
      this.db.pragma('foreign_keys = ON');
    }
    this.db.exec('VACUUM');
  }

  async close() {
    this.db.close();
  }
}

const DROP_EVERYTHING_POSTGRES = `DO $$
DECLARE stmt text;
BEGIN
  FOR stmt IN
    SELECT format('DROP %s IF EXISTS %I.%I CASCADE',
                  CASE c.relkind WHEN 'v' THEN 'VIEW' WHEN 'm' THEN 'MATERIALIZED VIEW'
                                 WHEN 'S' THEN 'SEQUENCE' WHEN 'f' THEN 'FOREIGN TABLE' ELSE 'TABLE' END,
                  n.nspname, c.relname)
    FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f')
  LOOP EXECUTE stmt; END LOOP;
  FOR stmt IN
    SELECT format('DROP TYPE IF EXISTS %I.%I CASCADE', n.nspname, t.typname)
    FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
    WHERE n.nspname = current_schema() AND t.typtype IN ('e', 'd')
  LOOP EXECUTE stmt; END LOOP;
END $$`;

class PostgresMigrationDb implements MigrationDb {
  constructor(private client: pg.Client) {}

  static async connect(url: string): Promise<PostgresMigrationDb> {
    const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 10_000 });
    await client.connect();
    return new PostgresMigrationDb(client);
  }

  async lock() {
    await this.client.query('SELECT pg_advisory_lock($1)', [PRISMA_MIGRATE_LOCK]);
  }

  async appliedMigrations() {
    const { rows } = await this.client.query(`SELECT to_regclass('"_prisma_migrations"') IS NOT NULL AS present`);
    if (!rows[0].present) return null;
    return (await this.client.query<Row>(SELECT_HISTORY)).rows.map(toApplied);
  }

  async otherTables() {
    const { rows } = await this.client.query<{ name: string }>(
      `SELECT table_name AS name FROM information_schema.tables
       WHERE table_schema = current_schema() AND table_name <> '_prisma_migrations'`,
    );
    return rows.map((r) => r.name);
  }

  async createHistoryTable() {
    await this.client.query(POSTGRES_TABLE);
  }

  async apply(migration: LocalMigration) {
    await this.createHistoryTable();
    await this.client.query('BEGIN');
    try {
      // No parameters: the simple query protocol runs the whole multi-statement script.
      await this.client.query(migration.sql);
      await this.client.query(
        `INSERT INTO "_prisma_migrations" (id, checksum, finished_at, migration_name, applied_steps_count)
         VALUES ($1, $2, now(), $3, 1)`,
        [randomUUID(), migration.checksum, migration.name],
      );
      await this.client.query('COMMIT');
      return true;
    } catch (error) {
      await this.client.query('ROLLBACK');
      throw error;
    }
  }

  // Drops the objects rather than the schema, so the schema keeps its owner and grants.
  async dropEverything() {
    await this.client.query(DROP_EVERYTHING_POSTGRES);
  }

  async close() {
    // Ending the session also releases the advisory lock.
    await this.client.end();
  }
}

export async function openMigrationDb(target: Target): Promise<MigrationDb> {
  return target.provider === 'sqlite' ? new SqliteMigrationDb(target.url) : PostgresMigrationDb.connect(target.url);
}
