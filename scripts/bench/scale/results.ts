// What a database's measuring child (measure.ts) hands back to run.ts.
import type { Features, Kind, Subjects } from './operations';

/** Starts the one line of the child's output that carries its results. */
export const RESULT_MARKER = 'SCALE-BENCH-RESULT ';

export type CapturedQuery = { sql: string; params: string; ms: number };

export type Timing = {
  name: string;
  kind: Kind;
  median?: number;
  p95?: number;
  runs?: number;
  error?: string;
  /** Statements one run sent (not counting BEGIN and COMMIT). */
  queries?: number;
  /** The slowest statements of one run, slowest first, for EXPLAIN. */
  slowest?: CapturedQuery[];
};

export type Measured = {
  subjects: Subjects & { features: Features };
  timings: Timing[];
  auditAppends?: { appends: number; perSecond: number };
  auditAppendsError?: string;
};
