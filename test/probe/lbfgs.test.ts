import { describe, expect, it } from 'vitest';
import { lbfgs } from '../../src/probe/lbfgs.js';

describe('L-BFGS', () => {
  it('minimises the Rosenbrock function to (1, 1)', () => {
    const r = lbfgs((x, g) => {
      const [a, b] = [x[0], x[1]];
      g[0] = -2 * (1 - a) - 400 * a * (b - a * a);
      g[1] = 200 * (b - a * a);
      return (1 - a) ** 2 + 100 * (b - a * a) ** 2;
    }, Float64Array.from([-1.2, 1]), { tol: 1e-8, maxIter: 500 });
    expect(['gradient', 'function']).toContain(r.reason);
    expect(r.x[0]).toBeCloseTo(1, 6);
    expect(r.x[1]).toBeCloseTo(1, 6);
  });

  it('solves an ill-conditioned quadratic (minimum at A⁻¹b)', () => {
    // f = ½ xᵀ diag(1, 100, 1e4) x − bᵀx → x* = b / diag.
    const d = [1, 100, 1e4];
    const b = [1, 2, 3];
    const r = lbfgs((x, g) => {
      let f = 0;
      for (let i = 0; i < 3; i++) {
        g[i] = d[i] * x[i] - b[i];
        f += 0.5 * d[i] * x[i] ** 2 - b[i] * x[i];
      }
      return f;
    }, new Float64Array(3), { tol: 1e-10, maxIter: 200 });
    for (let i = 0; i < 3; i++) expect(r.x[i]).toBeCloseTo(b[i] / d[i], 8);
  });

  it('stops at maxIter and says so', () => {
    const r = lbfgs((x, g) => {
      g[0] = 4 * x[0] ** 3;
      return x[0] ** 4;
    }, Float64Array.from([3]), { tol: 1e-30, maxIter: 3 });
    expect(r.iterations).toBe(3);
    expect(r.reason).toBe('max-iter');
  });
});
