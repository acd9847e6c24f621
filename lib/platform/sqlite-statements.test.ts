import Database from 'better-sqlite3';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { keepStatements, withLimitWritten } from './sqlite-statements';

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

  it('writes a whole-number LIMIT into the SQL and keeps one statement for each such number', () => {
    const { compile, prepare } = open();
    for (const [id, name] of [
      [1, 'Amelia'],
      [2, 'Ben'],
      [3, 'Chloe'],
    ] as const) {
      prepare('INSERT INTO t (id, name) VALUES (?, ?)').bind([id, name]).run();
    }
    const sql = 'SELECT id, name FROM t WHERE id > ? ORDER BY id ASC LIMIT ? OFFSET ?';
    expect(prepare(sql).bind([0, 1, 0]).raw().all()).toEqual([[1, 'Amelia']]);
    expect(prepare(sql).bind([0, 1, 2]).raw().all()).toEqual([[3, 'Chloe']]);
    expect(prepare(sql).bind([1, 2n, 0n]).raw().all()).toEqual([
      [2, 'Ben'],
      [3, 'Chloe'],
    ]);
    // -1 is SQLite's "no limit", written or bound.
    expect(prepare(sql).bind([0, -1, 1]).raw().all()).toEqual([
      [2, 'Ben'],
      [3, 'Chloe'],
    ]);
    const limited = prepare(sql).bind([0, 1, 1]);
    expect(limited.reader).toBe(true);
    expect(limited.columns().map((column) => column.name)).toEqual(['id', 'name']);
    const compiled = compile.mock.calls.map(([text]) => text).filter((text) => text.startsWith('SELECT'));
    expect(compiled).toEqual([
      'SELECT id, name FROM t WHERE id > ? ORDER BY id ASC LIMIT 1 OFFSET ?',
      'SELECT id, name FROM t WHERE id > ? ORDER BY id ASC LIMIT 2 OFFSET ?',
      'SELECT id, name FROM t WHERE id > ? ORDER BY id ASC LIMIT -1 OFFSET ?',
    ]);
  });

  it('leaves any other LIMIT bound', () => {
    const sql = 'SELECT id FROM t LIMIT ? OFFSET ?';
    for (const limit of [1.5, '1', '1; DROP TABLE t', null, Number.MAX_SAFE_INTEGER + 1, Number.NaN, 2n ** 70n]) {
      expect(withLimitWritten(sql, [limit, 0])).toEqual({ sql, args: [limit, 0] });
    }
    // Only a LIMIT ? OFFSET ? that ends the SQL, with both its values given.
    expect(withLimitWritten('SELECT id FROM t LIMIT ?', [1])).toEqual({ sql: 'SELECT id FROM t LIMIT ?', args: [1] });
    expect(withLimitWritten(`${sql} `, [1, 0])).toEqual({ sql: `${sql} `, args: [1, 0] });
    expect(withLimitWritten(sql, [0])).toEqual({ sql, args: [0] });
    expect(withLimitWritten(sql, [3, 6])).toEqual({ sql: 'SELECT id FROM t LIMIT 3 OFFSET ?', args: [6] });
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
