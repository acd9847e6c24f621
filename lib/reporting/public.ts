/**
 * What other capabilities use of reporting: keeping the active users rollup right when two
 * accounts become one. Other capabilities import only this module (eslint.config.mjs keeps it so).
 */
export { moveActiveDays } from './rollup';
