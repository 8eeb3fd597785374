import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runTaskPlan } from '../helpers/taskRun.js';
import { cli } from '../helpers/cli.js';

const root = mkdtempSync(join(tmpdir(), 'zs-compare-text-shift-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('compare: text-shifted results', () => {
  it('pairs by text shift too (it had refused several results of one dataset × shift × prompts on a side)', async () => {
    const out = join(root, 'results');
    await runTaskPlan({ models: ['tiny-clip-shapes', 'tiny-clip-shapes-robust'], datasets: ['shapes:standard?n=16'], textShifts: ['char_swap:5'], outDir: out, cacheDir: null });
    const r = await cli(['compare', out, '--a', 'tiny-clip-shapes', '--b', 'tiny-clip-shapes-robust', '-o', join(root, 'cmp'), '--no-thumbnails']);
    expect(r.code, r.stderr).toBe(0);
    const report = JSON.parse(readFileSync(join(root, 'cmp', 'compare.json'), 'utf8')) as { units: { key: { shift: unknown; textShift?: { name: string; severity: number } } }[] };
    expect(report.units.map((u) => u.key.textShift ?? null)).toEqual([null, { name: 'char_swap', severity: 5 }]);
    expect(r.stdout).toContain('- + text char_swap:5');
  });
});
