import nunjucks from 'nunjucks';
import { describe, expect, it } from 'vitest';
import { trim } from './nunjucks-trim';
import { views } from './render';

const { SafeString } = (nunjucks as unknown as { runtime: { SafeString: new (value: string) => { toString(): string; trim(): string } } }).runtime;
// Nunjucks' own filter, to compare with.
const nunjucksTrim = (new nunjucks.Environment() as unknown as { getFilter(name: string): (value: unknown) => unknown }).getFilter('trim');

describe('trim', () => {
  const inputs = [
    '',
    'no spaces',
    '  both ends  ',
    '\n\t  lines\n  and indents\n    inside  \n\n',
    // Every character `\s` matches, at both ends and inside: no-break space, the Unicode spaces, line and paragraph separators, byte order mark.
    '\u00a0\u1680\u2000\u200a\u2028\u2029\u202f\u205f\u3000\ufeff\v\f\r x \u00a0y\ufeff\u3000\v',
    // Not white space, so kept: zero-width space and joiner, the Mongolian vowel separator.
    '\u200b kept \u200d\u180e',
    `${' '.repeat(5000)}<p>a</p>${'\n      '.repeat(500)}<p>b</p>${' '.repeat(5000)}`,
  ];

  it('gives what Nunjucks’ own trim gives', () => {
    for (const input of inputs) expect(trim(input), JSON.stringify(input.slice(0, 40))).toBe(nunjucksTrim(input));
  });

  it('keeps text marked safe marked safe, and other text plain', () => {
    for (const input of inputs) {
      const ours = trim(new SafeString(input));
      const theirs = nunjucksTrim(new SafeString(input));
      expect(ours).toBeInstanceOf(SafeString);
      expect(String(ours)).toBe(String(theirs));
    }
    expect(typeof trim(' plain ')).toBe('string');
  });

  it('fails for no value, as Nunjucks’ does', () => {
    expect(() => nunjucksTrim(undefined)).toThrow(TypeError);
    expect(() => trim(undefined as never)).toThrow(TypeError);
  });

  it('is the trim the service’s pages use, and escapes what is not marked safe', () => {
    const env = views();
    expect(env.getFilter('trim')).toBe(trim);
    expect(env.renderString('[{{ "  <b>x</b>  " | trim }}][{{ "  <b>x</b>  " | safe | trim }}]', {})).toBe('[&lt;b&gt;x&lt;/b&gt;][<b>x</b>]');
  });
});
