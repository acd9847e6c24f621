/**
 * Comparing people's names as different systems hold them (identity providers, the care
 * record): case, accents, and spacing around hyphens and apostrophes differ; the name does not.
 */

export function normalisedName(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[’`]/g, "'")
    .replace(/\s*([-'])\s*/g, '$1')
    .replace(/\s+/g, ' ')
    .trim();
}

export function sameName(a: string, b: string): boolean {
  return normalisedName(a) === normalisedName(b);
}

/** The first of someone's given names: systems differ in whether they hold middle names. */
export function firstWord(text: string): string {
  return text.trim().split(/\s+/)[0] ?? text;
}
