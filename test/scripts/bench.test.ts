import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { ROOT } from '../helpers/dist.js';
import { benchTargets } from '../../scripts/bench/targets.mjs';

interface Target { id: string; measured: number | null; pass: boolean | null; load: string }
const targetsOf = (report: object): Target[] => benchTargets(report) as Target[];

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

describe('npm run bench targets (issue 30)', () => {
  const vit = (stream: number, ceiling: number) => ({
    config: 'vitb32-jpeg', ratios: { streamVsCeiling: stream / ceiling },
    ceiling: { imagesPerSecond: ceiling, before: { loadAverage: [0.4, 0.6] }, after: { loadAverage: [0.5, 0.7] } },
    zeroshiftCold: { unitImagesPerSecond: stream, loadAverage: [0.6, 0.9] },
  });
  const multi = (one: number, three: number, tf: number) => ({
    this: { oneModelSeconds: one, threeModelsSeconds: three, ratio: three / one, transformersJsSeconds: tf, vsTransformersJs: tf / one, loadAverage: { min: 0.2, max: 1.1 } },
  });

  it('says pass or fail for each target from the ratios of one run, with the load beside it', () => {
    const [stream, three, tf] = targetsOf({ results: [vit(27, 32)], process: { multiModel: multi(3, 4.5, 3.3) } });
    expect(stream).toMatchObject({ id: 'vitb32-stream', pass: true, load: '0.4–0.9' });
    expect(stream.measured).toBeCloseTo(0.84375, 10);
    expect(three).toMatchObject({ id: 'three-models', measured: 1.5, pass: true, load: '0.2–1.1' });
    expect(tf).toMatchObject({ id: 'tiny-vs-transformers', pass: true });
    const failing = targetsOf({ results: [vit(20, 32)], process: { multiModel: multi(3.4, 6.5, 3.35) } });
    expect(failing.map((t) => t.pass)).toEqual([false, false, false]);
  });

  it('marks a target whose case did not run as not run, not as a pass', () => {
    expect(targetsOf({ results: [], process: {} }).map((t) => t.pass)).toEqual([null, null, null]);
    expect(targetsOf({ results: [], process: { multiModel: { this: { ...multi(3, 4, 3).this, transformersJsSeconds: null, vsTransformersJs: null } } } }).map((t) => t.pass)).toEqual([null, true, null]);
  });
});
