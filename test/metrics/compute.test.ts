import { describe, expect, it } from 'vitest';
import { createMetricsAccumulator, predictItem } from '../../src/metrics/accumulator.js';
import { clopperPearson } from '../../src/metrics/clopperPearson.js';
import { computeMetrics } from '../../src/metrics/compute.js';
import { metricsSchema, perClassSchema } from '../../src/results/schema.js';
import { createRng } from '../../src/util/rng.js';

const L2 = Math.log(2);
const L5 = Math.log(5);
const L6 = Math.log(6);

// With logitScale 1, row [ln a, 0, 0] has softmax [a, 1, 1] / (a + 2).
const handCase = {
  logits: new Float32Array([L2, 0, 0, /**/ 0, 0, 0, /**/ 0, L5, 0, /**/ 0, 0, L6]),
  n: 4,
  c: 3,
  labels: new Int32Array([0, 1, 2, 2]),
  logitScale: 1,
  classNames: ['a', 'b', 'c'],
};

describe('computeMetrics', () => {
  it('matches a hand-computed case', () => {
    const r = computeMetrics(handCase);
    // preds 0 ✓, 0 (tie) ✗, 1 ✗, 2 ✓; confidences 1/2, 1/3, 5/7, 3/4 in bins 7, 5, 10, 11.
    expect(r.metrics.acc1).toBe(0.5);
    expect(r.metrics.acc1Ci).toEqual(clopperPearson(2, 4));
    expect(r.metrics.acc5).toBeUndefined();
    expect(r.metrics.meanPerClassRecall).toBeCloseTo((1 + 0 + 0.5) / 3, 15);
    expect(r.metrics.ece).toBeCloseTo((0.5 + 1 / 3 + 5 / 7 + 0.25) / 4, 6);
    expect(r.perClass).toEqual([
      { index: 0, name: 'a', n: 1, correct: 1, accuracy: 1 },
      { index: 1, name: 'b', n: 1, correct: 0, accuracy: 0 },
      { index: 2, name: 'c', n: 2, correct: 1, accuracy: 0.5 },
    ]);
    expect(r.confusion).toEqual([[1, 0, 0], [1, 0, 0], [0, 1, 1]]);
    expect(() => metricsSchema.parse(r.metrics)).not.toThrow();
    for (const p of r.perClass) expect(() => perClassSchema.parse(p)).not.toThrow();
  });

  it('applies the logit scale to probabilities only', () => {
    const scaled = computeMetrics({ ...handCase, logits: handCase.logits.map((v) => v / 10), logitScale: 10 });
    const plain = computeMetrics(handCase);
    expect(scaled.metrics.acc1).toBe(plain.metrics.acc1);
    expect(scaled.metrics.ece).toBeCloseTo(plain.metrics.ece, 6);
  });

  it('drops the confusion matrix above 100 classes and rejects empty input', () => {
    const c = 101;
    const r = computeMetrics({ logits: new Float32Array(c).fill(0.5), n: 1, c, labels: new Int32Array([0]), logitScale: 100 });
    expect(r.confusion).toBeNull();
    expect(r.metrics.acc5).toBe(1);
    expect(() => computeMetrics({ ...handCase, logits: new Float32Array(0), n: 0, labels: new Int32Array(0) })).toThrow(/n = 0/);
  });
});

function randomCase(seed: number, n: number, c: number) {
  const rng = createRng(seed);
  const logits = new Float32Array(n * c).map(() => Math.round(rng.uniform(-1, 1) * 20) / 20);
  const labels = new Int32Array(n).map(() => rng.int(0, c - 1));
  return { logits, n, c, labels, logitScale: 30 };
}

describe('createMetricsAccumulator', () => {
  it('gives the same report as computeMetrics', () => {
    const input = randomCase(11, 300, 7);
    const acc = createMetricsAccumulator(input.c, input.logitScale);
    for (let i = 0; i < input.n; i++) acc.add(input.logits.subarray(i * input.c, (i + 1) * input.c), input.labels[i]);
    expect(acc.count).toBe(300);
    expect(acc.finish(['a', 'b', 'c', 'd', 'e', 'f', 'g'])).toEqual(computeMetrics({ ...input, classNames: ['a', 'b', 'c', 'd', 'e', 'f', 'g'] }));
  });

  it('agrees with computeMetrics under acceptable sets and a separate label space', () => {
    const input = randomCase(12, 200, 12);
    const rng = createRng(13);
    const sets = Array.from({ length: input.n }, () => [rng.int(0, 11), rng.int(0, 11)]);
    const labels = new Int32Array(input.n).map(() => rng.int(0, 3));
    const acc = createMetricsAccumulator(12, input.logitScale, 4);
    for (let i = 0; i < input.n; i++) acc.add(input.logits.subarray(i * 12, (i + 1) * 12), labels[i], sets[i]);
    const whole = computeMetrics({ ...input, labels, acceptable: sets, numLabelClasses: 4 });
    expect(acc.finish()).toEqual(whole);
    expect(whole.confusion).toBeNull();
  });

  it('returns the top-5 classes and their softmax probabilities per item', () => {
    const p = predictItem(new Float32Array([0, L2, 0]), 1);
    expect(p.top).toEqual([1, 0, 2]);
    expect(p.scores[0]).toBeCloseTo(0.5, 7);
    expect(p.scores[1]).toBeCloseTo(0.25, 7);
    expect(createMetricsAccumulator(3, 1).add(new Float32Array([0, L2, 0]), 1)).toEqual({ ...p, correct: true });
    expect(createMetricsAccumulator(3, 1).add(new Float32Array([0, L2, 0]), 2).correct).toBe(false);
    expect(createMetricsAccumulator(3, 1).add(new Float32Array([0, L2, 0]), 0, [1, 2]).correct).toBe(true);
  });
});
