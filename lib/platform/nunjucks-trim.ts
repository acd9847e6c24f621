import nunjucks from 'nunjucks';

const { copySafeness } = (nunjucks as unknown as { runtime: { copySafeness(dest: unknown, target: string): unknown } }).runtime;

/**
 * Nunjucks' `trim` filter, which the govuk-frontend and nhsuk-frontend macros put on most of what
 * they are given (`params.html | trim`), with the string's own `trim()` in place of Nunjucks'
 * `replace(/^\s*|\s*$/g, '')`. That pattern tries `\s*$` at every character of every run of
 * spaces in the string, so its cost grows with the square of each run: on a page whose table is
 * passed whole into a details component it was a few per cent of the page (issue 18's profile).
 * `\s` and `trim()` take out the same characters (the standard's white space and line
 * terminators), so the result is the same: marked safe if the input was, an error for no value.
 */
export function trim(value: { trim(): string }): unknown {
  return copySafeness(value, value.trim());
}
