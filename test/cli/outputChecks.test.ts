import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cli } from '../helpers/cli.js';
import { mountTmpfs } from '../helpers/tmpfs.js';
import { writeSyntheticResults } from '../report/syntheticResults.js';

const root = mkdtempSync(join(tmpdir(), 'zs-outcheck-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** A read-only tmpfs, or null where this machine forbids mounts (containers without CAP_SYS_ADMIN). */
function readOnlyMount(): string | null {
  const dir = join(root, 'ro');
  return mountTmpfs(dir, 'ro,size=1m') ? dir : null;
}

/**
 * `merge --out` and `report --out` are checked before any work: the inputs below are valid
 * (report) or missing (merge), so an error about them would show the check came too late.
 */
describe('merge --out and report --out are checked before any work', () => {
  const file = join(root, 'a-file');
  writeFileSync(file, 'x');
  const bad: [string, RegExp][] = [
    ['/proc/self/zs-out', /--out \/proc\/self\/zs-out: under \/proc, a kernel file system/],
    ['/sys/kernel/zs-out', /--out \/sys\/kernel\/zs-out: under \/sys/],
    [file, /--out .*a-file: is a file, not a directory/],
    [join(file, 'sub'), /--out .*a-file\/sub: cannot write there: a file is in the way/],
    ['', /--out is empty/],
  ];

  it('merge: exit 2 naming the path, before reading any shard', async () => {
    for (const [out, message] of bad) {
      const r = await cli(['merge', join(root, 'no-shard-1'), join(root, 'no-shard-2'), '--out', out]);
      expect(r.code, out).toBe(2);
      expect(r.stderr, out).toMatch(message);
      expect(r.stderr, out).not.toMatch(/no-shard|manifest/);
    }
  });

  it('report: exit 2 naming the path, before reading results or drawing charts', async () => {
    const results = await writeSyntheticResults(3, 8);
    for (const [out, message] of bad) {
      const r = await cli(['report', results, join(root, 'missing-results'), '--out', out]);
      expect(r.code, out).toBe(2);
      expect(r.stderr, out).toMatch(message);
      expect(r.stderr, out).not.toMatch(/missing-results|report:/);
    }
  });

  it('a read-only file system is named as such (merge and report)', async (ctx) => {
    const ro = readOnlyMount();
    if (!ro) return ctx.skip('this machine forbids mounts, so no read-only file system can be made');
    try {
      const m = await cli(['merge', join(root, 'no-shard'), '--out', join(ro, 'merged')]);
      expect(m.code).toBe(2);
      expect(m.stderr).toMatch(/--out .*ro\/merged: cannot write there: it is on a read-only file system/);
      const r = await cli(['report', join(root, 'missing-results'), '-o', join(ro, 'report')]);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/--out .*ro\/report: cannot write there: it is on a read-only file system/);
    } finally {
      execFileSync('umount', [ro]);
    }
  });
});
