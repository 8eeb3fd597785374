import { ZeroshiftError } from '../errors.js';
import { createRng } from '../util/rng.js';
import { decisionScores, fitLogisticRegression, type LinearModel, type ProbeData } from './logisticRegression.js';

/**
 * The linear-probe protocol of the CLIP paper (Radford et al., 2021, appendix A.3): L-BFGS
 * logistic regression, the L2 strength chosen by a sweep on a validation split, then refit.
 * The search is CLIP_benchmark's parametric one (metrics/linear_probe.py `find_peak`,
 * restated) over C = 1/λ instead of weight decay: a 97-point grid, log-spaced over
 * [1e-6, 1e6] (1/8 decade apart); first every 16th point (7 values), then around the best
 * so far with spans of 8, 4, 2 and 1 grid steps, each time trying [left, peak, right] and
 * keeping the first with the highest validation top-1 (strictly greater replaces).
 * Without few-shot the final probe is refit on train + validation, with few-shot on the
 * k-shot set only (as CLIP_benchmark).
 */

export const C_GRID: readonly number[] = Array.from({ length: 97 }, (_, i) => 10 ** (-6 + (12 * i) / 96));
const INITIAL = [0, 16, 32, 48, 64, 80, 96];

export interface ProbeOptions {
  numClasses: number;
  seed: number | string;
  /** Fraction of each class carved from train for validation (default 0.2). */
  valFraction?: number;
  /** k training items per class (few-shot); undefined = all of the train part. */
  fewshotK?: number;
  tol?: number;
  maxIter?: number;
  /** Called after each validation fit, for progress. */
  onFit?: (c: number, valAcc1: number) => void;
  /** Ctrl-C: checked before each fit (the sweep yields to the event loop between fits, so the signal can fire). */
  signal?: AbortSignal;
}

export interface ProbeFit {
  model: LinearModel;
  c: number;
  /** Validation top-1 for every C tried, in the order tried. */
  sweep: { c: number; valAcc1: number }[];
  nTrain: number;
  nVal: number;
  /** Items the final fit used. */
  nFit: number;
}

function shuffled(n: number, rng: ReturnType<typeof createRng>): Int32Array {
  const a = Int32Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = rng.int(0, i);
    [a[i], a[j]] = [a[j], a[i]];
  }
  return a;
}

/**
 * Seeded, stratified split of item indices: from each class, round(fraction · count) items
 * (at least 1 when the class has 2 or more) go to validation. `train` keeps the shuffled order,
 * so the first k of each class in it are the few-shot set.
 */
export function carveValidation(y: Int32Array, numClasses: number, fraction: number, seed: number | string): { train: Int32Array; val: Int32Array } {
  const order = shuffled(y.length, createRng(`probe-split:${seed}`));
  const count = new Int32Array(numClasses);
  for (const v of y) count[v]++;
  const take = Array.from(count, (c) => (c >= 2 ? Math.max(1, Math.round(fraction * c)) : 0));
  const taken = new Int32Array(numClasses);
  const train: number[] = [];
  const val: number[] = [];
  for (const i of order) {
    const label = y[i];
    if (taken[label] < take[label]) {
      taken[label]++;
      val.push(i);
    } else train.push(i);
  }
  return { train: Int32Array.from(train), val: Int32Array.from(val) };
}

/** The first k indices of each class in `order`; throws when a class has fewer than k. */
export function fewShot(order: Int32Array, y: Int32Array, numClasses: number, k: number): Int32Array {
  const got = new Int32Array(numClasses);
  const out: number[] = [];
  for (const i of order) if (got[y[i]] < k) { got[y[i]]++; out.push(i); }
  const short = Array.from(got).map((g, c) => [c, g] as const).filter(([, g]) => g < k);
  if (short.length > 0) {
    throw new ZeroshiftError('DATASET', `--fewshot-k ${k}: the train split has fewer than ${k} items for ${short.length} class(es) after carving validation, e.g. class ${short[0][0]} has ${short[0][1]}; use a smaller k`);
  }
  return Int32Array.from(out);
}

function subset(d: ProbeData, idx: Int32Array): ProbeData {
  const x = new Float32Array(idx.length * d.dim);
  const y = new Int32Array(idx.length);
  idx.forEach((i, r) => {
    x.set(d.x.subarray(i * d.dim, (i + 1) * d.dim), r * d.dim);
    y[r] = d.y[i];
  });
  return { x, y, dim: d.dim };
}

/** Top-1 accuracy of `model` on `d` (ties to the lower class index). */
export function probeAccuracy(model: LinearModel, d: ProbeData): number {
  const s = decisionScores(model, d.x);
  const k = model.numClasses;
  let correct = 0;
  for (let i = 0; i < d.y.length; i++) {
    let best = 0;
    for (let j = 1; j < k; j++) if (s[i * k + j] > s[i * k + best]) best = j;
    if (best === d.y[i]) correct++;
  }
  return correct / d.y.length;
}

/**
 * Runs the protocol above on training data `train` (N, D). Asynchronous only so that it yields
 * between fits: a sweep of a large train split is minutes of L-BFGS, during which a synchronous
 * loop would keep Ctrl-C from being seen. The numbers are those of the synchronous protocol.
 * @throws ZeroshiftError('INTERRUPTED') when `signal` aborts, before the next fit.
 */
export async function trainProbe(train: ProbeData, options: ProbeOptions): Promise<ProbeFit> {
  const k = options.numClasses;
  const split = carveValidation(train.y, k, options.valFraction ?? 0.2, options.seed);
  const fitIdx = options.fewshotK === undefined ? split.train : fewShot(split.train, train.y, k, options.fewshotK);
  if (split.val.length === 0) throw new ZeroshiftError('DATASET', `linear probe: the train split has too few items per class to carve a validation split (need ≥ 2 in some class)`);
  const fitData = subset(train, fitIdx);
  const valData = subset(train, split.val);
  const fitOpts = { numClasses: k, tol: options.tol, maxIter: options.maxIter };
  const tried = new Map<number, number>();
  const sweep: { c: number; valAcc1: number }[] = [];
  const beforeFit = async (): Promise<void> => {
    await new Promise<void>((resolve) => setImmediate(resolve));
    if (options.signal?.aborted) throw new ZeroshiftError('INTERRUPTED', `stopped during the linear probe's C sweep, after ${sweep.length} fit(s)`);
  };
  const evalAt = async (i: number): Promise<number> => {
    let acc = tried.get(i);
    if (acc === undefined) {
      await beforeFit();
      acc = probeAccuracy(fitLogisticRegression(fitData, { ...fitOpts, c: C_GRID[i] }).model, valData);
      tried.set(i, acc);
      sweep.push({ c: C_GRID[i], valAcc1: acc });
      options.onFit?.(C_GRID[i], acc);
    }
    return acc;
  };
  const peakOf = async (idxs: number[]): Promise<number> => {
    let best = idxs[0];
    let max = -1;
    for (const i of idxs) {
      const acc = await evalAt(i);
      if (acc > max) { max = acc; best = i; }
    }
    return best;
  };
  let peak = await peakOf(INITIAL);
  for (let span = 8; span > 0; span >>= 1) peak = await peakOf([Math.max(peak - span, 0), peak, Math.min(peak + span, C_GRID.length - 1)]);
  const c = C_GRID[peak];
  const finalIdx = options.fewshotK === undefined ? Int32Array.from([...split.train, ...split.val]) : fitIdx;
  await beforeFit();
  const model = fitLogisticRegression(subset(train, finalIdx), { ...fitOpts, c }).model;
  return { model, c, sweep, nTrain: split.train.length, nVal: split.val.length, nFit: finalIdx.length };
}
