import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { mkdtemp, cp, mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import sharp from 'sharp';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadModel } from '../../src/model/loadModel.js';
import { openDataset } from '../../src/datasets/registry.js';
import { writeShapesPngs } from '../../src/datasets/shapes/writePngs.js';
import { EmbeddingCache } from '../../src/cache/embeddingCache.js';
import { embedStream, type EmbeddedItem } from '../../src/embed/embedStream.js';

type Embedded = EmbeddedItem & { embedding: Float32Array };
import { memoryLogger } from '../../src/util/log.js';
import type { ClipModel } from '../../src/model/types.js';

let model: ClipModel;
let root: string;
beforeAll(async () => {
  model = await loadModel();
  root = await mkdtemp(join(tmpdir(), 'zs-stream-'));
  await writeShapesPngs(join(root, 'a'), { options: { n: '64' } });
});
afterAll(async () => {
  await model.dispose();
});

async function pass(dir: string, cacheRoot: string): Promise<{ items: Embedded[]; computed: number; cached: number }> {
  const ns = { visionModelHash: model.info.hashes.visionModel, preprocessorHash: model.info.hashes.preprocessor, decode: {}, embedDim: model.info.embedDim };
  const cache = await EmbeddingCache.open(cacheRoot, ns, memoryLogger());
  const items: Embedded[] = [];
  let info = { computed: 0, cached: 0 };
  const d = model.info.embedDim;
  for await (const batch of embedStream({
    dataset: await openDataset(`folder:${dir}`), model, cache, shift: null, settings: { batchSize: 8, decodeConcurrency: 4, exifRotate: false },
    onSkip: () => undefined, onBatch: (i) => (info = i),
  })) {
    // Contiguous (N, D) rows, one per item.
    expect(batch.embeddings.length).toBe(batch.items.length * d);
    batch.items.forEach((it, i) => items.push({ ...it, embedding: batch.embeddings.slice(i * d, (i + 1) * d) }));
  }
  await cache.close();
  return { items, ...info };
}

describe('embedStream with the cache', () => {
  it('computes once, then serves unchanged files by their stat alias, moved copies by content, and recomputes only a changed file', async () => {
    const cacheRoot = join(root, 'cache');
    const first = await pass(join(root, 'a'), cacheRoot);
    expect(first.computed).toBe(64);
    const second = await pass(join(root, 'a'), cacheRoot);
    expect(second).toMatchObject({ computed: 0, cached: 64 });
    expect(second.items.map((i) => Array.from(i.embedding))).toEqual(first.items.map((i) => Array.from(i.embedding)));

    await cp(join(root, 'a'), join(root, 'b'), { recursive: true });
    const moved = await pass(join(root, 'b'), cacheRoot);
    expect(moved).toMatchObject({ computed: 0, cached: 64 });

    // Give one image new content (its negative): its stat alias no longer matches and its content
    // key is new, so exactly that image is computed again, giving what a cold cache gives for it.
    const cls = (await readdir(join(root, 'b')))[0];
    const [x] = await readdir(join(root, 'b', cls));
    const negative = await sharp(await readFile(join(root, 'b', cls, x))).negate({ alpha: false }).png().toBuffer();
    await writeFile(join(root, 'b', cls, x), negative);
    const changed = await pass(join(root, 'b'), cacheRoot);
    expect(changed).toMatchObject({ computed: 1, cached: 63 });
    const idx = changed.items.findIndex((i) => i.id.endsWith(x));
    expect(Array.from(changed.items[idx].embedding)).not.toEqual(Array.from(moved.items[idx].embedding));
    await mkdir(join(root, 'c', cls), { recursive: true });
    await writeFile(join(root, 'c', cls, x), negative);
    const cold = await pass(join(root, 'c'), join(root, 'cold-cache'));
    expect(cold).toMatchObject({ computed: 1, cached: 0 });
    expect(Array.from(changed.items[idx].embedding)).toEqual(Array.from(cold.items[0].embedding));
  });
});
