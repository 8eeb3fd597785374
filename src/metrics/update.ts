import { addToEceBins, createEceBins } from './calibration.js';
import { addToTally, createClassTally } from './classwise.js';
import { createConfusion, keepsConfusion, type MetricsState } from './report.js';

/**
 * Empty running metrics over `c` scored classes and `numLabelClasses` true classes (the
 * dataset's own classes when labels map many-to-one onto the scored ones).
 */
export function createMetricsState(c: number, numLabelClasses = c): MetricsState {
  return {
    n: 0, c, correct1: 0, correct5: c >= 5 ? 0 : undefined,
    tally: createClassTally(numLabelClasses, c), bins: createEceBins(),
    confusion: keepsConfusion(c, numLabelClasses) ? createConfusion(c) : null,
  };
}

/**
 * THE per-item metrics update, shared by the streaming accumulator, the whole-block
 * `computeMetrics` and the rebuild from stored predictions (merge), so all three produce the
 * same report from the same items.
 * @param top the item's best scored classes, best first (top-5, fewer when C < 5)
 * @param confidence the top-1 class's probability under the model's scoring rule
 * @param ok whether predicting a class is correct for this item
 * @returns whether the top-1 prediction is correct
 */
export function addItem(state: MetricsState, label: number, top: ArrayLike<number>, confidence: number, ok: (pred: number) => boolean): boolean {
  const pred = top[0];
  const correct = ok(pred);
  if (correct) state.correct1++;
  if (state.correct5 !== undefined && someCorrect(top, ok)) state.correct5++;
  addToTally(state.tally, label, pred, correct);
  addToEceBins(state.bins, confidence, correct);
  if (state.confusion) state.confusion[label][pred]++;
  state.n++;
  return correct;
}

function someCorrect(top: ArrayLike<number>, ok: (pred: number) => boolean): boolean {
  for (let j = 0; j < top.length; j++) if (ok(top[j])) return true;
  return false;
}
