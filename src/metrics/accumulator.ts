import { ZeroshiftError } from '../errors.js';
import { probabilitiesRow, type ScoringRule } from '../model/scoring.js';
import { finishReport, type MetricsReport } from './report.js';
import { topKRowInto } from './topK.js';
import { addItem, createMetricsState } from './update.js';

/** Per-item output: the top-5 classes (best first) and their probabilities under the model's scoring rule. */
export interface ItemPrediction {
  top: number[];
  scores: number[];
}

export interface MetricsAccumulator {
  /**
   * Scores one item: `cosRow` (C,) cosine similarities, `label` its true class,
   * `acceptable` optional acceptable classes (replaces pred === label). Returns the prediction
   * and whether its top-1 class is correct.
   */
  add(cosRow: Float32Array, label: number, acceptable?: ReadonlySet<number> | readonly number[]): ItemPrediction & { correct: boolean };
  /** Items added so far. */
  readonly count: number;
  /** The report; same as computeMetrics on all added rows. Throws when nothing was added. */
  finish(classNames?: readonly string[]): MetricsReport;
}

/** A scoring rule, or a bare CLIP logit scale (softmax over scale · cos). */
export type ScoringInput = ScoringRule | number;

/** The rule a `ScoringInput` stands for. */
export function scoringRuleOf(scoring: ScoringInput): ScoringRule {
  return typeof scoring === 'number' ? { rule: 'softmax', scale: scoring, bias: 0 } : scoring;
}

/**
 * Top-5 classes of one (C,) cosine row and their probabilities under the model's scoring rule
 * (a number means CLIP's softmax over scale · cos). Fewer than 5 entries when C < 5.
 */
export function predictItem(cosRow: Float32Array, scoring: ScoringInput, k = 5): ItemPrediction {
  const c = cosRow.length;
  const kk = Math.min(k, c);
  const idx = new Int32Array(kk);
  topKRowInto(cosRow, 0, c, kk, idx, new Float32Array(kk), 0);
  const probs = probabilitiesRow(cosRow, scoringRuleOf(scoring));
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
export function createMetricsAccumulator(c: number, scoring: ScoringInput, numLabelClasses = c): MetricsAccumulator {
  const state = createMetricsState(c, numLabelClasses);
  const rule = scoringRuleOf(scoring);
  return {
    add(cosRow, label, acceptable) {
      if (cosRow.length !== c) throw new ZeroshiftError('INTERNAL', `metrics accumulator: row has ${cosRow.length} classes, expected ${c}`);
      const p = predictItem(cosRow, rule);
      const correct = addItem(state, label, p.top, p.scores[0], (j) => (acceptable ? isAcceptable(acceptable, j) : j === label));
      return { ...p, correct };
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
