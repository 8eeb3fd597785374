import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadModel } from '../../src/model/loadModel.js';
import { openDataset } from '../../src/datasets/registry.js';
import type { EmbeddingCache } from '../../src/cache/embeddingCache.js';
import { embedStream } from '../../src/embed/embedStream.js';
import type { ClipModel } from '../../src/model/types.js';

let model: ClipModel;
beforeAll(async () => {
  model = await loadModel(undefined, { threads: 1 });
});
afterAll(async () => {
  await model.dispose();
});

/** A cache that misses everything and whose writes take `ms` (an fsync here takes ~5 ms), logging each step. */
function slowCache(events: string[], ms: number): EmbeddingCache {
  let n = 0;
  return {
    get: async () => undefined,
    putMany: async (entries: unknown[]) => {
      const k = ++n;
      events.push(`write ${k} (${entries.length})`);
      await new Promise((r) => setTimeout(r, ms));
      events.push(`written ${k}`);
    },
  } as unknown as EmbeddingCache;
}

describe('embedStream cache writes', () => {
  it('lets a chunk\'s cache write run while the next chunk infers, and ends only once every write is done', async () => {
    const events: string[] = [];
    let inferred = 0;
    const counting: ClipModel = { ...model, encodePixels: async (p, n, ids) => { events.push(`infer ${++inferred}`); return model.encodePixels(p, n, ids); } };
    const stream = embedStream({
      dataset: await openDataset('shapes:standard?n=24'), model: counting, cache: slowCache(events, 40), shift: null,
      settings: { batchSize: 8, decodeConcurrency: 4, exifRotate: false }, onSkip: () => undefined,
    });
    let items = 0;
    for await (const batch of stream) items += batch.items.length;
    expect(items).toBe(24);
    // Chunk 2 infers before chunk 1's write has finished (it waited for it before); writes stay in order.
    expect(events.indexOf('infer 2')).toBeLessThan(events.indexOf('written 1'));
    expect(events.indexOf('written 1')).toBeLessThan(events.indexOf('write 2 (8)'));
    expect(events.filter((e) => e.startsWith('written'))).toEqual(['written 1', 'written 2', 'written 3']);
    expect(events.at(-1)).toBe('written 3');
  });

  it('finishes the writes of a stream left early', async () => {
    const events: string[] = [];
    for await (const batch of embedStream({
      dataset: await openDataset('shapes:standard?n=24'), model, cache: slowCache(events, 40), shift: null,
      settings: { batchSize: 8, decodeConcurrency: 4, exifRotate: false }, onSkip: () => undefined,
    })) {
      expect(batch.items).toHaveLength(8);
      break;
    }
    expect(events).toEqual(['write 1 (8)', 'written 1']);
  });
});
