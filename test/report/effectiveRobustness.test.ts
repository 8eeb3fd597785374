import { describe, expect, it } from 'vitest';
import {
  clipAccuracy, effectiveRobustness, fitLogitLine, logit, predictOod, relativeRobustness, sigmoid, type AccuracyPoint,
} from '../../src/report/effectiveRobustness.js';
import { isTestbedStandardModel, loadTestbedPoints, type ShiftKey } from '../../src/report/baselines.js';

const lg = (p: number): number => Math.log(p / (1 - p));

/** Closed-form simple regression from raw sums, independent of the library's centred form. */
function closedForm(points: AccuracyPoint[]): { a: number; b: number } {
  const n = points.length;
  let sx = 0, sy = 0, sxx = 0, sxy = 0;
  for (const p of points) {
    const x = lg(p.id), y = lg(p.ood);
    sx += x; sy += y; sxx += x * x; sxy += x * y;
  }
  const a = (n * sxy - sx * sy) / (n * sxx - sx * sx);
  return { a, b: (sy - a * sx) / n };
}

describe('effective robustness on hand-computed points', () => {
  it('recovers an exact logit-linear relation and measures distance to it', () => {
    // Points on logit(y) = 0.5·logit(x) − 1, built by hand.
    const ids = [0.2, 0.5, 0.8];
    const pts = ids.map((x, i) => ({ model: `m${i}`, id: x, ood: sigmoid(0.5 * lg(x) - 1) }));
    const line = fitLogitLine(pts);
    expect(line.slope).toBeCloseTo(0.5, 12);
    expect(line.intercept).toBeCloseTo(-1, 12);
    // At id = 0.5 the line predicts sigmoid(-1) = 0.2689414...; a model at 0.4 is 13.1 points above.
    expect(predictOod(line, 0.5)).toBeCloseTo(0.2689414213699951, 12);
    expect(effectiveRobustness(line, { model: 'x', id: 0.5, ood: 0.4 })).toBeCloseTo(0.4 - 0.2689414213699951, 12);
  });

  it('fits the least-squares line through noisy points', () => {
    // logits (x, y): (0,0), (1,1), (2,1): means (1, 2/3), Sxy = 1, Sxx = 2, so slope 0.5, intercept 2/3 − 0.5 = 1/6.
    const pts = [[0, 0], [1, 1], [2, 1]].map(([x, y], i) => ({ model: `m${i}`, id: sigmoid(x), ood: sigmoid(y) }));
    const line = fitLogitLine(pts);
    expect(line.slope).toBeCloseTo(0.5, 12);
    expect(line.intercept).toBeCloseTo(1 / 6, 12);
  });

  it('clips 0 and 100 % to 0.5/n and 1 − 0.5/n before the logit', () => {
    expect(clipAccuracy(0, 200)).toBe(0.0025);
    expect(clipAccuracy(1, 200)).toBe(0.9975);
    expect(clipAccuracy(0.3, 200)).toBe(0.3);
    expect(logit(1, 200)).toBeCloseTo(Math.log(0.9975 / 0.0025), 12);
    expect(Number.isFinite(logit(0, 50))).toBe(true);
  });

  it('computes relative robustness against a reference model', () => {
    expect(relativeRobustness({ model: 'a', id: 0.7, ood: 0.55 }, { model: 'r', id: 0.6, ood: 0.4 })).toBeCloseTo(0.15, 12);
  });

  it('refuses to fit through fewer than three points of distinct ID accuracy', () => {
    expect(() => fitLogitLine([{ model: 'a', id: 0.5, ood: 0.4 }])).toThrow(/at least 3 baseline models with distinct ID accuracy, got 1/);
    // Two points always fit exactly: every model would sit on the line at "+0.0".
    expect(() => fitLogitLine([{ model: 'a', id: 0.5, ood: 0.4 }, { model: 'b', id: 0.7, ood: 0.3 }])).toThrow(/got 2/);
    expect(() => fitLogitLine([{ model: 'a', id: 0.5, ood: 0.4 }, { model: 'b', id: 0.5, ood: 0.3 }, { model: 'c', id: 0.7, ood: 0.5 }])).toThrow(/got 2 \(3 points, 2 distinct ID accuracies\)/);
    expect(fitLogitLine([{ model: 'a', id: 0.5, ood: 0.4 }, { model: 'b', id: 0.6, ood: 0.3 }, { model: 'c', id: 0.7, ood: 0.5 }]).count).toBe(3);
  });
});

describe('effective robustness on the shipped imagenet-testbed', () => {
  const cases: [ShiftKey, number][] = [['imagenet-r', 37], ['imagenet-sketch', 27], ['imagenetv2', 5]];
  for (const [shift, expected] of cases) {
    it(`puts zero-shot CLIP ViT-B/32 about ${expected} points above the ImageNet-trained line on ${shift}`, () => {
      const baseline = loadTestbedPoints(shift, isTestbedStandardModel);
      expect(baseline.length).toBeGreaterThan(300);
      expect(baseline.some((p) => /clip/i.test(p.model))).toBe(false);
      const line = fitLogitLine(baseline);
      const ref = closedForm(baseline);
      expect(line.slope).toBeCloseTo(ref.a, 9);
      expect(line.intercept).toBeCloseTo(ref.b, 9);
      const [clip] = loadTestbedPoints(shift, (m) => m === 'vit_b_32_clip_zeroshot');
      expect(clip).toBeDefined();
      const er = effectiveRobustness(line, clip) * 100;
      expect(Math.abs(er - expected)).toBeLessThan(2);
    });
  }
});
