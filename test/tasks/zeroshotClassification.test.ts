import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadModel } from '../../src/model/loadModel.js';
import { openShapes } from '../../src/datasets/shapes/adapter.js';
import { parseShapesOptions } from '../../src/datasets/shapes/options.js';
import { unknownTarget } from '../../src/eval/specTargets.js';
import { EmbeddingCache } from '../../src/cache/embeddingCache.js';
import { resultSchema } from '../../src/results/schema.js';
import { memoryLogger } from '../../src/util/log.js';
import type { ClipModel } from '../../src/model/types.js';
import type { EvalUnit } from '../../src/tasks/unit.js';
import { runClassificationLane } from '../helpers/classificationLane.js';

let model: ClipModel;
beforeAll(async () => {
  model = await loadModel();
});
afterAll(async () => {
  await model.dispose();
});

async function ctxFor(domain: string, n: number, cache: EmbeddingCache | null, cacheDir: string | null): Promise<Parameters<typeof runClassificationLane>[1]> {
  return {
    model, dataset: openShapes(parseShapesOptions(domain, { n: String(n) })), cache, log: memoryLogger(),
    settings: { outDir: await mkdtemp(join(tmpdir(), 'zs-lane-out-')), cacheDir, batchSize: 32, decodeConcurrency: 4, exifRotate: false, skipExisting: false, argv: ['zeroshift', 'test'] },
  };
}

const unit = (spec: string, sets: string[]): EvalUnit => ({ modelRef: 'tiny-clip-shapes', target: unknownTarget(spec), shift: null, promptSets: sets.map((set) => ({ set })), ensembling: 'clip' });

describe('zero-shot classification lane', () => {
  it('scores the shapes standard domain near-perfectly with the 7-template ensemble, one result per prompt set', async () => {
    const out = await runClassificationLane(unit('shapes:standard?n=96', ['shapes-shape', 'shapes-plain']), await ctxFor('standard', 96, null, null));
    expect(out.results).toHaveLength(2);
    expect(out.files).toHaveLength(2);
    for (const r of out.results) expect(() => resultSchema.parse(r)).not.toThrow();
    const [ens] = out.results;
    expect(ens.metrics.n).toBe(96);
    expect(ens.metrics.acc1).toBeGreaterThan(0.95);
    expect(ens.prompts.templates).toHaveLength(7);
    expect(out.predictions[0]).toHaveLength(96);
    expect(out.predictions[0][0].top).toHaveLength(5);
  });

  it('reuses cached image embeddings: the second pass computes none and gives identical metrics', async () => {
    const root = await mkdtemp(join(tmpdir(), 'zs-run-'));
    const ns = { visionModelHash: model.info.hashes.visionModel, preprocessorHash: model.info.hashes.preprocessor, decode: {}, embedDim: model.info.embedDim };
    const cache1 = await EmbeddingCache.open(root, ns, memoryLogger());
    const first = await runClassificationLane(unit('shapes:dark?n=40', ['shapes-shape']), await ctxFor('dark', 40, cache1, root));
    await cache1.close();
    const cache2 = await EmbeddingCache.open(root, ns, memoryLogger());
    const second = await runClassificationLane(unit('shapes:dark?n=40', ['shapes-shape']), await ctxFor('dark', 40, cache2, root));
    await cache2.close();
    expect(first.results[0].timings.imagesComputed).toBe(40);
    expect(second.results[0].timings.imagesComputed).toBe(0);
    expect(second.results[0].timings.imagesFromCache).toBe(40);
    expect(second.results[0].metrics).toEqual(first.results[0].metrics);
    expect(second.predictions).toEqual(first.predictions);
  });
});
