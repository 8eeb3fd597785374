import { describe, expect, it } from 'vitest';
import { accuracyTopK } from '../../src/metrics/accuracy.js';
import { confusionMatrix, meanPerClassRecall } from '../../src/metrics/classwise.js';
import { acceptableSetsRule } from '../../src/metrics/correctness.js';

describe('mean per-class recall (sklearn balanced_accuracy_score)', () => {
  it('averages recall over classes with samples and reports predicted-only classes', () => {
    const labels = new Int32Array([0, 0, 1, 1, 1, 3]);
    const preds = new Int32Array([0, 1, 1, 1, 0, 2]);
    const r = meanPerClassRecall(labels, preds, 4);
    // class 0: 1/2, class 1: 2/3, class 3: 0/1; class 2 has no samples (predicted once) and is skipped.
    expect(r.value).toBeCloseTo((1 / 2 + 2 / 3 + 0) / 3, 15);
    expect(r.predictedWithoutSamples).toEqual([2]);
  });

  it('confusion rows are true classes', () => {
    const m = confusionMatrix(new Int32Array([0, 0, 1, 2]), new Int32Array([0, 2, 1, 0]), 3);
    expect(m).toEqual([[1, 0, 1], [0, 1, 0], [1, 0, 0]]);
  });
});

describe('accuracyTopK', () => {
  const logits = new Float32Array([
    0.9, 0.8, 0.7, 0.6, 0.5, 0.4, // label 4: 5th best → top-5 hit, top-1 miss
    0.1, 0.2, 0.3, 0.4, 0.5, 0.6, // label 0: last → miss
    0.5, 0.5, 0.1, 0.1, 0.1, 0.1, // label 1: tie with 0 goes to class 0 → top-1 miss
  ]);
  const labels = new Int32Array([4, 0, 1]);

  it('counts top-1 and top-5 hits, ties to the lower index', () => {
    expect(accuracyTopK(logits, 3, 6, labels, 1)).toEqual({ correct: 0, n: 3, accuracy: 0 });
    expect(accuracyTopK(logits, 3, 6, labels, 5)).toEqual({ correct: 2, n: 3, accuracy: 2 / 3 });
  });

  it('omits top-5 with fewer than 5 classes', () => {
    expect(accuracyTopK(new Float32Array([1, 0, 0, 1]), 2, 2, new Int32Array([0, 1]), 5)).toBeUndefined();
  });

  it('accepts any class of a per-sample acceptable set (ObjectNet rule)', () => {
    const rule = acceptableSetsRule([new Set([2, 0]), [5], [3, 1]]);
    expect(accuracyTopK(logits, 3, 6, labels, 1, rule)?.correct).toBe(2);
  });
});
