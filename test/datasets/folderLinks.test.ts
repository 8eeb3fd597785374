import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { folderAdapter } from '../../src/datasets/folder.js';
import { parseDatasetSpec } from '../../src/datasets/spec.js';
import type { Dataset, SkippedItem } from '../../src/datasets/types.js';

const root = mkdtempSync(join(tmpdir(), 'zs-folder-links-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function tree(name: string, files: string[]): string {
  const dir = join(root, name);
  mkdirSync(dir, { recursive: true });
  for (const f of files) {
    mkdirSync(join(dir, f, '..'), { recursive: true });
    writeFileSync(join(dir, f), 'x');
  }
  return dir;
}
const open = (spec: string): Promise<Dataset> => folderAdapter.open(parseDatasetSpec(spec));

async function stream(ds: Dataset): Promise<{ items: [string, number][]; skipped: SkippedItem[] }> {
  const skipped: SkippedItem[] = [];
  const items: [string, number][] = [];
  for await (const s of ds.samples({ onSkip: (i) => skipped.push(i) })) items.push([s.id, s.label]);
  return { items, skipped };
}

describe('folder adapter: symbolic links and non-regular files', () => {
  it('follows a symlinked class folder as torchvision does, so later labels do not shift', async () => {
    const elsewhere = tree('elsewhere', ['bee/1.png', 'bee/2.png']);
    const dir = tree('linked', ['ant/1.png', 'cat/1.png']);
    symlinkSync(join(elsewhere, 'bee'), join(dir, 'bee'));
    writeFileSync(join(dir, 'classnames.txt'), 'ant\nbee\ncat\n');
    const ds = await open(`folder:${dir}`);
    expect(ds.classNames).toEqual(['ant', 'bee', 'cat']);
    const { items, skipped } = await stream(ds);
    expect(items).toEqual([['ant/1.png', 0], ['bee/1.png', 1], ['bee/2.png', 1], ['cat/1.png', 2]]);
    expect(skipped).toEqual([]);
    // A symlink inside a class folder to a sibling folder is followed too (torchvision lists it twice).
    symlinkSync(join(elsewhere, 'bee'), join(dir, 'ant', 'more'));
    expect((await stream(await open(`folder:${dir}`))).items.filter(([, y]) => y === 0)).toHaveLength(3);
  });

  it('detects symlink loops by device and inode and lists each looped path once', async () => {
    const dir = tree('loops', ['a/1.png', 'b/1.png']);
    symlinkSync(join(dir, 'a'), join(dir, 'a', 'self'));
    symlinkSync(dir, join(dir, 'b', 'up'));
    symlinkSync('me.png', join(dir, 'b', 'me.png')); // a link to itself: ELOOP from the kernel
    const ds = await open(`folder:${dir}`);
    const { items, skipped } = await stream(ds);
    expect(items).toEqual([['a/1.png', 0], ['b/1.png', 1]]);
    expect(skipped.map((s) => s.id).sort()).toEqual(['a/self', 'b/me.png', 'b/up']);
    expect(skipped.find((s) => s.id === 'a/self')!.reason).toMatch(/symbolic link loop/);
    expect(skipped.find((s) => s.id === 'b/me.png')!.reason).toMatch(/ELOOP/);
    expect(ds.warnings?.[0]).toMatch(/3 entries not usable/);
  });

  it('skips dangling links, FIFOs and devices named like images without reading them', async () => {
    const dir = tree('odd', ['a/1.png', 'b/1.png']);
    symlinkSync(join(dir, 'missing.png'), join(dir, 'a', 'dangling.png'));
    execFileSync('mkfifo', [join(dir, 'b', '2.png')]);
    symlinkSync('/dev/zero', join(dir, 'b', 'zero.png'));
    const { items, skipped } = await stream(await open(`folder:${dir}`));
    expect(items).toEqual([['a/1.png', 0], ['b/1.png', 1]]);
    const reasons = Object.fromEntries(skipped.map((s) => [s.id, s.reason]));
    expect(reasons['a/dangling.png']).toMatch(/dangling symbolic link \(ENOENT\)/);
    expect(reasons['b/2.png']).toMatch(/not a regular file \(a FIFO\)/);
    expect(reasons['b/zero.png']).toMatch(/not a regular file \(a character device\)/);
  });

  it('names a folder: spec that points at a file', async () => {
    const dir = tree('file', ['x.png']);
    await expect(open(`folder:${join(dir, 'x.png')}`)).rejects.toMatchObject({ code: 'DATASET', message: expect.stringMatching(/is not a directory/) });
  });

  // Root reads any folder regardless of its mode, so the unreadable case needs an unprivileged user.
  it.skipIf(process.getuid?.() === 0)('lists an unreadable sub-folder instead of failing', async () => {
    const dir = tree('unreadable', ['a/1.png', 'a/sub/2.png', 'b/1.png']);
    chmodSync(join(dir, 'a', 'sub'), 0);
    try {
      const { items, skipped } = await stream(await open(`folder:${dir}`));
      expect(items).toEqual([['a/1.png', 0], ['b/1.png', 1]]);
      expect(skipped[0].reason).toMatch(/cannot read folder \(EACCES\)/);
    } finally {
      chmodSync(join(dir, 'a', 'sub'), 0o755);
    }
  });
});
