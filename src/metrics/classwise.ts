import { ZeroshiftError } from '../errors.js';

/** Per-class counts gathered from top-1 predictions. */
export interface ClassTally {
  /** (L,) samples per true class. */
  n: Int32Array;
  /** (L,) correct top-1 predictions per true class. */
  correct: Int32Array;
  /** (C,) top-1 predictions per predicted class. */
  predicted: Int32Array;
}

export interface PerClassRecord {
  index: number;
  name: string;
  n: number;
  correct: number;
  /** null when the class has no samples. */
  accuracy: number | null;
}

export interface MeanRecall {
  /** Mean recall over classes with at least one sample (NaN when there are none). */
  value: number;
  /** Classes that were predicted but have no samples: sklearn warns about these and skips them. */
  predictedWithoutSamples: number[];
}

export function createClassTally(numLabelClasses: number, numPredClasses = numLabelClasses): ClassTally {
  return { n: new Int32Array(numLabelClasses), correct: new Int32Array(numLabelClasses), predicted: new Int32Array(numPredClasses) };
}

/** Records one sample: true class `label`, top-1 prediction `pred`, and whether it counted as correct. */
export function addToTally(t: ClassTally, label: number, pred: number, correct: boolean): void {
  if (!(label >= 0 && label < t.n.length)) {
    throw new ZeroshiftError('INTERNAL', `label ${label} is outside the ${t.n.length} classes`);
  }
  t.n[label]++;
  t.predicted[pred]++;
  if (correct) t.correct[label]++;
}

/** Tally of `labels` (N,) against top-1 predictions `preds` (N,); correct means pred === label. */
export function tallyPredictions(labels: Int32Array, preds: Int32Array, numClasses: number): ClassTally {
  const t = createClassTally(numClasses);
  for (let i = 0; i < labels.length; i++) addToTally(t, labels[i], preds[i], preds[i] === labels[i]);
  return t;
}

/** Per-class sample count, correct count and accuracy (null without samples). */
export function perClassFromTally(t: ClassTally, classNames?: readonly string[]): PerClassRecord[] {
  return Array.from(t.n, (n, index) => ({
    index,
    name: classNames?.[index] ?? String(index),
    n,
    correct: t.correct[index],
    accuracy: n === 0 ? null : t.correct[index] / n,
  }));
}

/**
 * Mean per-class recall with sklearn `balanced_accuracy_score` semantics (what
 * CLIP_benchmark reports): classes without samples are left out of the mean, whether or
 * not they were predicted; predicted-but-absent classes are listed so callers can warn
 * as sklearn does ("y_pred contains classes not in y_true").
 */
export function meanRecallFromTally(t: ClassTally): MeanRecall {
  let sum = 0;
  let used = 0;
  for (let k = 0; k < t.n.length; k++) {
    if (t.n[k] === 0) continue;
    sum += t.correct[k] / t.n[k];
    used++;
  }
  const predictedWithoutSamples: number[] = [];
  for (let k = 0; k < t.predicted.length; k++) {
    if (t.predicted[k] > 0 && (k >= t.n.length || t.n[k] === 0)) predictedWithoutSamples.push(k);
  }
  return { value: used === 0 ? NaN : sum / used, predictedWithoutSamples };
}

/** Balanced accuracy of top-1 predictions `preds` (N,) against `labels` (N,). */
export function meanPerClassRecall(labels: Int32Array, preds: Int32Array, numClasses: number): MeanRecall {
  return meanRecallFromTally(tallyPredictions(labels, preds, numClasses));
}

/** (C, C) confusion counts of top-1 predictions, rows = true class, columns = predicted. */
export function confusionMatrix(labels: Int32Array, preds: Int32Array, numClasses: number): number[][] {
  const m = Array.from({ length: numClasses }, () => new Array<number>(numClasses).fill(0));
  for (let i = 0; i < labels.length; i++) m[labels[i]][preds[i]]++;
  return m;
}
