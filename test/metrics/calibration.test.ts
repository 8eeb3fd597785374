import { describe, expect, it } from 'vitest';
import { eceBin, expectedCalibrationError } from '../../src/metrics/calibration.js';

describe('ECE', () => {
  it('puts a confidence on an edge into the upper bin and 1.0 into its own bin', () => {
    for (let k = 0; k < 15; k++) expect(eceBin(k / 15)).toBe(k);
    expect(eceBin(0.8)).toBe(12);
    expect(eceBin(0.79999999)).toBe(11);
    expect(eceBin(0.99999999)).toBe(14);
    expect(eceBin(1)).toBe(15);
  });

  it('weights |accuracy − confidence| by bin size (hand-computed)', () => {
    // Bins: 13 {0.9 ✓} → 0.1; 12 {0.8 ✗, 0.86 ✗} → 2·0.83; 8 {0.55 ✓} → 0.45; 15 {1.0 ✓} → 0.
    const ece = expectedCalibrationError([0.9, 0.8, 0.86, 0.55, 1.0], [1, 0, 0, 1, 1]);
    expect(ece).toBeCloseTo((0.1 + 1.66 + 0.45) / 5, 14);
  });

  it('keeps a confidence of exactly 1 out of the [14/15, 1) bin', () => {
    // Separate: 0.95 ✓ → 0.05 and 1.0 ✗ → 1, halved = 0.525; merged it would be |0.5 − 0.975| = 0.475.
    expect(expectedCalibrationError([0.95, 1], [1, 0])).toBeCloseTo(0.525, 14);
  });

  it('is 0 without items', () => {
    expect(expectedCalibrationError([], [])).toBe(0);
  });
});
