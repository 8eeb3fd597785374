import { describe, expect, it } from 'vitest';
import { mkdtemp, readFile, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cli } from '../helpers/cli.js';

/** Each result file's numbers and predictions, keyed by file name (timings and provenance left out). */
async function resultsIn(dir: string): Promise<Record<string, unknown>> {
  const out: Record<string, unknown> = {};
  for (const f of (await readdir(dir)).filter((f) => f.endsWith('.json')).sort()) {
    const r = JSON.parse(await readFile(join(dir, f), 'utf8')) as Record<string, unknown>;
    out[f] = { metrics: r.metrics, perClass: r.perClass, skipped: r.skipped };
  }
  for (const f of (await readdir(dir)).filter((f) => f.endsWith('.predictions.jsonl') || f.endsWith('.jsonl')).sort()) out[f] = await readFile(join(dir, f), 'utf8');
  return out;
}

describe('eval --decode-workers', () => {
  it('writes the same results with 2 workers as in the main thread, shifts and a sharp shift included', async () => {
    const tmp = await mkdtemp(join(tmpdir(), 'zs-workers-'));
    const args = (out: string, workers: string) => ['eval', '--dataset', 'shapes:standard?n=24', '--shift', 'gaussian_noise:2', '--shift', 'jpeg_compression:3', '--batch-size', '8',
      '--threads', '1', '--decode-workers', workers, '--no-cache', '--no-progress', '--out', join(tmp, out)];
    const inThread = await cli(args('zero', '0'));
    expect(inThread.code, inThread.stderr).toBe(0);
    const pooled = await cli(args('two', '2'));
    expect(pooled.code, pooled.stderr).toBe(0);
    const [a, b] = [await resultsIn(join(tmp, 'zero')), await resultsIn(join(tmp, 'two'))];
    expect(Object.keys(a).length).toBeGreaterThanOrEqual(3);
    expect(b).toEqual(a);
  }, 120_000);

  it('gives the same task results (retrieval, linear probe) with 2 workers as in the main thread', async () => {
    const tmp = await mkdtemp(join(tmpdir(), 'zs-workers-tasks-'));
    for (const [task, spec] of [['zeroshot_retrieval', 'shapes-captions:standard?n=24'], ['linear_probe', 'shapes:standard?n=40']]) {
      const metrics: unknown[] = [];
      for (const workers of ['0', '2']) {
        const out = join(tmp, `${task}-${workers}`);
        const r = await cli(['eval', '--task', task, '--dataset', spec, '--batch-size', '8', '--threads', '1', '--decode-workers', workers, '--no-cache', '--no-progress', '--json', '--out', out]);
        expect(r.code, r.stderr).toBe(0);
        // Everything but what differs between any two runs (times, the command line, creation time).
        metrics.push((JSON.parse(r.stdout) as Record<string, unknown>[]).map(({ timings: _t, createdAt: _c, command: _a, ...rest }) => rest));
      }
      expect(metrics[1], task).toEqual(metrics[0]);
      expect(JSON.stringify(metrics[0])).toMatch(task === 'linear_probe' ? /"acc1"/ : /"recall/);
    }
  }, 120_000);

  it('refuses a count that is not auto or a number, with exit 2', async () => {
    const tmp = await mkdtemp(join(tmpdir(), 'zs-workers-bad-'));
    const r = await cli(['eval', '--decode-workers', 'lots', '--no-progress', '--out', join(tmp, 'o')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--decode-workers must be 'auto' or a non-negative integer, got 'lots'/);
    // Before any work: no plan banner.
    expect(r.stderr).not.toMatch(/zeroshift eval: \d+ unit/);
  });
});
