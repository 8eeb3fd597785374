/** open_clip resize modes and HF processor variants against PIL, byte for byte (test/fixtures/families/pixel_cases.json). */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import * as ort from 'onnxruntime-node';
import { decodeImage } from '../../src/image/decode.js';
import { openGraph } from '../../src/model/onnxTower.js';
import { parsePreprocessorConfig } from '../../src/model/preprocessorConfig.js';
import { resizeAndCrop } from '../../src/model/preprocess.js';
import { loadTokenizer } from '../../src/model/tokenizer.js';
import { sha256 } from '../../src/util/hash.js';
import { PACKAGE_ROOT } from '../../src/util/version.js';

const FAMILIES = join(PACKAGE_ROOT, 'test/fixtures/families');
interface Case { image: string; config: Record<string, unknown>; width: number; height: number; sha256: string }
const { cases } = JSON.parse(readFileSync(join(FAMILIES, 'pixel_cases.json'), 'utf8')) as { cases: Case[] };

describe('processor variants against PIL', () => {
  it.each(cases.map((c) => [`${JSON.stringify(c.config)} ${c.image}`, c]))('%s', async (_name, c) => {
    const img = await decodeImage({ kind: 'path', path: join(FAMILIES, 'images', c.image) });
    const out = resizeAndCrop(img, parsePreprocessorConfig(c.config, 'pixel_cases.json'));
    expect([out.width, out.height]).toEqual([c.width, c.height]);
    expect(sha256(out.data)).toBe(c.sha256);
  });
});

describe('attention mask', () => {
  it('a wrong attention_mask changes the combined graph\'s text embedding; the fed one gives the reference', async () => {
    const dir = join(FAMILIES, 'tiny-clip-optimum');
    const ref = JSON.parse(readFileSync(join(dir, 'reference.json'), 'utf8')) as { texts: string[]; text_embeds: number[][] };
    const tok = loadTokenizer({ tokenizer: join(dir, 'tokenizer.json'), tokenizerConfig: join(dir, 'tokenizer_config.json') }, { padding: 'longest' });
    const batch = tok.encode(ref.texts);
    const graph = await openGraph(join(dir, 'model.onnx'));
    const len = batch.ids[0].length;
    const run = async (mask: number[]) => {
      const t = (v: number[]) => new ort.Tensor('int64', BigInt64Array.from(v, BigInt), [ref.texts.length, len]);
      const out = await graph.session.run({ input_ids: t(batch.ids.flat()), attention_mask: t(mask), pixel_values: new ort.Tensor('float32', new Float32Array(3 * 16 * 16), [1, 3, 16, 16]) }, ['text_embeds']);
      return out.text_embeds.data as Float32Array;
    };
    const right = await run(batch.lengths.flatMap((l) => Array.from({ length: len }, (_, j) => (j < l ? 1 : 0))));
    const wrong = await run(new Array<number>(ref.texts.length * len).fill(1));
    await graph.release();
    const d = ref.text_embeds[0].length;
    const cos = (a: ArrayLike<number>, b: ArrayLike<number>) => {
      let ab = 0, aa = 0, bb = 0;
      for (let i = 0; i < a.length; i++) { ab += a[i] * b[i]; aa += a[i] * a[i]; bb += b[i] * b[i]; }
      return ab / Math.sqrt(aa * bb);
    };
    // The shortest text is padded, so an all-ones mask averages pad positions in.
    const shortest = batch.lengths.indexOf(Math.min(...batch.lengths));
    expect(cos(right.subarray(shortest * d, (shortest + 1) * d), ref.text_embeds[shortest])).toBeGreaterThanOrEqual(0.9999);
    expect(cos(wrong.subarray(shortest * d, (shortest + 1) * d), ref.text_embeds[shortest])).toBeLessThan(0.99);
  });
});
