import { describe, expect, it } from 'vitest';
import { buildClassifier, promptHash } from '../../src/prompts/classifier.js';
import { parsePromptSet } from '../../src/prompts/load.js';
import { getPromptSet } from '../../src/prompts/registry.js';
import { sha256 } from '../../src/util/hash.js';

const DIM = 6;

/** A fake text tower: each text's vector is read off its sha256 (unnormalised, any sign). */
function vectorOf(text: string): number[] {
  const h = sha256(text);
  return Array.from({ length: DIM }, (_, d) => Number.parseInt(h.slice(4 * d, 4 * d + 4), 16) / 65536 - 0.5);
}
const encode = async (texts: string[]): Promise<Float32Array> => Float32Array.from(texts.flatMap(vectorOf));

/** CLIP_benchmark's zero_shot_classifier for dict templates, written out: normalise each text, mean, normalise. */
function direct(textsPerClass: string[][]): number[][] {
  const unit = (v: number[]): number[] => {
    const n = Math.hypot(...v);
    return v.map((x) => x / n);
  };
  return textsPerClass.map((texts) => {
    const sum = new Array<number>(DIM).fill(0);
    for (const t of texts) unit(Array.from(Float32Array.from(vectorOf(t)))).forEach((x, d) => (sum[d] += x));
    return unit(sum.map((x) => x / texts.length));
  });
}

function expectClose(actual: Float32Array, expected: number[][]): void {
  expect(actual).toHaveLength(expected.length * DIM);
  expected.flat().forEach((v, i) => expect(actual[i]).toBeCloseTo(v, 6));
}

describe('per-class prompts (CuPL)', () => {
  it('imagenet-cupl holds 30 of CuPL\'s sentences for each of the 1000 classes, recorded with its source commit', () => {
    const set = getPromptSet('imagenet-cupl');
    expect(set.schemaVersion).toBe(2);
    expect(set.templates).toEqual([]);
    expect(set.classNames).toEqual(getPromptSet('imagenet').classNames);
    expect(set.classPrompts).toHaveLength(1000);
    expect(set.classPrompts?.every((texts) => texts.length === 30)).toBe(true);
    expect(set.classPrompts?.[0][0]).toBe('A tench is a freshwater fish of the family Cyprinidae.');
    expect(set.source).toMatch(/^sarahpratt\/CuPL@[0-9a-f]{40} all_prompts\/base_prompts\/imagenet_prompts_base\.json/);
    // 'missile' names two classes (657, 744): CuPL keys by name, so both get the same sentences.
    const names = set.classNames ?? [];
    const missiles = names.flatMap((n, i) => (n === 'missile' ? [i] : []));
    expect(missiles).toEqual([657, 744]);
    expect(set.classPrompts?.[657]).toEqual(set.classPrompts?.[744]);
  });

  it('the imagenet-cupl classifier equals the direct computation, class by class', async () => {
    const set = getPromptSet('imagenet-cupl');
    const prompts = set.classPrompts ?? [];
    const w = await buildClassifier(encode, DIM, set.classNames ?? [], set.templates, 'clip', { classPrompts: prompts, batchSize: 1000 });
    expectClose(w, direct(prompts));
  });

  it("a set with templates and sentences ensembles each class's filled templates with its own sentences", async () => {
    const classPrompts = [['A cat has whiskers.', 'Cats purr.'], ['A dog barks.']];
    const w = await buildClassifier(encode, DIM, ['cat', 'dog'], ['a photo of a {}.'], 'clip', { classPrompts, batchSize: 2 });
    expectClose(w, direct([['a photo of a cat.', ...classPrompts[0]], ['a photo of a dog.', ...classPrompts[1]]]));
    // The hash of a templates-only set is unchanged; per-class prompts change it.
    expect(promptHash(['a {}.'], ['cat'], 'clip', undefined)).toBe(promptHash(['a {}.'], ['cat'], 'clip'));
    expect(promptHash(['a {}.'], ['cat'], 'clip', [['x']])).not.toBe(promptHash(['a {}.'], ['cat'], 'clip'));
  });

  it('the schema: classPrompts needs schemaVersion 2 and one list per class; only they allow empty templates', () => {
    const base = { schemaVersion: 2, name: 'mine', classNames: ['cat', 'dog'], templates: [], classPrompts: [['A cat.'], ['A dog.']] };
    expect(parsePromptSet(base, 'mine.json').classPrompts).toEqual([['A cat.'], ['A dog.']]);
    expect(() => parsePromptSet({ ...base, schemaVersion: 1 }, 'mine.json')).toThrow(/mine\.json: invalid prompt set at 'schemaVersion': a set with classPrompts is schemaVersion 2/);
    expect(() => parsePromptSet({ ...base, classPrompts: [['A cat.']] }, 'mine.json')).toThrow(/at 'classPrompts': one list per class: 1 lists but 2 classNames/);
    expect(() => parsePromptSet({ ...base, classPrompts: undefined }, 'mine.json')).toThrow(/at 'templates': give at least one template/);
    expect(() => parsePromptSet({ ...base, templates: ['no placeholder'] }, 'mine.json')).toThrow(/templates\[0\] "no placeholder" has no class-name placeholder/);
  });
});
