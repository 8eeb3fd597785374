import { ZeroshiftError } from '../errors.js';
import { normalCdf, normalQuantile } from './normal.js';

/**
 * Effective robustness (Taori et al., 2020, "Measuring Robustness to Natural Distribution
 * Shifts in Image Classification"): how far a model's shifted accuracy sits above the line
 * that baseline models trace in logit (or probit, as imagenet-testbed plots) space. Pure
 * functions; accuracies are fractions in [0, 1].
 */

/** The axis scaling the baseline line is straight in: log-odds or the normal quantile. */
export type AxisTransform = 'logit' | 'probit';
export const AXIS_TRANSFORMS: readonly AxisTransform[] = ['logit', 'probit'];

/** One model's in-distribution and shifted accuracy (fractions) and test-set sizes for clipping. */
export interface AccuracyPoint {
  model: string;
  id: number;
  ood: number;
  /** Test-set sizes; when given, 0 and 1 are clipped to 0.5/n and 1 − 0.5/n before the logit. */
  nId?: number;
  nOod?: number;
}

/** The fitted baseline: t(ood) = slope · t(id) + intercept, t the logit or probit. */
export interface LogitLine {
  slope: number;
  intercept: number;
  /** Number of baseline points used. */
  count: number;
  /** Absent means logit (lines fitted before probit existed). */
  transform?: AxisTransform;
}

/** Fallback size when none is known: clipping then maps 0/1 to 0.5/n with n = 10 000 (the ImageNetV2 size). */
const DEFAULT_N = 10_000;

/**
 * Keeps an accuracy away from 0 and 1 so its logit is finite: values below 0.5/n become 0.5/n
 * and values above 1 − 0.5/n become 1 − 0.5/n (half a sample, the usual continuity rule).
 */
export function clipAccuracy(acc: number, n: number = DEFAULT_N): number {
  const eps = 0.5 / Math.max(1, n);
  return Math.min(1 - eps, Math.max(eps, acc));
}

/** log(p / (1 − p)) of a clipped accuracy. */
export function logit(p: number, n?: number): number {
  const q = clipAccuracy(p, n);
  return Math.log(q / (1 - q));
}

/** Inverse of the logit. */
export function sigmoid(z: number): number {
  return 1 / (1 + Math.exp(-z));
}

/** Φ⁻¹ of a clipped accuracy (the probit). */
export function probit(p: number, n?: number): number {
  return normalQuantile(clipAccuracy(p, n));
}

/** An accuracy on the chosen axis: logit or probit, after clipping 0 and 1. */
export function toAxis(p: number, transform: AxisTransform, n?: number): number {
  return transform === 'probit' ? probit(p, n) : logit(p, n);
}

/** Inverse of `toAxis`: the accuracy a transformed value stands for. */
export function fromAxis(z: number, transform: AxisTransform): number {
  return transform === 'probit' ? normalCdf(z) : sigmoid(z);
}

/** Fewest baseline points with distinct ID accuracy a line is fitted through: two always fit exactly, a slope needs a third to mean anything. */
export const MIN_FIT_POINTS = 3;

/**
 * Ordinary least squares of t(ood) on t(id) over the baseline points, t = logit by default.
 * Throws INPUT when fewer than MIN_FIT_POINTS points have distinct ID accuracies.
 */
export function fitLogitLine(points: readonly AccuracyPoint[], transform: AxisTransform = 'logit'): LogitLine {
  const distinctIds = new Set(points.map((p) => p.id)).size;
  if (distinctIds < MIN_FIT_POINTS) {
    const same = points.length > distinctIds ? ` (${points.length} points, ${distinctIds} distinct ID accuracies)` : '';
    throw new ZeroshiftError('INPUT', `no baseline line: it needs at least ${MIN_FIT_POINTS} baseline models with distinct ID accuracy, got ${distinctIds}${same}`, {
      hint: 'evaluate more models on the standard and shifted sets, or use --baseline testbed',
    });
  }
  const xs = points.map((p) => toAxis(p.id, transform, p.nId));
  const ys = points.map((p) => toAxis(p.ood, transform, p.nOod));
  return fitXY(xs, ys, transform);
}

/** OLS of ys on xs (already transformed); the bootstrap refits through here. */
export function fitXY(xs: readonly number[], ys: readonly number[], transform: AxisTransform = 'logit'): LogitLine {
  const mx = mean(xs);
  const my = mean(ys);
  let sxy = 0;
  let sxx = 0;
  for (let i = 0; i < xs.length; i++) {
    sxy += (xs[i] - mx) * (ys[i] - my);
    sxx += (xs[i] - mx) ** 2;
  }
  if (sxx === 0) {
    throw new ZeroshiftError('INPUT', `effective robustness: all ${xs.length} baseline models have the same ID accuracy; no line can be fitted`);
  }
  const slope = sxy / sxx;
  return { slope, intercept: my - slope * mx, count: xs.length, transform };
}

/** The baseline's predicted shifted accuracy (fraction) at an ID accuracy. */
export function predictOod(line: LogitLine, idAcc: number, nId?: number): number {
  const t = line.transform ?? 'logit';
  return fromAxis(line.slope * toAxis(idAcc, t, nId) + line.intercept, t);
}

/** ER = acc_ood − t⁻¹(a · t(acc_id) + b), as a fraction (positive = above the line). */
export function effectiveRobustness(line: LogitLine, point: AccuracyPoint): number {
  return point.ood - predictOod(line, point.id, point.nId);
}

/** Relative robustness: acc_ood − acc_ood of the reference model (fractions). */
export function relativeRobustness(point: AccuracyPoint, reference: AccuracyPoint): number {
  return point.ood - reference.ood;
}

function mean(v: readonly number[]): number {
  return v.reduce((s, x) => s + x, 0) / v.length;
}
