import { ZeroshiftError } from '../errors.js';
import { finishReport, type MetricsReport, type MetricsState } from './report.js';
import { addItem, createMetricsState } from './update.js';

/** What a stored per-item prediction holds: its label, top-5 classes (best first) and their probabilities. */
export interface StoredPrediction {
  label: number;
  top: readonly number[];
  scores: readonly number[];
}

export interface FromPredictionsOptions {
  /** Classes scored (C). */
  numClasses: number;
  /** True-class space when it differs from C (acceptable-set datasets); default C. */
  numLabelClasses?: number;
  /** Acceptable predicted classes of a label (replaces pred === label). */
  acceptable?: (label: number) => readonly number[];
  classNames?: readonly string[];
}

/**
 * Rebuilds the metrics report from stored predictions: the same state updates as the
 * streaming accumulator, fed the same values (top-1 class, top-5 list, top-1 probability)
 * in the same order, so the report is identical to the one the accumulator produced over
 * those items. This is how merged shard results recompute exact metrics.
 */
export function metricsFromPredictions(predictions: Iterable<StoredPrediction>, o: FromPredictionsOptions): MetricsReport {
  const state = createMetricsState(o.numClasses, o.numLabelClasses ?? o.numClasses);
  for (const p of predictions) addStored(state, p, o.acceptable?.(p.label));
  if (state.n === 0) throw new ZeroshiftError('INPUT', 'metrics from predictions: no items to score (n = 0)');
  return finishReport(state, o.classNames);
}

function addStored(state: MetricsState, p: StoredPrediction, acceptable: readonly number[] | undefined): void {
  const pred = p.top[0];
  const confidence = p.scores[0];
  if (pred === undefined || confidence === undefined || !Number.isInteger(pred) || pred < 0 || pred >= state.c) {
    throw new ZeroshiftError('INPUT', `prediction #${state.n} (label ${p.label}) has no valid top-1 class in 0..${state.c - 1}: top = [${p.top.join(', ')}]`);
  }
  if (!Number.isInteger(p.label) || p.label < 0 || p.label >= state.tally.n.length) {
    throw new ZeroshiftError('INPUT', `prediction #${state.n}: label ${p.label} is outside 0..${state.tally.n.length - 1}`);
  }
  addItem(state, p.label, p.top, confidence, (j) => (acceptable ? acceptable.includes(j) : j === p.label));
}
