import { describe, expect, it } from 'vitest';
import { clopperPearson } from '../../src/metrics/clopperPearson.js';

describe('clopperPearson', () => {
  it('matches the published 95 % intervals', () => {
    const [l1, u1] = clopperPearson(5, 10);
    expect(l1).toBeCloseTo(0.18709, 5);
    expect(u1).toBeCloseTo(0.81291, 5);
    const [l2, u2] = clopperPearson(50, 100);
    expect(l2).toBeCloseTo(0.39832, 5);
    expect(u2).toBeCloseTo(0.60168, 5);
  });

  it('has closed forms at k = 0 and k = n', () => {
    // k = 0: upper solves (1 − p)^n = α/2; k = n: lower solves p^n = α/2.
    expect(clopperPearson(0, 10)).toEqual([0, expect.closeTo(1 - 0.025 ** (1 / 10), 13)]);
    expect(clopperPearson(10, 10)).toEqual([expect.closeTo(0.025 ** (1 / 10), 13), 1]);
    expect(clopperPearson(0, 10)[1]).toBeCloseTo(0.3085, 4);
  });

  it('matches scipy beta.ppf at extreme and large counts', () => {
    const [l1, u1] = clopperPearson(1, 1000);
    expect(l1 / 2.531748749129404e-5).toBeCloseTo(1, 10);
    expect(u1).toBeCloseTo(0.005558924279826672, 13);
    const [l2, u2] = clopperPearson(7123, 10000);
    expect(l2).toBeCloseTo(0.7033164950526744, 12);
    expect(u2).toBeCloseTo(0.7211597141583149, 12);
  });

  it('gives [0, 1] without trials and rejects impossible counts', () => {
    expect(clopperPearson(0, 0)).toEqual([0, 1]);
    expect(() => clopperPearson(11, 10)).toThrow(/0 ≤ k ≤ n/);
  });
});
