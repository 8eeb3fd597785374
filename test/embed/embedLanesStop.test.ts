import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadModel } from '../../src/model/loadModel.js';
import { openDataset } from '../../src/datasets/registry.js';
import { EmbeddingCache } from '../../src/cache/embeddingCache.js';
import { embedLanes, type LaneCounts } from '../../src/embed/embedStream.js';
import { parseShift } from '../../src/shifts/registry.js';
import { memoryLogger } from '../../src/util/log.js';
import type { ClipModel } from '../../src/model/types.js';

let model: ClipModel;
let root: string;
beforeAll(async () => {
  model = await loadModel();
  root = await mkdtemp(join(tmpdir(), 'zs-lanes-stop-'));
});
afterAll(async () => {
  await model.dispose();
});

const SHIFTS = [null, 'brightness:1', 'contrast:1', 'gaussian_noise:1'];

/** One pass of 16 images (a single chunk) for four lanes (one per shift); `stopAfter` lane inferences, Ctrl-C. */
async function pass(cacheRoot: string, stopAfter?: number): Promise<{ counts: LaneCounts[]; batches: number }> {
  const ns = { visionModelHash: model.info.hashes.visionModel, preprocessorHash: model.info.hashes.preprocessor, decode: {}, embedDim: model.info.embedDim };
  const cache = await EmbeddingCache.open(cacheRoot, ns, memoryLogger());
  const controller = new AbortController();
  const counts: LaneCounts[] = [];
  let batches = 0;
  for await (const _ of embedLanes({
    dataset: await openDataset('shapes:standard?n=16'), settings: { batchSize: 16, decodeConcurrency: 2, exifRotate: false }, signal: controller.signal,
    lanes: SHIFTS.map((s) => ({ model, cache, shift: s === null ? null : parseShift(s) })),
    onSkip: () => undefined,
    onBatch: (c) => {
      counts.push(c);
      if (counts.length === stopAfter) controller.abort();
    },
  })) batches++;
  await cache.close();
  return { counts, batches };
}

const total = (c: LaneCounts): number => c.done.reduce((a, b) => a + b, 0);

describe('embedLanes inside one chunk of many lanes', () => {
  it('reports progress after each lane\'s inference, never going back', async () => {
    const { counts, batches } = await pass(join(root, 'progress'));
    expect(batches).toBe(1);
    // Four lane inferences inside the one chunk, then the chunk's end: the count moved before the chunk ended.
    expect(counts.map(total)).toEqual([16, 32, 48, 64, 64]);
    expect(counts.at(-1)).toMatchObject({ samples: 16, computed: [16, 16, 16, 16], cached: [0, 0, 0, 0] });
  });

  it('stops between lanes on abort, yields nothing, and keeps the embeddings it computed in the cache', async () => {
    const cacheRoot = join(root, 'stop');
    const stopped = await pass(cacheRoot, 2);
    expect(stopped.batches).toBe(0);
    expect(stopped.counts.map(total)).toEqual([16, 32]);
    // The rerun reads the two lanes the stopped pass finished from the cache and computes the rest.
    const rerun = await pass(cacheRoot);
    expect(rerun.counts.at(-1)).toMatchObject({ computed: [0, 0, 16, 16], cached: [16, 16, 0, 0] });
  });
});
