import { ZeroshiftError } from '../errors.js';
import { inverseRegularizedBeta } from './special.js';

/**
 * Exact (Clopper–Pearson) two-sided confidence interval for a binomial proportion with
 * k successes out of n: [B(α/2; k, n−k+1), B(1−α/2; k+1, n−k)] with B the beta quantile;
 * the lower bound is 0 when k = 0 and the upper bound 1 when k = n. n = 0 gives [0, 1].
 */
export function clopperPearson(k: number, n: number, confidence = 0.95): [number, number] {
  if (!Number.isInteger(k) || !Number.isInteger(n) || k < 0 || n < 0 || k > n) {
    throw new ZeroshiftError('INTERNAL', `clopperPearson: need integers 0 ≤ k ≤ n, got k=${k}, n=${n}`);
  }
  if (!(confidence > 0 && confidence < 1)) {
    throw new ZeroshiftError('INTERNAL', `clopperPearson: confidence must be in (0, 1), got ${confidence}`);
  }
  if (n === 0) return [0, 1];
  const alpha = 1 - confidence;
  const lower = k === 0 ? 0 : inverseRegularizedBeta(alpha / 2, k, n - k + 1);
  const upper = k === n ? 1 : inverseRegularizedBeta(1 - alpha / 2, k + 1, n - k);
  return [lower, upper];
}
