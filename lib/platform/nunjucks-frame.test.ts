import nunjucks from 'nunjucks';
import { describe, expect, it } from 'vitest';
import { fasterFrameSet, keptPartsSet } from './nunjucks-frame';

type Frame = { variables: Record<string, unknown>; push(isolateWrites?: boolean): Frame; set(name: string, value: unknown, resolveUp?: boolean): void };
const { Frame } = (nunjucks as unknown as { runtime: { Frame: { new (): Frame; prototype: Frame } } }).runtime;
const original = Frame.prototype.set;

/** The same writes on frames using Nunjucks' own set and then ours: what each frame ends up holding. */
function both(writes: (root: Frame) => Frame[]): [unknown, unknown] {
  const run = (set: Frame['set']) => {
    Frame.prototype.set = set;
    try {
      return writes(new Frame()).map((frame) => structuredClone(frame.variables));
    } finally {
      Frame.prototype.set = original;
    }
  };
  return [run(original), run(keptPartsSet)];
}

describe('fasterFrameSet', () => {
  it('sets plain and dotted names as Nunjucks does, nested objects made on the way', () => {
    const [theirs, ours] = both((root) => {
      root.set('x', 1);
      root.set('loop.index', 2);
      root.set('loop.first', true);
      root.set('a.b.c', 'deep');
      root.set('loop.index', 3);
      return [root];
    });
    expect(ours).toEqual(theirs);
    expect(ours).toEqual([{ x: 1, loop: { index: 3, first: true }, a: { b: { c: 'deep' } } }]);
  });

  it('writes to the frame that already has the name when resolving up, and not past an isolated frame', () => {
    const [theirs, ours] = both((root) => {
      root.set('rows', []);
      const inner = root.push();
      inner.set('rows', ['changed'], true);
      inner.set('fresh', 1, true);
      const macro = inner.push(true);
      macro.set('rows', ['isolated'], true);
      return [root, inner, macro];
    });
    expect(ours).toEqual(theirs);
    expect(ours).toEqual([{ rows: ['changed'] }, { fresh: 1 }, { rows: ['isolated'] }]);
  });

  it('renders templates with loops and sets the same', () => {
    const source =
      '{% set total = 0 %}{% for r in rows %}{% set total = total + r %}{{ loop.index }}/{{ loop.length }}{% if loop.last %}!{% endif %} {% endfor %}{{ total }}';
    const env = new nunjucks.Environment();
    const theirs = env.renderString(source, { rows: [1, 2, 3] });
    fasterFrameSet();
    try {
      expect(env.renderString(source, { rows: [1, 2, 3] })).toBe(theirs);
      expect(theirs).toBe('1/3 2/3 3/3! 6');
    } finally {
      Frame.prototype.set = original;
    }
  });
});
