import { ZeroshiftError } from '../errors.js';
import { addToEceBins, createEceBins } from './calibration.js';
import { addToTally, createClassTally } from './classwise.js';
import { createConfusion, finishReport, keepsConfusion, type MetricsReport, type MetricsState } from './report.js';
import { softmaxRow } from './softmax.js';
import { topKRowInto } from './topK.js';

/** Per-item output: the top-5 classes (best first) and their softmax probabilities. */
export interface ItemPrediction {
  top: number[];
  scores: number[];
}

export interface MetricsAccumulator {
  /**
   * Scores one item: `cosRow` (C,) cosine similarities, `label` its true class,
   * `acceptable` optional acceptable classes (replaces pred === label).
   */
  add(cosRow: Float32Array, label: number, acceptable?: ReadonlySet<number> | readonly number[]): ItemPrediction;
  /** Items added so far. */
  readonly count: number;
  /** The report; same as computeMetrics on all added rows. Throws when nothing was added. */
  finish(classNames?: readonly string[]): MetricsReport;
}

/**
 * Top-5 classes of one (C,) cosine row and their probabilities under softmax(scale · cos).
 * Fewer than 5 entries when C < 5.
 */
export function predictItem(cosRow: Float32Array, logitScale: number, k = 5): ItemPrediction {
  const c = cosRow.length;
  const kk = Math.min(k, c);
  const idx = new Int32Array(kk);
  topKRowInto(cosRow, 0, c, kk, idx, new Float32Array(kk), 0);
  const probs = softmaxRow(cosRow, logitScale);
  const top = Array.from(idx);
  return { top, scores: top.map((j) => probs[j]) };
}

function isAcceptable(acceptable: ReadonlySet<number> | readonly number[], pred: number): boolean {
  return acceptable instanceof Set ? acceptable.has(pred) : (acceptable as readonly number[]).includes(pred);
}

/**
 * Streaming metrics over C classes: memory is O(C + bins) (plus C² for the confusion
 * matrix when C ≤ 100), whatever the number of items. `numLabelClasses` sizes the
 * true-class space when it differs from C (acceptable-set datasets).
 */
export function createMetricsAccumulator(c: number, logitScale: number, numLabelClasses = c): MetricsAccumulator {
  const state: MetricsState = {
    n: 0, c, correct1: 0, correct5: c >= 5 ? 0 : undefined,
    tally: createClassTally(numLabelClasses, c), bins: createEceBins(),
    confusion: keepsConfusion(c, numLabelClasses) ? createConfusion(c) : null,
  };
  return {
    add(cosRow, label, acceptable) {
      if (cosRow.length !== c) throw new ZeroshiftError('INTERNAL', `metrics accumulator: row has ${cosRow.length} classes, expected ${c}`);
      const p = predictItem(cosRow, logitScale);
      const ok = (j: number): boolean => (acceptable ? isAcceptable(acceptable, j) : j === label);
      const pred = p.top[0];
      const correct = ok(pred);
      if (correct) state.correct1++;
      if (state.correct5 !== undefined && p.top.some(ok)) state.correct5++;
      addToTally(state.tally, label, pred, correct);
      addToEceBins(state.bins, p.scores[0], correct);
      if (state.confusion) state.confusion[label][pred]++;
      state.n++;
      return p;
    },
    get count() {
      return state.n;
    },
    finish(classNames) {
      if (state.n === 0) throw new ZeroshiftError('INPUT', 'metrics accumulator: no items to score (n = 0)');
      return finishReport(state, classNames);
    },
  };
}
