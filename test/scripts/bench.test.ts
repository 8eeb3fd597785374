import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { ROOT } from '../helpers/dist.js';

/** What `npm run bench -- ARGS` would run (its --plan), without running it. */
function plan(args: string[]): { configs: string[]; process: string[]; pipeline: number[]; out: string } {
  const r = spawnSync(process.execPath, [join(ROOT, 'scripts', 'bench', 'bench.mjs'), ...args, '--plan'], { cwd: ROOT, encoding: 'utf8' });
  expect(r.status, r.stderr).toBe(0);
  return JSON.parse(r.stdout) as ReturnType<typeof plan>;
}

describe('npm run bench flags', () => {
  it('runs only what is named (--configs tiny-png had still run the default suite three times)', () => {
    expect(plan(['--configs', 'tiny-png'])).toMatchObject({ configs: ['tiny-png'], process: [], pipeline: [] });
    expect(plan(['--process', 'startup'])).toMatchObject({ configs: [], process: ['startup'], pipeline: [] });
    expect(plan(['--pipeline', '0,2'])).toMatchObject({ configs: [], process: [], pipeline: [0, 2] });
    expect(plan(['--configs', 'none', '--process', 'multi-model,startup'])).toMatchObject({ configs: [], process: ['multi-model', 'startup'] });
    // Naming nothing runs the full set.
    expect(plan([])).toMatchObject({ configs: ['tiny-png', 'tiny-q8', 'vitb32-jpeg'], process: ['multi-model', 'default-suite', 'startup'], pipeline: [] });
  });

  it('writes to an untracked file unless --out names one (it rewrote the committed bench-results.json)', () => {
    expect(plan(['--configs', 'tiny-png']).out).toBe(join(ROOT, 'benchmarks', 'generated', 'bench-results.json'));
    expect(plan(['--out', join(ROOT, 'benchmarks', 'bench-results.json')]).out).toBe(join(ROOT, 'benchmarks', 'bench-results.json'));
  });
});
