import { describe, expect, it } from 'vitest';
import { buildClassifier, promptHash } from '../../src/prompts/classifier.js';

// A fake 2-D text tower: each known text maps to a fixed vector.
const RAW: Record<string, [number, number]> = {
  'a cat.': [3, 4], // norm 5
  'the cat.': [0, 2], // norm 2
  'a dog.': [1, 0],
  'the dog.': [0, -1],
  'a kitty.': [-4, 3], // norm 5
  'the kitty.': [0, 1],
};

function fakeEncoder(normalise: boolean, calls: number[]) {
  return async (texts: string[]): Promise<Float32Array> => {
    calls.push(texts.length);
    const out = new Float32Array(texts.length * 2);
    texts.forEach((t, i) => {
      const v = RAW[t];
      if (!v) throw new Error(`unexpected text ${t}`);
      const n = normalise ? Math.hypot(v[0], v[1]) : 1;
      out[2 * i] = v[0] / n;
      out[2 * i + 1] = v[1] / n;
    });
    return out;
  };
}

const templates = ['a {}.', 'the {}.'];

// The fake encoder emits float32, so hand values agree to float32 precision.
function expectRows(actual: Float32Array, expected: number[]): void {
  expect(actual).toHaveLength(expected.length);
  expected.forEach((v, i) => expect(actual[i]).toBeCloseTo(v, 7));
}

describe('buildClassifier', () => {
  it("'clip' averages normalised embeddings then normalises (hand-computed)", async () => {
    const w = await buildClassifier(fakeEncoder(true, []), 2, ['cat', 'dog'], templates, 'clip');
    // cat: (0.6, 0.8) + (0, 1) = (0.6, 1.8) → /√3.6; dog: (1, 0) + (0, −1) → (1, −1)/√2.
    expectRows(w, [0.6 / Math.sqrt(3.6), 1.8 / Math.sqrt(3.6), Math.SQRT1_2, -Math.SQRT1_2]);
  });

  it("'testbed' averages unnormalised embeddings then normalises", async () => {
    const w = await buildClassifier(fakeEncoder(true, []), 2, ['cat'], templates, 'testbed', { encodeTextRaw: fakeEncoder(false, []) });
    // (3, 4) + (0, 2) = (3, 6) → /√45.
    expectRows(w, [3 / Math.sqrt(45), 6 / Math.sqrt(45)]);
    await expect(buildClassifier(fakeEncoder(true, []), 2, ['cat'], templates, 'testbed')).rejects.toThrow(/encodeTextRaw/);
  });

  it("'single' needs exactly one template", async () => {
    const w = await buildClassifier(fakeEncoder(true, []), 2, ['cat'], ['a {}.'], 'single');
    expectRows(w, [0.6, 0.8]);
    await expect(buildClassifier(fakeEncoder(true, []), 2, ['cat'], templates, 'single')).rejects.toThrow(/exactly one template, got 2/);
  });

  it('ensembles synonyms × templates into one class', async () => {
    const w = await buildClassifier(fakeEncoder(true, []), 2, [['cat', 'kitty']], templates, 'clip');
    // (0.6, 0.8) + (0, 1) + (−0.8, 0.6) + (0, 1) = (−0.2, 3.4).
    const n = Math.hypot(-0.2, 3.4);
    expectRows(w, [-0.2 / n, 3.4 / n]);
  });

  it('batches the encoder calls', async () => {
    const calls: number[] = [];
    const batched = await buildClassifier(fakeEncoder(true, calls), 2, ['cat', 'dog', ['cat', 'kitty']], templates, 'clip', { batchSize: 3 });
    expect(calls).toEqual([3, 3, 2]);
    expect(batched).toEqual(await buildClassifier(fakeEncoder(true, []), 2, ['cat', 'dog', ['cat', 'kitty']], templates));
  });

  it('rejects an encoder returning the wrong size', async () => {
    await expect(buildClassifier(async () => new Float32Array(3), 2, ['cat'], templates)).rejects.toThrow(/returned 3 values for 2 texts/);
  });

  it('hashes templates, names and rule', () => {
    expect(promptHash(templates, ['cat'], 'clip')).toBe(promptHash([...templates], ['cat'], 'clip'));
    expect(promptHash(templates, ['cat'], 'clip')).not.toBe(promptHash(templates, ['cat'], 'testbed'));
  });
});
