import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { writeFileAtomic } from '../../src/util/atomicWrite.js';
import { mountTmpfs } from '../helpers/tmpfs.js';

const root = mkdtempSync(join(tmpdir(), 'zs-atomic-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('writeFileAtomic failures', () => {
  it('a path under /proc or /sys is a typed error naming it (Node\'s recursive mkdir there never returned)', async () => {
    await expect(writeFileAtomic('/proc/zeroshift-no-such/out.jsonl', 'x')).rejects.toMatchObject({ code: 'INPUT', message: expect.stringMatching(/cannot write \/proc\/zeroshift-no-such\/out\.jsonl: it is under \/proc, a kernel file system/) });
    await expect(writeFileAtomic('/sys/zeroshift-no-such/a/b.json', 'x')).rejects.toMatchObject({ code: 'INPUT', message: expect.stringMatching(/under \/sys/) });
  }, 10_000);

  it('a directory where the file goes (index.csv as a directory) is a typed error and leaves no temp file', async () => {
    const dir = join(root, 'out');
    mkdirSync(join(dir, 'index.csv'), { recursive: true });
    await expect(writeFileAtomic(join(dir, 'index.csv'), 'a,b\n')).rejects.toMatchObject({ code: 'INPUT', message: expect.stringMatching(/index\.csv: a directory is in the way \(EISDIR\)/) });
    expect(readdirSync(dir)).toEqual(['index.csv']);
  });

  it('ENOSPC on a small tmpfs: typed error naming the file, temp file removed', async (ctx) => {
    const mnt = join(root, 'small');
    if (!mountTmpfs(mnt, 'size=64k')) return ctx.skip('this machine forbids mounts, so no small file system can be filled');
    try {
      await expect(writeFileAtomic(join(mnt, 'r.json'), Buffer.alloc(1 << 20, 1))).rejects.toMatchObject({ code: 'INPUT', message: expect.stringMatching(/r\.json: the disk is full \(ENOSPC\)/) });
      expect(readdirSync(mnt)).toEqual([]);
      await writeFileAtomic(join(mnt, 'small.json'), '{}\n'); // space is back: writing works again
      expect(readdirSync(mnt)).toEqual(['small.json']);
    } finally {
      execFileSync('umount', [mnt]);
    }
  });
});
