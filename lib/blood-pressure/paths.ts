import type { ChartRange } from './chart';

/** Every blood pressure page's address, in one place: handlers, redirects and views use these. */
export const bloodPressurePaths = {
  overview: '/blood-pressure',
  add: '/blood-pressure/add',
  check: '/blood-pressure/add/check',
  saved: '/blood-pressure/add/saved',
  readings: '/blood-pressure/readings',
  readingsCsv: '/blood-pressure/readings.csv',
  readingsRange: (range: ChartRange) => `/blood-pressure/readings?range=${range}`,
  readingsPage: (range: ChartRange, page: number) => `/blood-pressure/readings?range=${range}&page=${page}`,
  change: (id: string) => `/blood-pressure/readings/${encodeURIComponent(id)}/change`,
  changed: (id: string) => `/blood-pressure/readings/${encodeURIComponent(id)}/changed`,
  delete: (id: string) => `/blood-pressure/readings/${encodeURIComponent(id)}/delete`,
  startWeek: '/blood-pressure/week/start',
  endWeek: '/blood-pressure/week/end',
  weeks: '/blood-pressure/weeks',
  week: (id: string) => `/blood-pressure/weeks/${encodeURIComponent(id)}`,
} as const;

/** Only the shape of our own ids (cuid) is looked up; anything else is "not found" at once. */
export function isOwnId(id: unknown): id is string {
  return typeof id === 'string' && /^[A-Za-z0-9_-]{1,100}$/.test(id);
}
