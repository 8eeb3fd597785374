import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeImage } from '../../src/image/decode.js';
import { loadModel } from '../../src/model/loadModel.js';
import type { ClipModel } from '../../src/model/types.js';
import { PACKAGE_ROOT } from '../../src/util/version.js';

const FIXTURES = join(PACKAGE_ROOT, 'test/fixtures/tiny-clip-shapes');
const reference = JSON.parse(readFileSync(join(FIXTURES, 'reference.json'), 'utf8')) as {
  logit_scale: number;
  text_embeds: Record<string, number[]>;
  image_embeds: Record<string, number[]>;
  resize_cases: { file: string; source: string; image_embeds: number[] }[];
};

function cosine(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let dot = 0, na = 0, nb = 0;
  for (let i = 0; i < a.length; i++) {
    dot += a[i] * b[i];
    na += a[i] * a[i];
    nb += b[i] * b[i];
  }
  return dot / Math.sqrt(na * nb);
}

async function embedFiles(model: ClipModel, paths: string[]): Promise<Float32Array> {
  const { height, width } = model.preprocessor.cropSize;
  const per = 3 * height * width;
  const batch = new Float32Array(paths.length * per);
  for (const [i, p] of paths.entries()) {
    const img = await decodeImage({ kind: 'path', path: p });
    batch.set(model.preprocess(img), i * per);
  }
  return model.encodePixels(batch, paths.length);
}

describe('loadModel (embedded tiny-clip-shapes, fp32) against PyTorch', () => {
  let model: ClipModel;
  beforeAll(async () => {
    model = await loadModel();
  });
  afterAll(() => model.dispose());

  it('reports the model identity', () => {
    expect(model.info.name).toBe('tiny-clip-shapes');
    expect(model.info.embedDim).toBe(64);
    expect(model.info.contextLength).toBe(77);
    expect(model.info.logitScale).toBeCloseTo(reference.logit_scale, 5);
    expect(model.info.hashes.visionModel).toMatch(/^[0-9a-f]{64}$/);
  });

  it('text embeddings: cosine >= 0.99999 for every reference prompt (including the literal "{}")', async () => {
    const texts = Object.keys(reference.text_embeds);
    const emb = await model.encodeText(texts);
    for (const [i, t] of texts.entries()) {
      expect(cosine(emb.subarray(i * 64, i * 64 + 64), reference.text_embeds[t]), t).toBeGreaterThanOrEqual(0.99999);
    }
  });

  it('image embeddings of the resize cases: cosine >= 0.9999', async () => {
    const cases = reference.resize_cases;
    const emb = await embedFiles(model, cases.map((c) => join(FIXTURES, c.source)));
    for (const [i, c] of cases.entries()) {
      expect(cosine(emb.subarray(i * 64, i * 64 + 64), c.image_embeds), c.file).toBeGreaterThanOrEqual(0.9999);
    }
  });

  it('image embeddings of the reference scenes: cosine >= 0.9999', async () => {
    const names = Object.keys(reference.image_embeds);
    const emb = await embedFiles(model, names.map((n) => join(FIXTURES, 'reference-images/scenes', n)));
    for (const [i, n] of names.entries()) {
      expect(cosine(emb.subarray(i * 64, i * 64 + 64), reference.image_embeds[n]), n).toBeGreaterThanOrEqual(0.9999);
    }
  });

  it('embeddings are L2-normalised', async () => {
    const emb = await model.encodeText(['a photo of a red circle.']);
    expect(Math.hypot(...emb)).toBeCloseTo(1, 5);
  });
});

describe('loadModel q8 (int8 dynamic quantization)', () => {
  it('agrees with fp32: cosine >= 0.99 on the reference texts and scenes', async () => {
    const fp32 = await loadModel(undefined, { dtype: 'fp32' });
    const q8 = await loadModel(undefined, { dtype: 'q8' });
    expect(q8.info.textModelPath).toMatch(/text_model_quantized\.onnx$/);
    const texts = Object.keys(reference.text_embeds);
    const scenes = Object.keys(reference.image_embeds).map((n) => join(FIXTURES, 'reference-images/scenes', n));
    const pairs: [Float32Array, Float32Array][] = [
      [await fp32.encodeText(texts), await q8.encodeText(texts)],
      [await embedFiles(fp32, scenes), await embedFiles(q8, scenes)],
    ];
    let worst = 1;
    for (const [a, b] of pairs) {
      for (let i = 0; i < a.length / 64; i++) worst = Math.min(worst, cosine(a.subarray(i * 64, i * 64 + 64), b.subarray(i * 64, i * 64 + 64)));
    }
    expect(worst).toBeGreaterThanOrEqual(0.99);
    await Promise.all([fp32.dispose(), q8.dispose()]);
  });
});
