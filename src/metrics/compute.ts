import { ZeroshiftError } from '../errors.js';
import { probabilitiesRow } from '../model/scoring.js';
import { scoringRuleOf, type ScoringInput } from './accumulator.js';
import { acceptableSetsRule, labelRule, type IsCorrect } from './correctness.js';
import { finishReport, type MetricsReport } from './report.js';
import { topK } from './topK.js';
import { addItem, createMetricsState } from './update.js';

export interface MetricsInput {
  /**
   * (N, C) row-major COSINE similarities between L2-normalised image and class embeddings,
   * not yet multiplied by the logit scale. Ranking (top-k) uses them as they are;
   * probabilities (ECE) follow the model's scoring rule (`logitScale`).
   */
  logits: Float32Array;
  n: number;
  c: number;
  /** (N,) true class per sample, in [0, numLabelClasses). */
  labels: Int32Array;
  /** The model's scoring rule, or CLIP's exp(logit_scale) (e.g. 100) for softmax over scale · cos. */
  logitScale: ScoringInput;
  classNames?: readonly string[];
  /** Per-sample acceptable predicted classes (ObjectNet rule); overrides pred === label. */
  acceptable?: ReadonlyArray<ReadonlySet<number> | readonly number[]>;
  /** A correctness rule; overrides `acceptable` and pred === label. */
  isCorrect?: IsCorrect;
  /** Size of the true-class space when it differs from C (with `acceptable`/`isCorrect`). */
  numLabelClasses?: number;
}

function correctnessRule(input: MetricsInput): IsCorrect {
  if (input.isCorrect) return input.isCorrect;
  if (input.acceptable) return acceptableSetsRule(input.acceptable);
  return labelRule(input.labels);
}

function checkInput(input: MetricsInput): void {
  const { logits, n, c, labels } = input;
  if (n < 1) throw new ZeroshiftError('INPUT', 'computeMetrics: no items to score (n = 0)');
  if (logits.length !== n * c) {
    throw new ZeroshiftError('INTERNAL', `computeMetrics: logits has ${logits.length} values, expected n·c = ${n}·${c}`);
  }
  if (labels.length !== n) throw new ZeroshiftError('INTERNAL', `computeMetrics: ${labels.length} labels for ${n} rows`);
  if (input.acceptable && input.acceptable.length !== n) {
    throw new ZeroshiftError('INTERNAL', `computeMetrics: ${input.acceptable.length} acceptable sets for ${n} rows`);
  }
}

/**
 * acc1/acc5 with exact 95 % intervals, mean per-class recall, ECE, per-class accuracy and
 * the confusion matrix, from a whole (N, C) block of cosine similarities. Same output as
 * feeding the rows one by one to `createMetricsAccumulator`.
 */
export function computeMetrics(input: MetricsInput): MetricsReport {
  checkInput(input);
  const { logits, n, c, labels } = input;
  const scoring = scoringRuleOf(input.logitScale);
  const rule = correctnessRule(input);
  const top = topK(logits, n, c, 5);
  const state = createMetricsState(c, input.numLabelClasses ?? c);
  for (let i = 0; i < n; i++) {
    const row = top.indices.subarray(i * top.k, (i + 1) * top.k);
    const confidence = probabilitiesRow(logits, scoring, i * c, c)[row[0]];
    addItem(state, labels[i], row, confidence, (pred) => rule(pred, i));
  }
  return finishReport(state, input.classNames);
}
