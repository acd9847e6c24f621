// Compares the committed migrations with what a database recorded as applied.
import type { AppliedMigration } from './database';
import type { LocalMigration } from './migrations-dir';

export interface HistoryReport {
  pending: LocalMigration[];
  /** Applied, then changed on disk: the database no longer matches what the file says. */
  edited: string[];
  /** Started and never finished (recorded by the official CLI): needs a person to look. */
  failed: string[];
  /** Applied here but absent from the folder: a newer database, or a deleted migration. */
  missingLocally: string[];
}

export function compareHistory(local: LocalMigration[], applied: AppliedMigration[]): HistoryReport {
  const live = applied.filter((m) => m.rolledBackAt === null);
  const done = new Map(live.filter((m) => m.finishedAt !== null).map((m) => [m.name, m]));
  const localNames = new Set(local.map((m) => m.name));
  return {
    pending: local.filter((m) => !done.has(m.name)),
    edited: local.filter((m) => done.has(m.name) && done.get(m.name)!.checksum !== m.checksum).map((m) => m.name),
    failed: live.filter((m) => m.finishedAt === null).map((m) => m.name),
    missingLocally: [...done.keys()].filter((name) => !localNames.has(name)),
  };
}

// Problems that stop every command; each line says what to do.
export function historyProblems(report: HistoryReport): string[] {
  const problems: string[] = [];
  for (const name of report.edited) {
    problems.push(
      `Migration ${name} was edited after it was applied (checksum differs). Restore the file from git; ` + 'to change the schema, add a new migration.',
    );
  }
  for (const name of report.failed) {
    problems.push(
      `Migration ${name} failed part-way in an earlier run. ` + 'Inspect and repair the database, then set rolled_back_at on its row in _prisma_migrations.',
    );
  }
  return problems;
}
