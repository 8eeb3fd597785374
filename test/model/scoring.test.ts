import { describe, expect, it } from 'vitest';
import { probabilities, probabilitiesRow, logitsRow, DEFAULT_SCORING } from '../../src/model/scoring.js';

describe('scoring rules', () => {
  it('softmax matches a hand computation and sums to 1', () => {
    const p = probabilitiesRow([0.3, 0.2, 0.1], DEFAULT_SCORING);
    // softmax([30, 20, 10]) = e^0 / (1 + e^-10 + e^-20), ...
    const z = 1 + Math.exp(-10) + Math.exp(-20);
    expect(p[0]).toBeCloseTo(1 / z, 15);
    expect(p[1]).toBeCloseTo(Math.exp(-10) / z, 15);
    expect(p[0] + p[1] + p[2]).toBeCloseTo(1, 15);
  });

  it('sigmoid applies scale and bias per class, independently', () => {
    const rule = { rule: 'sigmoid' as const, scale: 10, bias: -2 };
    const p = probabilitiesRow([0.3, 0.2, -0.5], rule);
    expect(p[0]).toBeCloseTo(1 / (1 + Math.exp(-1)), 15);
    expect(p[1]).toBeCloseTo(0.5, 15);
    expect(p[2]).toBeCloseTo(1 / (1 + Math.exp(7)), 15);
    expect(logitsRow([0.3], rule)[0]).toBeCloseTo(1, 15);
  });

  it('sigmoid does not overflow on large negative logits', () => {
    const p = probabilitiesRow([-1e3], { rule: 'sigmoid', scale: 1e3, bias: 0 });
    expect(p[0]).toBe(0);
  });

  it('works row-wise on (N, C) with offsets', () => {
    const p = probabilities(new Float32Array([0, 0, 1, 0]), 2, 2, { rule: 'softmax', scale: 1, bias: 5 });
    expect(Array.from(p.subarray(0, 2))).toEqual([0.5, 0.5]);
    expect(p[2]).toBeCloseTo(Math.E / (Math.E + 1), 15);
  });
});
