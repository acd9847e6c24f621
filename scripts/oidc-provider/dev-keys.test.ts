import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ensureDevClientKeys } from './dev-keys';

const dirs: string[] = [];
const tempDir = () => {
  const dir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'dev-keys-')), 'nested');
  dirs.push(dir);
  return dir;
};
afterEach(() => {
  for (const dir of dirs.splice(0)) fs.rmSync(path.dirname(dir), { recursive: true, force: true });
});

describe('ensureDevClientKeys', () => {
  it('makes an ES256 key pair once and returns the same one afterwards', () => {
    const dir = tempDir();
    const first = ensureDevClientKeys(dir);
    const second = ensureDevClientKeys(dir);
    expect(second).toEqual(first);
    expect(first.privateJwk).toMatchObject({ kty: 'EC', crv: 'P-256', alg: 'ES256', use: 'sig', kid: first.kid });
    expect(first.publicJwk).not.toHaveProperty('d');
    expect(first.publicJwk.kid).toBe(first.kid);
    const [file] = fs.readdirSync(dir);
    expect(fs.statSync(path.join(dir, file!)).mode & 0o077).toBe(0);
  });

  it('honours DEV_KEYS_DIR', () => {
    const dir = tempDir();
    process.env.DEV_KEYS_DIR = dir;
    try {
      expect(ensureDevClientKeys().kid).toBe(ensureDevClientKeys(dir).kid);
    } finally {
      delete process.env.DEV_KEYS_DIR;
    }
  });
});
