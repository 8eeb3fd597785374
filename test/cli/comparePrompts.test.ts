import { describe, expect, it } from 'vitest';
import { mkdtemp, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cli } from '../helpers/cli.js';

describe('zeroshift compare-prompts', () => {
  it('--each-template ranks the whole set too, and says where the results went', async () => {
    const tmp = await mkdtemp(join(tmpdir(), 'zs-cp-'));
    const out = join(tmp, 'cp');
    const r = await cli(['compare-prompts', '--dataset', 'shapes-dark', '--n', '24', '--prompts', 'shapes-shape', '--each-template', '--out', out, '--cache-dir', join(tmp, 'c'), '--no-progress', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const groups = JSON.parse(r.stdout) as { ranking: { prompts: string; templates: number; rank: number; vsBest: unknown }[] }[];
    expect(groups).toHaveLength(1);
    const whole = groups[0].ranking.find((x) => x.prompts === 'shapes-shape (all 7 templates)');
    expect(whole?.templates).toBe(7);
    expect(groups[0].ranking).toHaveLength(8);
    expect(groups[0].ranking.filter((x) => x.vsBest === null)).toHaveLength(1);
    expect(r.stderr).toMatch(new RegExp(`8 result\\(s\\) in ${out}$`, 'm'));
    expect((await readdir(out)).filter((f) => f.endsWith('.json'))).toHaveLength(8);
  });

  it('takes repeatable --model and --shift, a --template set, and the generated-dataset --n', async () => {
    const tmp = await mkdtemp(join(tmpdir(), 'zs-cp-'));
    const r = await cli(['compare-prompts', '--dataset', 'shapes:standard', '--n', '16', '-m', 'tiny-clip-shapes', '-m', 'tiny-clip-shapes-robust', '--shift', 'fog:2', '--shift', 'contrast:4', '--prompts', 'shapes-shape', '--template', 'a {}.', '--out', join(tmp, 'o'), '--cache-dir', join(tmp, 'c'), '--no-progress']);
    expect(r.code, r.stderr).toBe(0);
    const headings = r.stdout.split('\n').filter((l) => / on shapes-standard \(/.test(l));
    expect(headings).toEqual([
      'tiny-clip-shapes on shapes-standard (fog:2):', 'tiny-clip-shapes on shapes-standard (contrast:4):',
      'tiny-clip-shapes-robust on shapes-standard (fog:2):', 'tiny-clip-shapes-robust on shapes-standard (contrast:4):',
    ]);
    expect(r.stdout).toMatch(/\scli\s+1\s+16\s/);
  });
});
