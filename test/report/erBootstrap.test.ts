import { describe, expect, it } from 'vitest';
import { fitLogitLine, fitXY, fromAxis, probit, toAxis, effectiveRobustness, type AccuracyPoint } from '../../src/report/effectiveRobustness.js';
import { binomial, bootstrapBand, bootstrapErCi, bootstrapErReplicates, quantile } from '../../src/report/erBootstrap.js';
import { normalCdf, normalQuantile } from '../../src/report/normal.js';
import { createRng } from '../../src/util/rng.js';

describe('probit', () => {
  it('matches closed-form normal quantiles', () => {
    // Φ(0) = ½; Φ(1) = ½(1 + erf(1/√2)) = 0.8413447460685429; Φ⁻¹(0.975) = 1.959963984540054 (the 95 % z).
    expect(normalQuantile(0.5)).toBe(0);
    expect(normalCdf(1)).toBeCloseTo(0.8413447460685429, 14);
    expect(normalCdf(-1)).toBeCloseTo(1 - 0.8413447460685429, 14);
    expect(normalQuantile(0.975)).toBeCloseTo(1.959963984540054, 12);
    expect(normalQuantile(0.025)).toBeCloseTo(-1.959963984540054, 12);
    expect(normalQuantile(0.8413447460685429)).toBeCloseTo(1, 12);
    // Tails: Φ(−5) = 2.866515718791939e-7.
    expect(normalQuantile(2.866515718791939e-7) / -5).toBeCloseTo(1, 11);
    for (const p of [1e-10, 1e-4, 0.01, 0.3, 0.7, 0.99, 1 - 1e-6]) expect(normalCdf(normalQuantile(p)) / p).toBeCloseTo(1, 11);
  });

  it('fits and measures ER on probit axes: points on Φ⁻¹(y) = 0.8·Φ⁻¹(x) − 0.5 give the line back', () => {
    const pts = [0.3, 0.55, 0.9].map((x, i) => ({ model: `m${i}`, id: x, ood: normalCdf(0.8 * normalQuantile(x) - 0.5) }));
    const line = fitLogitLine(pts, 'probit');
    expect(line.slope).toBeCloseTo(0.8, 12);
    expect(line.intercept).toBeCloseTo(-0.5, 12);
    // At id = Φ(1) the line predicts Φ(0.3) = 0.6179114221889527.
    expect(effectiveRobustness(line, { model: 'x', id: 0.8413447460685429, ood: 0.7 })).toBeCloseTo(0.7 - 0.6179114221889527, 12);
    expect(probit(1, 100)).toBeCloseTo(normalQuantile(1 - 0.005), 14);
    expect(fromAxis(toAxis(0.37, 'probit'), 'probit')).toBeCloseTo(0.37, 14);
  });
});

describe('binomial sampler', () => {
  it('has the binomial mean and variance', () => {
    const rng = createRng(3);
    for (const [n, p] of [[10, 0.3], [50_000, 0.73], [7, 0.999]] as const) {
      const draws = Array.from({ length: 20_000 }, () => binomial(rng, n, p));
      const m = draws.reduce((s, x) => s + x, 0) / draws.length;
      const v = draws.reduce((s, x) => s + (x - m) ** 2, 0) / (draws.length - 1);
      const sd = Math.sqrt(n * p * (1 - p));
      expect(Math.abs(m - n * p)).toBeLessThan((4 * sd) / Math.sqrt(draws.length));
      expect(v / (n * p * (1 - p))).toBeGreaterThan(0.94);
      expect(v / (n * p * (1 - p))).toBeLessThan(1.06);
    }
  });
});

/** The exact bootstrap distribution of ER by enumerating every resample (small case). */
function exactDistribution(baseline: AccuracyPoint[], point: Required<AccuracyPoint>, t: 'logit' | 'probit'): { value: number; weight: number }[] {
  const k = baseline.length;
  const out: { value: number; weight: number }[] = [];
  const choose = (n: number, r: number): number => { let c = 1; for (let i = 1; i <= r; i++) c = (c * (n - r + i)) / i; return c; };
  const pmf = (n: number, p: number, j: number): number => choose(n, j) * p ** j * (1 - p) ** (n - j);
  const tuples: number[][] = [];
  const rec = (prefix: number[]): void => { if (prefix.length === k) tuples.push(prefix); else for (let j = 0; j < k; j++) rec([...prefix, j]); };
  rec([]);
  const valid = tuples.filter((tu) => new Set(tu.map((j) => baseline[j].id)).size > 1);
  for (const tu of valid) {
    const line = fitXY(tu.map((j) => toAxis(baseline[j].id, t)), tu.map((j) => toAxis(baseline[j].ood, t)), t);
    for (let a = 0; a <= point.nId; a++) {
      for (let b = 0; b <= point.nOod; b++) {
        const w = (1 / valid.length) * pmf(point.nId, point.id, a) * pmf(point.nOod, point.ood, b);
        const pred = fromAxis(line.slope * toAxis(a / point.nId, t, point.nId) + line.intercept, t);
        out.push({ value: b / point.nOod - pred, weight: w });
      }
    }
  }
  return out;
}

describe('ER bootstrap against a direct computation', () => {
  const baseline: AccuracyPoint[] = [
    { model: 'a', id: 0.4, ood: 0.2 }, { model: 'b', id: 0.6, ood: 0.35 }, { model: 'c', id: 0.8, ood: 0.5 },
  ];
  const point = { model: 'x', id: 0.75, ood: 0.5, nId: 4, nOod: 4 };

  for (const t of ['logit', 'probit'] as const) {
    it(`${t}: replicates follow the enumerated distribution (mean and CDF within sampling error)`, () => {
      const exact = exactDistribution(baseline, point, t);
      const total = exact.reduce((s, e) => s + e.weight, 0);
      expect(total).toBeCloseTo(1, 12);
      const B = 20_000;
      const reps = bootstrapErReplicates(baseline, point, { transform: t, replicates: B * 27 / 24, seed: 11 });
      // 3 of 27 resamples are degenerate (one model drawn three times) and are skipped.
      expect(Math.abs(reps.length / (B * 27 / 24) - 24 / 27)).toBeLessThan(0.01);
      const mean = exact.reduce((s, e) => s + e.value * e.weight, 0);
      const sd = Math.sqrt(exact.reduce((s, e) => s + (e.value - mean) ** 2 * e.weight, 0));
      const m = reps.reduce((s, x) => s + x, 0) / reps.length;
      expect(Math.abs(m - mean)).toBeLessThan((4 * sd) / Math.sqrt(reps.length));
      for (const q of [-0.3, -0.1, 0, 0.1, 0.3]) {
        const F = exact.filter((e) => e.value <= q).reduce((s, e) => s + e.weight, 0);
        const f = reps.filter((x) => x <= q).length / reps.length;
        expect(Math.abs(f - F)).toBeLessThan(4 * Math.sqrt(Math.max(F * (1 - F), 1e-4) / reps.length));
      }
      const ci = bootstrapErCi(baseline, point, { transform: t, replicates: B * 27 / 24, seed: 11 })!;
      const sorted = [...reps].sort((a, b) => a - b);
      expect(ci).toEqual([quantile(sorted, 0.025), quantile(sorted, 0.975)]);
      expect(ci[0]).toBeLessThan(ci[1]);
    });
  }

  it('is deterministic for a seed and changes with it', () => {
    const o = { transform: 'logit' as const, replicates: 200, seed: 'x' };
    expect(bootstrapErCi(baseline, point, o)).toEqual(bootstrapErCi(baseline, point, o));
    expect(bootstrapErCi(baseline, point, { ...o, seed: 'y' })).not.toEqual(bootstrapErCi(baseline, point, o));
  });

  it('band: pointwise percentiles of the refitted lines', () => {
    const band = bootstrapBand(baseline, [-1, 0, 1], { transform: 'logit', replicates: 500, seed: 1 })!;
    const full = fitLogitLine(baseline);
    band.x.forEach((x, i) => {
      expect(band.low[i]).toBeLessThanOrEqual(full.slope * x + full.intercept + 1e-9);
      expect(band.high[i]).toBeGreaterThanOrEqual(full.slope * x + full.intercept - 1e-9);
    });
  });
});

describe('quantile', () => {
  it('interpolates like numpy.quantile (linear)', () => {
    // numpy.quantile([1, 2, 4, 8], [0.025, 0.5, 0.975]) = [1.075, 3.0, 7.7]
    expect(quantile([1, 2, 4, 8], 0.025)).toBeCloseTo(1.075, 12);
    expect(quantile([1, 2, 4, 8], 0.5)).toBeCloseTo(3, 12);
    expect(quantile([1, 2, 4, 8], 0.975)).toBeCloseTo(7.7, 12);
  });
});
