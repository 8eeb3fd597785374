import { ZeroshiftError } from '../errors.js';

/**
 * Average precision per class for multi-label classification, as CLIP_benchmark's
 * `average_precision_per_class` (zeroshot_classification.py, from torchnet's APMeter)
 * computes it for voc2007_multilabel, restated:
 *
 *   for each class k: order the N items by score[:, k] descending;
 *     tp(r) = positives among the first r items, precision(r) = tp(r) / r
 *     AP_k = Σ_{r : item r is positive} precision(r) / max(#positives_k, 1)
 *   mean_average_precision = mean over ALL classes of AP_k (a class without positives
 *   contributes 0).
 *
 * Tied scores are ordered by item index (lower first, a stable sort); torch.sort leaves
 * that order unspecified. This is the non-interpolated AP, not VOC's 11-point AP.
 *
 * `scores` (N, C) row-major logits or similarities; `targets` (N, C) row-major, non-zero = positive.
 * Returns (C,) AP per class.
 */
export function averagePrecisionPerClass(scores: Float32Array | Float64Array, targets: ArrayLike<number>, n: number, c: number): Float64Array {
  if (scores.length !== n * c || targets.length !== n * c) {
    throw new ZeroshiftError('INTERNAL', `averagePrecisionPerClass: need n·c = ${n * c} scores and targets, got ${scores.length} and ${targets.length}`);
  }
  const ap = new Float64Array(c);
  const order = new Int32Array(n);
  for (let k = 0; k < c; k++) {
    for (let i = 0; i < n; i++) order[i] = i;
    order.sort((a, b) => {
      const d = scores[b * c + k] - scores[a * c + k];
      return d !== 0 ? d : a - b;
    });
    let tp = 0;
    let sum = 0;
    for (let r = 0; r < n; r++) {
      if (targets[order[r] * c + k]) {
        tp++;
        sum += tp / (r + 1);
      }
    }
    ap[k] = sum / Math.max(tp, 1);
  }
  return ap;
}

/** CLIP_benchmark's `mean_average_precision`: the plain mean of averagePrecisionPerClass. */
export function meanAveragePrecision(scores: Float32Array | Float64Array, targets: ArrayLike<number>, n: number, c: number): number {
  const ap = averagePrecisionPerClass(scores, targets, n, c);
  let s = 0;
  for (const v of ap) s += v;
  return s / c;
}
