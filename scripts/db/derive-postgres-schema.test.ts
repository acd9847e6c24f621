import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { derivePostgresSchema, POSTGRES_SCHEMA, SQLITE_SCHEMA } from './derive-postgres-schema';
import { runScript } from './test-support';

describe('derive-postgres-schema', () => {
  it('--check passes: the committed PostgreSQL schema matches the SQLite one', async () => {
    const result = await runScript('scripts/db/derive-postgres-schema.ts', ['--check'], {});
    expect(result.code, result.output).toBe(0);
  });

  it('changes only the provider and the client output', () => {
    const sqlite = readFileSync(SQLITE_SCHEMA, 'utf8');
    const postgres = readFileSync(POSTGRES_SCHEMA, 'utf8');
    const body = postgres.slice(postgres.indexOf('\n\n') + 2);
    expect(body).toBe(sqlite.replace('provider = "sqlite"', 'provider = "postgresql"').replace('"../lib/generated/sqlite"', '"../../lib/generated/postgres"'));
  });

  it('would notice a stale copy', () => {
    const changed = readFileSync(SQLITE_SCHEMA, 'utf8').replace('model Feedback {', 'model Feedback {\n  extra String?');
    expect(derivePostgresSchema(changed)).not.toBe(readFileSync(POSTGRES_SCHEMA, 'utf8'));
  });

  it('refuses provider-specific native types', () => {
    const native = readFileSync(SQLITE_SCHEMA, 'utf8').replace('comments  String', 'comments  String @db.Text');
    expect(() => derivePostgresSchema(native)).toThrow(/native types/);
  });
});
