import { ZeroshiftError } from '../errors.js';
import { lbfgs, type LbfgsResult } from './lbfgs.js';

/**
 * Multinomial logistic regression with an L2 penalty, the objective scikit-learn's
 * LogisticRegression(solver='lbfgs', fit_intercept=True) minimises (linear_model/_linear_loss.py,
 * restated; sklearn 1.2 minimises N times this, the sum of losses + ‖W‖²/(2C), later versions
 * this mean form, which keeps the gradient tolerance independent of N):
 *
 *   f(W, b) = (1/N) Σ_i −log softmax(W x_i + b)[y_i]  +  1/(2·C·N) · ‖W‖²_F
 *
 * with W (K, D) one row per class (the full, over-parameterised multinomial form) and the
 * intercept b (K,) not penalised. The same minimiser as C·Σ CE + ½‖W‖². Strictly convex in W,
 * so L-BFGS from zeros converges to the solution sklearn finds, up to its tolerance.
 */

export interface ProbeData {
  /** (N, D) features row-major (L2-normalised image embeddings). */
  x: Float32Array;
  /** (N,) class indices in [0, K). */
  y: Int32Array;
  dim: number;
}

export interface LinearModel {
  /** (K, D) weights row-major. */
  weights: Float64Array;
  /** (K,) intercepts. */
  bias: Float64Array;
  numClasses: number;
  dim: number;
}

export interface FitOptions {
  /** Inverse regularisation strength (sklearn's C). */
  c: number;
  numClasses: number;
  tol?: number;
  maxIter?: number;
}

export interface FitResult {
  model: LinearModel;
  optimizer: Omit<LbfgsResult, 'x'>;
}

function checkData(d: ProbeData, k: number): number {
  const n = d.y.length;
  if (d.x.length !== n * d.dim) throw new ZeroshiftError('INTERNAL', `probe data: ${d.x.length} feature values for ${n} labels × dim ${d.dim}`);
  for (const v of d.y) if (!(v >= 0 && v < k)) throw new ZeroshiftError('INTERNAL', `probe data: label ${v} outside 0..${k - 1}`);
  return n;
}

/** The objective above and its gradient, for parameters θ = [W (K·D), b (K)]. */
export function logisticObjective(d: ProbeData, k: number, c: number): (theta: Float64Array, grad: Float64Array) => number {
  const n = checkData(d, k);
  const { x, y, dim } = d;
  const lambda = 1 / (c * n);
  const z = new Float64Array(k);
  return (theta, grad) => {
    grad.fill(0);
    let loss = 0;
    for (let i = 0; i < n; i++) {
      const xo = i * dim;
      let max = -Infinity;
      for (let j = 0; j < k; j++) {
        let s = theta[k * dim + j];
        const wo = j * dim;
        for (let t = 0; t < dim; t++) s += theta[wo + t] * x[xo + t];
        z[j] = s;
        if (s > max) max = s;
      }
      let sum = 0;
      for (let j = 0; j < k; j++) sum += (z[j] = Math.exp(z[j] - max));
      loss += Math.log(sum) - Math.log(z[y[i]]);
      for (let j = 0; j < k; j++) {
        const r = z[j] / sum - (j === y[i] ? 1 : 0);
        if (r === 0) continue;
        const wo = j * dim;
        for (let t = 0; t < dim; t++) grad[wo + t] += r * x[xo + t];
        grad[k * dim + j] += r;
      }
    }
    let reg = 0;
    for (let p = 0; p < k * dim; p++) {
      reg += theta[p] * theta[p];
      grad[p] = grad[p] / n + lambda * theta[p];
    }
    for (let j = 0; j < k; j++) grad[k * dim + j] /= n;
    return loss / n + 0.5 * lambda * reg;
  };
}

/** Fits the probe with L-BFGS from zeros (deterministic). */
export function fitLogisticRegression(d: ProbeData, options: FitOptions): FitResult {
  const k = options.numClasses;
  if (!(options.c > 0)) throw new ZeroshiftError('INTERNAL', `fitLogisticRegression: C must be > 0, got ${options.c}`);
  const fn = logisticObjective(d, k, options.c);
  const r = lbfgs(fn, new Float64Array(k * d.dim + k), { tol: options.tol ?? 1e-4, maxIter: options.maxIter ?? 1000 });
  return {
    model: { weights: r.x.subarray(0, k * d.dim), bias: r.x.subarray(k * d.dim), numClasses: k, dim: d.dim },
    optimizer: { f: r.f, iterations: r.iterations, reason: r.reason },
  };
}

/** (N, K) decision scores W x + b, row-major (float32, like the zero-shot logits). */
export function decisionScores(model: LinearModel, x: Float32Array): Float32Array {
  const { weights, bias, numClasses: k, dim } = model;
  const n = x.length / dim;
  const out = new Float32Array(n * k);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < k; j++) {
      let s = bias[j];
      for (let t = 0; t < dim; t++) s += weights[j * dim + t] * x[i * dim + t];
      out[i * k + j] = s;
    }
  }
  return out;
}
