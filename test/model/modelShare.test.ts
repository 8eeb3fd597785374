import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadModel } from '../../src/model/loadModel.js';
import { ModelShare } from '../../src/model/modelShare.js';
import { MODELS_DIR } from '../../src/model/builtinModels.js';
import type { OnnxGraph } from '../../src/model/onnxTower.js';

// The robust variant and the zoo model name tiny-clip-shapes' text tower and tokenizer.
const REFS = ['tiny-clip-shapes', 'tiny-clip-shapes-robust', 'tiny-clip-shapes-zoo/v32x2-s150.json'].map((r) => join(MODELS_DIR, r));
const TEXTS = ['a photo of a circle.', 'a drawing of a square.'];
const PIXELS = new Float32Array(2 * 3 * 64 * 64).map((_, i) => Math.sin(i * 0.37));

describe('ModelShare', () => {
  it('gives models with the same text tower one session and one tokenizer, with the same embeddings as loading each alone', async () => {
    const share = new ModelShare();
    const shared = [];
    for (const ref of REFS) shared.push(await loadModel(ref, { threads: 1, share }));
    // One text session for the three models, one vision session each.
    expect(share.openGraphs).toBe(4);
    for (const [i, ref] of REFS.entries()) {
      const alone = await loadModel(ref, { threads: 1 });
      expect(shared[i].tokenize(TEXTS)).toEqual(alone.tokenize(TEXTS));
      expect(await shared[i].encodeText(TEXTS)).toEqual(await alone.encodeText(TEXTS));
      expect(await shared[i].encodePixels(PIXELS, 2)).toEqual(await alone.encodePixels(PIXELS, 2));
      await alone.dispose();
    }
    // The shared text session stays open until its last model is disposed (with that model's vision session).
    await shared[0].dispose();
    await shared[1].dispose();
    expect(share.openGraphs).toBe(2);
    expect(await shared[2].encodeText(TEXTS)).toHaveLength(2 * shared[2].info.embedDim);
    await shared[2].dispose();
    expect(share.openGraphs).toBe(0);
  });

  it('does not share a graph across different session options', async () => {
    const share = new ModelShare();
    const one = await loadModel(REFS[0], { threads: 1, share });
    const two = await loadModel(REFS[1], { threads: 2, share });
    expect(share.openGraphs).toBe(4);
    await one.dispose();
    await two.dispose();
    expect(share.openGraphs).toBe(0);
  });

  it('closes a session once, whatever the order and number of releases, and retries an open that failed', async () => {
    const share = new ModelShare();
    let closed = 0;
    let opened = 0;
    const fake = (): Promise<OnnxGraph> => {
      opened++;
      return Promise.resolve({ path: 'g.onnx', inputs: [], combined: false, session: {} as OnnxGraph['session'], release: async () => void closed++ });
    };
    const [a, b] = await Promise.all([share.graph('k', fake), share.graph('k', fake)]);
    expect(opened).toBe(1);
    await a.release();
    await a.release();
    expect(closed).toBe(0);
    await b.release();
    expect(closed).toBe(1);
    await expect(share.graph('bad', () => Promise.reject(new Error('no such file')))).rejects.toThrow('no such file');
    await share.graph('bad', fake);
    expect(opened).toBe(2);
  });
});
