/**
 * The execution provider in the result identity: a run recorded as CUDA (no CUDA here: the
 * model's info carries the recorded provider) gets its own id, file name, cache namespace and
 * index.csv value, while every CPU identity stays what it was before the provider was recorded.
 */
import { mkdtemp, readFile, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Papa from 'papaparse';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EmbeddingCache } from '../../src/cache/embeddingCache.js';
import { openShapes } from '../../src/datasets/shapes/adapter.js';
import { parseShapesOptions } from '../../src/datasets/shapes/options.js';
import { resultId } from '../../src/tasks/classificationScorer.js';
import { unknownTarget } from '../../src/eval/specTargets.js';
import type { EvalUnit } from '../../src/tasks/unit.js';
import { providerIdentity } from '../../src/model/executionProvider.js';
import { loadModel } from '../../src/model/loadModel.js';
import type { ClipModel } from '../../src/model/types.js';
import { rebuildIndex } from '../../src/results/indexCsv.js';
import { hashValue } from '../../src/util/hash.js';
import { memoryLogger } from '../../src/util/log.js';
import { runClassificationLane } from '../helpers/classificationLane.js';

let cpu: ClipModel;
let cuda: ClipModel;
beforeAll(async () => {
  cpu = await loadModel();
  // The same towers, recorded as having run on CUDA.
  cuda = { ...cpu, info: { ...cpu.info, executionProvider: 'cuda' } };
});
afterAll(async () => {
  await cpu.dispose();
});

const unit: EvalUnit = { modelRef: 'tiny-clip-shapes', target: unknownTarget('shapes:standard?n=8'), shift: null, promptSets: [{ set: 'shapes-shape' }], ensembling: 'clip' };

async function runOn(model: ClipModel, root: string, outDir: string): Promise<{ file: string; cacheDir: string }> {
  const dataset = openShapes(parseShapesOptions('standard', { n: '8' }));
  const cache = await EmbeddingCache.open(root, { visionModelHash: model.info.hashes.visionModel, preprocessorHash: model.info.hashes.preprocessor, decode: {}, embedDim: model.info.embedDim, ...providerIdentity(model.info) }, memoryLogger());
  const settings = { outDir, cacheDir: root, batchSize: 8, decodeConcurrency: 2, exifRotate: false, skipExisting: false, argv: ['zeroshift', 'test'] };
  const out = await runClassificationLane(unit, { model, dataset, cache, log: memoryLogger(), settings });
  await cache.close();
  return { file: out.files[0], cacheDir: cache.dir };
}

describe('execution provider in the result identity', () => {
  it('leaves a CPU result id as it was and gives a CUDA result another one', () => {
    const dataset = openShapes(parseShapesOptions('standard', { n: '8' }));
    const p = unit.target.scoringProtocol;
    // The id's formula before the provider was recorded.
    const before = hashValue({ model: cpu.info.hashes, dataset: dataset.fingerprint, shift: null, prompts: 'h', range: null, columns: p.classColumns }).slice(0, 24);
    expect(resultId(cpu, dataset, unit, 'h')).toBe(before);
    expect(resultId(cuda, dataset, unit, 'h')).not.toBe(before);
  });

  it('writes CPU and CUDA results side by side, each named, cached and indexed by its provider', async () => {
    const root = await mkdtemp(join(tmpdir(), 'zs-ep-cache-'));
    const outDir = await mkdtemp(join(tmpdir(), 'zs-ep-out-'));
    const a = await runOn(cpu, root, outDir);
    const b = await runOn(cuda, root, outDir);
    expect(a.file).toMatch(/\/tiny-clip-shapes__shapes-standard__none__shapes-shape__[0-9a-f]{12}\.json$/);
    expect(b.file).toMatch(/\/tiny-clip-shapes-cuda__shapes-standard__none__shapes-shape__[0-9a-f]{12}\.json$/);
    // CUDA embeddings are not served to a CPU run (nor the reverse): two namespaces, and the
    // CPU one is the directory it was before.
    expect(b.cacheDir).not.toBe(a.cacheDir);
    expect(a.cacheDir).toBe(join(root, 'images', hashValue({ visionModelHash: cpu.info.hashes.visionModel, preprocessorHash: cpu.info.hashes.preprocessor, decode: {}, embedDim: cpu.info.embedDim }).slice(0, 32)));
    const cpuJson = JSON.parse(await readFile(a.file, 'utf8'));
    const cudaJson = JSON.parse(await readFile(b.file, 'utf8'));
    expect('executionProvider' in cpuJson.model).toBe(false);
    expect(cudaJson.model.executionProvider).toBe('cuda');
    expect(cudaJson.id).not.toBe(cpuJson.id);
    expect((await readdir(outDir)).filter((f) => f.endsWith('.json'))).toHaveLength(2);
    const index = Papa.parse<Record<string, string>>(await readFile(await rebuildIndex(outDir), 'utf8'), { header: true, skipEmptyLines: true }).data;
    expect(index.map((r) => [r.model, r.dtype, r.execution_provider]).sort()).toEqual([['tiny-clip-shapes', 'fp32', 'cpu'], ['tiny-clip-shapes', 'fp32', 'cuda']]);
  });
});
