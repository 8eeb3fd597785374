import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { extractTarSafe, unsafeReason } from '../../src/prepare/safeTar.js';
import { buildTar, buildTarGz } from './fixtures.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'zs-tar-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function archive(name: string, bytes: Buffer): string {
  const p = join(dir, name);
  writeFileSync(p, bytes);
  return p;
}

describe('unsafeReason', () => {
  it('accepts plain relative entries and inner links', () => {
    expect(unsafeReason('a/b/c.txt', 'File')).toBeUndefined();
    expect(unsafeReason('a/link', 'SymbolicLink', '../a/b')).toBeUndefined();
    expect(unsafeReason('a/hard', 'Link', 'a/b/c.txt')).toBeUndefined();
  });
  it('names what is wrong', () => {
    expect(unsafeReason('/etc/passwd', 'File')).toBe('absolute path');
    expect(unsafeReason('a/../../evil', 'File')).toMatch(/'\.\.' component/);
    expect(unsafeReason('a/link', 'SymbolicLink', '../../out')).toMatch(/points outside/);
    expect(unsafeReason('a/link', 'SymbolicLink', '/etc')).toMatch(/points outside/);
    expect(unsafeReason('a/hard', 'Link', '../x')).toMatch(/hard link/);
    expect(unsafeReason('dev', 'CharacterDevice')).toMatch(/not allowed/);
  });
});

describe('extractTarSafe', () => {
  it('extracts tar and tar.gz archives', async () => {
    const entries = [{ name: 'root/', type: 'dir' as const }, { name: 'root/a.txt', data: 'hello' }];
    await extractTarSafe(archive('x.tar', buildTar(entries)), join(dir, 'o1'));
    await extractTarSafe(archive('x.tar.gz', buildTarGz(entries)), join(dir, 'o2'));
    expect(readFileSync(join(dir, 'o1', 'root', 'a.txt'), 'utf8')).toBe('hello');
    expect(readFileSync(join(dir, 'o2', 'root', 'a.txt'), 'utf8')).toBe('hello');
  });

  for (const [label, bad] of [
    ['../evil', { name: '../evil', data: 'x' }],
    ['/abs', { name: '/abs', data: 'x' }],
    ['symlink outside', { name: 'root/l', type: 'symlink' as const, linkname: '../../etc/passwd' }],
    ['hard link outside', { name: 'root/h', type: 'link' as const, linkname: '../outside' }],
  ] as const) {
    it(`refuses the whole archive with ${label}, writing nothing`, async () => {
      const tar = buildTar([{ name: 'root/good.txt', data: 'ok' }, bad, { name: 'root/after.txt', data: 'ok' }]);
      const dest = join(dir, 'out');
      await expect(extractTarSafe(archive('bad.tar', tar), dest)).rejects.toMatchObject({
        code: 'DATASET',
        message: expect.stringContaining(`entry '${bad.name}'`),
      });
      expect(existsSync(dest) ? readdirSync(dest) : []).toEqual([]);
      expect(existsSync(join(dir, 'evil'))).toBe(false);
    });
  }
});
