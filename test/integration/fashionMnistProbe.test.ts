import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runTaskPlan } from '../helpers/taskRun.js';

/**
 * Real data: Debian's dataset-fashion-mnist (apt-get install -y dataset-fashion-mnist) puts
 * the IDX files under /usr/share/datasets/fashion-mnist (60,000 train, 10,000 test). A
 * 16-shot linear probe on the embedded tiny CLIP's image embeddings, on a seeded 500-image
 * sample of each split.
 */
const DIR = '/usr/share/datasets/fashion-mnist';
const root = mkdtempSync(join(tmpdir(), 'zs-fmnist-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('linear probe on Fashion-MNIST (real IDX files)', () => {
  it('trains on the train split, scores the test split well above chance, records the partial sample', async () => {
    const { taskResults: results } = await runTaskPlan({
      task: 'linear_probe', models: ['tiny-clip-shapes'], datasets: [`mnist:${DIR}`], fewshotK: 16, seed: 0, limit: 500,
      outDir: root, cacheDir: join(root, 'cache'), batchSize: 64,
    });
    const r = results[0];
    expect(r.trainDataset!.spec).toContain('split=train');
    expect(r.limit).toEqual({ n: 500, seed: 0, of: 10_000 });
    expect(r.partial).toBe(true);
    expect(r.probe!.numClasses).toBe(10);
    expect(r.probe!.nFit).toBe(160);
    expect(r.metrics!.n).toBe(500);
    // Chance is 10 %; the lower end of the exact 95 % interval must clear it by far.
    expect(r.metrics!.acc1Ci[0]).toBeGreaterThan(0.3);
  }, 600_000);
});
