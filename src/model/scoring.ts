/**
 * How a model turns image–text cosines into logits and probabilities.
 *
 * CLIP trains with a softmax over `scale · cos` (its `logit_scale` weight is stored as a log and
 * exponentiated; 100 for the released checkpoints). SigLIP trains each image–text pair as an
 * independent binary decision, so its probabilities are `sigmoid(scale · cos + bias)` per class
 * and do not sum to one. Arg-max predictions are the same under both rules (both are monotone in
 * cos); probabilities, calibration and anything that shows a confidence are not.
 */
export type ScoringRuleName = 'softmax' | 'sigmoid';

export interface ScoringRule {
  rule: ScoringRuleName;
  /** Multiplier on the cosine, already exponentiated (CLIP: exp(logit_scale) = 100). */
  scale: number;
  /** Added after scaling (SigLIP's logit_bias; 0 for CLIP). */
  bias: number;
}

/** CLIP's rule when a model says nothing else: softmax over 100 · cos. */
export const DEFAULT_SCORING: ScoringRule = { rule: 'softmax', scale: 100, bias: 0 };

/**
 * Logits `scale · cos + bias` of one row.
 * @param cos (C,) cosines, read from `offset`
 * @returns (C,) float64 logits
 */
export function logitsRow(cos: ArrayLike<number>, scoring: ScoringRule, offset = 0, c = cos.length - offset): Float64Array {
  const out = new Float64Array(c);
  for (let j = 0; j < c; j++) out[j] = scoring.scale * cos[offset + j] + scoring.bias;
  return out;
}

/**
 * Class probabilities of one row under the model's rule: softmax over the row (summing to 1),
 * or an independent sigmoid per class. Float64, numerically stable (the row maximum is
 * subtracted before exponentiating; the sigmoid uses the form that never overflows).
 * @param cos (C,) cosines, read from `offset`
 * @returns (C,) float64 probabilities
 */
export function probabilitiesRow(cos: ArrayLike<number>, scoring: ScoringRule, offset = 0, c = cos.length - offset): Float64Array {
  const out = logitsRow(cos, scoring, offset, c);
  if (scoring.rule === 'sigmoid') {
    for (let j = 0; j < c; j++) out[j] = sigmoid(out[j]);
    return out;
  }
  let max = -Infinity;
  for (let j = 0; j < c; j++) max = Math.max(max, out[j]);
  let sum = 0;
  for (let j = 0; j < c; j++) {
    const e = Math.exp(out[j] - max);
    out[j] = e;
    sum += e;
  }
  for (let j = 0; j < c; j++) out[j] /= sum;
  return out;
}

/**
 * Row-wise probabilities of (N, C) row-major cosines under the model's rule.
 * @returns (N, C) float64
 */
export function probabilities(cos: ArrayLike<number>, n: number, c: number, scoring: ScoringRule): Float64Array {
  const out = new Float64Array(n * c);
  for (let i = 0; i < n; i++) out.set(probabilitiesRow(cos, scoring, i * c, c), i * c);
  return out;
}

function sigmoid(x: number): number {
  if (x >= 0) return 1 / (1 + Math.exp(-x));
  const e = Math.exp(x);
  return e / (1 + e);
}
