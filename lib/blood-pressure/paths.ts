import { paths } from '@/lib/platform/paths';

/** Blood pressure's page addresses (all of them live in lib/platform/paths.ts). */
export const bloodPressurePaths = paths.bloodPressure;

/** Only the shape of our own ids (cuid) is looked up; anything else is "not found" at once. */
export function isOwnId(id: unknown): id is string {
  return typeof id === 'string' && /^[A-Za-z0-9_-]{1,100}$/.test(id);
}
