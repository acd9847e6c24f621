import { config } from './config';

/**
 * The time a request happens at: the real time, always, in a real service.
 *
 * End-to-end tests of a build served on this machine (TEST_CLOCK, refused by the
 * configuration for any other address) may send `x-test-clock: <ISO instant>`,
 * so that one browser can live a week later and try what a week of readings does
 * in minutes, without moving anyone else's time. Sessions and sign-in keep the real time.
 */
export const TEST_CLOCK_HEADER = 'x-test-clock';

export function requestTime(req: Request, testClock = config().testClock): Date {
  if (!testClock) return new Date();
  const asked = req.headers.get(TEST_CLOCK_HEADER);
  const at = asked ? new Date(asked) : undefined;
  return at && !Number.isNaN(at.getTime()) ? at : new Date();
}
