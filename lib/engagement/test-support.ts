/** The activity dates form as a browser sends it: day, month and year boxes for the start and the end. */
export const datesForm = (starts: string[], ends: string[]) => ({
  'starts-day': starts[0]!,
  'starts-month': starts[1]!,
  'starts-year': starts[2]!,
  'ends-day': ends[0]!,
  'ends-month': ends[1]!,
  'ends-year': ends[2]!,
});

/**
 * mulberry32: a small seeded generator, so that one number (given in every failure) reproduces a
 * whole randomly made population or run of writes.
 */
export function generator(seed: number) {
  let state = seed;
  const next = () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!;
  const some = <T>(items: readonly T[], chance: number): T[] => items.filter(() => next() < chance);
  return { next, pick, some };
}
