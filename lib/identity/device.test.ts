import { describe, expect, it } from 'vitest';
import { deviceKind } from './device';

describe('deviceKind', () => {
  it('tells phones, tablets and computers apart', () => {
    expect(deviceKind('Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) Mobile/15E148')).toBe('mobile');
    expect(deviceKind('Mozilla/5.0 (Linux; Android 14; Pixel 8) Chrome/120.0 Mobile Safari/537.36')).toBe('mobile');
    expect(deviceKind('Mozilla/5.0 (iPad; CPU OS 17_0 like Mac OS X)')).toBe('tablet');
    expect(deviceKind('Mozilla/5.0 (Linux; Android 14; SM-X710) Chrome/120.0 Safari/537.36')).toBe('tablet');
    expect(deviceKind('Mozilla/5.0 (X11; Linux x86_64) Chrome/120.0 Safari/537.36')).toBe('computer');
    expect(deviceKind(null)).toBe('computer');
  });
});
