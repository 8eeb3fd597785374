import { ZeroshiftError } from '../errors.js';
import { countCorrectInTop } from './accuracy.js';
import { addToEceBins, createEceBins } from './calibration.js';
import { addToTally, createClassTally } from './classwise.js';
import { acceptableSetsRule, labelRule, type IsCorrect } from './correctness.js';
import { createConfusion, finishReport, keepsConfusion, type MetricsReport, type MetricsState } from './report.js';
import { softmaxRow } from './softmax.js';
import { topK } from './topK.js';

export interface MetricsInput {
  /**
   * (N, C) row-major COSINE similarities between L2-normalised image and class embeddings,
   * not yet multiplied by the logit scale. Ranking (top-k) uses them as they are; softmax
   * probabilities (ECE) use logitScale · cosine, as CLIP's logits do.
   */
  logits: Float32Array;
  n: number;
  c: number;
  /** (N,) true class per sample, in [0, numLabelClasses). */
  labels: Int32Array;
  /** CLIP's exp(logit_scale), e.g. 100. */
  logitScale: number;
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
  const { logits, n, c, labels, logitScale } = input;
  const labelClasses = input.numLabelClasses ?? c;
  const rule = correctnessRule(input);
  const top = topK(logits, n, c, 5);
  const state: MetricsState = {
    n,
    c,
    correct1: countCorrectInTop(top.indices, n, top.k, 1, rule),
    correct5: c >= 5 ? countCorrectInTop(top.indices, n, top.k, 5, rule) : undefined,
    tally: createClassTally(labelClasses, c),
    bins: createEceBins(),
    confusion: keepsConfusion(c, labelClasses) ? createConfusion(c) : null,
  };
  for (let i = 0; i < n; i++) {
    const pred = top.indices[i * top.k];
    const correct = rule(pred, i);
    addToTally(state.tally, labels[i], pred, correct);
    addToEceBins(state.bins, softmaxRow(logits, logitScale, i * c, c)[pred], correct);
    if (state.confusion) state.confusion[labels[i]][pred]++;
  }
  return finishReport(state, input.classNames);
}
