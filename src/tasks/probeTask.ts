import { ZeroshiftError } from '../errors.js';
import type { Dataset } from '../datasets/types.js';
import { clopperPearson } from '../metrics/clopperPearson.js';
import { meanPerClassRecall } from '../metrics/classwise.js';
import { macroF1 } from '../metrics/groups.js';
import { decisionScores, type LinearModel } from '../probe/logisticRegression.js';
import { trainProbe, type ProbeFit } from '../probe/sweep.js';
import type { ProbeMetrics } from '../results/tasks/linearProbe.js';
import type { EmbeddedSet } from '../embed/collect.js';

export interface TrainedProbe {
  fit: ProbeFit;
  train: EmbeddedSet;
  classNames: string[];
}

/** Fits the probe on the embedded train split with the CLIP-paper protocol (src/probe/sweep.ts). */
export async function fitProbe(train: Dataset, set: EmbeddedSet, o: { seed: number; fewshotK?: number; onFit?: (c: number, acc: number) => void; signal?: AbortSignal }): Promise<TrainedProbe> {
  if (train.captioned || train.classNames.length < 2) {
    throw new ZeroshiftError('DATASET', `linear probe: the train dataset ${train.spec} needs labels of at least 2 classes`);
  }
  const fit = await trainProbe({ x: set.x, y: set.labels, dim: set.dim }, { numClasses: train.classNames.length, seed: o.seed, fewshotK: o.fewshotK, onFit: o.onFit, signal: o.signal });
  return { fit, train: set, classNames: train.classNames };
}

/** Per-item top-1 (and top-5 when K ≥ 5) of the probe on embedded items. */
export function probePredictions(model: LinearModel, set: Pick<EmbeddedSet, 'x' | 'labels'>): { pred: Int32Array; correct5: boolean[] | null } {
  const k = model.numClasses;
  const s = decisionScores(model, set.x);
  const n = set.labels.length;
  const pred = new Int32Array(n);
  const correct5: boolean[] | null = k >= 5 ? [] : null;
  for (let i = 0; i < n; i++) {
    let best = 0;
    let higher = 0;
    const row = i * k;
    for (let j = 1; j < k; j++) if (s[row + j] > s[row + best]) best = j;
    pred[i] = best;
    if (correct5) {
      // Rank of the true class: classes scoring higher, ties to the lower index (as zero-shot top-k).
      const y = set.labels[i];
      for (let j = 0; j < k; j++) if (s[row + j] > s[row + y] || (s[row + j] === s[row + y] && j < y)) higher++;
      correct5.push(higher < 5);
    }
  }
  return { pred, correct5 };
}

/** Probe metrics on a labelled set whose class list matches the train split's. */
export function probeMetrics(model: LinearModel, set: Pick<EmbeddedSet, 'x' | 'labels'>, datasetSpec: string): { metrics: ProbeMetrics; pred: Int32Array; correct5: boolean[] | null } {
  const n = set.labels.length;
  if (n === 0) throw new ZeroshiftError('DATASET', `${datasetSpec}: no item could be embedded for the probe`);
  const { pred, correct5 } = probePredictions(model, set);
  let c1 = 0;
  for (let i = 0; i < n; i++) if (pred[i] === set.labels[i]) c1++;
  const metrics: ProbeMetrics = {
    n,
    acc1: c1 / n,
    acc1Ci: clopperPearson(c1, n),
    meanPerClassRecall: meanPerClassRecall(set.labels, pred, model.numClasses).value,
    macroF1: macroF1(set.labels, pred),
  };
  if (correct5) {
    const c5 = correct5.filter(Boolean).length;
    metrics.acc5 = c5 / n;
    metrics.acc5Ci = clopperPearson(c5, n);
  }
  return { metrics, pred, correct5 };
}
