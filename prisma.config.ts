import { defineConfig } from 'prisma/config';

// Every Prisma CLI command first tries to download the native schema engine, which cannot be
// reached here; generate/validate/format do not need it. Migrations use scripts/db/migrate.ts.
process.env.PRISMA_SCHEMA_ENGINE_BINARY ??= '/bin/false';

export default defineConfig({
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations' },
});
