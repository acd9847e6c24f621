// The migrate tool against the database under test (SQLite or PostgreSQL, per DATABASE_URL),
// each test on its own empty database and, where it changes them, its own copy of the migrations.
import { createHash } from 'node:crypto';
import { appendFileSync, cpSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { readLocalMigrations } from './lib/migrations-dir';
import { resolveTarget } from './lib/target';
import { databaseUnderTest, migrate, query, runScript, scratchDatabase, tempDir, type ScratchDatabase } from './test-support';

const committed = resolveTarget(databaseUnderTest().url);
const scratches: ScratchDatabase[] = [];

async function freshDatabase(): Promise<string> {
  const scratch = await scratchDatabase();
  scratches.push(scratch);
  return scratch.url;
}

// A private copy of the committed migrations (and schema) that a test may change.
function copyOfMigrations(): { migrations: string; schema: string; args: string[] } {
  const dir = tempDir();
  const migrations = path.join(dir, 'migrations');
  const schema = path.join(dir, 'schema.prisma');
  cpSync(committed.migrationsDir, migrations, { recursive: true });
  cpSync(committed.schemaPath, schema);
  return { migrations, schema, args: ['--migrations', migrations, '--schema', schema] };
}

afterEach(async () => {
  for (const scratch of scratches.splice(0)) await scratch.drop();
});

describe(`migrate on ${committed.provider}`, () => {
  it('has committed migrations with a lockfile for this provider', () => {
    expect(readLocalMigrations(committed.migrationsDir).length).toBeGreaterThan(0);
    const lockfile = readFileSync(path.join(committed.migrationsDir, 'migration_lock.toml'), 'utf8');
    expect(lockfile).toContain(`provider = "${committed.provider}"`);
  });

  it('deploys every committed migration on a fresh database, then has nothing left to do', async () => {
    const url = await freshDatabase();
    const names = readLocalMigrations(committed.migrationsDir).map((m) => m.name);

    const first = await migrate(url, 'deploy');
    expect(first.code, first.output).toBe(0);
    for (const name of names) expect(first.output).toContain(`Applied ${name}`);

    const again = await migrate(url, 'deploy');
    expect(again.code, again.output).toBe(0);
    expect(again.output).toContain('No pending migrations.');
  });

  it('reports pending migrations on a fresh database with a non-zero status', async () => {
    const url = await freshDatabase();
    const result = await migrate(url, 'status');
    expect(result.code).toBe(1);
    expect(result.output).toContain('Not yet applied');
  });

  it('reports a clean status after deploy (engine drift check included)', async () => {
    const url = await freshDatabase();
    expect((await migrate(url, 'deploy')).code).toBe(0);
    const result = await migrate(url, 'status');
    expect(result.code, result.output).toBe(0);
    expect(result.output).toContain('Database schema is up to date.');
  });

  it('records each migration as the official CLI does: name, sha256 of migration.sql, finished', async () => {
    const url = await freshDatabase();
    expect((await migrate(url, 'deploy')).code).toBe(0);
    const rows = await query(
      url,
      `SELECT migration_name, checksum, finished_at, rolled_back_at, applied_steps_count
       FROM "_prisma_migrations" ORDER BY migration_name`,
    );
    const sha256 = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');
    const expected = readLocalMigrations(committed.migrationsDir).map((m) => ({
      migration_name: m.name,
      checksum: sha256(path.join(committed.migrationsDir, m.name, 'migration.sql')),
      rolled_back_at: null,
      applied_steps_count: 1,
    }));
    expect(rows).toMatchObject(expected);
    for (const row of rows) expect(row.finished_at).not.toBeNull();
  });

  it('refuses a migration edited after it was applied', async () => {
    const { migrations, args } = copyOfMigrations();
    const url = await freshDatabase();
    expect((await migrate(url, 'deploy', ...args)).code).toBe(0);
    const [first] = readdirSync(migrations).filter((name) => !name.endsWith('.toml'));
    appendFileSync(path.join(migrations, first!, 'migration.sql'), '\n-- edited afterwards\n');

    for (const command of ['status', 'deploy']) {
      const result = await migrate(url, command, ...args);
      expect(result.code, `${command}: ${result.output}`).toBe(1);
      expect(result.output).toContain(`Migration ${first} was edited after it was applied`);
    }
  });

  it('refuses drift: a table added by hand', async () => {
    const url = await freshDatabase();
    expect((await migrate(url, 'deploy')).code).toBe(0);
    await query(url, 'CREATE TABLE "AddedByHand" (id INTEGER)');

    const status = await migrate(url, 'status');
    expect(status.code).toBe(1);
    expect(status.output).toContain('Drift detected');
    expect(status.output).toContain('AddedByHand');

    const { args } = copyOfMigrations();
    const dev = await migrate(url, 'dev', '--name', 'anything', ...args);
    expect(dev.code).toBe(1);
    expect(dev.output).toContain('Drift detected');
  });

  it('refuses a database with tables but no migration history', async () => {
    const url = await freshDatabase();
    await query(url, 'CREATE TABLE "Unmanaged" (id INTEGER)');
    const result = await migrate(url, 'deploy');
    expect(result.code).toBe(1);
    expect(result.output).toContain('no _prisma_migrations history');
  });

  it('rolls back a failing migration and does not record it', async () => {
    const { migrations, args } = copyOfMigrations();
    const url = await freshDatabase();
    const bad = path.join(migrations, '99991231000000_broken');
    cpSync(path.join(migrations, readLocalMigrations(migrations)[0]!.name), bad, { recursive: true });
    writeFileSync(path.join(bad, 'migration.sql'), 'CREATE TABLE "HalfDone" (id INTEGER);\nSELECT * FROM "NoSuchTable";\n');

    const deploy = await migrate(url, 'deploy', ...args);
    expect(deploy.code).toBe(1);
    expect(deploy.output).toContain('99991231000000_broken failed and was rolled back');
    // The broken migration left nothing behind, so status still sees it as pending, not applied.
    const status = await migrate(url, 'status', ...args);
    expect(status.output).toContain('Not yet applied:\n  99991231000000_broken');
    await expect(query(url, 'SELECT * FROM "HalfDone"')).rejects.toThrow();
  });

  // Prisma rewrites a SQLite table by copying it and dropping the original; with foreign keys on,
  // that DROP would delete (cascade) the rows that point at it.
  it.runIf(committed.provider === 'sqlite')('keeps child rows when a migration redefines their parent table', async () => {
    const { migrations, args } = copyOfMigrations();
    const url = await freshDatabase();
    const addMigration = (name: string, sql: string) => {
      mkdirSync(path.join(migrations, name));
      writeFileSync(path.join(migrations, name, 'migration.sql'), sql);
    };
    addMigration(
      '99990101000000_parent_child',
      `CREATE TABLE "Parent" ("id" TEXT NOT NULL PRIMARY KEY);
       CREATE TABLE "Child" ("id" TEXT NOT NULL PRIMARY KEY, "parentId" TEXT NOT NULL,
         CONSTRAINT "Child_parentId_fkey" FOREIGN KEY ("parentId") REFERENCES "Parent" ("id") ON DELETE CASCADE);`,
    );
    expect((await migrate(url, 'deploy', ...args)).code).toBe(0);
    await query(url, `INSERT INTO "Parent" (id) VALUES ('p1')`);
    await query(url, `INSERT INTO "Child" (id, "parentId") VALUES ('c1', 'p1')`);

    addMigration(
      '99990102000000_redefine_parent',
      `PRAGMA defer_foreign_keys=ON;
       PRAGMA foreign_keys=OFF;
       CREATE TABLE "new_Parent" ("id" TEXT NOT NULL PRIMARY KEY, "name" TEXT NOT NULL DEFAULT '');
       INSERT INTO "new_Parent" ("id") SELECT "id" FROM "Parent";
       DROP TABLE "Parent";
       ALTER TABLE "new_Parent" RENAME TO "Parent";
       PRAGMA foreign_keys=ON;
       PRAGMA defer_foreign_keys=OFF;`,
    );
    const result = await migrate(url, 'deploy', ...args);
    expect(result.code, result.output).toBe(0);
    expect(await query(url, 'SELECT id, "parentId" FROM "Child"')).toEqual([{ id: 'c1', parentId: 'p1' }]);
  });

  it('creates a migration from a schema change (dev), applies it, and says when there is nothing to do', async () => {
    const { migrations, schema, args } = copyOfMigrations();
    const url = await freshDatabase();
    writeFileSync(schema, readFileSync(schema, 'utf8').replace(/(model Feedback \{\n)/, '$1  source String?\n'));

    const draft = await migrate(url, 'dev', '--name', 'Add feedback source', '--create-only', ...args);
    expect(draft.code, draft.output).toBe(0);
    const created = readLocalMigrations(migrations).at(-1)!;
    expect(created.name).toMatch(/^\d{14}_add_feedback_source$/);
    expect(created.sql).toMatch(/"source"/);
    expect((await migrate(url, 'status', ...args)).code).toBe(1);

    const applied = await migrate(url, 'dev', '--name', 'nothing', ...args);
    expect(applied.code, applied.output).toBe(0);
    expect(applied.output).toContain(`Applied ${created.name}`);
    expect(applied.output).toContain('no migration created');
    expect((await migrate(url, 'status', ...args)).code).toBe(0);
  });

  it('holds back a migration that would lose data', async () => {
    const { migrations, schema, args } = copyOfMigrations();
    const url = await freshDatabase();
    expect((await migrate(url, 'deploy', ...args)).code).toBe(0);
    await query(url, `INSERT INTO "Feedback" (id, rating, comments, email) VALUES ('f1', 'satisfied', 'ok', 'a@example.com')`);
    writeFileSync(schema, readFileSync(schema, 'utf8').replace(/\n\s*email\s+String\?/, ''));

    const result = await migrate(url, 'dev', '--name', 'drop email', ...args);
    expect(result.code).toBe(1);
    expect(result.output).toContain('Not applied, review it first');
    expect(result.output).toMatch(/drop the column `email`/);
    expect(await query(url, 'SELECT email FROM "Feedback"')).toEqual([{ email: 'a@example.com' }]);
    expect(readLocalMigrations(migrations).at(-1)!.name).toMatch(/_drop_email$/);
  });

  it('resets a development database but refuses in production', async () => {
    const url = await freshDatabase();
    expect((await migrate(url, 'deploy')).code).toBe(0);
    await query(url, 'CREATE TABLE "AddedByHand" (id INTEGER)');

    const refused = await runScript('scripts/db/migrate.ts', ['reset'], { DATABASE_URL: url, NODE_ENV: 'production' });
    expect(refused.code).toBe(1);
    expect(refused.output).toContain('refused when NODE_ENV=production');
    expect(await query(url, 'SELECT * FROM "AddedByHand"')).toEqual([]);

    const reset = await migrate(url, 'reset');
    expect(reset.code, reset.output).toBe(0);
    await expect(query(url, 'SELECT * FROM "AddedByHand"')).rejects.toThrow();
    expect((await migrate(url, 'status')).code).toBe(0);
  });
});
