import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadModel } from '../../src/model/loadModel.js';
import { openDataset } from '../../src/datasets/registry.js';
import { BatchBuffers } from '../../src/embed/batchBuffers.js';
import { embedStream } from '../../src/embed/embedStream.js';
import type { ClipModel } from '../../src/model/types.js';

describe('BatchBuffers', () => {
  it('hands back a returned buffer of the same length, and a new one for another length', () => {
    const buffers = new BatchBuffers();
    const a = buffers.take(12);
    a.fill(7);
    buffers.give(a);
    expect(buffers.take(12)).toBe(a);
    const b = buffers.take(12);
    expect(b).not.toBe(a);
    expect([...b]).toEqual(new Array(12).fill(0));
    buffers.give(b);
    expect(buffers.take(6)).toHaveLength(6);
  });

  it('ignores buffers it did not hand out and a buffer given twice, and keeps at most `keep`', () => {
    const buffers = new BatchBuffers(1);
    const foreign = new Float32Array(4);
    buffers.give(foreign);
    expect(buffers.take(4)).not.toBe(foreign);
    const [a, b] = [buffers.take(4), buffers.take(4)];
    buffers.give(a);
    buffers.give(a);
    buffers.give(b);
    // Only the last one given is kept: a second take allocates.
    expect(buffers.take(4)).toBe(b);
    expect(buffers.take(4)).not.toBe(a);
  });
});

let model: ClipModel;
beforeAll(async () => {
  model = await loadModel(undefined, { threads: 1 });
});
afterAll(async () => {
  await model.dispose();
});

/** Streams `n` shapes in chunks of 8 through `model`, recording each inference's input buffer and a copy of its values. */
async function stream(m: ClipModel, n: number): Promise<{ inputs: Float32Array[]; copies: Float32Array[]; embeddings: Float32Array[] }> {
  const inputs: Float32Array[] = [];
  const copies: Float32Array[] = [];
  const recording: ClipModel = { ...m, encodePixels: async (p, k, ids) => {
    inputs.push(p);
    copies.push(p.slice());
    return m.encodePixels(p, k, ids);
  } };
  const embeddings: Float32Array[] = [];
  for await (const batch of embedStream({
    dataset: await openDataset(`shapes:standard?n=${n}`), model: recording, cache: null, shift: null,
    settings: { batchSize: 8, decodeConcurrency: 4, exifRotate: false }, onSkip: () => undefined,
  })) embeddings.push(batch.embeddings);
  return { inputs, copies, embeddings };
}

describe('embedStream input buffers', () => {
  it('reuses one input buffer for every full chunk, with the same pixels and embeddings as fresh buffers', async () => {
    const reused = await stream(model, 24);
    // Without preprocessInto the stream cannot know every float is written, so it allocates each time.
    const { preprocessInto: _, ...plain } = model;
    const fresh = await stream(plain, 24);
    expect(reused.inputs).toHaveLength(3);
    expect(reused.inputs[1]).toBe(reused.inputs[0]);
    expect(reused.inputs[2]).toBe(reused.inputs[0]);
    expect(fresh.inputs[1]).not.toBe(fresh.inputs[0]);
    reused.copies.forEach((c, i) => expect(Buffer.from(c.buffer).equals(Buffer.from(fresh.copies[i].buffer)), `chunk ${i} pixels`).toBe(true));
    reused.embeddings.forEach((e, i) => expect(Buffer.from(e.buffer, e.byteOffset, e.byteLength).equals(Buffer.from(fresh.embeddings[i].buffer, fresh.embeddings[i].byteOffset, fresh.embeddings[i].byteLength)), `chunk ${i} embeddings`).toBe(true));
  });

  it('allocates a new buffer where the output size is not fixed by the crop (stale floats could survive)', async () => {
    const unfixed: ClipModel = { ...model, preprocessor: { ...model.preprocessor, doCenterCrop: false, size: { shortestEdge: model.preprocessor.cropSize.height } } };
    const { inputs } = await stream(unfixed, 16);
    expect(inputs).toHaveLength(2);
    expect(inputs[1]).not.toBe(inputs[0]);
  });
});
