// EXPLAIN (ANALYZE, BUFFERS) of a statement the app sent, with the parameters it sent them with.
// ANALYZE runs the statement, so it runs in a transaction that is rolled back: a write explained
// changes nothing.
import pg from 'pg';
import type { CapturedQuery } from './results';

/** More parameters than this (a long IN list, a createMany) are not worth explaining here: the count says enough. */
const MOST_PARAMETERS = 1_000;

export async function explain(url: string, query: CapturedQuery): Promise<string> {
  let params: unknown[];
  try {
    params = JSON.parse(query.params) as unknown[];
  } catch {
    return '(its parameters were not recorded in a readable form)';
  }
  if (params.length > MOST_PARAMETERS) return `(not explained: ${params.length} parameters)`;
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query('BEGIN');
    const plan = await client.query<{ 'QUERY PLAN': string }>(`EXPLAIN (ANALYZE, BUFFERS) ${query.sql}`, params);
    return plan.rows.map((row) => row['QUERY PLAN']).join('\n');
  } catch (error) {
    return `(EXPLAIN failed: ${error instanceof Error ? error.message : String(error)})`;
  } finally {
    await client.query('ROLLBACK').catch(() => undefined);
    await client.end();
  }
}
