import type { Metrics } from './schema.js';
import { clopperPearson } from './clopperPearson.js';
import { eceFromBins, type EceBins } from './calibration.js';
import { meanRecallFromTally, perClassFromTally, type ClassTally, type PerClassRecord } from './classwise.js';

/** Confusion matrices are kept only up to this many classes (the result schema's rule). */
export const MAX_CONFUSION_CLASSES = 100;

/** Everything the result file needs from the scores: `metrics`, `perClass`, `confusion`. */
export interface MetricsReport {
  metrics: Metrics;
  perClass: PerClassRecord[];
  /** (C, C) counts, rows = true class; null when C > 100 or the label space differs from C. */
  confusion: number[][] | null;
  /** Classes predicted top-1 that have no samples (sklearn warns about these). */
  predictedWithoutSamples: number[];
}

/** The running state both computeMetrics and the streaming accumulator reduce to. */
export interface MetricsState {
  n: number;
  c: number;
  correct1: number;
  /** Top-5 correct count, or undefined when C < 5. */
  correct5: number | undefined;
  tally: ClassTally;
  bins: EceBins;
  confusion: number[][] | null;
}

/** Whether a confusion matrix is kept for `c` prediction classes and `labelClasses` true classes. */
export function keepsConfusion(c: number, labelClasses: number): boolean {
  return c <= MAX_CONFUSION_CLASSES && labelClasses === c;
}

export function createConfusion(c: number): number[][] {
  return Array.from({ length: c }, () => new Array<number>(c).fill(0));
}

/** Turns the reduced state into the report; fractions are plain ratios of the counts. */
export function finishReport(s: MetricsState, classNames?: readonly string[]): MetricsReport {
  const recall = meanRecallFromTally(s.tally);
  const metrics: Metrics = {
    n: s.n,
    acc1: s.correct1 / s.n,
    acc1Ci: clopperPearson(s.correct1, s.n),
    meanPerClassRecall: recall.value,
    ece: eceFromBins(s.bins),
  };
  if (s.correct5 !== undefined) {
    metrics.acc5 = s.correct5 / s.n;
    metrics.acc5Ci = clopperPearson(s.correct5, s.n);
  }
  return {
    metrics,
    perClass: perClassFromTally(s.tally, classNames),
    confusion: s.confusion,
    predictedWithoutSamples: recall.predictedWithoutSamples,
  };
}
