import { describe, expect, it } from 'vitest';
import { checkTemperature, oodScoreDef, oodScores, OOD_SCORES } from '../../src/metrics/oodScores.js';
import { probabilitiesRow, type ScoringRule } from '../../src/model/scoring.js';
import { ZeroshiftError } from '../../src/errors.js';
import { createRng } from '../../src/util/rng.js';

const clip: ScoringRule = { rule: 'softmax', scale: 100, bias: 0 };
const siglip: ScoringRule = { rule: 'sigmoid', scale: 117.33, bias: -12.93 };

describe('OOD scores', () => {
  const rng = createRng(29);
  const n = 5;
  const c = 6;
  const cos = Float32Array.from({ length: n * c }, () => rng.uniform(-0.2, 0.4));

  it('mcm is the top softmax probability of cos / T (no logit scale), by the naive formula', () => {
    for (const t of [1, 0.5, 2]) {
      const got = oodScores(cos, n, c, 'mcm', clip, t);
      for (let i = 0; i < n; i++) {
        const row = Array.from(cos.slice(i * c, (i + 1) * c));
        const e = row.map((s) => Math.exp(s / t));
        const sum = e.reduce((a, b) => a + b, 0);
        expect(got[i]).toBeCloseTo(Math.max(...e) / sum, 14);
      }
    }
    // T = 1 with 6 classes and cosines in [-0.2, 0.4]: close to uniform, as MCM observes for CLIP.
    expect(Math.max(...oodScores(cos, n, c, 'mcm', clip, 1))).toBeLessThan(0.25);
  });

  it('mcm of a SigLIP model is its own top sigmoid probability (probabilitiesRow) at T = 1', () => {
    const got = oodScores(cos, n, c, 'mcm', siglip, 1);
    for (let i = 0; i < n; i++) expect(got[i]).toBeCloseTo(Math.max(...probabilitiesRow(cos, siglip, i * c, c)), 15);
    const t2 = oodScores(cos, n, c, 'mcm', siglip, 2);
    for (let i = 0; i < n; i++) {
      const best = Math.max(...Array.from(cos.slice(i * c, (i + 1) * c), (s) => siglip.scale * s + siglip.bias));
      expect(t2[i]).toBeCloseTo(1 / (1 + Math.exp(-best / 2)), 15);
    }
  });

  it('maxlogit is scale × the largest cosine', () => {
    const got = oodScores(cos, n, c, 'maxlogit', clip, 1);
    for (let i = 0; i < n; i++) expect(got[i]).toBe(100 * Math.max(...cos.slice(i * c, (i + 1) * c)));
  });

  it('energy is T·logsumexp(scale·cos / T), stable where the naive sum overflows', () => {
    for (const t of [1, 3]) {
      const got = oodScores(cos, n, c, 'energy', { rule: 'softmax', scale: 2, bias: 0 }, t);
      for (let i = 0; i < n; i++) {
        const naive = t * Math.log(Array.from(cos.slice(i * c, (i + 1) * c)).reduce((a, s) => a + Math.exp((2 * s) / t), 0));
        expect(got[i]).toBeCloseTo(naive, 13);
      }
    }
    // scale 1000: exp(1000) overflows a float64; the stable form gives 1000 + log 2.
    expect(oodScores([1, 1], 1, 2, 'energy', { rule: 'softmax', scale: 1000, bias: 0 }, 1)[0]).toBeCloseTo(1000 + Math.LN2, 10);
  });

  it('an unknown score id lists the known ones', () => {
    expect(() => oodScoreDef('msp')).toThrow(/energy, maxlogit, mcm|mcm, maxlogit, energy/);
    expect(OOD_SCORES.ids()).toEqual(['mcm', 'maxlogit', 'energy']);
  });

  it('--ood-temperature must be > 0', () => {
    expect(checkTemperature(0.5)).toBe(0.5);
    for (const t of [0, -1, NaN, Infinity]) {
      expect(() => checkTemperature(t)).toThrow(ZeroshiftError);
    }
  });
});
