// The four migrate commands. Each returns an exit code and prints what it did or why it refused.
import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { SchemaEngine } from '@prisma/schema-engine-wasm';
import { compareHistory, historyProblems, type HistoryReport } from './history';
import { openMigrationDb, type MigrationDb } from './database';
import { checkLockfile, engineMigrationList, readLocalMigrations, writeMigration, type LocalMigration } from './migrations-dir';
import { sqliteFile, type Target } from './target';

export class Refusal extends Error {}

const UNMANAGED =
  'The database has tables but no _prisma_migrations history: it was not built by these migrations (drift). ' +
  'Use an empty database, or `reset` it (development only).';

async function withMigrationDb<T>(target: Target, work: (db: MigrationDb) => Promise<T>): Promise<T> {
  if (target.provider === 'sqlite') mkdirSync(path.dirname(sqliteFile(target.url)), { recursive: true });
  const db = await openMigrationDb(target);
  try {
    return await work(db);
  } finally {
    await db.close();
  }
}

interface Inspection {
  local: LocalMigration[];
  /** The local migrations the database has applied: what drift is measured against. */
  applied: LocalMigration[];
  report: HistoryReport;
  hasHistoryTable: boolean;
}

// Engine-free checks shared by every command; throws a Refusal listing what is wrong.
async function inspect(target: Target, db: MigrationDb): Promise<Inspection> {
  checkLockfile(target.migrationsDir, target.provider);
  const local = readLocalMigrations(target.migrationsDir);
  const applied = await db.appliedMigrations();
  if (applied === null && (await db.otherTables()).length > 0) throw new Refusal(UNMANAGED);
  const report = compareHistory(local, applied ?? []);
  const problems = historyProblems(report);
  if (problems.length > 0) throw new Refusal(problems.join('\n'));
  const pending = new Set(report.pending);
  return { local, applied: local.filter((m) => !pending.has(m)), report, hasHistoryTable: applied !== null };
}

async function applyPending(db: MigrationDb, pending: LocalMigration[]): Promise<void> {
  for (const migration of pending) {
    try {
      const applied = await db.apply(migration);
      console.log(applied ? `Applied ${migration.name}` : `${migration.name} was applied by another process`);
    } catch (error) {
      throw new Refusal(`Migration ${migration.name} failed and was rolled back: ${(error as Error).message}`);
    }
  }
}

function warnMissingLocally(report: HistoryReport): void {
  for (const name of report.missingLocally) {
    console.warn(`Warning: ${name} is applied in the database but not in the migrations folder.`);
  }
}

// Applies committed migrations only: no schema engine, so it is what production runs.
export async function deploy(target: Target): Promise<number> {
  return withMigrationDb(target, async (db) => {
    await db.lock();
    const { report } = await inspect(target, db);
    warnMissingLocally(report);
    if (report.pending.length === 0) console.log('No pending migrations.');
    await db.createHistoryTable();
    await applyPending(db, report.pending);
    return 0;
  });
}

// Loaded only by the commands that need it, so `deploy` runs without the engine's packages.
async function withSchemaEngine<T>(target: Target, schema: string, work: (engine: SchemaEngine) => Promise<T>) {
  const engine = await import('./engine');
  return engine.withSchemaEngine(target, schema, work);
}

const NO_FILTER = { externalTables: [], externalEnums: [] };

// Drift: the database differs from what its applied migrations would build.
async function refuseDrift(engine: SchemaEngine, target: Target, applied: LocalMigration[]): Promise<void> {
  const { action } = await engine.devDiagnostic({
    migrationsList: engineMigrationList(target.migrationsDir, applied),
    filters: NO_FILTER,
  });
  if (action.tag === 'reset') {
    throw new Refusal(`${action.reason}\nUndo the manual change, or \`reset\` the database (development only).`);
  }
}

export async function status(target: Target): Promise<number> {
  const { local, applied, report, hasHistoryTable } = await withMigrationDb(target, (db) => inspect(target, db));
  if (report.missingLocally.length > 0) {
    throw new Refusal(`Applied in the database but missing from ${target.migrationsDir}: ${report.missingLocally.join(', ')}`);
  }
  // Without a history table the database is empty (inspect checked), so it cannot have drifted.
  if (hasHistoryTable) {
    const schema = readFileSync(target.schemaPath, 'utf8');
    await withSchemaEngine(target, schema, (engine) => refuseDrift(engine, target, applied));
  }
  console.log(`${local.length} migration(s) in ${path.relative(process.cwd(), target.migrationsDir) || '.'}`);
  if (report.pending.length > 0) {
    console.log(`Not yet applied:\n${report.pending.map((m) => `  ${m.name}`).join('\n')}`);
    return 1;
  }
  console.log('Database schema is up to date.');
  return 0;
}

function migrationName(name: string): string {
  const slug = name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '');
  if (!slug) throw new Refusal('dev needs --name, e.g. --name add_citizen');
  return slug;
}

export async function dev(target: Target, name: string, createOnly: boolean): Promise<number> {
  const slug = migrationName(name);
  const { local, applied, report } = await withMigrationDb(target, async (db) => {
    const found = await inspect(target, db);
    // The engine's diagnostics need the history table (P1014 on a fresh database otherwise).
    await db.createHistoryTable();
    return found;
  });
  warnMissingLocally(report);

  const schema = readFileSync(target.schemaPath, 'utf8');
  await withSchemaEngine(target, schema, (engine) => refuseDrift(engine, target, applied));
  await withMigrationDb(target, (db) => applyPending(db, report.pending));
  // Our writes happen between engine sessions, never beside an open engine connection.
  const created = await withSchemaEngine(target, schema, async (engine) => {
    // devDiagnostic also sets up the shadow database that createMigration needs.
    await refuseDrift(engine, target, local);
    const input = {
      migrationsList: engineMigrationList(target.migrationsDir, local),
      schema: { files: [{ path: target.schemaPath, content: schema }] },
      filters: NO_FILTER,
    };
    const risks = await engine.evaluateDataLoss(input);
    const migration = await engine.createMigration({ ...input, draft: createOnly, migrationName: slug });
    return { ...migration, risks: [...risks.unexecutableSteps, ...risks.warnings].map((r) => r.message) };
  });
  if (created.migrationScript === null) {
    console.log('The schema and the migrations already match: no migration created.');
    return 0;
  }
  const { generatedMigrationName, migrationScript } = created;
  const file = writeMigration(target.migrationsDir, generatedMigrationName, migrationScript, target.provider);
  console.log(`Created ${path.relative(process.cwd(), file)}`);
  // Never drop data unasked: a risky migration is left for a person to review and deploy.
  if (created.risks.length > 0) {
    console.log(`Not applied, review it first:\n${created.risks.map((r) => `  - ${r}`).join('\n')}`);
    console.log('Edit it if needed, then run `deploy`.');
    return 1;
  }
  if (createOnly) {
    console.log('Not applied (--create-only): review it, then run `dev` again or `deploy`.');
    return 0;
  }
  const migration = readLocalMigrations(target.migrationsDir).filter((m) => m.name === generatedMigrationName);
  await withMigrationDb(target, (db) => applyPending(db, migration));
  return 0;
}

export async function reset(target: Target): Promise<number> {
  if (process.env.NODE_ENV === 'production') {
    throw new Refusal('reset deletes all data and is refused when NODE_ENV=production.');
  }
  await withMigrationDb(target, (db) => db.dropEverything());
  console.log('Database reset: all tables and data dropped.');
  return deploy(target);
}
