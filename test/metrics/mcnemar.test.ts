import { describe, expect, it } from 'vitest';
import { mcnemar, mcnemarFromCounts } from '../../src/metrics/mcnemar.js';

describe('mcnemar', () => {
  it('counts discordant pairs and uses the exact test for small b + c', () => {
    const a = [1, 1, 0, 1, 0, 1, 1, 0];
    const b = [1, 0, 1, 1, 0, 0, 0, 0];
    const r = mcnemar(a, b);
    // b = 3 (A right, B wrong), c = 1; p = 2·P(X ≤ 1; 4, ½) = 2·5/16.
    expect(r).toEqual({ b: 3, c: 1, statistic: 1, pValue: expect.closeTo(10 / 16, 14), method: 'exact' });
  });

  it('caps the exact p-value at 1 and handles no discordant pairs', () => {
    expect(mcnemarFromCounts(12, 12).pValue).toBe(1);
    expect(mcnemarFromCounts(0, 0)).toMatchObject({ pValue: 1, method: 'exact' });
  });

  it('switches to continuity-corrected chi-square at b + c ≥ 25 (statsmodels exact=False)', () => {
    const r = mcnemarFromCounts(20, 40);
    expect(r.method).toBe('chi2');
    expect(r.statistic).toBeCloseTo(361 / 60, 14);
    expect(r.pValue).toBeCloseTo(0.014171388254012323, 12);
    expect(mcnemarFromCounts(11, 14).method).toBe('chi2');
    expect(mcnemarFromCounts(10, 14).method).toBe('exact');
    expect(mcnemarFromCounts(10, 14, 'exact').pValue).toBeCloseTo(0.5412561893463135, 13);
    expect(mcnemarFromCounts(3, 9).pValue).toBeCloseTo(0.14599609375, 14);
  });

  it('rejects classifiers scored on different items', () => {
    expect(() => mcnemar([1, 0], [1])).toThrow(/different item counts/);
  });
});
