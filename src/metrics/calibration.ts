/** Number of equal-width confidence bins used for ECE. */
export const ECE_BINS = 15;

/**
 * Bin of a confidence in [0, 1], torchmetrics semantics (`bucketize(..., right=True) − 1`
 * over linspace(0, 1, bins + 1)): bins are left-closed [i/B, (i+1)/B), so a confidence
 * exactly on an edge goes to the UPPER bin, and a confidence of exactly 1 gets its own
 * extra bin B (never merged into [(B−1)/B, 1)).
 */
export function eceBin(confidence: number, bins = ECE_BINS): number {
  if (confidence >= 1) return bins;
  if (confidence <= 0) return 0;
  let i = Math.floor(confidence * bins);
  // Float rounding of confidence·bins can land one off near an edge; compare with i/bins.
  if (i / bins > confidence) i--;
  else if ((i + 1) / bins <= confidence) i++;
  return i;
}

/** Per-bin sums for ECE: `count`, `confSum`, `correctSum`, each of length bins + 1. */
export interface EceBins {
  count: Float64Array;
  confSum: Float64Array;
  correctSum: Float64Array;
}

export function createEceBins(bins = ECE_BINS): EceBins {
  return { count: new Float64Array(bins + 1), confSum: new Float64Array(bins + 1), correctSum: new Float64Array(bins + 1) };
}

/** Adds one prediction (max softmax probability, whether top-1 was correct) to `acc`. */
export function addToEceBins(acc: EceBins, confidence: number, correct: boolean): void {
  const b = eceBin(confidence, acc.count.length - 1);
  acc.count[b] += 1;
  acc.confSum[b] += confidence;
  if (correct) acc.correctSum[b] += 1;
}

/** Σ_b (n_b / N) · |acc_b − conf_b| over non-empty bins; 0 when there are no items. */
export function eceFromBins(acc: EceBins): number {
  let total = 0;
  for (const v of acc.count) total += v;
  if (total === 0) return 0;
  let ece = 0;
  for (let b = 0; b < acc.count.length; b++) {
    const nb = acc.count[b];
    if (nb === 0) continue;
    ece += (nb / total) * Math.abs(acc.correctSum[b] / nb - acc.confSum[b] / nb);
  }
  return ece;
}

/**
 * Expected calibration error (L1, 15 equal-width bins) of top-1 predictions.
 * `confidences` (N,) are max softmax probabilities, `correct` (N,) whether top-1 was right.
 */
export function expectedCalibrationError(confidences: ArrayLike<number>, correct: ArrayLike<boolean | number>, bins = ECE_BINS): number {
  const acc = createEceBins(bins);
  for (let i = 0; i < confidences.length; i++) addToEceBins(acc, confidences[i], Boolean(correct[i]));
  return eceFromBins(acc);
}
