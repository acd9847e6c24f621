import nunjucks from 'nunjucks';

/**
 * Nunjucks sets a template variable by splitting its name at dots on every call (a name may be
 * `loop.index`), and every loop sets seven such names on each turn: splitting them was the
 * largest single cost of rendering the readings page (its tables, issue 18's profile). This is
 * the same `Frame.set`, with the split parts of each name kept: the names are those written in
 * the templates, so there are few of them.
 */
type Frame = {
  variables: Record<string, unknown>;
  set(name: string, value: unknown, resolveUp?: boolean): void;
  resolve(name: string, forWrite: boolean): Frame | undefined;
};

const partsOfName = new Map<string, readonly string[]>();
const MAX_NAMES = 2000;

function partsOf(name: string): readonly string[] {
  let parts = partsOfName.get(name);
  if (!parts) {
    parts = name.split('.');
    if (partsOfName.size < MAX_NAMES) partsOfName.set(name, parts);
  }
  return parts;
}

/** Nunjucks' `Frame.set`, with each name's split parts kept. */
export function keptPartsSet(this: Frame, name: string, value: unknown, resolveUp?: boolean): void {
  const parts = partsOf(name);
  if (resolveUp) {
    const frame = this.resolve(parts[0]!, true);
    if (frame) {
      frame.set(name, value);
      return;
    }
  }
  let target = this.variables;
  for (let i = 0; i < parts.length - 1; i++) {
    const id = parts[i]!;
    if (!target[id]) target[id] = {};
    target = target[id] as Record<string, unknown>;
  }
  target[parts[parts.length - 1]!] = value;
}

const runtime = (nunjucks as unknown as { runtime: { Frame: { prototype: Frame } } }).runtime;

/** Puts keptPartsSet on Nunjucks' frames: the runtime is shared by every environment, so calling it again changes nothing. */
export function fasterFrameSet(): void {
  runtime.Frame.prototype.set = keptPartsSet;
}
