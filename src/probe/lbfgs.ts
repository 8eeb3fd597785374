/**
 * Limited-memory BFGS for smooth unconstrained minimisation (Nocedal & Wright, Numerical
 * Optimization, 2nd ed., Algorithm 7.4 two-loop recursion with the γ = sᵀy / yᵀy initial
 * Hessian scaling, and a backtracking line search with the Armijo condition and cubic-free
 * halving). Written here rather than taken from npm: the few L-BFGS packages there are
 * unmaintained or browser-oriented, and the probe needs only this much (≈100 lines), with
 * scikit-learn's stopping rule (max |∇| ≤ tol, scipy's `gtol`) and a relative-decrease rule
 * (f_k − f_{k+1}) / max(|f_k|, |f_{k+1}|, 1) ≤ 64·eps — scipy's form with a far smaller
 * threshold than its default 2.2e-9, which sklearn does not override and which stops it
 * after a couple of iterations on heavily regularised problems (C ≤ 1e-4).
 */

/** Returns f(x) and writes ∇f(x) into `grad`. */
export type Objective = (x: Float64Array, grad: Float64Array) => number;

export interface LbfgsOptions {
  /** History pairs kept (scipy's default maxcor is 10). */
  memory?: number;
  /** Stop when max |∇f| ≤ tol (sklearn's default tol is 1e-4). */
  tol?: number;
  /** Stop after this many iterations (sklearn's max_iter). */
  maxIter?: number;
}

export interface LbfgsResult {
  x: Float64Array;
  f: number;
  iterations: number;
  /** Why it stopped. */
  reason: 'gradient' | 'function' | 'max-iter' | 'line-search';
}

const FTOL = 64 * Number.EPSILON;

function dot(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

function maxAbs(a: Float64Array): number {
  let m = 0;
  for (const v of a) m = Math.max(m, Math.abs(v));
  return m;
}

/** Minimises `fn` from `x0` (not modified). */
export function lbfgs(fn: Objective, x0: Float64Array, options: LbfgsOptions = {}): LbfgsResult {
  const m = options.memory ?? 10;
  const tol = options.tol ?? 1e-4;
  const maxIter = options.maxIter ?? 100;
  const n = x0.length;
  let x = Float64Array.from(x0);
  let g = new Float64Array(n);
  let f = fn(x, g);
  const S: Float64Array[] = [];
  const Y: Float64Array[] = [];
  const rho: number[] = [];
  const d = new Float64Array(n);
  const alpha = new Float64Array(m);
  let xNew = new Float64Array(n);
  let gNew = new Float64Array(n);
  for (let iter = 0; iter < maxIter; iter++) {
    if (maxAbs(g) <= tol) return { x, f, iterations: iter, reason: 'gradient' };
    // Two-loop recursion: d = −H∇f.
    for (let i = 0; i < n; i++) d[i] = -g[i];
    for (let j = S.length - 1; j >= 0; j--) {
      alpha[j] = rho[j] * dot(S[j], d);
      const y = Y[j];
      for (let i = 0; i < n; i++) d[i] -= alpha[j] * y[i];
    }
    const gamma = S.length > 0 ? dot(S[S.length - 1], Y[Y.length - 1]) / dot(Y[Y.length - 1], Y[Y.length - 1]) : 1 / Math.max(1, Math.sqrt(dot(g, g)));
    for (let i = 0; i < n; i++) d[i] *= gamma;
    for (let j = 0; j < S.length; j++) {
      const beta = rho[j] * dot(Y[j], d);
      const s = S[j];
      for (let i = 0; i < n; i++) d[i] += (alpha[j] - beta) * s[i];
    }
    let slope = dot(g, d);
    if (!(slope < 0)) {
      // Not a descent direction (numerical trouble): restart from steepest descent.
      S.length = 0; Y.length = 0; rho.length = 0;
      for (let i = 0; i < n; i++) d[i] = -g[i] / Math.max(1, Math.sqrt(dot(g, g)));
      slope = dot(g, d);
    }
    let step = 1;
    let fNew = NaN;
    let accepted = false;
    for (let ls = 0; ls < 40; ls++) {
      for (let i = 0; i < n; i++) xNew[i] = x[i] + step * d[i];
      fNew = fn(xNew, gNew);
      if (Number.isFinite(fNew) && fNew <= f + 1e-4 * step * slope) {
        accepted = true;
        break;
      }
      step *= 0.5;
    }
    if (!accepted) return { x, f, iterations: iter, reason: 'line-search' };
    const s = new Float64Array(n);
    const y = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      s[i] = xNew[i] - x[i];
      y[i] = gNew[i] - g[i];
    }
    const sy = dot(s, y);
    // Keep the pair only under the curvature condition, so H stays positive definite.
    if (sy > 1e-10 * dot(y, y)) {
      if (S.length === m) { S.shift(); Y.shift(); rho.shift(); }
      S.push(s); Y.push(y); rho.push(1 / sy);
    }
    const fOld = f;
    [x, xNew] = [xNew, x];
    [g, gNew] = [gNew, g];
    f = fNew;
    if ((fOld - f) / Math.max(Math.abs(fOld), Math.abs(f), 1) <= FTOL) return { x, f, iterations: iter + 1, reason: 'function' };
  }
  return { x, f, iterations: maxIter, reason: maxAbs(g) <= tol ? 'gradient' : 'max-iter' };
}
