/**
 * What other capabilities use of reporting: keeping the active users rollup right when two
 * accounts become one, and how far back the reports still read sign-ins (so the retention job,
 * lib/platform/retention.ts, removes none they need). Other capabilities import only this module
 * (eslint.config.mjs keeps it so).
 */
export { anonymiseActivity, moveActiveDays, signInsReadFrom } from './rollup';
