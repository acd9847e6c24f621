import { describe, expect, it } from 'vitest';
import { DEFAULT_RETURN_TO, safeReturnTo } from './return-to';

describe('safeReturnTo', () => {
  it('keeps a path on this service, with its query', () => {
    expect(safeReturnTo('/account/sign-in-history')).toBe('/account/sign-in-history');
    expect(safeReturnTo('/account?tab=1')).toBe('/account?tab=1');
  });

  it('never leaves the service', () => {
    for (const value of [
      'https://evil.example',
      '//evil.example/x',
      '/\\evil.example',
      '\\\\evil.example',
      'javascript:alert(1)',
      '/%0d%0aSet-Cookie:x',
      'account',
      '',
      undefined,
      42,
      '/a\nb',
      '/.//evil.example',
      '/./evil.example/..//evil.example',
      '/%2e//evil.example',
      '/x/..//evil.example',
    ]) {
      const result = safeReturnTo(value);
      expect(result.startsWith('/') && !result.startsWith('//')).toBe(true);
      expect(new URL(result, 'https://service.example').origin).toBe('https://service.example');
    }
    expect(safeReturnTo('//evil.example/x')).toBe(DEFAULT_RETURN_TO);
    expect(safeReturnTo('/\\evil.example')).toBe(DEFAULT_RETURN_TO);
    // Paths that become another site only once normalised.
    expect(safeReturnTo('/.//evil.example')).toBe(DEFAULT_RETURN_TO);
    expect(safeReturnTo('/x/..//evil.example')).toBe(DEFAULT_RETURN_TO);
    // Normalised paths on this service are still kept.
    expect(safeReturnTo('/account/./sign-in-history')).toBe('/account/sign-in-history');
  });

  it('does not return to sign-in, sign-out or next-auth pages', () => {
    expect(safeReturnTo('/sign-in')).toBe(DEFAULT_RETURN_TO);
    expect(safeReturnTo('/signed-out?reason=timeout')).toBe(DEFAULT_RETURN_TO);
    expect(safeReturnTo('/api/auth/callback/onelogin')).toBe(DEFAULT_RETURN_TO);
    expect(safeReturnTo('/x'.repeat(300))).toBe(DEFAULT_RETURN_TO);
  });
});
