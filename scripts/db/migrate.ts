// Offline replacement for `prisma migrate` (whose CLI downloads a native engine we cannot reach).
// The database and its migrations folder follow DATABASE_URL: file:... is SQLite (prisma/migrations),
// postgres(ql)://... is PostgreSQL (prisma/postgres/migrations).
//
//   tsx scripts/db/migrate.ts dev --name <name> [--create-only]   new migration from the schema
//   tsx scripts/db/migrate.ts deploy                              apply committed migrations
//   tsx scripts/db/migrate.ts status                              pending, edited, drift (exit 1 if any)
//   tsx scripts/db/migrate.ts reset                               drop everything, re-apply (not in production)
//
// --schema <file> and --migrations <dir> override the defaults (used by the tests).
import { parseArgs } from 'node:util';
import { deploy, dev, Refusal, reset, status } from './lib/commands';
import { resolveTarget } from './lib/target';

const DEFAULT_DATABASE_URL = 'file:./data/phr.db';

async function main(argv: string[]): Promise<number> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      name: { type: 'string' },
      'create-only': { type: 'boolean', default: false },
      schema: { type: 'string' },
      migrations: { type: 'string' },
    },
  });
  const target = resolveTarget(process.env.DATABASE_URL || DEFAULT_DATABASE_URL, {
    schemaPath: values.schema,
    migrationsDir: values.migrations,
  });
  console.log(`${target.provider} database, migrations in ${target.migrationsDir}`);
  switch (positionals[0]) {
    case 'deploy':
      return deploy(target);
    case 'status':
      return status(target);
    case 'dev':
      return dev(target, values.name ?? '', values['create-only']);
    case 'reset':
      return reset(target);
    default:
      console.error('usage: migrate.ts dev --name <name> [--create-only] | deploy | status | reset');
      return 2;
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    if (error instanceof Refusal) console.error(`Refused: ${error.message}`);
    else console.error(process.env.MIGRATE_DEBUG ? error : `Error: ${(error as Error).message ?? error}`);
    process.exitCode = 1;
  },
);
