/**
 * Every model family loads from its real file layout and reproduces its PyTorch + PIL reference
 * (test/fixtures/families, made once by scripts/fixtures/makeFamilyFixtures.py): token ids
 * exactly, PIL pixels exactly, embeddings cos ≥ 0.9999, probabilities under the family's own
 * scoring rule within 1e-4.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeImage } from '../../src/image/decode.js';
import { cosine as cos } from '../../src/model/describe.js';
import { loadModel } from '../../src/model/loadModel.js';
import { parsePreprocessorConfig } from '../../src/model/preprocessorConfig.js';
import { resizeAndCrop } from '../../src/model/preprocess.js';
import { probabilitiesRow } from '../../src/model/scoring.js';
import type { ClipModel } from '../../src/model/types.js';
import { sha256 } from '../../src/util/hash.js';
import { PACKAGE_ROOT } from '../../src/util/version.js';

export const FAMILY_FIXTURES = join(PACKAGE_ROOT, 'test/fixtures/families');

interface PixelCase { image: string; config: Record<string, unknown>; width: number; height: number; sha256: string }
export interface FamilyReference {
  family: string;
  padding: 'max_length' | 'longest';
  context_length: number;
  scoring: { rule: 'softmax' | 'sigmoid'; scale: number; bias: number };
  texts: string[];
  ids: number[][];
  images: string[];
  pixel_cases: PixelCase[];
  text_embeds: number[][];
  image_embeds: number[][];
  probabilities: number[][];
  truncation_case?: { text: string; ids: number[] };
}

export function readReference(dir: string): FamilyReference {
  return JSON.parse(readFileSync(join(FAMILY_FIXTURES, dir, 'reference.json'), 'utf8')) as FamilyReference;
}

const FIXTURES: [string, string, string][] = [
  ['tiny-siglip', 'siglip', 'split towers (last_hidden_state, pooler_output) + onnx/model.onnx, SentencePiece Unigram'],
  ['tiny-siglip2', 'siglip2', 'split towers + onnx/model.onnx, Gemma BPE with byte fallback, lowercased'],
  ['tiny-clip-optimum', 'clip', "optimum's root model.onnx (input_ids, pixel_values, attention_mask)"],
  ['tiny-chinese-clip', 'chinese-clip', 'combined onnx/model.onnx with token_type_ids, BERT WordPiece'],
  ['tiny-jina-clip-v2', 'jina-clip', 'onnx/model.onnx + model.onnx_data, Jina preprocessor keys'],
  ['tiny-mobileclip', 'mobileclip', 'split towers, shortest_edge + crop, bilinear, do_normalize false'],
  ['tiny-open-clip', 'open-clip', 'open_clip_config.json preprocess_cfg (longest), renamed tensors via spec'],
];

describe.each(FIXTURES)('%s (%s): %s', (dir, family) => {
  const ref = readReference(dir);
  let model: ClipModel;
  beforeAll(async () => {
    model = await loadModel(join(FAMILY_FIXTURES, dir), { threads: 1 });
  });
  afterAll(async () => model?.dispose());

  it('detects the family and its scoring rule', () => {
    expect(model.info.family).toBe(family);
    expect(model.info.scoring.rule).toBe(ref.scoring.rule);
    expect(model.info.scoring.scale).toBeCloseTo(ref.scoring.scale, 2);
    expect(model.info.scoring.bias).toBeCloseTo(ref.scoring.bias, 2);
    expect(model.info.contextLength).toBe(ref.context_length);
  });

  it('tokenizes to the reference ids, padded as the family needs', () => {
    const rows = model.tokenize(ref.texts);
    const width = ref.padding === 'max_length' ? ref.context_length : Math.max(...ref.ids.map((r) => r.length));
    rows.forEach((row, i) => {
      expect(row).toHaveLength(width);
      expect(row.slice(0, ref.ids[i].length)).toEqual(ref.ids[i]);
    });
    if (ref.truncation_case) expect(model.tokenize([ref.truncation_case.text])[0].slice(0, ref.truncation_case.ids.length)).toEqual(ref.truncation_case.ids);
  });

  it('makes exactly the PIL pixels and the reference image embeddings', async () => {
    const cfg = parsePreprocessorConfig(ref.pixel_cases[0].config, `${dir} reference`);
    const { height, width } = model.preprocessor.cropSize;
    const batch = new Float32Array(ref.images.length * 3 * height * width);
    for (const [i, c] of ref.pixel_cases.entries()) {
      const img = await decodeImage({ kind: 'path', path: join(FAMILY_FIXTURES, 'images', c.image) });
      const ours = resizeAndCrop(img, model.preprocessor);
      expect([ours.width, ours.height]).toEqual([c.width, c.height]);
      expect(sha256(ours.data)).toBe(c.sha256);
      expect(sha256(resizeAndCrop(img, cfg).data)).toBe(c.sha256);
      model.preprocessInto!(img, batch, i * 3 * height * width);
    }
    const emb = await model.encodePixels(batch, ref.images.length);
    const d = model.info.embedDim;
    ref.image_embeds.forEach((e, i) => expect(cos(emb.subarray(i * d, (i + 1) * d), e)).toBeGreaterThanOrEqual(0.9999));
  });

  it('reproduces the text embeddings and the probabilities under its own rule', async () => {
    const d = model.info.embedDim;
    const text = await model.encodeText(ref.texts);
    ref.text_embeds.forEach((e, i) => expect(cos(text.subarray(i * d, (i + 1) * d), e)).toBeGreaterThanOrEqual(0.9999));
    ref.image_embeds.forEach((img, i) => {
      const cosines = ref.texts.map((_, j) => cos(img, text.subarray(j * d, (j + 1) * d)));
      const probs = probabilitiesRow(cosines, model.info.scoring);
      ref.probabilities[i].forEach((p, j) => expect(Math.abs(probs[j] - p)).toBeLessThanOrEqual(1e-4));
    });
  });
});
