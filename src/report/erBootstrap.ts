import { lnGamma } from '../metrics/special.js';
import { createRng, type Rng } from '../util/rng.js';
import { fitXY, fromAxis, toAxis, type AccuracyPoint, type AxisTransform, type LogitLine } from './effectiveRobustness.js';

/**
 * Uncertainty of effective robustness by the percentile bootstrap. Each replicate resamples the
 * baseline models with replacement and refits the line; for a model's ER it also resamples the
 * model's ID and OOD test items with replacement, which draws its correct counts from
 * Binomial(n, acc) (exactly what resampling n items of which k are correct gives). Replicates
 * whose resampled baseline has a single distinct ID accuracy define no line and are skipped.
 * Seeded: the same inputs and seed give the same interval on every run.
 */

export interface BootstrapOptions {
  transform: AxisTransform;
  /** Replicates (default 1000). */
  replicates?: number;
  /** Seed; the caller mixes in what identifies the quantity so order never matters. */
  seed: number | string;
}

export const DEFAULT_REPLICATES = 1000;

/** Per-replicate refits of the baseline line (skipping degenerate resamples). */
export function bootstrapLines(baseline: readonly AccuracyPoint[], options: BootstrapOptions, rng: Rng = createRng(options.seed)): LogitLine[] {
  const t = options.transform;
  const xs = baseline.map((p) => toAxis(p.id, t, p.nId));
  const ys = baseline.map((p) => toAxis(p.ood, t, p.nOod));
  const lines: LogitLine[] = [];
  const k = baseline.length;
  for (let b = 0; b < (options.replicates ?? DEFAULT_REPLICATES); b++) {
    const bx = new Array<number>(k);
    const by = new Array<number>(k);
    for (let i = 0; i < k; i++) {
      const j = rng.int(0, k - 1);
      bx[i] = xs[j];
      by[i] = ys[j];
    }
    const line = tryFit(bx, by, t);
    if (line) lines.push(line);
  }
  return lines;
}

function tryFit(xs: number[], ys: number[], t: AxisTransform): LogitLine | null {
  const x0 = xs[0];
  if (xs.length < 2 || xs.every((x) => x === x0)) return null;
  return fitXY(xs, ys, t);
}

/**
 * Bootstrap replicates of one model's ER (fractions): baseline models and the model's test items
 * resampled together in each replicate. The point needs `nId` and `nOod` for item resampling;
 * without them only the baseline is resampled.
 */
export function bootstrapErReplicates(baseline: readonly AccuracyPoint[], point: AccuracyPoint, options: BootstrapOptions): number[] {
  const rng = createRng(options.seed);
  return erReplicates(bootstrapLines(baseline, options, rng), point, options.transform, rng);
}

/** ER of `point` against each bootstrap line, with the point's items resampled once per line. */
export function erReplicates(lines: readonly LogitLine[], point: AccuracyPoint, t: AxisTransform, rng: Rng): number[] {
  return lines.map((line) => {
    const id = point.nId ? binomial(rng, point.nId, point.id) / point.nId : point.id;
    const ood = point.nOod ? binomial(rng, point.nOod, point.ood) / point.nOod : point.ood;
    return ood - fromAxis(line.slope * toAxis(id, t, point.nId) + line.intercept, t);
  });
}

/** 95 % percentile interval of replicates (sorted in place); null when there are none. */
export function percentileCi(replicates: number[]): [number, number] | null {
  const s = replicates.sort((a, b) => a - b);
  return s.length ? [quantile(s, 0.025), quantile(s, 0.975)] : null;
}

/** 95 % percentile interval of a model's ER; null when no replicate defined a line. */
export function bootstrapErCi(baseline: readonly AccuracyPoint[], point: AccuracyPoint, options: BootstrapOptions): [number, number] | null {
  return percentileCi(bootstrapErReplicates(baseline, point, options));
}

/** Pointwise 95 % band of the fitted line, in axis units, at each `grid` x (axis units). */
export interface FitBand {
  x: number[];
  low: number[];
  high: number[];
}

export function bootstrapBand(baseline: readonly AccuracyPoint[], grid: readonly number[], options: BootstrapOptions): FitBand | null {
  return bandOf(bootstrapLines(baseline, options), grid);
}

/** The band traced by already-drawn bootstrap lines. */
export function bandOf(lines: readonly LogitLine[], grid: readonly number[]): FitBand | null {
  if (lines.length === 0) return null;
  const low: number[] = [];
  const high: number[] = [];
  for (const x of grid) {
    const ys = lines.map((l) => l.slope * x + l.intercept).sort((a, b) => a - b);
    low.push(quantile(ys, 0.025));
    high.push(quantile(ys, 0.975));
  }
  return { x: [...grid], low, high };
}

/** Quantile of sorted values with linear interpolation between order statistics (NumPy's default). */
export function quantile(sorted: readonly number[], q: number): number {
  const h = (sorted.length - 1) * q;
  const lo = Math.floor(h);
  const hi = Math.min(sorted.length - 1, lo + 1);
  return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
}

/**
 * A Binomial(n, p) draw by exact inversion, searching outward from the mode (O(√n) steps), so
 * a 50,000-item test set costs a few hundred steps rather than 50,000 coin flips.
 */
export function binomial(rng: Rng, n: number, p: number): number {
  if (p <= 0) return 0;
  if (p >= 1) return n;
  const mode = Math.min(n, Math.floor((n + 1) * p));
  const logPmf = lnChoose(n, mode) + mode * Math.log(p) + (n - mode) * Math.log1p(-p);
  let u = rng.next();
  const pm = Math.exp(logPmf);
  if (u < pm) return mode;
  u -= pm;
  let lo = mode;
  let hi = mode;
  let pLo = pm;
  let pHi = pm;
  const ratio = p / (1 - p);
  while (lo > 0 || hi < n) {
    if (lo > 0) {
      pLo *= lo / (n - lo + 1) / ratio;
      lo--;
      if (u < pLo) return lo;
      u -= pLo;
    }
    if (hi < n) {
      pHi *= ((n - hi) / (hi + 1)) * ratio;
      hi++;
      if (u < pHi) return hi;
      u -= pHi;
    }
  }
  return mode; // rounding left u just above the total mass
}

function lnChoose(n: number, k: number): number {
  return lnGamma(n + 1) - lnGamma(k + 1) - lnGamma(n - k + 1);
}
