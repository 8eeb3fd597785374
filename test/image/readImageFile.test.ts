import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readImageFile } from '../../src/image/readImageFile.js';
import { decodeImage } from '../../src/image/decode.js';

const tmp = mkdtempSync(join(tmpdir(), 'zs-readimg-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('readImageFile', () => {
  it('refuses a FIFO named like an image at once, without blocking on open', async () => {
    const fifo = join(tmp, '2.png');
    execFileSync('mkfifo', [fifo]);
    const t0 = Date.now();
    await expect(readImageFile(fifo)).rejects.toMatchObject({ code: 'IMAGE', message: `${fifo}: not a regular file (a FIFO); skipped without reading` });
    await expect(decodeImage({ kind: 'path', path: fifo })).rejects.toThrow(/not a regular file \(a FIFO\)/);
    expect(Date.now() - t0).toBeLessThan(5000);
  });

  it('refuses devices and directories without reading them', async () => {
    const link = join(tmp, 'zero.png');
    symlinkSync('/dev/zero', link);
    await expect(readImageFile(link)).rejects.toThrow(/zero\.png: not a regular file \(a character device\)/);
    await expect(readImageFile(tmp)).rejects.toThrow(/not a regular file \(a directory\)|EISDIR/);
  });

  it('reads a regular file whole and names a missing one', async () => {
    writeFileSync(join(tmp, 'a.bin'), Buffer.from([1, 2, 3]));
    expect([...(await readImageFile(join(tmp, 'a.bin')))]).toEqual([1, 2, 3]);
    await expect(readImageFile(join(tmp, 'nope.png'))).rejects.toThrow(/nope\.png: file not found/);
  });

  it('stops waiting when the run is interrupted', async () => {
    writeFileSync(join(tmp, 'b.bin'), Buffer.alloc(10));
    const ac = new AbortController();
    ac.abort(new Error('stop'));
    await expect(readImageFile(join(tmp, 'b.bin'), { signal: ac.signal })).rejects.toThrow('stop');
  });
});
