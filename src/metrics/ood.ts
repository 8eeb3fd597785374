import { ZeroshiftError } from '../errors.js';

/**
 * Out-of-distribution detection metrics over two sets of scores, in-distribution (ID, the
 * positive class) and OOD, where a higher score means "more in-distribution":
 *
 * - **AUROC**: P(ID score > OOD score) + ½ P(equal), the Mann–Whitney statistic over all
 *   (ID, OOD) pairs; the area under the ROC curve with ties drawn as diagonal segments, as
 *   scikit-learn's `roc_auc_score` computes it.
 * - **95 % CI of the AUROC**: DeLong, DeLong & Clarke-Pearson (1988): var = S10/n_id + S01/n_ood
 *   with S10, S01 the sample variances (n−1) of the ID and OOD structural components, and the
 *   normal interval AUROC ± z₀.₉₇₅·√var clipped to [0, 1]. Null when either set has fewer
 *   than 2 scores (no sample variance). A perfect separation has variance 0: [1, 1].
 * - **FPR@95 %TPR**: the share of OOD scores ≥ t, with t the largest threshold that keeps at
 *   least 95 % of ID scores (t is the ⌈0.95·n_id⌉-th largest ID score).
 * - **AUPR-In**: scikit-learn's `average_precision_score` with ID as the positive class and the
 *   scores as they are; **AUPR-Out**: the same with OOD as the positive class and the scores
 *   negated. AP = Σₖ (Rₖ − Rₖ₋₁)·Pₖ over the distinct thresholds (tied scores form one step).
 *
 * Every sum is in float64; the score arrays are not changed.
 */
export interface OodMetrics {
  nId: number;
  nOod: number;
  auroc: number;
  /** DeLong 95 % interval of `auroc`, or null with fewer than 2 ID or 2 OOD scores. */
  aurocCi: [number, number] | null;
  fpr95: number;
  /** The threshold t of `fpr95`. */
  fpr95Threshold: number;
  auprIn: number;
  auprOut: number;
}

/** The ID share FPR@95 keeps: 95 of every 100 (integer arithmetic, so 0.95·n never rounds up by a hair). */
const TPR_PERCENT = 95;
/** z₀.₉₇₅ of the standard normal. */
const Z_975 = 1.959963984540054;

/** Names used in errors: which set was empty or held a non-finite score. */
export interface OodSetNames {
  id: string;
  ood: string;
}

/**
 * All OOD metrics of one (ID, OOD) pair.
 * @param idScores (n_id,) scores of the in-distribution items (positives)
 * @param oodScores (n_ood,) scores of the OOD items
 * @throws ZeroshiftError DATASET when either set is empty (exit 2), INTERNAL on a non-finite score
 */
export function oodMetrics(idScores: ArrayLike<number>, oodScores: ArrayLike<number>, names: OodSetNames = { id: 'ID set', ood: 'OOD set' }): OodMetrics {
  checkScores(idScores, names.id);
  checkScores(oodScores, names.ood);
  const { auroc, ci } = aurocDeLong(idScores, oodScores);
  const { fpr, threshold } = fprAtTpr95(idScores, oodScores);
  return {
    nId: idScores.length,
    nOod: oodScores.length,
    auroc,
    aurocCi: ci,
    fpr95: fpr,
    fpr95Threshold: threshold,
    auprIn: averagePrecision(idScores, oodScores),
    auprOut: averagePrecision(negate(oodScores), negate(idScores)),
  };
}

function checkScores(s: ArrayLike<number>, name: string): void {
  if (s.length === 0) {
    throw new ZeroshiftError('DATASET', `${name} has no scored items: OOD metrics need at least one in-distribution and one OOD image`, {
      hint: 'check the dataset spec (split, --limit, or a folder that lost its images)',
    });
  }
  for (let i = 0; i < s.length; i++) {
    if (!Number.isFinite(s[i])) throw new ZeroshiftError('INTERNAL', `OOD score ${i} of ${name} is ${s[i]}`);
  }
}

/**
 * Midranks (1-based; tied values share the mean of their ranks) of `values`.
 * @returns (n,) float64 ranks in the input order
 */
export function midranks(values: ArrayLike<number>): Float64Array {
  const n = values.length;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => values[a] - values[b]);
  const ranks = new Float64Array(n);
  for (let i = 0; i < n;) {
    let j = i;
    while (j + 1 < n && values[order[j + 1]] === values[order[i]]) j++;
    const r = (i + j + 2) / 2;
    for (let k = i; k <= j; k++) ranks[order[k]] = r;
    i = j + 1;
  }
  return ranks;
}

/**
 * AUROC by midranks and its DeLong 95 % interval (the structural components from midranks,
 * Sun & Xu 2014: V10ᵢ = (Zᵢ − Xᵢ)/n_ood, V01ⱼ = 1 − (Zⱼ − Yⱼ)/n_id, with Z the midranks in the
 * pooled set and X, Y those within each set).
 */
export function aurocDeLong(idScores: ArrayLike<number>, oodScores: ArrayLike<number>): { auroc: number; ci: [number, number] | null } {
  const m = idScores.length;
  const n = oodScores.length;
  const pooled = new Float64Array(m + n);
  for (let i = 0; i < m; i++) pooled[i] = idScores[i];
  for (let j = 0; j < n; j++) pooled[m + j] = oodScores[j];
  const z = midranks(pooled);
  const x = midranks(idScores);
  const y = midranks(oodScores);
  let idRankSum = 0;
  for (let i = 0; i < m; i++) idRankSum += z[i];
  const auroc = (idRankSum - (m * (m + 1)) / 2) / (m * n);
  if (m < 2 || n < 2) return { auroc, ci: null };
  const v10 = new Float64Array(m);
  for (let i = 0; i < m; i++) v10[i] = (z[i] - x[i]) / n;
  const v01 = new Float64Array(n);
  for (let j = 0; j < n; j++) v01[j] = 1 - (z[m + j] - y[j]) / m;
  const variance = sampleVariance(v10) / m + sampleVariance(v01) / n;
  const half = Z_975 * Math.sqrt(variance);
  return { auroc, ci: [Math.max(0, auroc - half), Math.min(1, auroc + half)] };
}

function sampleVariance(v: Float64Array): number {
  let mean = 0;
  for (const x of v) mean += x;
  mean /= v.length;
  let ss = 0;
  for (const x of v) ss += (x - mean) * (x - mean);
  return ss / (v.length - 1);
}

/**
 * FPR at 95 % TPR: t is the ⌈0.95·n_id⌉-th largest ID score (the largest threshold keeping at
 * least 95 % of ID scores at or above it), and the FPR the share of OOD scores ≥ t.
 */
export function fprAtTpr95(idScores: ArrayLike<number>, oodScores: ArrayLike<number>): { fpr: number; threshold: number } {
  const m = idScores.length;
  const k = Math.ceil((TPR_PERCENT * m) / 100);
  const desc = Float64Array.from(idScores).sort().reverse();
  const threshold = desc[k - 1];
  let above = 0;
  for (let j = 0; j < oodScores.length; j++) if (oodScores[j] >= threshold) above++;
  return { fpr: above / oodScores.length, threshold };
}

/**
 * scikit-learn's average precision with `positives` as the positive class: thresholds at each
 * distinct score, descending; AP = Σ (recallₖ − recallₖ₋₁)·precisionₖ.
 */
export function averagePrecision(positives: ArrayLike<number>, negatives: ArrayLike<number>): number {
  let prevRecall = 0;
  let ap = 0;
  for (const { tp, fp } of cumulativeCounts(positives, negatives)) {
    const recall = tp / positives.length;
    ap += (recall - prevRecall) * (tp / (tp + fp));
    prevRecall = recall;
  }
  return ap;
}

/**
 * ROC curve at every distinct threshold, from (0, 0) to (1, 1), the points scikit-learn's
 * `roc_curve(drop_intermediate=False)` gives (plus its origin).
 * @returns fpr and tpr, (K,) each, non-decreasing
 */
export function rocCurve(idScores: ArrayLike<number>, oodScores: ArrayLike<number>): { fpr: number[]; tpr: number[] } {
  const fpr = [0];
  const tpr = [0];
  for (const { tp, fp } of cumulativeCounts(idScores, oodScores)) {
    fpr.push(fp / oodScores.length);
    tpr.push(tp / idScores.length);
  }
  return { fpr, tpr };
}

/**
 * Positives and negatives scored at or above each distinct score, from the highest score down:
 * the one threshold walk that both the precision-recall and the ROC curves are read from
 * (tied scores move together, as scikit-learn's curves treat them).
 */
function* cumulativeCounts(positives: ArrayLike<number>, negatives: ArrayLike<number>): Generator<{ tp: number; fp: number }> {
  const all = [...Array.from(positives, (s) => ({ s, pos: true })), ...Array.from(negatives, (s) => ({ s, pos: false }))];
  all.sort((x, y) => y.s - x.s);
  let tp = 0;
  let fp = 0;
  for (let i = 0; i < all.length;) {
    let j = i;
    for (; j < all.length && all[j].s === all[i].s; j++) {
      if (all[j].pos) tp++;
      else fp++;
    }
    yield { tp, fp };
    i = j;
  }
}

function negate(s: ArrayLike<number>): Float64Array {
  return Float64Array.from(s, (v) => -v);
}
