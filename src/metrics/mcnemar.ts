import { ZeroshiftError } from '../errors.js';
import { binomialCdf, chiSquareSf } from './special.js';

/** Below this many discordant pairs (b + c) the exact binomial test is used. */
export const MCNEMAR_EXACT_BELOW = 25;

export interface McNemarResult {
  /** Items A got right and B got wrong. */
  b: number;
  /** Items A got wrong and B got right. */
  c: number;
  /** exact: min(b, c); chi2: (|b − c| − 1)² / (b + c). */
  statistic: number;
  pValue: number;
  method: 'exact' | 'chi2';
}

/**
 * McNemar's test from the discordant counts, with statsmodels `mcnemar` semantics:
 * exact → p = min(1, 2·BinomCDF(min(b, c); b + c, ½)); chi2 (continuity-corrected) →
 * p = χ²₁.sf((|b − c| − 1)² / (b + c)). `method` defaults to exact when b + c < 25.
 */
export function mcnemarFromCounts(b: number, c: number, method?: 'exact' | 'chi2'): McNemarResult {
  if (!Number.isInteger(b) || !Number.isInteger(c) || b < 0 || c < 0) {
    throw new ZeroshiftError('INTERNAL', `mcnemar: b and c must be non-negative integers, got b=${b}, c=${c}`);
  }
  const m = method ?? (b + c < MCNEMAR_EXACT_BELOW ? 'exact' : 'chi2');
  if (m === 'exact') {
    const statistic = Math.min(b, c);
    return { b, c, statistic, pValue: Math.min(1, 2 * binomialCdf(statistic, b + c, 0.5)), method: m };
  }
  if (b + c === 0) return { b, c, statistic: 0, pValue: 1, method: m };
  const statistic = (Math.abs(b - c) - 1) ** 2 / (b + c);
  return { b, c, statistic, pValue: chiSquareSf(statistic, 1), method: m };
}

/**
 * Paired McNemar test for two classifiers scored on the same items: `correctA[i]` and
 * `correctB[i]` say whether each got item i right (both (N,)).
 */
export function mcnemar(correctA: ArrayLike<boolean | number>, correctB: ArrayLike<boolean | number>, method?: 'exact' | 'chi2'): McNemarResult {
  if (correctA.length !== correctB.length) {
    throw new ZeroshiftError('INPUT', `mcnemar: the two classifiers were scored on different item counts (${correctA.length} vs ${correctB.length})`);
  }
  let b = 0;
  let c = 0;
  for (let i = 0; i < correctA.length; i++) {
    if (correctA[i] && !correctB[i]) b++;
    else if (!correctA[i] && correctB[i]) c++;
  }
  return mcnemarFromCounts(b, c, method);
}
