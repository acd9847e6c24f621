// Prisma's schema engine in WebAssembly, driven through the driver adapters. Only `dev` and
// `status` (drift) use it. The adapters are wrapped to get past traps 2-4 (trap 1, P1014 on a
// fresh database, is avoided in commands.ts by creating the history table first).
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { randomUUID } from 'node:crypto';
import { PrismaBetterSqlite3 } from '@prisma/adapter-better-sqlite3';
import { PrismaPg } from '@prisma/adapter-pg';
import { bindMigrationAwareSqlAdapterFactory, type SqlDriverAdapter, type SqlMigrationAwareDriverAdapterFactory } from '@prisma/driver-adapter-utils';
import * as wasmBindings from '@prisma/schema-engine-wasm/schema_engine_bg';
import type { SchemaEngine } from '@prisma/schema-engine-wasm';
import pg from 'pg';
import { parseIntoClientConfig } from 'pg-connection-string';
import type { Target } from './target';

let loaded: Promise<typeof SchemaEngine> | undefined;

// The package imports its .wasm as an ES module, which Node cannot load: instantiate it by hand.
function loadSchemaEngine(): Promise<typeof SchemaEngine> {
  loaded ??= (async () => {
    const require = createRequire(import.meta.url);
    const wasmFile = require.resolve('@prisma/schema-engine-wasm/schema_engine_bg').replace(/\.js$/, '.wasm');
    const imports: Record<string, unknown> = { ...wasmBindings };
    // The engine leaves a 60 s timer behind after some commands, which would keep the CLI alive
    // for a minute: its timers must not hold the process open (we await everything it does).
    for (const name of Object.keys(imports).filter((key) => key.startsWith('__wbg_setTimeout_'))) {
      const setTimer = imports[name] as (...args: unknown[]) => NodeJS.Timeout;
      imports[name] = (...args: unknown[]) => setTimer(...args).unref();
    }
    const { instance } = await WebAssembly.instantiate(readFileSync(wasmFile), {
      './schema_engine_bg.js': imports as WebAssembly.ModuleImports,
    });
    wasmBindings.__wbg_set_wasm(instance.exports);
    (instance.exports.__wbindgen_start as () => void)();
    return wasmBindings.SchemaEngine;
  })();
  return loaded;
}

// Trap 4: PostgreSQL introspection reads pg_catalog columns of type "char" (OID 18), which the
// pg adapter rejects as an unsupported type. They are one-letter codes: report them as text.
const CHAR_OID = 18;
const TEXT_OID = 25;
class CharAsTextClient extends pg.Client {
  // pg.Pool calls query(config, values, callback); the adapter calls query(config). Typed
  // `never` so that one body satisfies all of pg's overloads.
  override query(...args: unknown[]): never {
    type Callback = (error: unknown, result?: pg.QueryResult) => void;
    const callback = typeof args.at(-1) === 'function' ? (args.pop() as Callback) : undefined;
    const query = super.query as (...a: unknown[]) => Promise<pg.QueryResult>;
    const result = query.apply(this, args).then((res) => {
      for (const field of res.fields ?? []) if (field.dataTypeID === CHAR_OID) field.dataTypeID = TEXT_OID;
      return res;
    });
    if (!callback) return result as never;
    result.then((res) => callback(null, res), callback);
    return undefined as never;
  }
}

function pgPool(config: pg.ClientConfig): pg.Pool {
  return new pg.Pool({ ...config, Client: CharAsTextClient, max: 2 });
}

async function pgAdapter(pool: pg.Pool, onDispose?: () => Promise<void>): Promise<SqlDriverAdapter> {
  const adapter = await new PrismaPg(pool, { disposeExternalPool: true }).connect();
  const dispose = adapter.dispose.bind(adapter);
  adapter.dispose = async () => {
    await dispose();
    await onDispose?.();
  };
  return adapter;
}

// Trap 3: the shadow database needs host/port/user/database given separately (with a
// connectionString, pg ignores `database` and the "shadow" would be the real database), and its
// pool must be closed before DROP DATABASE.
function postgresFactory(url: string): SqlMigrationAwareDriverAdapterFactory {
  const config = parseIntoClientConfig(url) as pg.ClientConfig;
  return {
    provider: 'postgres',
    adapterName: '@prisma/adapter-pg',
    connect: () => pgAdapter(pgPool(config)),
    connectToShadowDb: async () => {
      const admin = new pg.Client(config);
      await admin.connect();
      const name = `prisma_shadow_${randomUUID().replaceAll('-', '')}`;
      try {
        await admin.query(`CREATE DATABASE "${name}"`);
      } catch (error) {
        await admin.end();
        throw error;
      }
      return pgAdapter(pgPool({ ...config, database: name }), async () => {
        await admin.query(`DROP DATABASE IF EXISTS "${name}"`);
        await admin.end();
      });
    },
  };
}

// Trap 2: the engine replays each migration on the shadow database through executeRaw, and
// better-sqlite3 prepares one statement only: send parameterless calls to executeScript there.
function sqliteFactory(url: string): SqlMigrationAwareDriverAdapterFactory {
  return {
    provider: 'sqlite',
    adapterName: '@prisma/adapter-better-sqlite3',
    connect: () => new PrismaBetterSqlite3({ url }).connect(),
    connectToShadowDb: async () => {
      const adapter = await new PrismaBetterSqlite3({ url: ':memory:' }).connect();
      const executeRaw = adapter.executeRaw.bind(adapter);
      adapter.executeRaw = async (query) => {
        if (query.args.length > 0) return executeRaw(query);
        await adapter.executeScript(query.sql);
        return 0;
      };
      return adapter;
    },
  };
}

// Every connection the engine opens is closed afterwards: pools would keep the process alive,
// and the engine holds SQLite in EXCLUSIVE locking mode until its connection closes.
function tracked(factory: SqlMigrationAwareDriverAdapterFactory) {
  const open = new Set<SqlDriverAdapter>();
  const track = async (connecting: Promise<SqlDriverAdapter>) => {
    const adapter = await connecting;
    const dispose = adapter.dispose.bind(adapter);
    adapter.dispose = async () => {
      if (open.delete(adapter)) await dispose();
    };
    open.add(adapter);
    return adapter;
  };
  return {
    factory: {
      ...factory,
      connect: () => track(factory.connect()),
      connectToShadowDb: () => track(factory.connectToShadowDb()),
    },
    closeAll: async () => {
      for (const adapter of [...open]) await adapter.dispose();
    },
  };
}

export async function withSchemaEngine<T>(target: Target, schema: string, work: (engine: SchemaEngine) => Promise<T>): Promise<T> {
  const SchemaEngineClass = await loadSchemaEngine();
  const { factory, closeAll } = tracked(target.provider === 'sqlite' ? sqliteFactory(target.url) : postgresFactory(target.url));
  const log = process.env.MIGRATE_DEBUG ? (line: string) => console.error(line) : () => {};
  const engine = await SchemaEngineClass.new({ datamodels: [['schema.prisma', schema]] }, log, bindMigrationAwareSqlAdapterFactory(factory));
  try {
    return await work(engine);
  } finally {
    engine.free();
    await closeAll();
  }
}
