import { describe, expect, it } from 'vitest';
import { averagePrecisionPerClass, meanAveragePrecision } from '../../src/metrics/multilabel.js';

describe('multi-label average precision (CLIP_benchmark voc2007_multilabel)', () => {
  // 4 items × 3 classes, row-major.
  const scores = new Float32Array([
    0.9, 0.2, 0.1,
    0.8, 0.5, 0.2,
    0.3, 0.5, 0.3,
    0.1, 0.7, 0.4,
  ]);
  const targets = [
    1, 0, 0,
    0, 0, 0,
    1, 1, 0,
    0, 0, 0,
  ];
  it('per class by hand', () => {
    const ap = averagePrecisionPerClass(scores, targets, 4, 3);
    // class 0: order 0,1,2,3; positives at ranks 1 and 3 → (1/1 + 2/3) / 2.
    expect(ap[0]).toBeCloseTo((1 + 2 / 3) / 2, 12);
    // class 1: order 3 (.7), 1 and 2 tied at .5 (lower index first), 0; positive item 2 at rank 3.
    expect(ap[1]).toBeCloseTo(1 / 3, 12);
    // class 2: no positives → 0, and it still counts in the mean.
    expect(ap[2]).toBe(0);
    expect(meanAveragePrecision(scores, targets, 4, 3)).toBeCloseTo(((1 + 2 / 3) / 2 + 1 / 3) / 3, 12);
  });
  it('is 1 when every positive ranks above every negative', () => {
    expect(meanAveragePrecision(new Float32Array([3, 2, 1, 0]), [1, 1, 0, 0], 4, 1)).toBe(1);
  });
});
