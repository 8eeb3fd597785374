import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadModel } from '../../src/model/loadModel.js';
import { openShapes } from '../../src/datasets/shapes/adapter.js';
import { parseShapesOptions } from '../../src/datasets/shapes/options.js';
import { runUnit, type UnitContext } from '../../src/eval/runUnit.js';
import { classifierFor, type BuiltClassifier } from '../../src/tasks/classifiers.js';
import { PlanResources } from '../../src/eval/resources.js';
import { promptRefsOf } from '../../src/tasks/classifiers.js';
import { unknownTarget } from '../../src/eval/specTargets.js';
import { EmbeddingCache } from '../../src/cache/embeddingCache.js';
import { resultSchema } from '../../src/results/schema.js';
import { memoryLogger } from '../../src/util/log.js';
import type { ClipModel } from '../../src/model/types.js';
import type { EvalUnit } from '../../src/tasks/unit.js';

let model: ClipModel;
beforeAll(async () => {
  model = await loadModel();
});
afterAll(async () => {
  await model.dispose();
});

function ctxFor(domain: string, n: number, cache: EmbeddingCache | null, cacheDir: string | null): UnitContext {
  return {
    model, dataset: openShapes(parseShapesOptions(domain, { n: String(n) })), cache, log: memoryLogger(),
    settings: { outDir: '', cacheDir, batchSize: 32, decodeConcurrency: 4, exifRotate: false, skipExisting: false, argv: ['zeroshift', 'test'] },
  };
}

const unit = (spec: string, sets: string[]): EvalUnit => ({ modelRef: 'tiny-clip-shapes', target: unknownTarget(spec), shift: null, promptSets: sets.map((set) => ({ set })), ensembling: 'clip' });

/** Every prompt set's classifier, as the runner builds them. */
async function classifiers(u: EvalUnit, ctx: UnitContext): Promise<BuiltClassifier[]> {
  const resources = new PlanResources();
  const out: BuiltClassifier[] = [];
  for (const ref of promptRefsOf(u)) out.push(await classifierFor(ref, await resources.prompts(ref, u), u, { model, dataset: ctx.dataset, cacheDir: ctx.settings.cacheDir, log: ctx.log }));
  return out;
}

async function run(u: EvalUnit, ctx: UnitContext): ReturnType<typeof runUnit> {
  return runUnit(u, ctx, await classifiers(u, ctx));
}

describe('runUnit', () => {
  it('scores the shapes standard domain near-perfectly with the 7-template ensemble, one result per prompt set', async () => {
    const outs = await run(unit('shapes:standard?n=96', ['shapes-shape', 'shapes-plain']), ctxFor('standard', 96, null, null));
    expect(outs).toHaveLength(2);
    for (const o of outs) expect(() => resultSchema.parse({ ...o.result, predictionsFile: 'x' })).not.toThrow();
    const [ens] = outs;
    expect(ens.result.metrics.n).toBe(96);
    expect(ens.result.metrics.acc1).toBeGreaterThan(0.95);
    expect(ens.result.prompts.templates).toHaveLength(7);
    expect(ens.predictions).toHaveLength(96);
    expect(ens.predictions[0].top).toHaveLength(5);
  });

  it('reuses cached image embeddings: the second pass computes none and gives identical metrics', async () => {
    const root = await mkdtemp(join(tmpdir(), 'zs-run-'));
    const ns = { visionModelHash: model.info.hashes.visionModel, preprocessorHash: model.info.hashes.preprocessor, decode: {}, embedDim: model.info.embedDim };
    const cache1 = await EmbeddingCache.open(root, ns, memoryLogger());
    const [first] = await run(unit('shapes:dark?n=40', ['shapes-shape']), ctxFor('dark', 40, cache1, root));
    await cache1.close();
    const cache2 = await EmbeddingCache.open(root, ns, memoryLogger());
    const [second] = await run(unit('shapes:dark?n=40', ['shapes-shape']), ctxFor('dark', 40, cache2, root));
    await cache2.close();
    expect(first.result.timings.imagesComputed).toBe(40);
    expect(second.result.timings.imagesComputed).toBe(0);
    expect(second.result.timings.imagesFromCache).toBe(40);
    expect(second.result.metrics).toEqual(first.result.metrics);
    expect(second.predictions).toEqual(first.predictions);
  });
});
