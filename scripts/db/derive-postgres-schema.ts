// Writes prisma/postgres/schema.prisma from the hand-edited SQLite schema: only the datasource
// provider and the client output change. With --check, exits 1 when the committed copy is stale.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '../..');
export const SQLITE_SCHEMA = path.join(root, 'prisma/schema.prisma');
export const POSTGRES_SCHEMA = path.join(root, 'prisma/postgres/schema.prisma');

const HEADER = [
  '// GENERATED from prisma/schema.prisma by scripts/db/derive-postgres-schema.ts: do not edit.',
  '// Change prisma/schema.prisma, then run `npm run db:derive`.',
  '',
  '',
].join('\n');

// Replaces exactly one match, so a reshaped source schema fails loudly instead of deriving junk.
function replaceOnce(text: string, pattern: RegExp, replacement: string, what: string): string {
  const found = text.match(new RegExp(pattern.source, 'g'))?.length ?? 0;
  if (found !== 1) throw new Error(`prisma/schema.prisma: expected exactly one ${what}, found ${found}`);
  return text.replace(pattern, replacement);
}

export function derivePostgresSchema(sqliteSchema: string): string {
  // Native types are provider-specific: they would make the two schemas differ in meaning.
  const code = sqliteSchema.replace(/\/\/.*$/gm, '');
  if (/@db\./.test(code)) {
    throw new Error('prisma/schema.prisma: @db.* native types are not portable to PostgreSQL');
  }
  let out = replaceOnce(sqliteSchema, /provider\s*=\s*"sqlite"/, 'provider = "postgresql"', 'sqlite provider');
  const output = /(output\s*=\s*)"\.\.\/lib\/generated\/sqlite"/;
  out = replaceOnce(out, output, '$1"../../lib/generated/postgres"', 'client output');
  return HEADER + out;
}

function main(args: string[]): number {
  let derived: string;
  try {
    derived = derivePostgresSchema(readFileSync(SQLITE_SCHEMA, 'utf8'));
  } catch (error) {
    console.error((error as Error).message);
    return 1;
  }
  if (args.includes('--check')) {
    let committed = '';
    try {
      committed = readFileSync(POSTGRES_SCHEMA, 'utf8');
    } catch {
      // A missing copy is stale too.
    }
    if (committed !== derived) {
      console.error('prisma/postgres/schema.prisma is stale: run `npm run db:derive` and commit it.');
      return 1;
    }
    console.log('prisma/postgres/schema.prisma is up to date.');
    return 0;
  }
  writeFileSync(POSTGRES_SCHEMA, derived);
  console.log(`Wrote ${path.relative(root, POSTGRES_SCHEMA)}`);
  return 0;
}

if (process.argv[1] && path.resolve(process.argv[1]) === import.meta.filename) {
  process.exitCode = main(process.argv.slice(2));
}
