import { ZeroshiftError } from '../errors.js';
import { labelRule, type IsCorrect } from './correctness.js';
import { topK } from './topK.js';

export interface AccuracyCount {
  correct: number;
  n: number;
  /** correct / n (NaN when n = 0). */
  accuracy: number;
}

/**
 * Samples whose k best classes contain a correct one, from per-sample top lists
 * `topIndices` (N, kk) row-major with kk ≥ k, best first.
 */
export function countCorrectInTop(topIndices: Int32Array, n: number, kk: number, k: number, isCorrect: IsCorrect): number {
  if (k > kk) throw new ZeroshiftError('INTERNAL', `countCorrectInTop: asked for top-${k} from top-${kk} lists`);
  let correct = 0;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < k; j++) {
      if (isCorrect(topIndices[i * kk + j], i)) {
        correct++;
        break;
      }
    }
  }
  return correct;
}

/**
 * Top-k accuracy of `logits` (N, C) row-major against `labels` (N,), ties broken towards
 * the lower class index. Returns undefined (not 0) when C < k: the metric does not exist.
 * `isCorrect` overrides "prediction equals label" (e.g. several acceptable classes).
 */
export function accuracyTopK(
  logits: Float32Array, n: number, c: number, labels: Int32Array, k: number, isCorrect?: IsCorrect,
): AccuracyCount | undefined {
  if (labels.length !== n) throw new ZeroshiftError('INTERNAL', `accuracyTopK: ${labels.length} labels for ${n} rows`);
  if (c < k) return undefined;
  const top = topK(logits, n, c, k);
  const correct = countCorrectInTop(top.indices, n, top.k, k, isCorrect ?? labelRule(labels));
  return { correct, n, accuracy: correct / n };
}

/** Top-1 prediction (argmax, lowest index on ties) of each row of `logits` (N, C): (N,). */
export function argmaxRows(logits: Float32Array, n: number, c: number): Int32Array {
  return topK(logits, n, c, 1).indices;
}
