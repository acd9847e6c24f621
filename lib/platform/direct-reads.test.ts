import { describe, expect, it } from 'vitest';
import { type Adapter, DirectReads, type Columns, type DirectQuery, dateOf, directReads, rowOf, selectList } from './direct-reads';
import { ServiceUnavailableError } from './errors';

type Query = Parameters<Adapter['queryRaw']>[0];

/** A client with a kept adapter factory whose adapters record what they are asked and answer `rows`. */
function clientWith(dialect: 'sqlite' | 'postgres', answer: (query: Query) => unknown[][] | Promise<unknown[][]>) {
  const asked: Query[] = [];
  const made: Adapter[] = [];
  const reads = new DirectReads(dialect);
  const factory = reads.keeping({
    connect: async (): Promise<Adapter> => {
      const adapter = { queryRaw: async (query: Query) => (asked.push(query), { rows: await answer(query) }), dispose: async () => {} };
      made.push(adapter);
      return adapter;
    },
  });
  let adapter: Adapter | undefined;
  const client = {
    connects: 0,
    async $connect() {
      this.connects += 1;
      adapter ??= await factory.connect();
    },
    async $disconnect() {
      await adapter?.dispose();
      adapter = undefined;
    },
  };
  const db = reads.register({ client }, client);
  return { db, client, asked, made };
}

describe('direct reads', () => {
  it('connects the client when it has no adapter yet, then reads through the adapter it connected', async () => {
    const { db, client, asked } = clientWith('sqlite', () => [[1]]);
    expect(await directReads(db).rows('SELECT 1 WHERE ? = ?', ['a', 'a'])).toEqual([[1]]);
    expect(await directReads(db).rows('SELECT 1', [])).toEqual([[1]]);
    expect(client.connects).toBe(1);
    expect(asked[0]).toEqual({
      sql: 'SELECT 1 WHERE ? = ?',
      args: ['a', 'a'],
      argTypes: [
        { scalarType: 'string', arity: 'scalar' },
        { scalarType: 'string', arity: 'scalar' },
      ],
    });
  });

  it('connects again after the client disposed of its adapter', async () => {
    const { db, client, made } = clientWith('sqlite', () => []);
    await directReads(db).rows('SELECT 1', []);
    await client.$disconnect();
    await directReads(db).rows('SELECT 1', []);
    expect(client.connects).toBe(2);
    expect(made).toHaveLength(2);
  });

  it('numbers the values $1, $2... for PostgreSQL, and types each value', async () => {
    const { db, asked } = clientWith('postgres', () => []);
    const when = new Date('2026-12-04T09:30:00Z');
    await directReads(db).rows('SELECT "id" FROM "T" WHERE "a" = ? AND "b" > ? AND "c" = ? AND "d" = ? AND "e" = ? AND "f" IS ?', [
      'x',
      when,
      3,
      1.5,
      true,
      null,
    ]);
    expect(asked[0]?.sql).toBe('SELECT "id" FROM "T" WHERE "a" = $1 AND "b" > $2 AND "c" = $3 AND "d" = $4 AND "e" = $5 AND "f" IS $6');
    expect(asked[0]?.args).toEqual(['x', when, 3, 1.5, true, null]);
    expect(asked[0]?.argTypes.map((type) => type.scalarType)).toEqual(['string', 'datetime', 'int', 'float', 'boolean', 'unknown']);
  });

  it('tells an observer each query as it was sent, and how long it took', async () => {
    const seen: DirectQuery[] = [];
    const reads = new DirectReads('postgres', (query) => seen.push(query));
    const adapter: Adapter = { queryRaw: async () => ({ rows: [['r']] }), dispose: async () => {} };
    const factory = reads.keeping({ connect: async () => adapter });
    const db = reads.register({}, { $connect: async () => void (await factory.connect()) });
    await directReads(db).rows('SELECT "a" FROM "T" WHERE "b" = ?', ['x']);
    expect(seen).toEqual([{ sql: 'SELECT "a" FROM "T" WHERE "b" = $1', args: ['x'], ms: expect.any(Number) }]);
  });

  it('refuses a client createDb did not make', () => {
    expect(() => directReads({})).toThrow(/not made by createDb/);
  });

  it('makes an unreachable, timed-out or closed database unavailable (503), and leaves other errors as they are', async () => {
    const adapterError = (kind: string) => Object.assign(new Error(kind), { name: 'DriverAdapterError', cause: { kind } });
    for (const error of [
      adapterError('DatabaseNotReachable'),
      adapterError('SocketTimeout'),
      adapterError('ConnectionClosed'),
      adapterError('TooManyConnections'),
      new Error('timeout exceeded when trying to connect'),
    ]) {
      const { db } = clientWith('postgres', () => Promise.reject(error));
      await expect(directReads(db).rows('SELECT 1', [])).rejects.toBeInstanceOf(ServiceUnavailableError);
    }
    const notReachability = adapterError('ColumnNotFound');
    const { db } = clientWith('sqlite', () => Promise.reject(notReachability));
    await expect(directReads(db).rows('SELECT 1', [])).rejects.toBe(notReachability);
  });
});

describe('rows read directly', () => {
  type Row = { id: string; at: Date; until: Date | null; count: number; flag: boolean; note: string | null };
  const columns: Columns<Row> = { id: 'text', at: 'date', until: 'date?', count: 'int', flag: 'bool', note: 'text?' };

  it('lists the columns in order, with their table', () => {
    expect(selectList('r', columns)).toBe('r."id", r."at", r."until", r."count", r."flag", r."note"');
  });

  it("gives each value as Prisma's client does: dates as Dates, SQLite's 0 and 1 as booleans, whole numbers as numbers", () => {
    expect(rowOf(columns, ['a', '2026-12-04T09:30:00.123+00:00', null, 3, 1, null])).toEqual({
      id: 'a',
      at: new Date('2026-12-04T09:30:00.123Z'),
      until: null,
      count: 3,
      flag: true,
      note: null,
    });
    expect(rowOf(columns, ['b', '2026-12-04T09:30:00.000+00:00', '2026-12-05T00:00:00.000+00:00', 7n, false, 'n'])).toEqual({
      id: 'b',
      at: new Date('2026-12-04T09:30:00Z'),
      until: new Date('2026-12-05T00:00:00Z'),
      count: 7,
      flag: false,
      note: 'n',
    });
    expect(rowOf(columns, ['x', 'y', 'c', '2026-12-04T09:30:00Z', null, 4, 0, 'z'], 2)).toMatchObject({ id: 'c', count: 4, flag: false, note: 'z' });
  });

  it('refuses a null where the column may not be null', () => {
    expect(() => rowOf(columns, ['a', null, null, 3, 1, null])).toThrow(/date column was null/);
  });

  it('reads dates written in every form SQLite may hold, without an offset as UTC', () => {
    const at = new Date('2026-03-29T01:30:00Z');
    for (const value of [
      '2026-03-29T01:30:00.000+00:00',
      '2026-03-29T01:30:00Z',
      '2026-03-29 01:30:00',
      '2026-03-29T01:30:00',
      '2026-03-29T02:30:00+01:00',
      at.getTime(),
      BigInt(at.getTime()),
    ]) {
      expect(dateOf(value)).toEqual(at);
    }
    expect(dateOf('2026-03-29')).toEqual(new Date('2026-03-29T00:00:00Z'));
    expect(() => dateOf(true)).toThrow(/not a date/);
  });
});
