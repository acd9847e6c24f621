import Database from 'better-sqlite3';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { keepStatements } from './sqlite-statements';

// The adapter's use of a statement: prepare(sql).bind(args), then reader, run(), columns(), raw().all().
type Adapted = {
  bind(args: unknown[]): { reader: boolean; run(): Database.RunResult; columns(): Database.ColumnDefinition[]; raw(): { all(): unknown[][] } };
  run(): Database.RunResult;
};

describe('keepStatements', () => {
  let db: Database.Database;
  afterEach(() => db.close());

  function open(max?: number) {
    db = new Database(':memory:');
    db.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT)');
    const compile = vi.spyOn(db, 'prepare');
    keepStatements(db, max);
    return { compile, prepare: (sql: string) => (db.prepare as unknown as (sql: string) => Adapted)(sql) };
  }

  it('compiles a statement once and runs it with each set of values', () => {
    const { compile, prepare } = open();
    for (const [id, name] of [
      [1, 'Amelia'],
      [2, 'Ben'],
    ] as const) {
      const insert = prepare('INSERT INTO t (id, name) VALUES (?, ?)').bind([id, name]);
      expect(insert.reader).toBe(false);
      expect(insert.run().changes).toBe(1);
    }
    const select = 'SELECT id, name FROM t WHERE id = ?';
    expect(prepare(select).bind([2]).raw().all()).toEqual([[2, 'Ben']]);
    const first = prepare(select).bind([1]);
    expect(first.reader).toBe(true);
    expect(first.columns().map((column) => column.name)).toEqual(['id', 'name']);
    expect(first.raw().all()).toEqual([[1, 'Amelia']]);
    // Its columns are read once, with the statement.
    expect(prepare(select).bind([2]).columns()).toBe(first.columns());
    expect(compile).toHaveBeenCalledTimes(2);
  });

  it('keeps only the most recently used statements', () => {
    const { compile, prepare } = open(2);
    const sql = (n: number) => `SELECT ${n} AS n`;
    for (const n of [1, 2, 1, 3, 1, 2]) expect(prepare(sql(n)).bind([]).raw().all()).toEqual([[n]]);
    // 1, 2 and 3 compiled; 1 kept as the most used; 2 compiled again after 3 pushed it out.
    expect(compile.mock.calls.map(([text]) => text)).toEqual([sql(1), sql(2), sql(3), sql(2)]);
  });

  it('runs transactions and reports errors as before', () => {
    const { prepare } = open();
    prepare('BEGIN').run();
    prepare('INSERT INTO t (id, name) VALUES (?, ?)').bind([1, 'Amelia']).run();
    prepare('ROLLBACK').run();
    expect(prepare('SELECT COUNT(*) FROM t').bind([]).raw().all()).toEqual([[0]]);
    const insert = 'INSERT INTO t (id, name) VALUES (?, ?)';
    prepare(insert).bind([1, 'Amelia']).run();
    expect(() => prepare(insert).bind([1, 'Again']).run()).toThrow(/UNIQUE/);
    // The statement that failed is still usable.
    expect(prepare(insert).bind([2, 'Ben']).run().changes).toBe(1);
  });
});
