import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ensureWritableDir } from '../../src/util/writableDir.js';
import { cli } from '../helpers/cli.js';
import { mountTmpfs } from '../helpers/tmpfs.js';

const root = mkdtempSync(join(tmpdir(), 'zs-writable-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** A read-only tmpfs, or null where this machine forbids mounts (containers without CAP_SYS_ADMIN). */
function readOnlyMount(): string | null {
  const dir = join(root, 'ro');
  return mountTmpfs(dir, 'ro,size=1m') ? dir : null;
}

describe('ensureWritableDir', () => {
  it('refuses "", kernel file systems and files, naming the flag', async () => {
    await expect(ensureWritableDir('', '--out')).rejects.toMatchObject({ code: 'USAGE', message: '--out is empty; give a directory (e.g. --out results)' });
    // It suggested "e.g. --cache-dir results" for the cache.
    await expect(ensureWritableDir('', '--cache-dir')).rejects.toMatchObject({ code: 'USAGE', message: '--cache-dir is empty; give a directory (e.g. --cache-dir ~/.cache/zeroshift), or leave the flag out for the default cache' });
    const t0 = Date.now();
    await expect(ensureWritableDir('/proc/self/x', '--out')).rejects.toThrow(/--out \/proc\/self\/x: under \/proc, a kernel file system/);
    await expect(ensureWritableDir('/sys/kernel/zs', '--cache-dir')).rejects.toThrow(/--cache-dir \/sys\/kernel\/zs: under \/sys/);
    expect(Date.now() - t0).toBeLessThan(2000);
    writeFileSync(join(root, 'file'), 'x');
    await expect(ensureWritableDir(join(root, 'file'), '--cache-dir')).rejects.toThrow(/--cache-dir .*file: is a file, not a directory/);
    await expect(ensureWritableDir(join(root, 'file', 'sub'), '--out')).rejects.toThrow(/cannot write there: a file is in the way/);
  });

  it('creates a missing directory and leaves no probe file behind', async () => {
    const dir = join(root, 'new', 'deep');
    await ensureWritableDir(dir, '--out');
    expect(execFileSync('ls', ['-A', dir]).toString()).toBe('');
  });

  it('names a read-only file system (was reported as ENOENT)', async (ctx) => {
    const ro = readOnlyMount();
    if (!ro) return ctx.skip('this machine forbids mounts, so no read-only file system can be made');
    try {
      await expect(ensureWritableDir(join(ro, 'out'), '--out')).rejects.toThrow(/cannot write there: it is on a read-only file system/);
    } finally {
      execFileSync('umount', [ro]);
    }
  });

  it('eval stops with exit 2 before any work for an unusable --out or --cache-dir', async () => {
    const r = await cli(['eval', '--out', '/proc/self/x']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/under \/proc/);
    const r2 = await cli(['eval', '--out', join(root, 'ok'), '--cache-dir', '']);
    expect(r2.code).toBe(2);
    expect(r2.stderr).toMatch(/--cache-dir is empty/);
  });
});
