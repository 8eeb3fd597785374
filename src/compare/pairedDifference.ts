import { ZeroshiftError } from '../errors.js';
import { normalQuantile } from '../report/normal.js';

/**
 * The paired 2×2 table of two classifiers scored on the same items:
 * `bothRight`, `onlyA` (A right, B wrong), `onlyB` (A wrong, B right), `bothWrong`.
 */
export interface PairedTable {
  bothRight: number;
  onlyA: number;
  onlyB: number;
  bothWrong: number;
}

/** The difference of two paired accuracies, B − A, with its confidence interval. */
export interface PairedDifference {
  /** accuracy(B) − accuracy(A) = (onlyB − onlyA) / n. */
  estimate: number;
  ci: [number, number];
  /** Confidence level of `ci`, e.g. 0.95. */
  confidence: number;
}

/** Name of the interval, recorded in compare.json. */
export const PAIRED_CI_METHOD = 'newcombe-paired-score';

/**
 * Wilson's score interval for k successes in n trials (no continuity correction).
 * @param z the normal quantile of the two-sided level (1.959964 for 95 %)
 */
export function wilsonInterval(k: number, n: number, z: number): [number, number] {
  if (n <= 0) throw new ZeroshiftError('INTERNAL', `wilsonInterval: n must be positive, got ${n}`);
  const p = k / n;
  const z2 = z * z;
  const centre = (p + z2 / (2 * n)) / (1 + z2 / n);
  const half = (z / (1 + z2 / n)) * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n));
  return [Math.max(0, centre - half), Math.min(1, centre + half)];
}

/**
 * Newcombe's (1998) square-and-add interval for the difference of paired proportions (his
 * method 10): the two marginal Wilson intervals combined with the estimated correlation of the
 * marginals, φ̂, corrected towards zero as he (and Fagerland, Lydersen & Laake 2017, §8.5) does:
 * with Δ = n11·n00 − n10·n01, φ̂ = (Δ − n/2)/√(product of the margins) when Δ > n/2, 0 when
 * 0 ≤ Δ ≤ n/2, Δ/√(…) when Δ < 0, and 0 when a margin is empty. Oriented as B − A.
 * @throws ZeroshiftError INTERNAL on negative or non-integer counts, or an empty table.
 */
export function newcombePairedDifference(t: PairedTable, confidence = 0.95): PairedDifference {
  const cells = [t.bothRight, t.onlyA, t.onlyB, t.bothWrong];
  if (cells.some((x) => !Number.isInteger(x) || x < 0)) throw new ZeroshiftError('INTERNAL', `paired table needs non-negative integer counts, got [${cells.join(', ')}]`);
  const n = cells.reduce((s, x) => s + x, 0);
  if (n === 0) throw new ZeroshiftError('INTERNAL', 'paired table is empty: no items to compare');
  const z = normalQuantile(1 - (1 - confidence) / 2);
  const kA = t.bothRight + t.onlyA;
  const kB = t.bothRight + t.onlyB;
  const pA = kA / n;
  const pB = kB / n;
  const [lA, uA] = wilsonInterval(kA, n, z);
  const [lB, uB] = wilsonInterval(kB, n, z);
  const phi = marginCorrelation(t, n);
  const estimate = pB - pA;
  const below = Math.sqrt(Math.max(0, (pB - lB) ** 2 + (uA - pA) ** 2 - 2 * phi * (pB - lB) * (uA - pA)));
  const above = Math.sqrt(Math.max(0, (uB - pB) ** 2 + (pA - lA) ** 2 - 2 * phi * (uB - pB) * (pA - lA)));
  return { estimate, ci: [Math.max(-1, estimate - below), Math.min(1, estimate + above)], confidence };
}

/** Newcombe's corrected φ̂ between the two marginal proportions (see newcombePairedDifference). */
function marginCorrelation(t: PairedTable, n: number): number {
  const margins = [t.bothRight + t.onlyA, t.onlyB + t.bothWrong, t.bothRight + t.onlyB, t.onlyA + t.bothWrong];
  if (margins.some((m) => m === 0)) return 0;
  const root = Math.sqrt(margins.reduce((p, m) => p * m, 1));
  const delta = t.bothRight * t.bothWrong - t.onlyA * t.onlyB;
  if (delta > n / 2) return (delta - n / 2) / root;
  if (delta >= 0) return 0;
  return delta / root;
}
