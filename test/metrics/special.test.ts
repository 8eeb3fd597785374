import { describe, expect, it } from 'vitest';
import { binomialCdf, chiSquareSf, inverseRegularizedBeta, lnGamma, regularizedBeta } from '../../src/metrics/special.js';

// Reference values computed once with scipy 1.17 (scipy.special.betainc / gammaln).
describe('special functions', () => {
  it('lnGamma matches factorials and scipy', () => {
    expect(lnGamma(1)).toBeCloseTo(0, 14);
    expect(lnGamma(5)).toBeCloseTo(Math.log(24), 13);
    expect(lnGamma(0.5)).toBeCloseTo(0.5 * Math.log(Math.PI), 14);
    expect(lnGamma(0.3)).toBeCloseTo(1.0957979948180756, 13);
    expect(lnGamma(171.5) / 709.1431630309283).toBeCloseTo(1, 13);
  });

  it('regularizedBeta matches closed forms and scipy', () => {
    // I_x(1, 1) = x; I_x(a, 1) = x^a.
    expect(regularizedBeta(0.37, 1, 1)).toBeCloseTo(0.37, 14);
    expect(regularizedBeta(0.6, 3, 1)).toBeCloseTo(0.216, 14);
    expect(regularizedBeta(0.3, 2.5, 3.5)).toBeCloseTo(0.29675298929566646, 13);
    expect(regularizedBeta(0.33, 100, 200)).toBeCloseTo(0.45661816333399713, 12);
    expect(regularizedBeta(0.01, 0.5, 0.5)).toBeCloseTo(0.06376856085851985, 13);
  });

  it('inverseRegularizedBeta inverts regularizedBeta', () => {
    for (const [p, a, b] of [[0.025, 5, 6], [0.975, 51, 50], [0.5, 0.5, 0.5], [1e-6, 3, 900]]) {
      expect(regularizedBeta(inverseRegularizedBeta(p, a, b), a, b)).toBeCloseTo(p, 13);
    }
  });

  it('binomial CDF and chi-square survival', () => {
    expect(binomialCdf(1, 6, 0.5)).toBeCloseTo(7 / 64, 14);
    expect(binomialCdf(6, 6, 0.5)).toBe(1);
    // χ²₁.sf(x) = erfc(√(x/2)); at x = 3.841458820694124 it is 0.05.
    expect(chiSquareSf(3.841458820694124, 1)).toBeCloseTo(0.05, 13);
    expect(chiSquareSf(0.375, 1)).toBeCloseTo(0.5402913746074198, 13);
    expect(chiSquareSf(2, 2)).toBeCloseTo(Math.exp(-1), 14);
  });
});
