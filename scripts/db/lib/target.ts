// Which database a DATABASE_URL points at, and the schema and migrations folder that go with it.
import path from 'node:path';

export type Provider = 'sqlite' | 'postgresql';

export interface Target {
  provider: Provider;
  url: string;
  schemaPath: string;
  migrationsDir: string;
}

export const ROOT = path.resolve(import.meta.dirname, '../../..');

export function providerOf(url: string): Provider {
  if (url.startsWith('file:')) return 'sqlite';
  if (url.startsWith('postgres://') || url.startsWith('postgresql://')) return 'postgresql';
  throw new Error('DATABASE_URL must start with file: (SQLite) or postgres:// / postgresql:// (PostgreSQL)');
}

// Overrides let the tests work on copies of the schema and migrations.
export function resolveTarget(url: string, overrides: { schemaPath?: string; migrationsDir?: string } = {}): Target {
  const provider = providerOf(url);
  const base = provider === 'sqlite' ? path.join(ROOT, 'prisma') : path.join(ROOT, 'prisma/postgres');
  return {
    provider,
    url,
    schemaPath: path.resolve(overrides.schemaPath ?? path.join(base, 'schema.prisma')),
    migrationsDir: path.resolve(overrides.migrationsDir ?? path.join(base, 'migrations')),
  };
}

// Same rule as @prisma/adapter-better-sqlite3: the path after file:, relative to the working directory.
export function sqliteFile(url: string): string {
  return path.resolve(url.slice('file:'.length));
}
